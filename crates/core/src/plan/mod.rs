//! The plan: desired document + live state → the exact, ordered changes.
//! Pure: it writes nothing (CONVENTIONS.md 7); the account adapter executes
//! it. Order is the safe one (docs/rules.md §2): role policies, then invoke
//! permissions, then bucket notifications, then permission removals.
//!
//! Semantics (PRODUCT.md "Apply semantics"): for every bucket of the
//! document, the document is the truth for its Lambda configurations; SQS,
//! SNS and EventBridge entries are kept exactly as live. Buckets absent from
//! the document are never touched. Permission statements are added only
//! when no live statement already lets S3 invoke the target for the bucket,
//! and only statements Bucketwire created ([`SID_PREFIX`]) are removed.
//!
//! Layer 4: uses `model`, `live`, `desired` (what to write, and each
//! resource's change) and `checks` (what blocks a bucket). One module per
//! route beside this one: `event_rules`, `topics`, `queues`.

mod event_rules;
mod queues;
mod topics;

use crate::desired::context::{Context, DestinationKind};
use crate::desired::lambda;
use crate::desired::lambda::{permission_changes, role_policy_change, Grant};
use crate::live::{LiveState, NotificationConfiguration, NotificationEntry};
use crate::model::graph::Wiring;
use crate::model::permission::SID_PREFIX;
use crate::model::policy::compact::{PolicyDocument, PolicyStatement};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt::Write;

pub use crate::desired::change::{Change, EntryChange};
pub use crate::desired::describe::describe_async;
use crate::desired::describe::{short, turns_event_bridge_on};
pub use crate::desired::lambda::ROLE_POLICY_NAME;

/// An ordered list of changes, and what could not be planned.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// Changes in the order they must be made.
    pub changes: Vec<Change>,
    /// Buckets and functions left as they are, each with why: a finding S3
    /// or Lambda would refuse, a read that failed, a bucket missing from
    /// the account. Everything else is planned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<Blocked>,
    /// The buckets this plan was limited to (`--bucket`); empty: every
    /// bucket of the document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only: Vec<String>,
}

/// What a blocked entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockedKind {
    /// A bucket: its notification configuration, the permissions its
    /// configurations need and their share of role policies are left as
    /// they are.
    Bucket,
    /// A function: its asynchronous settings and recursion guard are left
    /// as they are.
    Function,
    /// An EventBridge rule: it, its targets and their permissions are left
    /// as they are.
    Rule,
}

/// A bucket or function the plan leaves as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Blocked {
    /// Bucket or function.
    pub kind: BlockedKind,
    /// The bucket name or the function ARN.
    pub name: String,
    /// The bucket's region (as the document says); the function's from its
    /// ARN.
    pub region: String,
    /// Why, one sentence each (a finding's rule and message, a read error).
    pub reasons: Vec<String>,
}

/// A resource the account could not be read for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// A bucket, by name.
    Bucket(String, String),
    /// A function, by unqualified ARN.
    Function(String, String),
    /// A role, by ARN.
    Role(String, String),
    /// An EventBridge rule, by name: it is blocked, the rest is planned.
    Rule(String, String),
    /// An SNS topic, by ARN: it and the buckets publishing to it are
    /// blocked, the rest is planned.
    Topic(String, String),
    /// An SQS queue, by ARN: it and the buckets sending to it are blocked,
    /// the rest is planned.
    Queue(String, String),
}

/// What to plan: all of the document (the default) or chosen buckets, and
/// what the read of the account could not read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope<'a> {
    /// Plan only these buckets (`--bucket`, like `terraform -target`), with
    /// the settings of the functions they invoke; empty plans everything.
    pub only: &'a [String],
    /// Resources whose read failed (each with the reason): what depends on
    /// them is blocked, everything else is planned.
    pub unread: &'a [Unread],
}

/// Rules whose error findings are not about a bucket's configuration (a
/// function's own settings): they block the function, not its buckets.
const FUNCTION_RULES: &[&str] = &["invalid-async-settings", "conflicting-function-settings"];
/// Why a plan cannot be made at all (a bucket that cannot be planned is
/// [`Blocked`], not an error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// `--bucket` named a bucket the document does not have.
    #[error("the document has no bucket named \"{name}\" (buckets: {known})")]
    UnknownBucket {
        /// The name asked for.
        name: String,
        /// The bucket names the document has.
        known: String,
    },
}

/// Whether every bucket `only` names is in the document (what
/// [`plan_scoped`] checks first; callers check it before reading the
/// account).
///
/// # Errors
/// [`PlanError::UnknownBucket`] for the first name the document lacks.
pub fn check_scope(desired: &Wiring, only: &[String]) -> Result<(), PlanError> {
    let names: FxHashSet<&str> = desired.buckets().map(|b| b.name.as_str()).collect();
    match only.iter().find(|n| !names.contains(n.as_str())) {
        None => Ok(()),
        Some(name) => Err(PlanError::UnknownBucket {
            name: name.clone(),
            known: Context::new(desired).bucket_names(),
        }),
    }
}

/// Plans the changes that make the account match the whole document.
///
/// # Errors
/// None today for a whole document (see [`plan_scoped`]).
pub fn plan(desired: &Wiring, live: &LiveState) -> Result<Plan, PlanError> {
    plan_scoped(desired, live, Scope::default())
}

/// Plans the changes that make the account match the document, per bucket:
/// a bucket that cannot be planned (an error finding against the account
/// as read — an overlap, a missing function, a region that differs —, a
/// read that failed, a bucket missing from the account) is [`Blocked`] and
/// left exactly as it is, and every other bucket of `scope` is planned.
///
/// # Errors
/// [`PlanError::UnknownBucket`] when `scope.only` names a bucket the
/// document does not have.
pub fn plan_scoped(
    desired: &Wiring,
    live: &LiveState,
    scope: Scope<'_>,
) -> Result<Plan, PlanError> {
    check_scope(desired, scope.only)?;
    let ctx = Context::with_live(desired, &live.functions, &live.roles)
        .with_topics(&live.topics)
        .with_queues(&live.queues);
    // Indexes, so planning stays linear in the size of the account.
    let live_functions: FxHashMap<&str, _> =
        live.functions.iter().map(|f| (f.arn.as_str(), f)).collect();
    let live_buckets: FxHashMap<&str, _> =
        live.buckets.iter().map(|b| (b.name.as_str(), b)).collect();
    let live_roles: FxHashMap<&str, _> = live.roles.iter().map(|r| (r.arn.as_str(), r)).collect();

    let selected = |name: &str| scope.only.is_empty() || scope.only.iter().any(|o| o == name);
    let blocked = blocked(&ctx, &live_buckets, &live_functions, scope, &selected);
    let blocked_buckets: FxHashSet<&str> = blocked
        .iter()
        .filter(|b| b.kind == BlockedKind::Bucket)
        .map(|b| b.name.as_str())
        .collect();
    let blocked_functions: FxHashSet<&str> = blocked
        .iter()
        .filter(|b| b.kind == BlockedKind::Function)
        .map(|b| b.name.as_str())
        .collect();
    // The buckets this plan writes or may remove statements for.
    let planned = |name: &str| selected(name) && !blocked_buckets.contains(name);
    // Functions whose settings this plan manages: with `--bucket`, those the
    // chosen buckets invoke.
    let invoked_by_selection: FxHashSet<&str> = ctx
        .invocations()
        .filter(|(c, _, _)| selected(&c.bucket.name))
        .map(|(_, _, f)| f.arn.as_str())
        .collect();
    let settings_planned = |arn: &str| {
        (scope.only.is_empty() || invoked_by_selection.contains(arn))
            && !blocked_functions.contains(arn)
    };

    let mut roles = Vec::new();
    let mut replace_first = Vec::new();
    let mut adds = Vec::new();
    let mut notifications = Vec::new();
    let mut removes = Vec::new();

    // Role policies: per role, read access for every trigger of its
    // functions that the role's other policies do not already grant (an
    // imported role that reads through its own policy needs nothing more).
    // What the managed policy grants for buckets this plan leaves alone
    // stays granted.
    for (role_arn, resources) in
        lambda::role_read_resources_where(&ctx, &planned, scope.only.is_empty())
    {
        let live_role = live_roles.get(role_arn).copied();
        roles.extend(role_policy_change(role_arn, resources, live_role, &|b| {
            !planned(b)
        }));
    }
    // Decrypt: per role, the customer-managed keys of the buckets it reads
    // and the queues it polls, where only its own policies are missing
    // (docs/rules.md §18).
    for (role_arn, needs) in crate::desired::encryption::role_decrypt_needs(
        &ctx,
        &live.keys,
        &live.bucket_encryption,
        &planned,
    ) {
        roles.extend(crate::desired::encryption::decrypt_policy_change(
            role_arn,
            &needs,
            &live.keys,
            live_roles.get(role_arn).copied(),
        ));
    }

    // Invoke permissions. `wanted` holds the (target, statement id) pairs
    // the document relies on, borrowed from `needs` and from `live`.
    let needs: Vec<_> = lambda::permissions(&ctx)
        .into_iter()
        .filter(|need| planned(need.bucket))
        .collect();
    // Our own statement id for each need stays wanted even when another
    // statement grants (two configurations of a bucket on one function).
    let mut own_sids: Vec<(&str, String)> = Vec::with_capacity(needs.len());
    let mut wanted: FxHashSet<(&str, &str)> = FxHashSet::default();
    for need in &needs {
        // A missing function blocks its buckets, so it is always found here.
        let Some(live_fn) = live_functions.get(need.function_arn) else {
            continue;
        };
        let statement_id = need.statement_id();
        match permission_changes(need, &statement_id, live_fn) {
            // A statement that grants stays, whatever its Sid says.
            Grant::Granted(st) => {
                if let Some(sid) = st.sid() {
                    wanted.insert((st.first_resource(), sid));
                }
            }
            Grant::Missing { stale, add } => {
                replace_first.extend(stale.map(|c| *c));
                adds.push(*add);
            }
        }
        own_sids.push((&need.target, statement_id));
    }
    wanted.extend(own_sids.iter().map(|(target, sid)| (*target, sid.as_str())));
    let doc_buckets: FxHashSet<&str> = ctx
        .buckets
        .iter()
        .map(|g| g.bucket.name.as_str())
        .filter(|name| planned(name))
        .collect();
    for live_fn in &live.functions {
        for st in &live_fn.policy_statements {
            let Some(sid) = st.sid().filter(|s| s.starts_with(SID_PREFIX)) else {
                continue;
            };
            let target = st.first_resource();
            if wanted.contains(&(target, sid)) {
                continue;
            }
            // Only for buckets this document manages.
            let for_doc_bucket = source_buckets(st).iter().any(|b| doc_buckets.contains(b));
            if for_doc_bucket {
                removes.push(Change::RemovePermission {
                    function_arn: target.to_string(),
                    statement_id: sid.to_string(),
                    statement: st.clone(),
                });
            }
        }
    }

    // Asynchronous invocation settings and recursion guards the document
    // manages.
    let mut function_settings = Vec::new();
    // A function not found is blocked, so it is always found here.
    let live_function = |arn: &str| {
        live_functions
            .get(arn)
            .copied()
            .filter(|_| settings_planned(arn))
    };
    for (function, settings) in lambda::async_settings(desired) {
        let qualifier = function.qualifier.as_deref();
        let Some(live_fn) = live_function(&function.arn) else {
            continue;
        };
        let previous = live_fn
            .event_invoke_configs
            .iter()
            .find(|c| c.qualifier.as_deref() == qualifier)
            .map(|c| &c.settings);
        if previous != Some(settings) {
            function_settings.push(Change::PutEventInvokeConfig {
                function_arn: function.arn.clone(),
                qualifier: function.qualifier.clone(),
                settings: settings.clone(),
                previous: previous.cloned(),
            });
        }
    }
    for (function, guard) in lambda::recursion_guards(desired) {
        let Some(live_fn) = live_function(&function.arn) else {
            continue;
        };
        let previous = live_fn.recursive_loop;
        if previous != Some(guard) {
            function_settings.push(Change::PutRecursionConfig {
                function_arn: function.arn.clone(),
                recursive_loop: guard,
                previous,
            });
        }
    }

    // Bucket notifications: the document is the truth for a bucket's
    // Lambda entries, and for its entries sending to the document's own
    // topics and queues (§15, §16); every other entry is written back as
    // read.
    let topics = crate::desired::topics::topics(&ctx);
    let queues = crate::desired::queues::queues(&ctx);
    let topic_arns: rustc_hash::FxHashSet<&str> = topics.iter().map(|t| t.arn()).collect();
    let queue_arns: rustc_hash::FxHashSet<&str> = queues.iter().map(|q| q.arn()).collect();
    for (bucket, managed) in lambda::managed_entries(&ctx) {
        if !planned(&bucket.name) {
            continue;
        }
        // Missing buckets and other regions are blocked.
        let Some(live_bucket) = live_buckets.get(bucket.name.as_str()) else {
            continue;
        };
        let previous = &live_bucket.notification;
        let of = |kind| {
            managed
                .iter()
                .filter(|e| e.written.kind == kind)
                .cloned()
                .collect::<Vec<_>>()
        };
        let lambda = entries_diff(&of(DestinationKind::Lambda), &previous.lambda, &|_| true);
        // A topic or queue entry is ours by its Id, or by its destination.
        let topic = entries_diff(&of(DestinationKind::Topic), &previous.topics, &|e| {
            topic_arns.contains(e.arn.as_str())
        });
        let queue = entries_diff(&of(DestinationKind::Queue), &previous.queues, &|e| {
            queue_arns.contains(e.arn.as_str())
        });
        // The EventBridge switch: turned on when the document has it on
        // (a rule needs the bucket's events, §14), never turned off (other
        // rules of the account may rely on it).
        let switch_on = bucket.event_bridge && !previous.event_bridge;
        if lambda.unchanged() && topic.unchanged() && queue.unchanged() && !switch_on {
            continue;
        }
        let mut kept: Vec<String> = lambda
            .same
            .iter()
            .map(|id| format!("lambda \"{id}\""))
            .collect();
        for (kind, diff) in [("queue", &queue), ("topic", &topic)] {
            kept.extend(diff.same.iter().map(|id| format!("{kind} \"{id}\"")));
            kept.extend(diff.others.iter().map(|e| format!("{kind} \"{}\"", e.id)));
        }
        if previous.event_bridge {
            kept.push("EventBridge".into());
        }
        let [lambda, topic, queue] = [lambda, topic, queue].map(EntriesDiff::split);
        notifications.push(Change::PutBucketNotification {
            bucket: bucket.name.clone(),
            region: bucket.region.clone(),
            configuration: Box::new(NotificationConfiguration {
                lambda: lambda.0,
                queues: queue.0,
                topics: topic.0,
                event_bridge: previous.event_bridge || bucket.event_bridge,
                unrepresented: Vec::new(),
            }),
            previous: Box::new(previous.clone()),
            added: [lambda.1, topic.1, queue.1].concat(),
            changed: [lambda.2, topic.2, queue.2].concat(),
            removed: [lambda.3, topic.3, queue.3].concat(),
            kept,
            owner: live_bucket.owner.clone().or_else(|| bucket.owner.clone()),
        });
    }

    // SNS topics: each subscriber's permission, the topic, its
    // subscriptions (§15).
    let topic_changes =
        crate::plan::topics::topic_changes(&topics, live, &live_functions, &planned);
    // SQS queues: the consume policies, the queue, its mapping (§16).
    let document_roles: BTreeSet<&str> = desired
        .functions()
        .filter_map(|f| f.role.as_deref())
        .collect();
    let queue_changes = crate::plan::queues::queue_changes(
        &queues,
        live,
        &planned,
        scope.only.is_empty().then_some(&document_roles),
    );

    // EventBridge rules: each target's permission, the rule, its targets.
    let rules = crate::plan::event_rules::rule_changes(
        desired,
        live,
        &live_functions,
        &planned,
        scope.unread,
    );

    let mut changes = roles;
    changes.extend(queue_changes.roles);
    changes.extend(replace_first);
    changes.extend(rules.replace_first);
    changes.extend(topic_changes.replace_first);
    changes.extend(adds);
    changes.extend(rules.permissions);
    changes.extend(topic_changes.permissions);
    // The function is configured before events start to reach it.
    changes.extend(function_settings);
    changes.extend(rules.rules);
    // A topic lets S3 publish before a bucket names it (S3 checks).
    changes.extend(topic_changes.topics);
    changes.extend(queue_changes.queues);
    changes.extend(notifications);
    changes.extend(removes);
    changes.extend(topic_changes.unsubscribes);
    changes.extend(queue_changes.removals);
    let mut blocked = blocked;
    blocked.extend(rules.blocked);
    Ok(Plan {
        changes,
        blocked,
        only: scope.only.to_vec(),
    })
}

/// How the entries of one kind a bucket has compare with those the
/// document manages.
struct EntriesDiff<'l> {
    /// Entries to write, in document order (unchanged ones as read, byte
    /// for byte).
    written: Vec<NotificationEntry>,
    added: Vec<NotificationEntry>,
    changed: Vec<EntryChange>,
    removed: Vec<NotificationEntry>,
    /// Ids of managed entries already as the document says.
    same: Vec<&'l str>,
    /// Entries not the document's, written back as read.
    others: Vec<NotificationEntry>,
}

impl EntriesDiff<'_> {
    fn unchanged(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// (entries written — the document's, then the others as read —,
    /// added, changed, removed).
    fn split(
        self,
    ) -> (
        Vec<NotificationEntry>,
        Vec<NotificationEntry>,
        Vec<EntryChange>,
        Vec<NotificationEntry>,
    ) {
        let mut written = self.written;
        written.extend(self.others);
        (written, self.added, self.changed, self.removed)
    }
}

/// Compares the entries the document wants (`want`) with those the bucket
/// has (`have`): a live entry is the document's when it has one of its
/// Ids, or when `ours` says so (removed when the document dropped it);
/// others are kept.
fn entries_diff<'l>(
    want: &[lambda::DesiredEntry<'l>],
    have: &[NotificationEntry],
    ours: &dyn Fn(&NotificationEntry) -> bool,
) -> EntriesDiff<'l> {
    let mut diff = EntriesDiff {
        written: Vec::with_capacity(want.len()),
        added: Vec::new(),
        changed: Vec::new(),
        removed: Vec::new(),
        same: Vec::new(),
        others: Vec::new(),
    };
    for w in want {
        match have.iter().find(|e| e.id == w.id) {
            None => {
                diff.added.push(w.to_entry());
                diff.written.push(w.to_entry());
            }
            Some(h) if w.same_as(h) => {
                diff.same.push(w.id);
                diff.written.push(h.clone());
            }
            Some(h) => {
                diff.changed.push(EntryChange {
                    before: h.clone(),
                    after: w.to_entry(),
                });
                diff.written.push(w.to_entry());
            }
        }
    }
    for h in have.iter().filter(|h| !want.iter().any(|w| w.id == h.id)) {
        if ours(h) {
            diff.removed.push(h.clone());
        } else {
            diff.others.push(h.clone());
        }
    }
    diff
}

/// Adds `line` unless `lines` holds it already (a finding names a bucket
/// through several of its nodes).
fn push_once(lines: &mut Vec<String>, line: &str) {
    if !lines.iter().any(|l| l == line) {
        lines.push(line.to_string());
    }
}

/// What the plan leaves alone, and why: per selected bucket, a read that
/// failed, a bucket missing from the account or in another region, and
/// every error finding (against the account as read) that concerns it; per
/// function with settings to write, the same for the function.
fn blocked(
    ctx: &Context<'_>,
    live_buckets: &FxHashMap<&str, &crate::live::LiveBucket>,
    live_functions: &FxHashMap<&str, &crate::model::document::LiveFunction>,
    scope: Scope<'_>,
    selected: &dyn Fn(&str) -> bool,
) -> Vec<Blocked> {
    use crate::checks::finding::Severity;
    use crate::model::document::NodeId;
    let mut reasons: FxHashMap<&str, Vec<String>> = FxHashMap::default();
    let mut function_reasons: FxHashMap<&str, Vec<String>> = FxHashMap::default();
    // Which buckets (by name) each node stands for.
    let mut node_buckets: FxHashMap<&NodeId, Vec<&str>> = FxHashMap::default();
    let mut role_buckets: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    let mut function_buckets: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    for group in &ctx.buckets {
        for card in &group.cards {
            node_buckets
                .entry(&card.id)
                .or_default()
                .push(&group.bucket.name);
        }
    }
    // A topic's or queue's buckets, by its ARN.
    let mut route_buckets: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    let routes = ctx
        .publications()
        .map(|(c, f, t)| (c, f, &t.id, t.arn.as_str()))
        .chain(ctx.sends().map(|(c, f, q)| (c, f, &q.id, q.arn.as_str())));
    for (config, filter, node, arn) in routes {
        let name = config.bucket.name.as_str();
        node_buckets.entry(&filter.id).or_default().push(name);
        node_buckets.entry(node).or_default().push(name);
        route_buckets.entry(arn).or_default().push(name);
    }
    for (config, filter, function, _) in ctx.deliveries() {
        let name = config.bucket.name.as_str();
        node_buckets.entry(&filter.id).or_default().push(name);
        node_buckets.entry(&function.id).or_default().push(name);
        function_buckets
            .entry(&function.arn)
            .or_default()
            .push(name);
        if let Some(role) = &function.role {
            role_buckets.entry(role).or_default().push(name);
        }
    }
    let function_arns: FxHashMap<&NodeId, &str> = ctx
        .wiring
        .functions()
        .map(|f| (&f.id, f.arn.as_str()))
        .collect();

    for unread in scope.unread {
        match unread {
            Unread::Bucket(name, why) => reasons
                .entry(name)
                .or_default()
                .push(format!("it could not be read: {why}")),
            Unread::Function(arn, why) => {
                let line = format!("function \"{arn}\" could not be read: {why}");
                for bucket in function_buckets.get(arn.as_str()).into_iter().flatten() {
                    reasons.entry(bucket).or_default().push(line.clone());
                }
                function_reasons.entry(arn).or_default().push(line);
            }
            Unread::Role(arn, why) => {
                let line = format!("role \"{arn}\" could not be read: {why}");
                for bucket in role_buckets.get(arn.as_str()).into_iter().flatten() {
                    reasons.entry(bucket).or_default().push(line.clone());
                }
            }
            // Blocks the rule alone (crate::plan::event_rules).
            Unread::Rule(..) => {}
            Unread::Topic(arn, why) | Unread::Queue(arn, why) => {
                let kind = if matches!(unread, Unread::Topic(..)) {
                    "topic"
                } else {
                    "queue"
                };
                let line = format!("{kind} \"{arn}\" could not be read: {why}");
                for bucket in route_buckets.get(arn.as_str()).into_iter().flatten() {
                    reasons.entry(bucket).or_default().push(line.clone());
                }
            }
        }
    }
    let unread_bucket = |name: &str| {
        scope
            .unread
            .iter()
            .any(|u| matches!(u, Unread::Bucket(n, _) if n == name))
    };
    for group in &ctx.buckets {
        let bucket = &group.bucket;
        match live_buckets.get(bucket.name.as_str()) {
            None if !unread_bucket(&bucket.name) => reasons
                .entry(&bucket.name)
                .or_default()
                .push("it was not found in the account; Bucketwire does not create buckets".into()),
            Some(live) if live.region != bucket.region => {
                reasons.entry(&bucket.name).or_default().push(format!(
                    "it is in {} in the account, but the document says {}",
                    live.region, bucket.region
                ));
            }
            Some(live) if !live.notification.unrepresented.is_empty() => {
                reasons.entry(&bucket.name).or_default().push(format!(
                    "its configuration holds what Bucketwire cannot represent, so writing it would change that: {}",
                    live.notification.unrepresented.join("; ")
                ));
            }
            _ => {}
        }
    }
    let unread_function = |arn: &str| {
        scope
            .unread
            .iter()
            .any(|u| matches!(u, Unread::Function(a, _) if a == arn))
    };
    for finding in crate::checks::validate_in(ctx)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
    {
        // A function whose read failed is not missing: its read error says why.
        if finding.rule == "function-not-found"
            && finding.subjects.first().is_some_and(|a| unread_function(a))
        {
            continue;
        }
        let line = format!("{}: {}", finding.rule, finding.message);
        if FUNCTION_RULES.contains(&finding.rule) || finding.rule == "function-not-found" {
            for node in &finding.nodes {
                if let Some(arn) = function_arns.get(node) {
                    push_once(function_reasons.entry(arn).or_default(), &line);
                }
            }
            if finding.rule != "function-not-found" {
                continue;
            }
        }
        for node in &finding.nodes {
            for bucket in node_buckets.get(node).into_iter().flatten() {
                push_once(reasons.entry(bucket).or_default(), &line);
            }
        }
    }

    let mut out: Vec<Blocked> = ctx
        .buckets
        .iter()
        .filter(|g| selected(&g.bucket.name))
        .filter_map(|g| {
            let reasons = reasons.remove(g.bucket.name.as_str())?;
            Some(Blocked {
                kind: BlockedKind::Bucket,
                name: g.bucket.name.clone(),
                region: g.bucket.region.clone(),
                reasons,
            })
        })
        .collect();
    // Functions with settings to write whose function is missing, unread
    // or whose settings are refused.
    let mut seen = FxHashSet::default();
    for function in ctx.wiring.functions() {
        let manages_settings = function.async_invoke.is_some() || function.recursive_loop.is_some();
        if !manages_settings || !seen.insert(function.arn.as_str()) {
            continue;
        }
        if !scope.only.is_empty()
            && !function_buckets
                .get(function.arn.as_str())
                .is_some_and(|b| b.iter().any(|b| selected(b)))
        {
            continue;
        }
        let mut lines = function_reasons
            .remove(function.arn.as_str())
            .unwrap_or_default();
        if lines.is_empty() && !live_functions.contains_key(function.arn.as_str()) {
            lines.push(format!(
                "function \"{}\" was not found in the account",
                function.arn
            ));
        }
        if !lines.is_empty() {
            out.push(Blocked {
                kind: BlockedKind::Function,
                name: function.arn.clone(),
                region: function.region().unwrap_or_default().to_string(),
                reasons: lines,
            });
        }
    }
    out
}

/// Bucket names a statement's `SourceArn` condition names.
fn source_buckets(statement: &PolicyStatement) -> Vec<&str> {
    statement
        .view()
        .and_then(|v| v.source_arns())
        .into_iter()
        .flatten()
        .filter_map(|arn| arn.strip_prefix("arn:aws:s3:::"))
        .collect()
}

impl Plan {
    /// Whether the account already matches.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// `(to add, to change, to remove)`, counting entries, statements and
    /// policies the way the text summary does.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for change in &self.changes {
            match change {
                Change::PutRolePolicy { previous: None, .. } | Change::AddPermission { .. } => {
                    c.0 += 1
                }
                Change::PutRolePolicy {
                    previous: Some(_), ..
                } => c.1 += 1,
                Change::DeleteRolePolicy { .. } | Change::RemovePermission { .. } => c.2 += 1,
                Change::PutEventInvokeConfig { previous: None, .. }
                | Change::PutRecursionConfig { previous: None, .. } => c.0 += 1,
                Change::PutEventInvokeConfig { .. } | Change::PutRecursionConfig { .. } => c.1 += 1,
                Change::PutRule { previous: None, .. } => c.0 += 1,
                Change::PutRule { .. } => c.1 += 1,
                Change::PutTargets {
                    targets, previous, ..
                } => {
                    c.0 += targets.len() - previous.len();
                    c.1 += previous.len();
                }
                Change::RemoveTargets { targets, .. } => c.2 += targets.len(),
                Change::PutTopic { previous: None, .. } | Change::Subscribe { .. } => c.0 += 1,
                Change::PutTopic { .. } => c.1 += 1,
                Change::Unsubscribe { .. } => c.2 += 1,
                Change::PutQueue { previous: None, .. } | Change::PutMapping { uuid: None, .. } => {
                    c.0 += 1
                }
                Change::PutQueue { .. } | Change::PutMapping { .. } => c.1 += 1,
                Change::DeleteMapping { .. } => c.2 += 1,
                Change::PutBucketNotification {
                    configuration,
                    previous,
                    added,
                    changed,
                    removed,
                    ..
                } => {
                    // Turning the EventBridge switch on adds it.
                    c.0 +=
                        added.len() + usize::from(turns_event_bridge_on(configuration, previous));
                    c.1 += changed.len();
                    c.2 += removed.len();
                }
            }
        }
        c
    }

    /// The plan for people: what is added (+), changed (~), removed (−)
    /// and kept (=), grouped per bucket, function and role, then what is
    /// blocked and why.
    pub fn to_text(&self) -> String {
        let mut out = self.changes_text();
        self.blocked_text(&mut out);
        out
    }

    /// [`Plan::to_text`] without the blocked list, for a view that shows
    /// that list itself (the app's Review, so it is not said twice).
    pub fn changes_text(&self) -> String {
        let mut out = String::new();
        if !self.only.is_empty() {
            let _ = writeln!(out, "Planning only bucket(s) {}.\n", self.only.join(", "));
        }
        if self.is_empty() {
            if self.blocked.is_empty() {
                out.push_str("No changes. The account matches the document.\n");
            } else {
                out.push_str("No changes for the buckets that can be planned.\n");
            }
            return out;
        }
        // A heading is written once for the changes that follow it.
        let mut last = String::new();
        for change in &self.changes {
            let (title, lines) = change.describe();
            heading(&mut out, &mut last, title);
            for line in lines {
                let _ = writeln!(out, "  {line}");
            }
        }
        let (add, change, remove) = self.counts();
        let _ = writeln!(
            out,
            "\nPlan: {add} to add, {change} to change, {remove} to remove."
        );
        out
    }

    /// The blocked buckets and functions, each with its reasons, after a
    /// blank line; nothing when none is blocked.
    fn blocked_text(&self, out: &mut String) {
        if self.blocked.is_empty() {
            return;
        }
        let buckets = self
            .blocked
            .iter()
            .filter(|b| b.kind == BlockedKind::Bucket)
            .count();
        let rules = self
            .blocked
            .iter()
            .filter(|b| b.kind == BlockedKind::Rule)
            .count();
        let functions = self.blocked.len() - buckets - rules;
        let mut what = Vec::new();
        if buckets > 0 {
            what.push(format!(
                "{buckets} bucket{}",
                if buckets == 1 { "" } else { "s" }
            ));
        }
        if rules > 0 {
            what.push(format!(
                "{rules} EventBridge rule{}",
                if rules == 1 { "" } else { "s" }
            ));
        }
        if functions > 0 {
            what.push(format!(
                "{functions} function{}",
                if functions == 1 { "" } else { "s" }
            ));
        }
        let _ = writeln!(
            out,
            "\nBlocked: {} left as they are until fixed:",
            what.join(" and ")
        );
        for b in &self.blocked {
            match b.kind {
                BlockedKind::Bucket => {
                    let _ = writeln!(out, "bucket {} ({})", b.name, b.region);
                }
                BlockedKind::Function => {
                    let _ = writeln!(out, "function {}", short(&b.name, ":function:"));
                }
                BlockedKind::Rule => {
                    let _ = writeln!(out, "EventBridge rule {} ({})", b.name, b.region);
                }
            }
            for reason in &b.reasons {
                let _ = writeln!(out, "  ! {reason}");
            }
        }
    }

    /// Whether a bucket or function could not be planned.
    pub fn has_blocked(&self) -> bool {
        !self.blocked.is_empty()
    }
}

/// Writes `heading` unless it is the one the text is already under.
fn heading(out: &mut String, last: &mut String, heading: String) {
    if *last != heading {
        out.push_str(&heading);
        out.push('\n');
        *last = heading;
    }
}

/// The account as it will be after the plan runs: the planner's own model
/// of apply, used to prove that planning the result again is empty.
pub fn apply_to(live: &LiveState, plan: &Plan) -> LiveState {
    let mut next = live.clone();
    for change in &plan.changes {
        match change {
            Change::PutRolePolicy {
                role_arn,
                policy_name,
                document,
                ..
            } => {
                if let Some(role) = next.roles.iter_mut().find(|r| &r.arn == role_arn) {
                    role.policies.retain(|p| &p.name != policy_name);
                    role.policies.push(crate::model::document::NamedPolicy {
                        name: policy_name.clone(),
                        document: PolicyDocument::from(document),
                    });
                }
            }
            Change::DeleteRolePolicy {
                role_arn,
                policy_name,
                ..
            } => {
                if let Some(role) = next.roles.iter_mut().find(|r| &r.arn == role_arn) {
                    role.policies.retain(|p| &p.name != policy_name);
                }
            }
            Change::AddPermission {
                function_arn,
                statement,
                ..
            } => {
                if let Some(f) = next
                    .functions
                    .iter_mut()
                    .find(|f| is_target_of(function_arn, &f.arn))
                {
                    f.policy_statements.push(statement.clone());
                }
            }
            Change::RemovePermission {
                function_arn,
                statement_id,
                ..
            } => {
                if let Some(f) = next
                    .functions
                    .iter_mut()
                    .find(|f| is_target_of(function_arn, &f.arn))
                {
                    f.policy_statements.retain(|st| {
                        !(st.sid() == Some(statement_id.as_str())
                            && st.first_resource() == function_arn)
                    });
                }
            }
            Change::PutEventInvokeConfig {
                function_arn,
                qualifier,
                settings,
                ..
            } => {
                if let Some(f) = next.functions.iter_mut().find(|f| &f.arn == function_arn) {
                    f.event_invoke_configs.retain(|c| &c.qualifier != qualifier);
                    f.event_invoke_configs
                        .push(crate::model::document::LiveEventInvokeConfig {
                            qualifier: qualifier.clone(),
                            settings: settings.clone(),
                        });
                }
            }
            Change::PutRecursionConfig {
                function_arn,
                recursive_loop,
                ..
            } => {
                if let Some(f) = next.functions.iter_mut().find(|f| &f.arn == function_arn) {
                    f.recursive_loop = Some(*recursive_loop);
                }
            }
            Change::PutRule { .. } | Change::PutTargets { .. } | Change::RemoveTargets { .. } => {
                crate::plan::event_rules::apply_rule_change(&mut next, change);
            }
            Change::PutTopic { .. } | Change::Subscribe { .. } | Change::Unsubscribe { .. } => {
                crate::plan::topics::apply_topic_change(&mut next, change);
            }
            Change::PutQueue { .. } | Change::PutMapping { .. } | Change::DeleteMapping { .. } => {
                crate::plan::queues::apply_queue_change(&mut next, change);
            }
            Change::PutBucketNotification {
                bucket,
                configuration,
                ..
            } => {
                if let Some(b) = next.buckets.iter_mut().find(|b| &b.name == bucket) {
                    b.notification = (**configuration).clone();
                }
            }
        }
    }
    next
}

/// What a document's live facts should say after `plan` was applied to
/// `live` (the account as read for the plan): the document's facts with
/// every function, role, topic and queue the plan read replaced by what it
/// holds now, so
/// findings about what the apply fixed are no longer reported.
pub fn facts_after_apply(
    facts: Option<&crate::model::document::LiveFacts>,
    live: &LiveState,
    plan: &Plan,
) -> crate::model::document::LiveFacts {
    let after = apply_to(live, plan);
    crate::model::document::LiveFacts::combined(
        facts,
        &crate::model::document::LiveFacts {
            functions: after.functions,
            roles: after.roles,
            topics: after.topics,
            queues: after.queues,
            // Apply changes no key or bucket encryption: `facts`' are kept.
            bucket_encryption: Vec::new(),
            keys: Vec::new(),
        },
    )
}

/// Whether `target` is the function `arn` itself or one of its qualifiers.
fn is_target_of(target: &str, arn: &str) -> bool {
    target == arn
        || target
            .strip_prefix(arn)
            .is_some_and(|rest| rest.starts_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_brief_role_policy_line_names_a_few_resources_and_counts_the_rest() {
        let resources: Vec<String> = (0..5).map(|i| format!("arn:aws:s3:::b{i}/in/*")).collect();
        let change = Change::PutRolePolicy {
            role_arn: "arn:aws:iam::123456789012:role/workers".into(),
            policy_name: ROLE_POLICY_NAME.into(),
            document: serde_json::json!({"Statement": [{"Action": "s3:GetObject", "Resource": resources}]}),
            previous: None,
        };
        let (title, brief) = change.describe_brief(3);
        assert_eq!(title, "role workers");
        assert_eq!(
            brief,
            [format!("+ inline policy {ROLE_POLICY_NAME}: s3:GetObject on arn:aws:s3:::b0/in/*, arn:aws:s3:::b1/in/*, arn:aws:s3:::b2/in/* and 2 more")]
        );
        // The plan itself names every resource.
        assert!(change.describe().1[0].ends_with("arn:aws:s3:::b3/in/*, arn:aws:s3:::b4/in/*"));
    }
}

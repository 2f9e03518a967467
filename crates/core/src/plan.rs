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

use crate::compact_policy::{PolicyDocument, PolicyStatement};
use crate::desired;
use crate::document::{AsyncInvoke, RecursiveLoop};
use crate::graph::Wiring;
use crate::live::{LiveRule, LiveState, LiveTarget, NotificationConfiguration, NotificationEntry};
use crate::permission::{grants_s3_invoke, SID_PREFIX};
use crate::policy::{evaluate, string_or_list};
use crate::validate::{Context, DestinationKind};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt::Write;

pub use crate::desired::ROLE_POLICY_NAME;

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
/// One change to the account. Each carries what it replaces, so an apply
/// can undo it and a reviewer can see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Change {
    /// Create or replace the managed inline policy of a role.
    #[serde(rename_all = "camelCase")]
    PutRolePolicy {
        /// The role ARN.
        role_arn: String,
        /// Always [`ROLE_POLICY_NAME`].
        policy_name: String,
        /// The new policy document.
        document: Value,
        /// The policy it replaces, if any.
        previous: Option<Value>,
    },
    /// Delete the managed inline policy of a role that no longer needs it.
    #[serde(rename_all = "camelCase")]
    DeleteRolePolicy {
        /// The role ARN.
        role_arn: String,
        /// Always [`ROLE_POLICY_NAME`].
        policy_name: String,
        /// The policy deleted (for undo).
        previous: Value,
    },
    /// Add a statement to a function's (or alias's) resource policy.
    #[serde(rename_all = "camelCase")]
    AddPermission {
        /// The ARN the statement is for (qualified for an alias/version).
        function_arn: String,
        /// The statement id (starts with [`SID_PREFIX`]).
        statement_id: String,
        /// The statement.
        statement: Value,
    },
    /// Remove a statement Bucketwire created earlier.
    #[serde(rename_all = "camelCase")]
    RemovePermission {
        /// The ARN the statement is on.
        function_arn: String,
        /// The statement id.
        statement_id: String,
        /// The statement removed (for undo).
        statement: Value,
    },
    /// Replace a bucket's whole notification configuration.
    #[serde(rename_all = "camelCase")]
    PutBucketNotification {
        /// The bucket name.
        bucket: String,
        /// Its region.
        region: String,
        /// The configuration to write.
        configuration: NotificationConfiguration,
        /// The configuration read before planning (for drift checks and undo).
        previous: NotificationConfiguration,
        /// Lambda entries added.
        added: Vec<NotificationEntry>,
        /// Lambda entries changed.
        changed: Vec<EntryChange>,
        /// Lambda entries removed.
        removed: Vec<NotificationEntry>,
        /// Entries written back untouched (`queue "x"`, `EventBridge`, ...).
        kept: Vec<String>,
        /// Who manages the bucket outside Bucketwire, as its tags say: its
        /// next deploy reverts this write (docs/rules.md §12).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
    },
    /// Set the asynchronous invocation settings of a function or of one of
    /// its aliases or versions (PutFunctionEventInvokeConfig).
    #[serde(rename_all = "camelCase")]
    PutEventInvokeConfig {
        /// The unqualified function ARN.
        function_arn: String,
        /// The alias or version, if the settings are for one.
        qualifier: Option<String>,
        /// The settings to write (fields left out are Lambda's defaults).
        settings: AsyncInvoke,
        /// The settings read before planning; `None` when there were none
        /// (undo then deletes them).
        previous: Option<AsyncInvoke>,
    },
    /// Create or update an EventBridge rule on its region's default bus
    /// (PutRule, docs/rules.md §14).
    #[serde(rename_all = "camelCase")]
    PutRule {
        /// The rule's name.
        name: String,
        /// Its region.
        region: String,
        /// The ARN it has, or will have.
        arn: String,
        /// The event pattern to write.
        pattern: Value,
        /// `ENABLED` or `DISABLED`.
        state: String,
        /// The rule as read; `None` when it does not exist (undo deletes it).
        previous: Option<LiveRule>,
    },
    /// Set targets of a rule by id (PutTargets).
    #[serde(rename_all = "camelCase")]
    PutTargets {
        /// The rule's name.
        rule: String,
        /// Its region.
        region: String,
        /// The targets to set.
        targets: Vec<LiveTarget>,
        /// The targets with those ids as read (undo puts them back; the
        /// others are removed).
        previous: Vec<LiveTarget>,
    },
    /// Remove targets Bucketwire set that the document no longer has
    /// (RemoveTargets).
    #[serde(rename_all = "camelCase")]
    RemoveTargets {
        /// The rule's name.
        rule: String,
        /// Its region.
        region: String,
        /// The targets removed (undo puts them back).
        targets: Vec<LiveTarget>,
    },
    /// Create an SNS topic, or set its access policy and key
    /// (CreateTopic, SetTopicAttributes; docs/rules.md §15).
    #[serde(rename_all = "camelCase")]
    PutTopic {
        /// The topic ARN.
        arn: String,
        /// Its region.
        region: String,
        /// The access policy to set; `None` leaves it as it is.
        policy: Option<Value>,
        /// The `KmsMasterKeyId` to set; `None` leaves it as it is.
        kms_master_key_id: Option<String>,
        /// The topic as read; `None` when it does not exist (apply creates
        /// it, and undo deletes it).
        previous: Option<crate::document::LiveTopic>,
    },
    /// Subscribe a function to a topic (Subscribe, protocol `lambda`).
    #[serde(rename_all = "camelCase")]
    Subscribe {
        /// The topic ARN.
        topic_arn: String,
        /// The function ARN (qualified for an alias or version).
        endpoint: String,
    },
    /// Remove a Lambda subscription the document no longer has
    /// (Unsubscribe).
    #[serde(rename_all = "camelCase")]
    Unsubscribe {
        /// The topic ARN.
        topic_arn: String,
        /// The subscription ARN.
        subscription_arn: String,
        /// The function ARN it delivered to (undo subscribes it again).
        endpoint: String,
    },
    /// Create an SQS queue, or set its attributes (CreateQueue,
    /// SetQueueAttributes; docs/rules.md §16).
    #[serde(rename_all = "camelCase")]
    PutQueue {
        /// The queue ARN.
        arn: String,
        /// Its region.
        region: String,
        /// The attributes to set (`Policy`, `VisibilityTimeout`,
        /// `RedrivePolicy`, `KmsMasterKeyId`), by name.
        attributes: std::collections::BTreeMap<String, String>,
        /// The queue as read; `None` when it does not exist (apply creates
        /// it, and undo deletes it).
        previous: Option<crate::document::LiveQueue>,
    },
    /// Create or update the event source mapping Lambda polls a queue with
    /// for a function (CreateEventSourceMapping, UpdateEventSourceMapping).
    #[serde(rename_all = "camelCase")]
    PutMapping {
        /// The queue ARN.
        queue_arn: String,
        /// The function ARN (qualified for an alias or version).
        function_arn: String,
        /// The mapping's UUID; `None` when it does not exist (apply
        /// creates it, and undo deletes it).
        uuid: Option<String>,
        /// The settings to write, Lambda's defaults spelt out.
        settings: crate::document::QueueMapping,
        /// The settings as read.
        previous: Option<crate::document::QueueMapping>,
    },
    /// Delete a mapping of a queue to a function the document no longer
    /// draws (DeleteEventSourceMapping).
    #[serde(rename_all = "camelCase")]
    DeleteMapping {
        /// The queue ARN.
        queue_arn: String,
        /// The function it invoked.
        function_arn: String,
        /// Its UUID.
        uuid: String,
        /// Its settings (undo makes it again).
        settings: crate::document::QueueMapping,
    },
    /// Set a function's recursion guard (PutFunctionRecursionConfig).
    #[serde(rename_all = "camelCase")]
    PutRecursionConfig {
        /// The unqualified function ARN.
        function_arn: String,
        /// What Lambda should do on a detected loop.
        recursive_loop: RecursiveLoop,
        /// The guard read before planning; `None` when it could not be read.
        previous: Option<RecursiveLoop>,
    },
}

/// A Lambda entry before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryChange {
    /// As live.
    pub before: NotificationEntry,
    /// As planned.
    pub after: NotificationEntry,
}

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
        desired::role_read_resources_where(&ctx, &planned, scope.only.is_empty())
    {
        let live_role = live_roles.get(role_arn).copied();
        roles.extend(role_policy_change(role_arn, resources, live_role, &|b| {
            !planned(b)
        }));
    }

    // Invoke permissions. `wanted` holds the (target, statement id) pairs
    // the document relies on, borrowed from `needs` and from `live`.
    let needs: Vec<_> = desired::permissions(&ctx)
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
                    statement: st.to_value(),
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
    for (function, settings) in desired::async_settings(desired) {
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
    for (function, guard) in desired::recursion_guards(desired) {
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
    let topics = crate::desired_topics::topics(&ctx);
    let queues = crate::desired_queues::queues(&ctx);
    let topic_arns: rustc_hash::FxHashSet<&str> = topics.iter().map(|t| t.arn()).collect();
    let queue_arns: rustc_hash::FxHashSet<&str> = queues.iter().map(|q| q.arn()).collect();
    for (bucket, managed) in desired::managed_entries(&ctx) {
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
            configuration: NotificationConfiguration {
                lambda: lambda.0,
                queues: queue.0,
                topics: topic.0,
                event_bridge: previous.event_bridge || bucket.event_bridge,
                unrepresented: Vec::new(),
            },
            previous: previous.clone(),
            added: [lambda.1, topic.1, queue.1].concat(),
            changed: [lambda.2, topic.2, queue.2].concat(),
            removed: [lambda.3, topic.3, queue.3].concat(),
            kept,
            owner: live_bucket.owner.clone().or_else(|| bucket.owner.clone()),
        });
    }

    // SNS topics: each subscriber's permission, the topic, its
    // subscriptions (§15).
    let topic_changes = crate::plan_topics::topic_changes(&topics, live, &live_functions, &planned);
    // SQS queues: the consume policies, the queue, its mapping (§16).
    let document_roles: BTreeSet<&str> = desired
        .functions()
        .filter_map(|f| f.role.as_deref())
        .collect();
    let queue_changes = crate::plan_queues::queue_changes(
        &queues,
        live,
        &planned,
        scope.only.is_empty().then_some(&document_roles),
    );

    // EventBridge rules: each target's permission, the rule, its targets.
    let rules =
        crate::plan_rules::rule_changes(desired, live, &live_functions, &planned, scope.unread);

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
    want: &[desired::DesiredEntry<'l>],
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

/// Whether a function already lets S3 invoke it for a need.
pub(crate) enum Grant<'l> {
    /// This live statement grants.
    Granted(&'l PolicyStatement),
    /// Nothing grants: the planner adds `add`, removing first a `stale`
    /// statement under the same Sid (the add would fail with 409).
    Missing {
        /// The stale statement's removal.
        stale: Option<Box<Change>>,
        /// The statement to add.
        add: Box<Change>,
    },
}

/// What the planner does for one invoke permission the document needs:
/// the one place that decides it, for the plan and for the fix a
/// `missing-invoke-permission` finding offers.
pub(crate) fn permission_changes<'l>(
    need: &desired::Permission<'_>,
    statement_id: &str,
    live_fn: &'l crate::document::LiveFunction,
) -> Grant<'l> {
    let statements = &live_fn.policy_statements;
    if let Some(st) = statements
        .iter()
        .find(|st| grants_s3_invoke(st, &need.target, need.bucket, need.account).is_some())
    {
        return Grant::Granted(st);
    }
    let stale = statements
        .iter()
        .find(|st| st.sid() == Some(statement_id) && st.first_resource() == need.target)
        .map(|stale| {
            Box::new(Change::RemovePermission {
                function_arn: need.target.to_string(),
                statement_id: statement_id.to_string(),
                statement: stale.to_value(),
            })
        });
    Grant::Missing {
        stale,
        add: Box::new(Change::AddPermission {
            statement: need.statement(statement_id),
            function_arn: need.target.to_string(),
            statement_id: statement_id.to_string(),
        }),
    }
}

/// What the planner does to a role's managed read policy: it grants
/// `resources` (the object ARNs the role's functions' triggers announce),
/// less what the role's other policies already grant, plus what the
/// managed policy grants today for buckets `left_alone` says are not
/// planned (kept as they are). `None` when the policy is already right.
/// The one place that decides it, for the plan and for the fix a
/// `role-cannot-read-objects` finding offers.
pub(crate) fn role_policy_change(
    role_arn: &str,
    mut resources: BTreeSet<String>,
    live_role: Option<&crate::document::LiveRole>,
    left_alone: &dyn Fn(&str) -> bool,
) -> Option<Change> {
    let previous: Option<Value> = live_role.and_then(|r| {
        r.policies
            .iter()
            .find(|p| p.name == ROLE_POLICY_NAME)
            .map(|p| p.document.to_value())
    });
    let previous = previous.as_ref();
    let preserved: BTreeSet<String> = previous.map_or_else(BTreeSet::new, |previous| {
        string_or_list(previous["Statement"][0].get("Resource"))
            .into_iter()
            .filter(|r| object_bucket(r).is_some_and(left_alone))
            .collect()
    });
    resources.extend(preserved.iter().cloned());
    let others: Vec<&PolicyDocument> = live_role.map_or_else(Vec::new, |r| {
        r.policies
            .iter()
            .filter(|p| p.name != ROLE_POLICY_NAME)
            .map(|p| &p.document)
            .collect()
    });
    // Without other policies (the usual case) everything is needed; what
    // is kept for buckets left alone is needed as it is.
    let needed: Cow<'_, BTreeSet<String>> = if others.is_empty() {
        Cow::Borrowed(&resources)
    } else {
        Cow::Owned(
            resources
                .iter()
                .filter(|r| {
                    preserved.contains(*r)
                        || !evaluate(others.iter().copied(), "s3:GetObject", r).allowed()
                })
                .cloned()
                .collect(),
        )
    };
    match previous {
        // Already right, whether it grants everything or only the rest.
        Some(previous)
            if !resources.is_empty()
                && (desired::is_role_policy_document(previous, &needed)
                    || desired::is_role_policy_document(previous, &resources)) =>
        {
            None
        }
        Some(previous) if needed.is_empty() => Some(Change::DeleteRolePolicy {
            role_arn: role_arn.to_string(),
            policy_name: ROLE_POLICY_NAME.into(),
            previous: previous.clone(),
        }),
        _ if needed.is_empty() => None,
        previous => Some(Change::PutRolePolicy {
            role_arn: role_arn.to_string(),
            policy_name: ROLE_POLICY_NAME.into(),
            document: desired::role_policy_document(&needed),
            previous: previous.cloned(),
        }),
    }
}

/// Adds `line` unless `lines` holds it already (a finding names a bucket
/// through several of its nodes).
fn push_once(lines: &mut Vec<String>, line: &str) {
    if !lines.iter().any(|l| l == line) {
        lines.push(line.to_string());
    }
}

/// The bucket of an object ARN (`arn:aws:s3:::BUCKET/...`).
fn object_bucket(resource: &str) -> Option<&str> {
    resource
        .strip_prefix("arn:aws:s3:::")
        .and_then(|rest| rest.split_once('/'))
        .map(|(bucket, _)| bucket)
}

/// What the plan leaves alone, and why: per selected bucket, a read that
/// failed, a bucket missing from the account or in another region, and
/// every error finding (against the account as read) that concerns it; per
/// function with settings to write, the same for the function.
fn blocked(
    ctx: &Context<'_>,
    live_buckets: &FxHashMap<&str, &crate::live::LiveBucket>,
    live_functions: &FxHashMap<&str, &crate::document::LiveFunction>,
    scope: Scope<'_>,
    selected: &dyn Fn(&str) -> bool,
) -> Vec<Blocked> {
    use crate::document::NodeId;
    use crate::finding::Severity;
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
            // Blocks the rule alone (crate::plan_rules).
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
    for finding in crate::validate::validate_in(ctx)
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
    /// and kept (=), grouped per bucket, function and role.
    pub fn to_text(&self) -> String {
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
            self.blocked_text(&mut out);
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
        self.blocked_text(&mut out);
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

impl Change {
    /// The change as the plan's text shows it: the heading it goes under
    /// (`function thumbs`, `bucket acme-photos (us-east-1)`) and its lines,
    /// each starting with its sign (`+`, `~`, `-`, `=`; `was …` follows a
    /// change).
    pub fn describe(&self) -> (String, Vec<String>) {
        self.describe_listing(usize::MAX)
    }

    /// As [`Change::describe`], with at most `most` of a role policy's
    /// resources named (`… and N more`): what a finding's fix quotes, once
    /// per finding (a role shared by a real account's functions reads
    /// hundreds of buckets).
    pub fn describe_brief(&self, most: usize) -> (String, Vec<String>) {
        self.describe_listing(most)
    }

    fn describe_listing(&self, most: usize) -> (String, Vec<String>) {
        let function = |arn: &str| format!("function {}", short(arn, ":function:"));
        match self {
            Change::PutRolePolicy {
                role_arn,
                policy_name,
                document,
                previous,
            } => {
                let sign = if previous.is_some() { "~" } else { "+" };
                // The read policy's one action, or the consume policy's three.
                let actions = string_or_list(document["Statement"][0].get("Action")).join(", ");
                let resources = string_or_list(document["Statement"][0].get("Resource"));
                let named = if resources.len() > most {
                    format!(
                        "{} and {} more",
                        resources[..most].join(", "),
                        resources.len() - most
                    )
                } else {
                    resources.join(", ")
                };
                (
                    format!("role {}", short(role_arn, ":role/")),
                    vec![format!(
                        "{sign} inline policy {policy_name}: {actions} on {named}"
                    )],
                )
            }
            Change::DeleteRolePolicy {
                role_arn,
                policy_name,
                ..
            } => (
                format!("role {}", short(role_arn, ":role/")),
                vec![format!("- inline policy {policy_name}")],
            ),
            // S3, EventBridge for a rule, or SNS for a topic.
            Change::AddPermission {
                function_arn,
                statement_id,
                statement,
            } => (
                function(function_arn),
                vec![format!(
                    "+ permission {statement_id}: {} may invoke for {}{}",
                    statement["Principal"]["Service"]
                        .as_str()
                        .unwrap_or("s3.amazonaws.com"),
                    statement["Condition"]["ArnLike"]["AWS:SourceArn"]
                        .as_str()
                        .unwrap_or("?"),
                    statement["Condition"]["StringEquals"]["AWS:SourceAccount"]
                        .as_str()
                        .map(|a| format!(" (account {a})"))
                        .unwrap_or_default()
                )],
            ),
            Change::RemovePermission {
                function_arn,
                statement_id,
                ..
            } => (
                function(function_arn),
                vec![format!("- permission {statement_id}")],
            ),
            Change::PutEventInvokeConfig {
                function_arn,
                qualifier,
                settings,
                previous,
            } => {
                let title = match qualifier {
                    Some(q) => format!("{}:{q}", function(function_arn)),
                    None => function(function_arn),
                };
                let sign = if previous.is_some() { "~" } else { "+" };
                let mut lines = vec![format!("{sign} async invoke: {}", describe_async(settings))];
                if let Some(previous) = previous {
                    lines.push(format!("    was {}", describe_async(previous)));
                }
                (title, lines)
            }
            Change::PutRecursionConfig {
                function_arn,
                recursive_loop,
                previous,
            } => (
                function(function_arn),
                vec![match previous {
                    Some(was) => format!(
                        "~ recursion guard: {} (was {})",
                        recursive_loop.as_str(),
                        was.as_str()
                    ),
                    None => format!(
                        "+ recursion guard: {} (not read before)",
                        recursive_loop.as_str()
                    ),
                }],
            ),
            Change::PutRule {
                name,
                region,
                pattern,
                state,
                previous,
                ..
            } => {
                let sign = if previous.is_some() { "~" } else { "+" };
                let mut lines = vec![format!(
                    "{sign} rule on the default bus, {state}: {pattern}"
                )];
                if let Some(was) = previous {
                    lines.push(format!(
                        "    was {}: {}",
                        was.state,
                        was.pattern
                            .as_ref()
                            .map(Value::to_string)
                            .unwrap_or_default()
                    ));
                }
                (format!("EventBridge rule {name} ({region})"), lines)
            }
            Change::PutTargets {
                rule,
                region,
                targets,
                previous,
            } => (
                format!("EventBridge rule {rule} ({region})"),
                targets
                    .iter()
                    .map(|t| {
                        let sign = if previous.iter().any(|p| p.id == t.id) {
                            "~"
                        } else {
                            "+"
                        };
                        format!("{sign} target {} → {}", t.id, short(&t.arn, ":function:"))
                    })
                    .collect(),
            ),
            Change::RemoveTargets {
                rule,
                region,
                targets,
            } => (
                format!("EventBridge rule {rule} ({region})"),
                targets
                    .iter()
                    .map(|t| format!("- target {} → {}", t.id, short(&t.arn, ":function:")))
                    .collect(),
            ),
            Change::PutTopic {
                arn,
                policy,
                kms_master_key_id,
                previous,
                ..
            } => {
                let mut lines = Vec::new();
                let Some(was) = previous else {
                    lines.push("+ topic (created)".to_string());
                    if let Some(policy) = policy {
                        lines.push(format!("+ policy: {}", describe_topic_policy(policy)));
                    }
                    if let Some(key) = kms_master_key_id {
                        lines.push(format!("+ encrypted with {key}"));
                    }
                    return (topic_heading(arn), lines);
                };
                if let Some(policy) = policy {
                    lines.push(format!("~ policy: {}", describe_topic_policy(policy)));
                }
                if let Some(key) = kms_master_key_id {
                    lines.push(format!("~ encrypted with {key}"));
                    lines.push(format!(
                        "    was {}",
                        was.kms_master_key_id.as_deref().unwrap_or("not encrypted")
                    ));
                }
                (topic_heading(arn), lines)
            }
            Change::PutQueue {
                arn,
                attributes,
                previous,
                ..
            } => {
                let mut lines = Vec::new();
                if previous.is_none() {
                    lines.push("+ queue (created)".to_string());
                }
                let sign = if previous.is_none() { "+" } else { "~" };
                for (name, value) in attributes {
                    let said = match name.as_str() {
                        "Policy" => serde_json::from_str::<Value>(value)
                            .map(|p| {
                                describe_delivery_policy(
                                    &p,
                                    crate::desired_queues::SEND_SID,
                                    "send",
                                )
                            })
                            .unwrap_or_default(),
                        _ => value.clone(),
                    };
                    lines.push(format!("{sign} {}: {said}", attribute_label(name)));
                }
                (queue_heading(arn), lines)
            }
            Change::PutMapping {
                queue_arn,
                function_arn,
                uuid,
                settings,
                previous,
            } => {
                let mut lines = vec![format!(
                    "{} polled by {}: {}",
                    if uuid.is_none() { "+" } else { "~" },
                    function(function_arn),
                    crate::plan_queues::describe_mapping(settings)
                )];
                if let Some(was) = previous {
                    lines.push(format!(
                        "    was {}",
                        crate::plan_queues::describe_mapping(was)
                    ));
                }
                (queue_heading(queue_arn), lines)
            }
            Change::DeleteMapping {
                queue_arn,
                function_arn,
                ..
            } => (
                queue_heading(queue_arn),
                vec![format!("- polled by {}", function(function_arn))],
            ),
            Change::Subscribe {
                topic_arn,
                endpoint,
            } => (
                topic_heading(topic_arn),
                vec![format!("+ subscription → {}", function(endpoint))],
            ),
            Change::Unsubscribe {
                topic_arn,
                endpoint,
                ..
            } => (
                topic_heading(topic_arn),
                vec![format!("- subscription → {}", function(endpoint))],
            ),
            Change::PutBucketNotification {
                bucket,
                region,
                configuration,
                previous,
                added,
                changed,
                removed,
                kept,
                owner,
            } => {
                let mut lines = Vec::new();
                if let Some(owner) = owner {
                    lines.push(format!("! {}", crate::ownership::revert_warning(owner)));
                }
                if turns_event_bridge_on(configuration, previous) {
                    lines.push(
                        "+ EventBridge: on (every event of the bucket goes to its region's default bus)".into(),
                    );
                }
                for e in added {
                    lines.push(format!("+ {} {}", entry_kind(e), describe_entry(e)));
                }
                for c in changed {
                    lines.push(format!(
                        "~ {} {}",
                        entry_kind(&c.after),
                        describe_entry(&c.after)
                    ));
                    lines.push(format!("    was {}", describe_entry(&c.before)));
                }
                for e in removed {
                    lines.push(format!("- {} {}", entry_kind(e), describe_entry(e)));
                }
                if !kept.is_empty() {
                    lines.push(format!(
                        "= kept as is: {} ({})",
                        kept.len(),
                        kept.join(", ")
                    ));
                }
                (format!("bucket {bucket} ({region})"), lines)
            }
        }
    }
}

/// Whether writing `configuration` over `previous` turns the bucket's
/// EventBridge switch on (a plan never turns it off, §14).
fn turns_event_bridge_on(
    configuration: &NotificationConfiguration,
    previous: &NotificationConfiguration,
) -> bool {
    configuration.event_bridge && !previous.event_bridge
}

/// Writes `heading` unless it is the one the text is already under.
fn heading(out: &mut String, last: &mut String, heading: String) {
    if *last != heading {
        out.push_str(&heading);
        out.push('\n');
        *last = heading;
    }
}

/// `retries 0, max event age 3600 s, on failure arn:…` (defaults named).
pub fn describe_async(settings: &AsyncInvoke) -> String {
    format!(
        "retries {}, max event age {}, on failure {}",
        settings
            .maximum_retry_attempts
            .map_or("2 (default)".to_string(), |n| n.to_string()),
        settings
            .maximum_event_age_seconds
            .map_or("21600 s (default)".to_string(), |s| format!("{s} s")),
        settings.on_failure.as_deref().unwrap_or("none")
    )
}

fn short<'a>(arn: &'a str, marker: &str) -> &'a str {
    arn.split_once(marker).map_or(arn, |(_, rest)| rest)
}

/// `SNS topic NAME (REGION)`, the heading of a topic's changes.
fn topic_heading(arn: &str) -> String {
    format!("SNS topic {}", crate::document::arn_label(arn, "sns"))
}

/// `SQS queue NAME (REGION)`, the heading of a queue's changes.
fn queue_heading(arn: &str) -> String {
    format!("SQS queue {}", crate::document::arn_label(arn, "sqs"))
}

/// A queue attribute as the plan names it.
fn attribute_label(name: &str) -> &str {
    match name {
        "Policy" => "policy",
        "VisibilityTimeout" => "visibility timeout (s)",
        "RedrivePolicy" => "dead-letter queue",
        "KmsMasterKeyId" => "encrypted with",
        other => other,
    }
}

/// What Bucketwire's statement in a topic policy lets S3 do, in words.
fn describe_topic_policy(policy: &Value) -> String {
    describe_delivery_policy(policy, crate::desired_topics::PUBLISH_SID, "publish")
}

/// What Bucketwire's statement (`sid`) in a topic's or queue's policy lets
/// S3 do (`verb`), in words.
fn describe_delivery_policy(policy: &Value, sid: &str, verb: &str) -> String {
    let ours = policy["Statement"].as_array().and_then(|list| {
        list.iter()
            .find(|st| st.get("Sid").and_then(Value::as_str) == Some(sid))
    });
    let buckets: Vec<String> = ours
        .map(|st| string_or_list(st["Condition"]["ArnLike"].get("aws:SourceArn")))
        .unwrap_or_default()
        .into_iter()
        .map(|arn| arn.trim_start_matches("arn:aws:s3:::").to_string())
        .collect();
    format!(
        "S3 may {verb} for bucket {} (statement {sid})",
        buckets.join(", ")
    )
}

/// `topic` or `queue` for an entry whose destination is an SNS topic or
/// an SQS queue, else `lambda` (the entries a plan adds, changes or
/// removes).
fn entry_kind(e: &NotificationEntry) -> &'static str {
    if e.arn.starts_with("arn:aws:sns:") {
        "topic"
    } else if e.arn.starts_with("arn:aws:sqs:") {
        "queue"
    } else {
        "lambda"
    }
}

fn describe_entry(e: &NotificationEntry) -> String {
    format!(
        "\"{}\" → {}  {}  {}…{}",
        e.id,
        short(&e.arn, ":function:"),
        e.events.join(" "),
        e.prefix.as_deref().unwrap_or(""),
        e.suffix.as_deref().unwrap_or("")
    )
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
                    role.policies.push(crate::document::NamedPolicy {
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
                    f.policy_statements.push(PolicyStatement::from(statement));
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
                        .push(crate::document::LiveEventInvokeConfig {
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
                crate::plan_rules::apply_rule_change(&mut next, change);
            }
            Change::PutTopic { .. } | Change::Subscribe { .. } | Change::Unsubscribe { .. } => {
                crate::plan_topics::apply_topic_change(&mut next, change);
            }
            Change::PutQueue { .. } | Change::PutMapping { .. } | Change::DeleteMapping { .. } => {
                crate::plan_queues::apply_queue_change(&mut next, change);
            }
            Change::PutBucketNotification {
                bucket,
                configuration,
                ..
            } => {
                if let Some(b) = next.buckets.iter_mut().find(|b| &b.name == bucket) {
                    b.notification = configuration.clone();
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
    facts: Option<&crate::document::LiveFacts>,
    live: &LiveState,
    plan: &Plan,
) -> crate::document::LiveFacts {
    let after = apply_to(live, plan);
    crate::merge::combined(
        facts,
        &crate::document::LiveFacts {
            functions: after.functions,
            roles: after.roles,
            topics: after.topics,
            queues: after.queues,
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

//! The plan: desired document + live state → the exact, ordered changes.
//! Pure: it writes nothing (CONVENTIONS.md 7); the account adapter executes
//! it. Order is the safe one (AWS-RULES.md §2): role policies, then invoke
//! permissions, then bucket notifications, then permission removals.
//!
//! Semantics (PRODUCT.md "Apply semantics"): for every bucket of the
//! document, the document is the truth for its Lambda configurations; SQS,
//! SNS and EventBridge entries are kept exactly as live. Buckets absent from
//! the document are never touched. Permission statements are added only
//! when no live statement already lets S3 invoke the target for the bucket,
//! and only statements Bucketwire created ([`SID_PREFIX`]) are removed.

use crate::desired;
use crate::document::{AsyncInvoke, RecursiveLoop};
use crate::graph::Wiring;
use crate::live::{LiveState, NotificationConfiguration, NotificationEntry};
use crate::permission::{grants_s3_invoke, SID_PREFIX};
use crate::policy::{evaluate, string_or_list, strs};
use crate::validate::Context;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt::Write;

pub use crate::desired::ROLE_POLICY_NAME;

/// An ordered list of changes. Empty when the account already matches.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// Changes in the order they must be made.
    pub changes: Vec<Change>,
}

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

/// Why a plan cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// A bucket of the document does not exist (or was not read).
    #[error("bucket \"{0}\" was not found in the account; Bucketwire does not create buckets")]
    BucketNotFound(String),
    /// The document says one region, the account another.
    #[error("bucket \"{name}\" is in {live}, but the document says {document}")]
    BucketRegion {
        /// The bucket.
        name: String,
        /// The document's region.
        document: String,
        /// The live region.
        live: String,
    },
    /// A function the document invokes does not exist.
    #[error("function \"{0}\" was not found in the account; create it first (S3 cannot validate a missing destination)")]
    FunctionNotFound(String),
}

/// Plans the changes that make the account match the document.
///
/// # Errors
/// [`PlanError`] when a bucket or function of the document does not exist
/// or a bucket's region differs.
pub fn plan(desired: &Wiring, live: &LiveState) -> Result<Plan, PlanError> {
    let ctx = Context::new(desired);
    // Indexes, so planning stays linear in the size of the account.
    let live_functions: FxHashMap<&str, _> =
        live.functions.iter().map(|f| (f.arn.as_str(), f)).collect();
    let live_buckets: FxHashMap<&str, _> =
        live.buckets.iter().map(|b| (b.name.as_str(), b)).collect();
    let live_roles: FxHashMap<&str, _> = live.roles.iter().map(|r| (r.arn.as_str(), r)).collect();
    let mut roles = Vec::new();
    let mut replace_first = Vec::new();
    let mut adds = Vec::new();
    let mut notifications = Vec::new();
    let mut removes = Vec::new();

    // Role policies: per role, read access for every trigger of its
    // functions that the role's other policies do not already grant (an
    // imported role that reads through its own policy needs nothing more).
    for (role_arn, resources) in desired::role_read_resources(&ctx) {
        let live_role = live_roles.get(role_arn);
        let previous = live_role.and_then(|r| {
            r.policies
                .iter()
                .find(|p| p.name == ROLE_POLICY_NAME)
                .map(|p| &p.document)
        });
        let others: Vec<&Value> = live_role.map_or_else(Vec::new, |r| {
            r.policies
                .iter()
                .filter(|p| p.name != ROLE_POLICY_NAME)
                .map(|p| &p.document)
                .collect()
        });
        // Without other policies (the usual case) everything is needed.
        let needed: Cow<'_, BTreeSet<String>> = if others.is_empty() {
            Cow::Borrowed(&resources)
        } else {
            Cow::Owned(
                resources
                    .iter()
                    .filter(|r| !evaluate(others.iter().copied(), "s3:GetObject", r).allowed())
                    .cloned()
                    .collect(),
            )
        };
        match previous {
            // Already right, whether it grants everything or only the rest.
            Some(previous)
                if !resources.is_empty()
                    && (desired::is_role_policy_document(previous, &needed)
                        || desired::is_role_policy_document(previous, &resources)) => {}
            Some(previous) if needed.is_empty() => roles.push(Change::DeleteRolePolicy {
                role_arn: role_arn.to_string(),
                policy_name: ROLE_POLICY_NAME.into(),
                previous: previous.clone(),
            }),
            _ if needed.is_empty() => {}
            previous => roles.push(Change::PutRolePolicy {
                role_arn: role_arn.to_string(),
                policy_name: ROLE_POLICY_NAME.into(),
                document: desired::role_policy_document(&needed),
                previous: previous.cloned(),
            }),
        }
    }

    // Invoke permissions. `wanted` holds the (target, statement id) pairs
    // the document relies on, borrowed from `needs` and from `live`.
    let needs = desired::permissions(&ctx);
    // Our own statement id for each need stays wanted even when another
    // statement grants (two configurations of a bucket on one function).
    let mut own_sids: Vec<(&str, String)> = Vec::with_capacity(needs.len());
    let mut wanted: FxHashSet<(&str, &str)> = FxHashSet::default();
    for need in &needs {
        let live_fn = live_functions
            .get(need.function_arn)
            .ok_or_else(|| PlanError::FunctionNotFound(need.function_arn.to_string()))?;
        let statement_id = need.statement_id();
        let grant = live_fn
            .policy_statements
            .iter()
            .find(|st| grants_s3_invoke(st, &need.target, need.bucket, need.account).is_some());
        if let Some(st) = grant {
            // A statement that grants stays, whatever its Sid says.
            if let Some(sid) = sid_of(st) {
                wanted.insert((resource_str(st), sid));
            }
        } else {
            // A stale statement under our Sid would make the add fail (409).
            if let Some(stale) = live_fn.policy_statements.iter().find(|st| {
                sid_of(st) == Some(statement_id.as_str()) && resource_str(st) == need.target
            }) {
                replace_first.push(Change::RemovePermission {
                    function_arn: need.target.to_string(),
                    statement_id: statement_id.clone(),
                    statement: stale.clone(),
                });
            }
            adds.push(Change::AddPermission {
                statement: need.statement(&statement_id),
                function_arn: need.target.to_string(),
                statement_id: statement_id.clone(),
            });
        }
        own_sids.push((&need.target, statement_id));
    }
    wanted.extend(own_sids.iter().map(|(target, sid)| (*target, sid.as_str())));
    let doc_buckets: FxHashSet<&str> = desired.buckets().map(|b| b.name.as_str()).collect();
    for live_fn in &live.functions {
        for st in &live_fn.policy_statements {
            let Some(sid) = sid_of(st).filter(|s| s.starts_with(SID_PREFIX)) else {
                continue;
            };
            let target = resource_str(st);
            if wanted.contains(&(target, sid)) {
                continue;
            }
            // Only for buckets this document manages.
            let for_doc_bucket = source_buckets(st)
                .iter()
                .any(|b| doc_buckets.contains(b.as_str()));
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
    let live_function = |arn: &str| {
        live_functions
            .get(arn)
            .copied()
            .ok_or_else(|| PlanError::FunctionNotFound(arn.to_string()))
    };
    for (function, settings) in desired::async_settings(desired) {
        let qualifier = function.qualifier.as_deref();
        let previous = live_function(&function.arn)?
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
        let previous = live_function(&function.arn)?.recursive_loop;
        if previous != Some(guard) {
            function_settings.push(Change::PutRecursionConfig {
                function_arn: function.arn.clone(),
                recursive_loop: guard,
                previous,
            });
        }
    }

    // Bucket notifications.
    for (bucket, desired_lambda) in desired::lambda_entries(&ctx) {
        let live_bucket = live_buckets
            .get(bucket.name.as_str())
            .ok_or_else(|| PlanError::BucketNotFound(bucket.name.clone()))?;
        if live_bucket.region != bucket.region {
            return Err(PlanError::BucketRegion {
                name: bucket.name.clone(),
                document: bucket.region.clone(),
                live: live_bucket.region.clone(),
            });
        }
        let previous = &live_bucket.notification;
        let mut added = Vec::new();
        let mut changed = Vec::new();
        let mut unchanged: Vec<&str> = Vec::new();
        for want in &desired_lambda {
            match previous.lambda.iter().find(|e| e.id == want.id) {
                None => added.push(want.to_entry()),
                Some(have) if want.same_as(have) => unchanged.push(want.id),
                Some(have) => changed.push(EntryChange {
                    before: have.clone(),
                    after: want.to_entry(),
                }),
            }
        }
        let removed: Vec<NotificationEntry> = previous
            .lambda
            .iter()
            .filter(|e| !desired_lambda.iter().any(|w| w.id == e.id))
            .cloned()
            .collect();
        if added.is_empty() && changed.is_empty() && removed.is_empty() {
            continue;
        }
        let mut kept: Vec<String> = unchanged
            .iter()
            .map(|id| format!("lambda \"{id}\""))
            .collect();
        kept.extend(
            previous
                .queues
                .iter()
                .map(|e| format!("queue \"{}\"", e.id)),
        );
        kept.extend(
            previous
                .topics
                .iter()
                .map(|e| format!("topic \"{}\"", e.id)),
        );
        if previous.event_bridge {
            kept.push("EventBridge".into());
        }
        // Unchanged Lambda entries keep their live form byte for byte.
        let lambda = desired_lambda
            .iter()
            .map(|want| {
                previous
                    .lambda
                    .iter()
                    .find(|have| have.id == want.id && want.same_as(have))
                    .cloned()
                    .unwrap_or_else(|| want.to_entry())
            })
            .collect();
        notifications.push(Change::PutBucketNotification {
            bucket: bucket.name.clone(),
            region: bucket.region.clone(),
            configuration: NotificationConfiguration {
                lambda,
                queues: previous.queues.clone(),
                topics: previous.topics.clone(),
                event_bridge: previous.event_bridge,
            },
            previous: previous.clone(),
            added,
            changed,
            removed,
            kept,
        });
    }

    let mut changes = roles;
    changes.extend(replace_first);
    changes.extend(adds);
    // The function is configured before events start to reach it.
    changes.extend(function_settings);
    changes.extend(notifications);
    changes.extend(removes);
    Ok(Plan { changes })
}

fn sid_of(statement: &Value) -> Option<&str> {
    statement.get("Sid").and_then(Value::as_str)
}

fn resource_of(statement: &Value) -> String {
    resource_str(statement).to_string()
}

/// The statement's (first) `Resource`, borrowed.
fn resource_str(statement: &Value) -> &str {
    strs(statement.get("Resource"))
        .first()
        .copied()
        .unwrap_or_default()
}

/// Bucket names a statement's `SourceArn` condition names.
fn source_buckets(statement: &Value) -> Vec<String> {
    let Some(Value::Object(ops)) = statement.get("Condition") else {
        return Vec::new();
    };
    ops.values()
        .filter_map(Value::as_object)
        .flat_map(|m| {
            m.iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case("aws:SourceArn"))
                .flat_map(|(_, v)| string_or_list(Some(v)))
        })
        .filter_map(|arn| arn.strip_prefix("arn:aws:s3:::").map(str::to_string))
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
                Change::PutBucketNotification {
                    added,
                    changed,
                    removed,
                    ..
                } => {
                    c.0 += added.len();
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
        if self.is_empty() {
            out.push_str("No changes. The account matches the document.\n");
            return out;
        }
        // A heading is written once for the changes that follow it.
        let mut last = String::new();
        for change in &self.changes {
            match change {
                Change::PutRolePolicy {
                    role_arn,
                    document,
                    previous,
                    ..
                } => {
                    let sign = if previous.is_some() { "~" } else { "+" };
                    let resources = string_or_list(document["Statement"][0].get("Resource"));
                    heading(
                        &mut out,
                        &mut last,
                        format!("role {}", short(role_arn, ":role/")),
                    );
                    let _ = writeln!(
                        out,
                        "  {sign} inline policy {ROLE_POLICY_NAME}: s3:GetObject on {}",
                        resources.join(", ")
                    );
                }
                Change::DeleteRolePolicy { role_arn, .. } => {
                    heading(
                        &mut out,
                        &mut last,
                        format!("role {}", short(role_arn, ":role/")),
                    );
                    let _ = writeln!(out, "  - inline policy {ROLE_POLICY_NAME}");
                }
                Change::AddPermission {
                    function_arn,
                    statement_id,
                    statement,
                } => {
                    heading(
                        &mut out,
                        &mut last,
                        format!("function {}", short(function_arn, ":function:")),
                    );
                    let _ = writeln!(
                        out,
                        "  + permission {statement_id}: s3.amazonaws.com may invoke for {}{}",
                        statement["Condition"]["ArnLike"]["AWS:SourceArn"]
                            .as_str()
                            .unwrap_or("?"),
                        statement["Condition"]["StringEquals"]["AWS:SourceAccount"]
                            .as_str()
                            .map(|a| format!(" (account {a})"))
                            .unwrap_or_default()
                    );
                }
                Change::RemovePermission {
                    function_arn,
                    statement_id,
                    ..
                } => {
                    heading(
                        &mut out,
                        &mut last,
                        format!("function {}", short(function_arn, ":function:")),
                    );
                    let _ = writeln!(out, "  - permission {statement_id}");
                }
                Change::PutEventInvokeConfig {
                    function_arn,
                    qualifier,
                    settings,
                    previous,
                } => {
                    let name = short(function_arn, ":function:");
                    match qualifier {
                        Some(q) => {
                            heading(&mut out, &mut last, format!("function {name}:{q}"));
                        }
                        None => {
                            heading(&mut out, &mut last, format!("function {name}"));
                        }
                    }
                    let sign = if previous.is_some() { "~" } else { "+" };
                    let _ = writeln!(out, "  {sign} async invoke: {}", describe_async(settings));
                    if let Some(previous) = previous {
                        let _ = writeln!(out, "      was {}", describe_async(previous));
                    }
                }
                Change::PutRecursionConfig {
                    function_arn,
                    recursive_loop,
                    previous,
                } => {
                    heading(
                        &mut out,
                        &mut last,
                        format!("function {}", short(function_arn, ":function:")),
                    );
                    match previous {
                        Some(was) => {
                            let _ = writeln!(
                                out,
                                "  ~ recursion guard: {} (was {})",
                                recursive_loop.as_str(),
                                was.as_str()
                            );
                        }
                        None => {
                            let _ = writeln!(
                                out,
                                "  + recursion guard: {} (not read before)",
                                recursive_loop.as_str()
                            );
                        }
                    }
                }
                Change::PutBucketNotification {
                    bucket,
                    region,
                    added,
                    changed,
                    removed,
                    kept,
                    ..
                } => {
                    heading(&mut out, &mut last, format!("bucket {bucket} ({region})"));
                    for e in added {
                        let _ = writeln!(out, "  + lambda {}", describe_entry(e));
                    }
                    for c in changed {
                        let _ = writeln!(out, "  ~ lambda {}", describe_entry(&c.after));
                        let _ = writeln!(out, "      was {}", describe_entry(&c.before));
                    }
                    for e in removed {
                        let _ = writeln!(out, "  - lambda {}", describe_entry(e));
                    }
                    if !kept.is_empty() {
                        let _ =
                            writeln!(out, "  = kept as is: {} ({})", kept.len(), kept.join(", "));
                    }
                }
            }
        }
        let (add, change, remove) = self.counts();
        let _ = writeln!(
            out,
            "\nPlan: {add} to add, {change} to change, {remove} to remove."
        );
        out
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
                        document: document.clone(),
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
                        !(sid_of(st) == Some(statement_id.as_str())
                            && &resource_of(st) == function_arn)
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

/// Whether `target` is the function `arn` itself or one of its qualifiers.
fn is_target_of(target: &str, arn: &str) -> bool {
    target == arn
        || target
            .strip_prefix(arn)
            .is_some_and(|rest| rest.starts_with(':'))
}

//! Executing a core plan against the account, safely (docs/rules.md §2, §3):
//!
//! 1. re-read everything the plan touches and refuse, naming what moved, if
//!    planning again would give a different plan;
//! 2. make the changes in the plan's (safe) order, retrying S3's
//!    destination-validation error while a new permission propagates;
//! 3. if a step fails for good, undo the steps already made, in reverse;
//! 4. append a record of what happened (never a secret) to the apply log.

use crate::account::{arn_region, Account};
use crate::convert::notification_to_sdk;
use crate::error::{resource_error, AccountError, ResourceError};
use crate::function_settings::{
    delete_event_invoke_config, put_event_invoke_config, put_recursion,
};
use crate::planning::{plan_account, Planned, PlanningError};
use crate::queues;
use crate::read::Cancel;
use crate::rules;
use crate::topics;
use aws_sdk_s3::error::ProvideErrorMetadata;
use bucketwire_core::import::split_qualifier;
use bucketwire_core::live::{LiveRule, LiveState, LiveTarget, NotificationConfiguration};
use bucketwire_core::model::document::{QueueMapping, RecursiveLoop};
use bucketwire_core::plan::{BlockedKind, Change, Plan, PlanError};
use bucketwire_core::Wiring;
use serde::Serialize;
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// How to apply.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Reads in flight at once during the drift check.
    pub concurrency: usize,
    /// Attempts for a notification write that S3 refuses because a new
    /// permission has not propagated yet.
    pub propagation_attempts: u32,
    /// First wait between those attempts; doubles each time.
    pub propagation_delay: Duration,
    /// Where to append the apply record (JSON lines), if anywhere.
    pub log: Option<PathBuf>,
    /// Set to stop: before the first write nothing is written; later, the
    /// step under way finishes and every step made is undone.
    pub cancel: Cancel,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            concurrency: 16,
            propagation_attempts: 6,
            propagation_delay: Duration::from_millis(500),
            log: None,
            cancel: Cancel::new(),
        }
    }
}

/// Progress of an apply, step by step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StepEvent {
    /// A step started.
    Started {
        /// What it does.
        step: String,
    },
    /// A step finished.
    Done {
        /// What it did.
        step: String,
    },
    /// A step failed for good.
    Failed {
        /// What it tried.
        step: String,
        /// Why it failed.
        error: String,
    },
    /// A finished step was undone.
    Undone {
        /// What was undone.
        step: String,
    },
    /// Undoing a step failed: the account needs a look.
    UndoFailed {
        /// What could not be undone.
        step: String,
        /// Why.
        error: String,
    },
}

/// What an apply did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyReport {
    /// Every step made, in order.
    pub applied: Vec<String>,
}

/// Why an apply stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// The account changed since the plan; nothing was written.
    #[error("the account changed since the plan, so nothing was written:\n  {}\nPlan again to see the new changes.", moved.join("\n  "))]
    Drift {
        /// What moved, one line each.
        moved: Vec<String>,
    },
    /// Live state could not be read; nothing was written.
    #[error("cannot read the account, so nothing was written:\n  {}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  "))]
    Read {
        /// Each failed read.
        errors: Vec<ResourceError>,
    },
    /// The document cannot be planned against the account any more.
    #[error("{0}")]
    Plan(#[from] PlanError),
    /// A step failed; the steps before it were undone.
    #[error("{step} failed: {error}\n{}", rollback_summary(undone, undo_failed))]
    Failed {
        /// The step that failed.
        step: String,
        /// Why.
        error: String,
        /// Steps undone, in the order they were undone.
        undone: Vec<String>,
        /// Steps that could not be undone, with why.
        undo_failed: Vec<(String, String)>,
    },
    /// Cancelled before anything was written.
    #[error("cancelled before anything was written")]
    Cancelled,
    /// Cancelled after some steps were made; they were undone.
    #[error("cancelled after {} step(s)\n{}", undone.len() + undo_failed.len(), rollback_summary(undone, undo_failed))]
    Stopped {
        /// Steps undone, in the order they were undone.
        undone: Vec<String>,
        /// Steps that could not be undone, with why.
        undo_failed: Vec<(String, String)>,
    },
}

fn rollback_summary(undone: &[String], failed: &[(String, String)]) -> String {
    let mut out = String::new();
    if undone.is_empty() && failed.is_empty() {
        out.push_str("Nothing had been written yet.");
    }
    if !undone.is_empty() {
        out.push_str("Rolled back:\n");
        for s in undone {
            out.push_str(&format!("  ✓ undid: {s}\n"));
        }
    }
    if !failed.is_empty() {
        out.push_str("Could NOT roll back (check these by hand):\n");
        for (s, e) in failed {
            out.push_str(&format!("  ✗ {s}: {e}\n"));
        }
    }
    out.trim_end().to_string()
}

/// Event callback type.
pub type OnStep<'a> = &'a (dyn Fn(StepEvent) + Send + Sync);

/// Applies `plan`, made from `wiring` against the live state earlier.
///
/// # Errors
/// See [`ApplyError`]: drift and read failures write nothing; a failed
/// step is rolled back before returning.
pub async fn apply(
    account: &Account,
    wiring: &Wiring,
    plan: &Plan,
    options: &ApplyOptions,
    on_step: OnStep<'_>,
) -> Result<ApplyReport, ApplyError> {
    let Planned { plan: fresh, live } = match plan_account(
        account,
        wiring,
        &plan.only,
        options.concurrency,
        &options.cancel,
    )
    .await
    {
        Ok(planned) => planned,
        Err(PlanningError::Account(AccountError::Call(e))) => {
            return Err(ApplyError::Read { errors: vec![e] })
        }
        Err(PlanningError::Account(_)) => return Err(ApplyError::Cancelled),
        Err(PlanningError::Plan(e)) => return Err(ApplyError::Plan(e)),
    };
    if fresh != *plan {
        return Err(ApplyError::Drift {
            moved: describe_drift(plan, &fresh, &live),
        });
    }
    let mut done: Vec<&Change> = Vec::new();
    let mut applied = Vec::new();
    for change in &plan.changes {
        if options.cancel.is_cancelled() {
            let err = if done.is_empty() {
                ApplyError::Cancelled
            } else {
                let (undone, undo_failed) = roll_back(account, &done, options, on_step).await;
                ApplyError::Stopped {
                    undone,
                    undo_failed,
                }
            };
            record(options, plan, &Err(err.clone()));
            return Err(err);
        }
        let step = describe(change);
        on_step(StepEvent::Started { step: step.clone() });
        match execute(account, change, options).await {
            Ok(()) => {
                on_step(StepEvent::Done { step: step.clone() });
                applied.push(step);
                done.push(change);
            }
            Err(error) => {
                on_step(StepEvent::Failed {
                    step: step.clone(),
                    error: error.clone(),
                });
                let mut undo_failed = Vec::new();
                // A failed call may still have taken effect when its
                // answer was lost (a timeout, a 5xx): undo it too,
                // tolerating "already as before" answers. A refusal from
                // AWS (AccessDenied, a validation error) changed nothing.
                // Then every finished step, in reverse.
                let in_case = if may_have_taken_effect(&error) {
                    undo(account, change, options).await
                } else {
                    Ok(())
                };
                match in_case {
                    Ok(()) => {}
                    Err(e) if already_undone(&e) => {}
                    Err(e) => {
                        let step = format!("{} (in case it took effect)", describe(change));
                        on_step(StepEvent::UndoFailed {
                            step: step.clone(),
                            error: e.clone(),
                        });
                        undo_failed.push((step, e));
                    }
                }
                let (undone, rollback_failed) = roll_back(account, &done, options, on_step).await;
                undo_failed.extend(rollback_failed);
                let err = ApplyError::Failed {
                    step,
                    error,
                    undone,
                    undo_failed,
                };
                record(options, plan, &Err(err.clone()));
                return Err(err);
            }
        }
    }
    let report = ApplyReport { applied };
    record(options, plan, &Ok(report.clone()));
    Ok(report)
}

/// Undoes the steps made (`done`, in the order they were made), last
/// first; returns what was undone and what could not be, with why.
async fn roll_back(
    account: &Account,
    done: &[&Change],
    options: &ApplyOptions,
    on_step: OnStep<'_>,
) -> (Vec<String>, Vec<(String, String)>) {
    let mut undone = Vec::new();
    let mut undo_failed = Vec::new();
    for change in done.iter().rev() {
        let step = describe(change);
        match undo(account, change, options).await {
            Ok(()) => {
                on_step(StepEvent::Undone { step: step.clone() });
                undone.push(step);
            }
            Err(e) => {
                on_step(StepEvent::UndoFailed {
                    step: step.clone(),
                    error: e.clone(),
                });
                undo_failed.push((step, e));
            }
        }
    }
    (undone, undo_failed)
}

/// One line saying what a change does.
pub fn describe(change: &Change) -> String {
    match change {
        Change::PutRolePolicy {
            role_arn,
            policy_name,
            previous,
            ..
        } => format!(
            "{} inline policy {policy_name} on role {}",
            if previous.is_some() { "update" } else { "add" },
            last(role_arn, '/')
        ),
        Change::DeleteRolePolicy {
            role_arn,
            policy_name,
            ..
        } => format!(
            "delete inline policy {policy_name} from role {}",
            last(role_arn, '/')
        ),
        Change::AddPermission {
            function_arn,
            statement_id,
            ..
        } => format!(
            "add permission {statement_id} to {}",
            function_label(function_arn)
        ),
        Change::RemovePermission {
            function_arn,
            statement_id,
            ..
        } => format!(
            "remove permission {statement_id} from {}",
            function_label(function_arn)
        ),
        Change::PutBucketNotification { bucket, .. } => {
            format!("write the notification configuration of bucket {bucket}")
        }
        Change::PutEventInvokeConfig {
            function_arn,
            qualifier,
            ..
        } => format!(
            "set the async invoke settings of {}",
            qualified_label(function_arn, qualifier.as_deref())
        ),
        Change::PutRecursionConfig {
            function_arn,
            recursive_loop,
            ..
        } => format!(
            "set the recursion guard of {} to {}",
            function_label(function_arn),
            recursive_loop.as_str()
        ),
        Change::PutRule {
            name,
            region,
            previous,
            ..
        } => format!(
            "{} EventBridge rule {name} ({region})",
            if previous.is_some() {
                "update"
            } else {
                "create"
            }
        ),
        Change::PutTargets {
            rule,
            region,
            targets,
            ..
        } => format!(
            "set the targets {} of EventBridge rule {rule} ({region})",
            target_ids(targets)
        ),
        Change::RemoveTargets {
            rule,
            region,
            targets,
        } => format!(
            "remove the targets {} of EventBridge rule {rule} ({region})",
            target_ids(targets)
        ),
        Change::PutTopic { arn, previous, .. } => format!(
            "{} SNS topic {}",
            if previous.is_some() {
                "update"
            } else {
                "create"
            },
            topic_label(arn)
        ),
        Change::Subscribe {
            topic_arn,
            endpoint,
        } => format!(
            "subscribe {} to SNS topic {}",
            function_label(endpoint),
            topic_label(topic_arn)
        ),
        Change::Unsubscribe {
            topic_arn,
            endpoint,
            ..
        } => format!(
            "unsubscribe {} from SNS topic {}",
            function_label(endpoint),
            topic_label(topic_arn)
        ),
        Change::PutQueue { arn, previous, .. } => format!(
            "{} SQS queue {}",
            if previous.is_some() {
                "update"
            } else {
                "create"
            },
            queue_label(arn)
        ),
        Change::PutMapping {
            queue_arn,
            function_arn,
            uuid,
            ..
        } => format!(
            "{} the mapping of SQS queue {} to {}",
            if uuid.is_some() { "update" } else { "create" },
            queue_label(queue_arn),
            function_label(function_arn)
        ),
        Change::DeleteMapping {
            queue_arn,
            function_arn,
            ..
        } => format!(
            "delete the mapping of SQS queue {} to {}",
            queue_label(queue_arn),
            function_label(function_arn)
        ),
    }
}

/// `NAME (REGION)` of a queue ARN.
fn queue_label(arn: &str) -> String {
    bucketwire_core::model::document::arn_label(arn, "sqs")
}

/// `NAME (REGION)` of a topic ARN.
fn topic_label(arn: &str) -> String {
    bucketwire_core::model::document::arn_label(arn, "sns")
}

fn live_rule<'l>(live: &'l LiveState, name: &str, region: &str) -> Option<&'l LiveRule> {
    live.rules
        .iter()
        .find(|r| r.name == name && r.region == region)
}

fn target_ids(targets: &[LiveTarget]) -> String {
    targets
        .iter()
        .map(|t| t.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn qualified_label(arn: &str, qualifier: Option<&str>) -> String {
    match qualifier {
        Some(q) => format!("function {}:{q}", last(arn, ':')),
        None => function_label(arn),
    }
}

fn last(s: &str, sep: char) -> &str {
    s.rsplit(sep).next().unwrap_or(s)
}

fn function_label(arn: &str) -> String {
    match split_qualifier(arn) {
        (f, Some(q)) => format!("function {}:{q}", last(f, ':')),
        (f, None) => format!("function {}", last(f, ':')),
    }
}

fn blocked_kind(kind: BlockedKind) -> &'static str {
    match kind {
        BlockedKind::Bucket => "bucket",
        BlockedKind::Function => "function",
        BlockedKind::Rule => "EventBridge rule",
    }
}

fn describe_drift(plan: &Plan, fresh: &Plan, live: &LiveState) -> Vec<String> {
    let mut moved = Vec::new();
    for b in &fresh.blocked {
        if !plan.blocked.contains(b) {
            moved.push(format!(
                "{} {} is blocked now: {}",
                blocked_kind(b.kind),
                b.name,
                b.reasons.join("; ")
            ));
        }
    }
    for b in &plan.blocked {
        if !fresh
            .blocked
            .iter()
            .any(|f| f.kind == b.kind && f.name == b.name)
        {
            moved.push(format!(
                "{} {} is no longer blocked",
                blocked_kind(b.kind),
                b.name
            ));
        }
    }
    for change in &plan.changes {
        match change {
            Change::PutBucketNotification {
                bucket, previous, ..
            } => {
                let now = live.bucket(bucket).map(|b| &b.notification);
                if now != Some(previous) {
                    moved.push(format!(
                        "bucket {bucket}: its notification configuration changed since the plan ({} then, {} now)",
                        summary(Some(previous)),
                        summary(now)
                    ));
                }
            }
            Change::AddPermission {
                function_arn,
                statement_id,
                ..
            } => {
                if statement_exists(live, function_arn, statement_id) {
                    moved.push(format!(
                        "{}: statement {statement_id} was added since the plan",
                        function_label(function_arn)
                    ));
                }
            }
            Change::RemovePermission {
                function_arn,
                statement_id,
                ..
            } => {
                if !statement_exists(live, function_arn, statement_id) {
                    moved.push(format!(
                        "{}: statement {statement_id} was removed since the plan",
                        function_label(function_arn)
                    ));
                }
            }
            Change::PutRolePolicy {
                role_arn,
                policy_name,
                previous,
                ..
            } => {
                let now = role_policy(live, role_arn, policy_name);
                if now.as_ref() != previous.as_deref() {
                    moved.push(format!(
                        "role {}: policy {policy_name} changed since the plan",
                        last(role_arn, '/')
                    ));
                }
            }
            Change::DeleteRolePolicy {
                role_arn,
                policy_name,
                previous,
            } => {
                if role_policy(live, role_arn, policy_name).as_ref() != Some(previous) {
                    moved.push(format!(
                        "role {}: policy {policy_name} changed since the plan",
                        last(role_arn, '/')
                    ));
                }
            }
            Change::PutEventInvokeConfig {
                function_arn,
                qualifier,
                previous,
                ..
            } => {
                let now = live.function(function_arn).and_then(|f| {
                    f.event_invoke_configs
                        .iter()
                        .find(|c| &c.qualifier == qualifier)
                        .map(|c| &c.settings)
                });
                if now != previous.as_ref() {
                    moved.push(format!(
                        "{}: its async invoke settings changed since the plan",
                        qualified_label(function_arn, qualifier.as_deref())
                    ));
                }
            }
            Change::PutRecursionConfig {
                function_arn,
                previous,
                ..
            } => {
                let now = live.function(function_arn).and_then(|f| f.recursive_loop);
                if now != *previous {
                    moved.push(format!(
                        "{}: its recursion guard changed since the plan",
                        function_label(function_arn)
                    ));
                }
            }
            Change::PutRule {
                name,
                region,
                previous,
                ..
            } => {
                let now = live_rule(live, name, region);
                if now.map(|r| (&r.pattern, &r.state))
                    != previous.as_ref().map(|r| (&r.pattern, &r.state))
                {
                    moved.push(format!(
                        "EventBridge rule {name} ({region}): {} since the plan",
                        drift(
                            previous.is_some(),
                            now.is_some(),
                            "its pattern or state changed"
                        )
                    ));
                }
            }
            Change::PutTargets {
                rule,
                region,
                targets,
                previous,
            } => {
                let now: Vec<&LiveTarget> = live_rule(live, rule, region)
                    .map(|r| {
                        r.targets
                            .iter()
                            .filter(|t| targets.iter().any(|p| p.id == t.id))
                            .collect()
                    })
                    .unwrap_or_default();
                if now.len() != previous.len() || now.iter().any(|t| !previous.contains(t)) {
                    moved.push(format!(
                        "EventBridge rule {rule} ({region}): its targets changed since the plan"
                    ));
                }
            }
            Change::RemoveTargets {
                rule,
                region,
                targets,
            } => {
                let gone = live_rule(live, rule, region)
                    .is_none_or(|r| targets.iter().any(|t| !r.targets.contains(t)));
                if gone {
                    moved.push(format!(
                        "EventBridge rule {rule} ({region}): its targets changed since the plan"
                    ));
                }
            }
            Change::PutTopic { arn, previous, .. } => {
                let now = live.topics.iter().find(|t| &t.arn == arn);
                let attributes = |t: &bucketwire_core::LiveTopic| {
                    (t.policy.clone(), t.kms_master_key_id.clone())
                };
                if now.map(attributes) != previous.as_deref().map(attributes) {
                    moved.push(format!(
                        "SNS topic {}: {} since the plan",
                        topic_label(arn),
                        drift(
                            previous.is_some(),
                            now.is_some(),
                            "its policy or key changed"
                        )
                    ));
                }
            }
            Change::Subscribe {
                topic_arn,
                endpoint,
            } => {
                let subscribed = live.topics.iter().any(|t| {
                    &t.arn == topic_arn
                        && t.subscriptions
                            .iter()
                            .any(|s| s.protocol == "lambda" && &s.endpoint == endpoint)
                });
                if subscribed {
                    moved.push(format!(
                        "SNS topic {}: {} was subscribed since the plan",
                        topic_label(topic_arn),
                        function_label(endpoint)
                    ));
                }
            }
            Change::PutQueue { arn, previous, .. } => {
                let now = live.queues.iter().find(|q| &q.arn == arn);
                let attributes = |q: &bucketwire_core::model::document::LiveQueue| {
                    (
                        q.policy.clone(),
                        q.visibility_timeout_seconds,
                        q.dead_letter.clone(),
                        q.kms_master_key_id.clone(),
                    )
                };
                if now.map(attributes) != previous.as_deref().map(attributes) {
                    moved.push(format!(
                        "SQS queue {}: {} since the plan",
                        queue_label(arn),
                        drift(previous.is_some(), now.is_some(), "its attributes changed")
                    ));
                }
            }
            Change::PutMapping {
                queue_arn,
                function_arn,
                previous,
                ..
            } => {
                let now = live
                    .queues
                    .iter()
                    .find(|q| &q.arn == queue_arn)
                    .and_then(|q| q.mappings.iter().find(|m| &m.function_arn == function_arn))
                    .map(|m| &m.settings);
                if now != previous.as_ref() {
                    moved.push(format!(
                        "SQS queue {}: its mapping to {} changed since the plan",
                        queue_label(queue_arn),
                        function_label(function_arn)
                    ));
                }
            }
            Change::DeleteMapping {
                queue_arn,
                function_arn,
                uuid,
                ..
            } => {
                let still = live
                    .queues
                    .iter()
                    .any(|q| &q.arn == queue_arn && q.mappings.iter().any(|m| &m.uuid == uuid));
                if !still {
                    moved.push(format!(
                        "SQS queue {}: its mapping to {} was removed since the plan",
                        queue_label(queue_arn),
                        function_label(function_arn)
                    ));
                }
            }
            Change::Unsubscribe {
                topic_arn,
                subscription_arn,
                endpoint,
            } => {
                let still = live.topics.iter().any(|t| {
                    &t.arn == topic_arn
                        && t.subscriptions.iter().any(|s| &s.arn == subscription_arn)
                });
                if !still {
                    moved.push(format!(
                        "SNS topic {}: the subscription of {} was removed since the plan",
                        topic_label(topic_arn),
                        function_label(endpoint)
                    ));
                }
            }
        }
    }
    for change in &fresh.changes {
        if !plan.changes.contains(change) && !moved.iter().any(|m| m.contains(&subject(change))) {
            moved.push(format!("now also needed: {}", describe(change)));
        }
    }
    moved
}

/// How a rule, topic or queue the plan read (`was` there or not) moved
/// by now (`is` there or not), when what the plan relied on differs:
/// `changed` names the difference when it is there both times.
fn drift(was: bool, is: bool, changed: &'static str) -> &'static str {
    match (was, is) {
        (false, true) => "created by someone else",
        (true, false) => "deleted",
        _ => changed,
    }
}

fn subject(change: &Change) -> String {
    match change {
        Change::PutBucketNotification { bucket, .. } => format!("bucket {bucket}"),
        Change::AddPermission { statement_id, .. }
        | Change::RemovePermission { statement_id, .. } => statement_id.clone(),
        Change::PutRolePolicy { role_arn, .. } | Change::DeleteRolePolicy { role_arn, .. } => {
            format!("role {}", last(role_arn, '/'))
        }
        Change::PutEventInvokeConfig {
            function_arn,
            qualifier,
            ..
        } => qualified_label(function_arn, qualifier.as_deref()),
        Change::PutRecursionConfig { function_arn, .. } => function_label(function_arn),
        Change::PutRule { name, region, .. }
        | Change::PutTargets {
            rule: name, region, ..
        }
        | Change::RemoveTargets {
            rule: name, region, ..
        } => format!("EventBridge rule {name} ({region})"),
        Change::PutTopic { arn, .. }
        | Change::Subscribe { topic_arn: arn, .. }
        | Change::Unsubscribe { topic_arn: arn, .. } => format!("SNS topic {}", topic_label(arn)),
        Change::PutQueue { arn, .. }
        | Change::PutMapping { queue_arn: arn, .. }
        | Change::DeleteMapping { queue_arn: arn, .. } => format!("SQS queue {}", queue_label(arn)),
    }
}

fn summary(config: Option<&NotificationConfiguration>) -> String {
    match config {
        None => "no bucket".into(),
        Some(c) => format!(
            "{} Lambda, {} SQS, {} SNS{}",
            c.lambda.len(),
            c.queues.len(),
            c.topics.len(),
            if c.event_bridge { ", EventBridge" } else { "" }
        ),
    }
}

fn statement_exists(live: &LiveState, target: &str, sid: &str) -> bool {
    let (arn, _) = split_qualifier(target);
    live.function(arn).is_some_and(|f| {
        f.policy_statements
            .iter()
            .any(|st| st.sid() == Some(sid) && st.first_resource() == target)
    })
}

fn role_policy(live: &LiveState, role: &str, name: &str) -> Option<Value> {
    live.role(role)?
        .policies
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.document.to_value())
}

async fn execute(account: &Account, change: &Change, options: &ApplyOptions) -> Result<(), String> {
    match change {
        Change::PutRolePolicy {
            role_arn,
            policy_name,
            document,
            ..
        } => put_role_policy(account, role_arn, policy_name, document).await,
        Change::DeleteRolePolicy {
            role_arn,
            policy_name,
            ..
        } => delete_role_policy(account, role_arn, policy_name).await,
        Change::AddPermission { statement, .. } => {
            add_permission(account, &statement.to_value()).await
        }
        Change::RemovePermission {
            function_arn,
            statement_id,
            ..
        } => remove_permission(account, function_arn, statement_id).await,
        Change::PutBucketNotification {
            bucket,
            region,
            configuration,
            ..
        } => put_notification(account, bucket, region, configuration, options).await,
        Change::PutEventInvokeConfig {
            function_arn,
            qualifier,
            settings,
            ..
        } => put_event_invoke_config(account, function_arn, qualifier.as_deref(), settings)
            .await
            .map_err(show),
        Change::PutRecursionConfig {
            function_arn,
            recursive_loop,
            ..
        } => put_recursion(account, function_arn, *recursive_loop)
            .await
            .map_err(show),
        Change::PutRule {
            name,
            region,
            pattern,
            state,
            ..
        } => rules::put_rule(account, name, region, Some(pattern), state)
            .await
            .map_err(show),
        Change::PutTargets {
            rule,
            region,
            targets,
            ..
        } => rules::put_targets(account, rule, region, targets)
            .await
            .map_err(show),
        Change::RemoveTargets {
            rule,
            region,
            targets,
        } => {
            let ids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
            rules::remove_targets(account, rule, region, &ids)
                .await
                .map_err(show)
        }
        Change::PutTopic {
            arn,
            policy,
            kms_master_key_id,
            previous,
            ..
        } => match previous {
            None => {
                topics::create_topic(account, arn, policy.as_ref(), kms_master_key_id.as_deref())
                    .await
                    .map_err(show)
            }
            Some(_) => set_topic(account, arn, policy.as_ref(), kms_master_key_id.as_deref()).await,
        },
        Change::Subscribe {
            topic_arn,
            endpoint,
        } => topics::subscribe(account, topic_arn, endpoint)
            .await
            .map_err(show),
        Change::Unsubscribe {
            topic_arn,
            subscription_arn,
            ..
        } => topics::unsubscribe(account, topic_arn, subscription_arn)
            .await
            .map_err(show),
        Change::PutQueue {
            arn,
            attributes,
            previous,
            ..
        } => match previous {
            None => queues::create_queue(account, arn, attributes).await,
            Some(_) => queues::set_attributes(account, arn, attributes).await,
        }
        .map_err(show),
        Change::PutMapping {
            queue_arn,
            function_arn,
            uuid,
            settings,
            ..
        } => queues::put_mapping(account, queue_arn, function_arn, uuid.as_deref(), settings)
            .await
            .map_err(show),
        Change::DeleteMapping {
            queue_arn, uuid, ..
        } => queues::delete_mapping(account, queue_arn, uuid)
            .await
            .map_err(show),
    }
}

/// Sets the topic's policy and key where given.
async fn set_topic(
    account: &Account,
    arn: &str,
    policy: Option<&Value>,
    key: Option<&str>,
) -> Result<(), String> {
    if let Some(policy) = policy {
        topics::set_attribute(account, arn, "Policy", &policy.to_string())
            .await
            .map_err(show)?;
    }
    if let Some(key) = key {
        topics::set_attribute(account, arn, "KmsMasterKeyId", key)
            .await
            .map_err(show)?;
    }
    Ok(())
}

async fn undo(account: &Account, change: &Change, options: &ApplyOptions) -> Result<(), String> {
    match change {
        Change::PutRolePolicy {
            role_arn,
            policy_name,
            previous: Some(previous),
            ..
        } => put_role_policy(account, role_arn, policy_name, previous).await,
        Change::PutRolePolicy {
            role_arn,
            policy_name,
            previous: None,
            ..
        } => delete_role_policy(account, role_arn, policy_name).await,
        Change::DeleteRolePolicy {
            role_arn,
            policy_name,
            previous,
        } => put_role_policy(account, role_arn, policy_name, previous).await,
        Change::AddPermission {
            function_arn,
            statement_id,
            ..
        } => remove_permission(account, function_arn, statement_id).await,
        Change::RemovePermission { statement, .. } => {
            add_permission(account, &statement.to_value()).await
        }
        Change::PutBucketNotification {
            bucket,
            region,
            previous,
            ..
        } => put_notification(account, bucket, region, previous, options).await,
        Change::PutEventInvokeConfig {
            function_arn,
            qualifier,
            previous: Some(previous),
            ..
        } => put_event_invoke_config(account, function_arn, qualifier.as_deref(), previous)
            .await
            .map_err(show),
        Change::PutEventInvokeConfig {
            function_arn,
            qualifier,
            previous: None,
            ..
        } => delete_event_invoke_config(account, function_arn, qualifier.as_deref())
            .await
            .map_err(show),
        // A guard that was never read goes back to Lambda's default.
        Change::PutRecursionConfig {
            function_arn,
            previous,
            ..
        } => put_recursion(
            account,
            function_arn,
            previous.unwrap_or(RecursiveLoop::Terminate),
        )
        .await
        .map_err(show),
        // A rule the apply created is deleted (its targets were undone
        // before, in reverse order); one it changed gets its pattern and
        // state back.
        Change::PutRule {
            name,
            region,
            previous: None,
            ..
        } => rules::delete_rule(account, name, region)
            .await
            .map_err(show),
        Change::PutRule {
            name,
            region,
            previous: Some(previous),
            ..
        } => rules::put_rule(
            account,
            name,
            region,
            previous.pattern.as_ref(),
            &previous.state,
        )
        .await
        .map_err(show),
        Change::PutTargets {
            rule,
            region,
            targets,
            previous,
        } => {
            let new: Vec<&str> = targets
                .iter()
                .filter(|t| !previous.iter().any(|p| p.id == t.id))
                .map(|t| t.id.as_str())
                .collect();
            if !new.is_empty() {
                rules::remove_targets(account, rule, region, &new)
                    .await
                    .map_err(show)?;
            }
            if previous.is_empty() {
                Ok(())
            } else {
                rules::put_targets(account, rule, region, previous)
                    .await
                    .map_err(show)
            }
        }
        Change::RemoveTargets {
            rule,
            region,
            targets,
        } => rules::put_targets(account, rule, region, targets)
            .await
            .map_err(show),
        // A topic the apply created is deleted (its subscriptions were
        // undone before); one it changed gets its policy and key back.
        Change::PutTopic {
            arn,
            previous: None,
            ..
        } => topics::delete_topic(account, arn).await.map_err(show),
        Change::PutTopic {
            arn,
            policy,
            kms_master_key_id,
            previous: Some(previous),
            ..
        } => {
            let policy = policy
                .as_ref()
                .and(previous.policy.as_ref())
                .map(|p| p.to_value());
            // A key the topic did not have is turned off again ("").
            let key = kms_master_key_id
                .as_ref()
                .map(|_| previous.kms_master_key_id.as_deref().unwrap_or(""));
            set_topic(account, arn, policy.as_ref(), key).await
        }
        Change::Subscribe {
            topic_arn,
            endpoint,
        } => topics::unsubscribe_endpoint(account, topic_arn, endpoint)
            .await
            .map_err(show),
        Change::Unsubscribe {
            topic_arn,
            endpoint,
            ..
        } => topics::subscribe(account, topic_arn, endpoint)
            .await
            .map_err(show),
        // A queue the apply created is deleted (its mapping was undone
        // before); one it changed gets the attributes it set back.
        Change::PutQueue {
            arn,
            previous: None,
            ..
        } => queues::delete_queue(account, arn).await.map_err(show),
        Change::PutQueue {
            arn,
            attributes,
            previous: Some(previous),
            ..
        } => {
            let before = queue_attributes(previous, attributes.keys());
            queues::set_attributes(account, arn, &before)
                .await
                .map_err(show)
        }
        Change::PutMapping {
            queue_arn,
            function_arn,
            uuid: None,
            ..
        } => queues::delete_mappings_of(account, queue_arn, function_arn)
            .await
            .map_err(show),
        Change::PutMapping {
            queue_arn,
            function_arn,
            uuid: Some(uuid),
            previous,
            ..
        } => queues::put_mapping(
            account,
            queue_arn,
            function_arn,
            Some(uuid),
            previous.as_ref().unwrap_or(&QueueMapping::default()),
        )
        .await
        .map_err(show),
        Change::DeleteMapping {
            queue_arn,
            function_arn,
            settings,
            ..
        } => queues::put_mapping(account, queue_arn, function_arn, None, settings)
            .await
            .map_err(show),
    }
}

/// The queue's attributes `names` as they were in `previous` (one it did
/// not have is written empty, or SQS's default visibility timeout).
fn queue_attributes<'n>(
    previous: &bucketwire_core::model::document::LiveQueue,
    names: impl Iterator<Item = &'n String>,
) -> std::collections::BTreeMap<String, String> {
    names
        .map(|name| {
            let value = match name.as_str() {
                "Policy" => previous
                    .policy
                    .as_ref()
                    .map(|p| p.as_str().to_string()),
                "VisibilityTimeout" => Some(
                    previous
                        .visibility_timeout_seconds
                        .unwrap_or(bucketwire_core::desired::queues::DEFAULT_VISIBILITY_TIMEOUT)
                        .to_string(),
                ),
                "RedrivePolicy" => previous.dead_letter.as_ref().map(|d| {
                    serde_json::json!({"deadLetterTargetArn": d.arn, "maxReceiveCount": d.max_receive_count})
                        .to_string()
                }),
                "KmsMasterKeyId" => previous.kms_master_key_id.clone(),
                _ => None,
            };
            (name.clone(), value.unwrap_or_default())
        })
        .collect()
}

/// Errors after which a call may have been carried out anyway: no answer
/// (`Network`), an unreadable one, or a server-side failure. Errors are
/// `CODE: message` (see `show`).
fn may_have_taken_effect(error: &str) -> bool {
    let code = error.split(':').next().unwrap_or_default();
    matches!(
        code,
        "Network"
            | "InvalidResponse"
            | "Unknown"
            | "InternalError"
            | "InternalFailure"
            | "ServiceException"
            | "ServiceUnavailable"
            | "RequestTimeout"
            | "SlowDown"
    ) || !error.contains(':')
}

/// Errors that mean the undo had nothing to do: the statement or policy is
/// already gone, or already there.
fn already_undone(error: &str) -> bool {
    [
        "ResourceNotFoundException",
        "ResourceConflictException",
        "NoSuchEntity",
        "NotFound",
        "QueueDoesNotExist",
    ]
    .iter()
    .any(|code| error.starts_with(code))
}

fn show(e: ResourceError) -> String {
    format!("{}: {}", e.code, e.message)
}

async fn put_role_policy(
    account: &Account,
    role_arn: &str,
    name: &str,
    document: &Value,
) -> Result<(), String> {
    account
        .iam()
        .put_role_policy()
        .role_name(last(role_arn, '/'))
        .policy_name(name)
        .policy_document(document.to_string())
        .send()
        .await
        .map(|_| ())
        .map_err(|e| show(resource_error(role_arn, "PutRolePolicy", &e)))
}

async fn delete_role_policy(account: &Account, role_arn: &str, name: &str) -> Result<(), String> {
    account
        .iam()
        .delete_role_policy()
        .role_name(last(role_arn, '/'))
        .policy_name(name)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| show(resource_error(role_arn, "DeleteRolePolicy", &e)))
}

/// Adds a statement of the shape Bucketwire writes (service principal,
/// action, Resource, `SourceArn`, `SourceAccount`).
async fn add_permission(account: &Account, statement: &Value) -> Result<(), String> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    let target = text(&statement["Resource"]).ok_or("the statement has no Resource")?;
    let (arn, qualifier) = split_qualifier(&target);
    let region = arn_region(arn).ok_or("the function ARN has no region")?;
    let condition = &statement["Condition"];
    let source_arn = text(&condition["ArnLike"]["AWS:SourceArn"])
        .or_else(|| text(&condition["ArnEquals"]["AWS:SourceArn"]));
    let source_account = text(&condition["StringEquals"]["AWS:SourceAccount"]);
    account
        .lambda(region)
        .add_permission()
        .function_name(arn)
        .set_qualifier(qualifier.map(str::to_string))
        .statement_id(text(&statement["Sid"]).unwrap_or_default())
        .action(text(&statement["Action"]).unwrap_or_else(|| "lambda:InvokeFunction".into()))
        .principal(
            text(&statement["Principal"]["Service"]).unwrap_or_else(|| "s3.amazonaws.com".into()),
        )
        .set_source_arn(source_arn)
        .set_source_account(source_account)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| show(resource_error(&target, "AddPermission", &e)))
}

async fn remove_permission(account: &Account, target: &str, sid: &str) -> Result<(), String> {
    let (arn, qualifier) = split_qualifier(target);
    let region = arn_region(arn).ok_or("the function ARN has no region")?;
    account
        .lambda(region)
        .remove_permission()
        .function_name(arn)
        .set_qualifier(qualifier.map(str::to_string))
        .statement_id(sid)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| show(resource_error(target, "RemovePermission", &e)))
}

/// Writes a whole notification configuration, retrying while S3 cannot yet
/// validate a destination whose permission was just added (§2).
async fn put_notification(
    account: &Account,
    bucket: &str,
    region: &str,
    config: &NotificationConfiguration,
    options: &ApplyOptions,
) -> Result<(), String> {
    let s3 = account.s3(region);
    let mut delay = options.propagation_delay;
    let mut attempt = 1;
    loop {
        let result = s3
            .put_bucket_notification_configuration()
            .bucket(bucket)
            .notification_configuration(notification_to_sdk(config))
            .send()
            .await;
        match result {
            Ok(_) => return Ok(()),
            Err(e) => {
                let propagating = e.code() == Some("InvalidArgument")
                    && e.message().is_some_and(|m| {
                        m.contains("Unable to validate the following destination configurations")
                    });
                if propagating && attempt < options.propagation_attempts {
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                    attempt += 1;
                    continue;
                }
                return Err(show(resource_error(
                    bucket,
                    "PutBucketNotificationConfiguration",
                    &e,
                )));
            }
        }
    }
}

/// Appends one JSON line: when, what was planned, what happened. Plans hold
/// ARNs, statements and policies, never credentials. Failing to write the
/// log does not fail the apply.
fn record(options: &ApplyOptions, plan: &Plan, outcome: &Result<ApplyReport, ApplyError>) {
    let Some(path) = &options.log else { return };
    let time = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let line = serde_json::json!({
        "time": time,
        "outcome": match outcome { Ok(_) => "applied".to_string(), Err(e) => e.to_string() },
        "steps": plan.changes.iter().map(describe).collect::<Vec<_>>(),
        "plan": plan,
    });
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{line}");
    }
}

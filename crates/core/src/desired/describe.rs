//! How a [`Change`] says itself: the plan's text (and a finding's fix
//! quotes it), one heading per resource and a line per difference.

use crate::desired::change::Change;
use crate::live::{NotificationConfiguration, NotificationEntry};
use crate::model::document::AsyncInvoke;
use crate::model::policy::evaluate::string_or_list;
use serde_json::Value;

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
                // The read policy's one action, or the consume policy's
                // three; the resources of every statement (the decrypt
                // policy has one a key).
                let actions = string_or_list(document["Statement"][0].get("Action")).join(", ");
                let resources: Vec<String> =
                    crate::model::policy::evaluate::statements_raw(document)
                        .iter()
                        .flat_map(|st| string_or_list(st.get("Resource")))
                        .collect();
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
            } => (function(function_arn), {
                let statement = statement.to_value();
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
                )]
            }),
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
                                    crate::desired::queues::SEND_SID,
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
                    crate::desired::queues::describe_mapping(settings)
                )];
                if let Some(was) = previous {
                    lines.push(format!(
                        "    was {}",
                        crate::desired::queues::describe_mapping(was)
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
                    lines.push(format!(
                        "! {}",
                        crate::model::ownership::revert_warning(owner)
                    ));
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
pub(crate) fn turns_event_bridge_on(
    configuration: &NotificationConfiguration,
    previous: &NotificationConfiguration,
) -> bool {
    configuration.event_bridge && !previous.event_bridge
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

pub(crate) fn short<'a>(arn: &'a str, marker: &str) -> &'a str {
    arn.split_once(marker).map_or(arn, |(_, rest)| rest)
}

/// `SNS topic NAME (REGION)`, the heading of a topic's changes.
fn topic_heading(arn: &str) -> String {
    format!(
        "SNS topic {}",
        crate::model::document::arn_label(arn, "sns")
    )
}

/// `SQS queue NAME (REGION)`, the heading of a queue's changes.
fn queue_heading(arn: &str) -> String {
    format!(
        "SQS queue {}",
        crate::model::document::arn_label(arn, "sqs")
    )
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
    describe_delivery_policy(policy, crate::desired::topics::PUBLISH_SID, "publish")
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

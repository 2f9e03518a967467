//! What a document asks of SQS and of Lambda's event source mappings
//! (docs/rules.md §16): each queue with the buckets sending to it (their
//! filters are `QueueConfigurations` entries), the statement of its access
//! policy that lets S3 send for exactly those buckets (`aws:SourceArn` and
//! `aws:SourceAccount`), its attributes as the document sets them, the one
//! function polling it with the mapping's settings, and what that
//! function's role must be allowed on the queue (receive, delete, read its
//! attributes). The exports write these out; the planner diffs them.
//!
//! One queue, one truth: two cards naming one queue ARN are one queue here
//! (their buckets pooled; the first card with a consumer gives it).

use crate::desired::change::Change;
use crate::desired::context::Context;
use crate::desired::delivery_policy::{add_sender, settle_senders};
use crate::model::document::{Function, NodeId, Queue, QueueMapping};
use crate::model::document::{LiveQueue, LiveRole};
use crate::model::permission::target_arn;
use crate::model::policy::compact::StatementView;
use crate::model::policy::evaluate::evaluate;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::BTreeSet;

/// The `Sid` of the statement Bucketwire writes into a queue's policy.
pub const SEND_SID: &str = "bucketwire-s3-send";

/// The inline role policy Bucketwire manages on the role of each function
/// polling a queue: what Lambda's poller needs (docs/rules.md §16).
pub const CONSUME_POLICY_NAME: &str = "bucketwire-sqs-consume";

/// What Lambda's poller does with the function's role on the queue.
pub const CONSUME_ACTIONS: [&str; 3] = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
];

/// The AWS-managed key for SQS, which S3 cannot use (§16).
pub const AWS_MANAGED_KEY: &str = "alias/aws/sqs";

/// SQS's default visibility timeout, seconds.
pub const DEFAULT_VISIBILITY_TIMEOUT: u32 = 30;

/// One queue as the document asks for it.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredQueue<'a> {
    /// The queue (its first card).
    pub queue: &'a Queue,
    /// Every card naming it.
    pub cards: Vec<&'a NodeId>,
    /// The buckets sending to it, sorted and unique.
    pub buckets: Vec<&'a str>,
    /// The accounts S3 sends for: the buckets' own where known, else the
    /// queue's (sorted, unique).
    pub accounts: Vec<&'a str>,
    /// The function polling it, with the ARN the mapping invokes
    /// (qualified for an alias or version).
    pub consumer: Option<(&'a Function, Cow<'a, str>)>,
}

impl DesiredQueue<'_> {
    /// The ARN.
    pub fn arn(&self) -> &str {
        &self.queue.arn
    }

    /// The mapping's settings.
    pub fn mapping(&self) -> &QueueMapping {
        &self.queue.mapping
    }

    /// The statement Bucketwire writes into the queue's policy: S3 may
    /// send for exactly the document's buckets and their accounts.
    pub fn send_statement(&self) -> Value {
        crate::desired::delivery_policy::s3_statement(
            SEND_SID,
            "SQS:SendMessage",
            &self.queue.arn,
            &self.buckets,
            &self.accounts,
        )
    }

    /// The queue's policy with Bucketwire's statement as the document wants
    /// it: `current`'s statements kept (its own replaced), or a policy of
    /// its own when the queue has none (SQS gives a new queue none).
    pub fn policy_with_statement(&self, current: Option<&Value>) -> Value {
        let default =
            json!({ "Id": format!("{}/SQSDefaultPolicy", self.queue.arn), "Statement": [] });
        crate::desired::delivery_policy::with_statement(current, default, self.send_statement())
    }

    /// The queue's `RedrivePolicy` attribute as the document sets it.
    pub fn redrive_policy(&self) -> Option<String> {
        self.queue.dead_letter.as_ref().map(|d| {
            json!({"deadLetterTargetArn": d.arn, "maxReceiveCount": d.max_receive_count})
                .to_string()
        })
    }
}

/// A `RedrivePolicy` attribute read.
pub fn parse_redrive(text: &str) -> Option<crate::model::document::DeadLetter> {
    let v: Value = serde_json::from_str(text).ok()?;
    let count = match &v["maxReceiveCount"] {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }?;
    Some(crate::model::document::DeadLetter {
        arn: v["deadLetterTargetArn"].as_str()?.to_string(),
        max_receive_count: u32::try_from(count).ok()?,
    })
}

/// The mapping's settings with Lambda's defaults spelt out, as Lambda
/// reports them: batch size 10, no window, no concurrency limit.
pub fn with_defaults(mapping: &QueueMapping) -> QueueMapping {
    QueueMapping {
        batch_size: Some(mapping.batch_size.unwrap_or(10)),
        maximum_batching_window_seconds: Some(mapping.maximum_batching_window_seconds.unwrap_or(0)),
        ..mapping.clone()
    }
}

/// Every queue of the document (by ARN, in document order of first card)
/// with the buckets sending to it and its consumer.
pub fn queues<'a>(ctx: &Context<'a>) -> Vec<DesiredQueue<'a>> {
    let mut out: Vec<DesiredQueue<'a>> = Vec::new();
    let mut index: rustc_hash::FxHashMap<&'a str, usize> = rustc_hash::FxHashMap::default();
    for queue in ctx.wiring.queues() {
        let i = *index.entry(&queue.arn).or_insert_with(|| {
            out.push(DesiredQueue {
                queue,
                cards: Vec::new(),
                buckets: Vec::new(),
                accounts: Vec::new(),
                consumer: None,
            });
            out.len() - 1
        });
        let desired = &mut out[i];
        desired.cards.push(&queue.id);
        if desired.consumer.is_none() {
            desired.consumer = ctx
                .wiring
                .consumer_of(&queue.id)
                .map(|f| (f, target_arn(&f.arn, f.qualifier.as_deref())));
        }
    }
    for (config, _, queue) in ctx.sends() {
        let Some(&i) = index.get(queue.arn.as_str()) else {
            continue;
        };
        let desired = &mut out[i];
        let owner = desired.queue.account();
        add_sender(
            &mut desired.buckets,
            &mut desired.accounts,
            config.bucket,
            owner,
        );
    }
    for desired in &mut out {
        settle_senders(&mut desired.buckets, &mut desired.accounts);
    }
    out
}

/// Per execution role of the functions polling the document's queues
/// (sorted by role ARN), the queue ARNs it must consume.
pub fn role_consume_resources<'a>(
    queues: &[DesiredQueue<'a>],
) -> Vec<(&'a str, BTreeSet<&'a str>)> {
    let mut by_role: std::collections::BTreeMap<&'a str, BTreeSet<&'a str>> =
        std::collections::BTreeMap::new();
    for q in queues {
        if let Some(role) = q.consumer.as_ref().and_then(|(f, _)| f.role.as_deref()) {
            by_role.entry(role).or_default().insert(&q.queue.arn);
        }
    }
    by_role.into_iter().collect()
}

/// The managed consume policy for `queues`.
pub fn consume_policy_document(queues: &BTreeSet<&str>) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "BucketwireConsumeQueues",
            "Effect": "Allow",
            "Action": CONSUME_ACTIONS,
            "Resource": queues.iter().collect::<Vec<_>>(),
        }]
    })
}

/// How a queue-policy statement relates to "S3 may send to QUEUE for
/// BUCKET" (read as [`crate::desired::topics::grants_s3_publish`] reads a
/// topic's).
pub fn grants_s3_send<'s>(
    st: &StatementView<'s>,
    queue: &str,
    bucket: &str,
    account: Option<&str>,
) -> Option<crate::model::permission::InvokeGrant<'s>> {
    crate::model::permission::grants_s3_delivery(st, "sqs:SendMessage", queue, bucket, account)
}

/// Whether `key` (a `KmsMasterKeyId`) is SQS's AWS-managed key, which S3
/// cannot use to send (§16): `alias/aws/sqs`, or its alias ARN.
pub fn is_aws_managed_key(key: &str) -> bool {
    key == AWS_MANAGED_KEY || key.ends_with(":alias/aws/sqs")
}

/// The queue's change: created when missing; otherwise the attributes the
/// document sets that differ (its policy when S3 may not send for one of
/// its buckets, or Bucketwire's statement says other than the document).
pub(crate) fn queue_change(
    desired: &DesiredQueue<'_>,
    found: Option<&LiveQueue>,
) -> Option<Change> {
    let Some(live) = found else {
        return Some(queue_attributes_change(desired, None));
    };
    let mut attributes = BTreeMap::new();
    if policy_needed(desired, live) {
        let current = live.policy.as_ref().map(|p| p.to_value());
        attributes.insert(
            "Policy".to_string(),
            desired.policy_with_statement(current.as_ref()).to_string(),
        );
    }
    let q = desired.queue;
    if let Some(v) = q.visibility_timeout_seconds {
        if live.visibility_timeout_seconds != Some(v) {
            attributes.insert("VisibilityTimeout".into(), v.to_string());
        }
    }
    if q.dead_letter.is_some() && q.dead_letter != live.dead_letter {
        attributes.extend(
            desired
                .redrive_policy()
                .map(|r| ("RedrivePolicy".into(), r)),
        );
    }
    if let Some(k) = &q.kms_master_key_id {
        if live.kms_master_key_id.as_ref() != Some(k) {
            attributes.insert("KmsMasterKeyId".into(), k.clone());
        }
    }
    (!attributes.is_empty()).then(|| Change::PutQueue {
        arn: desired.arn().to_string(),
        region: desired.queue.region().unwrap_or_default().to_string(),
        attributes,
        previous: Some(Box::new(live.clone())),
    })
}

/// Whether the queue's policy must change ([`policy_needed`]).
///
/// [`policy_needed`]: crate::desired::delivery_policy::policy_needed
fn policy_needed(desired: &DesiredQueue<'_>, live: &LiveQueue) -> bool {
    crate::desired::delivery_policy::policy_needed(
        live.policy.as_ref(),
        SEND_SID,
        &desired.send_statement(),
        &desired.buckets,
        desired.accounts.first().copied(),
        &|st, bucket, account| grants_s3_send(st, desired.arn(), bucket, account).is_some(),
    )
}

/// The change that writes Bucketwire's statement into the queue's policy
/// as read (`live`), or creates the queue with it and the attributes the
/// document sets when it does not exist: the one place that decides it,
/// for the plan and for the `queue-policy-denies-s3` finding's fix.
pub(crate) fn queue_attributes_change(
    desired: &DesiredQueue<'_>,
    live: Option<&LiveQueue>,
) -> Change {
    let current = live.and_then(|l| l.policy.as_ref()).map(|p| p.to_value());
    let mut attributes = BTreeMap::from([(
        "Policy".to_string(),
        desired.policy_with_statement(current.as_ref()).to_string(),
    )]);
    if live.is_none() {
        let q = desired.queue;
        attributes.extend(
            q.visibility_timeout_seconds
                .map(|v| ("VisibilityTimeout".to_string(), v.to_string())),
        );
        attributes.extend(
            desired
                .redrive_policy()
                .map(|r| ("RedrivePolicy".into(), r)),
        );
        attributes.extend(
            q.kms_master_key_id
                .clone()
                .map(|k| ("KmsMasterKeyId".to_string(), k)),
        );
    }
    Change::PutQueue {
        arn: desired.arn().to_string(),
        region: desired.queue.region().unwrap_or_default().to_string(),
        attributes,
        previous: live.cloned().map(Box::new),
    }
}

/// The role's consume policy: put when some queue's actions are not
/// allowed by its other policies and ours does not say exactly that.
pub(crate) fn consume_policy_change(
    role_arn: &str,
    queues: &BTreeSet<&str>,
    live_role: Option<&LiveRole>,
) -> Option<Change> {
    let (previous, others) =
        crate::desired::change::role_policies_apart(live_role, CONSUME_POLICY_NAME);
    let needed: BTreeSet<&str> = queues
        .iter()
        .copied()
        .filter(|q| {
            CONSUME_ACTIONS
                .iter()
                .any(|a| !evaluate(others.iter().copied(), a, q).allowed())
        })
        .collect();
    if needed.is_empty() {
        return None;
    }
    let document = consume_policy_document(&needed);
    if previous.as_ref() == Some(&document) {
        return None;
    }
    Some(Change::PutRolePolicy {
        role_arn: role_arn.to_string(),
        policy_name: CONSUME_POLICY_NAME.into(),
        document,
        previous: previous.map(Box::new),
    })
}

/// The settings of a mapping as the plan's text shows them.
pub(crate) fn describe_mapping(m: &QueueMapping) -> String {
    let mut parts = vec![
        format!("batch {}", m.batch_size.unwrap_or(10)),
        format!(
            "window {} s",
            m.maximum_batching_window_seconds.unwrap_or(0)
        ),
    ];
    if m.report_batch_item_failures {
        parts.push("reports batch item failures".into());
    }
    if let Some(c) = m.maximum_concurrency {
        parts.push(format!("at most {c} at once"));
    }
    if !m.enabled {
        parts.push("disabled".into());
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policy::compact::PolicyStatement;

    const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:hot";

    fn queue() -> Queue {
        Queue {
            id: NodeId::new("q"),
            arn: QUEUE.into(),
            visibility_timeout_seconds: None,
            dead_letter: None,
            kms_master_key_id: None,
            mapping: QueueMapping::default(),
        }
    }

    fn desired(queue: &Queue) -> DesiredQueue<'_> {
        DesiredQueue {
            queue,
            cards: Vec::new(),
            buckets: vec!["photos"],
            accounts: vec!["123456789012"],
            consumer: None,
        }
    }

    #[test]
    fn our_statement_lets_s3_send_for_its_bucket_only() {
        let q = queue();
        let st = PolicyStatement::from(desired(&q).send_statement());
        let view = st.view().expect("statement");
        assert!(grants_s3_send(&view, QUEUE, "photos", Some("123456789012")).is_some());
        assert!(grants_s3_send(&view, QUEUE, "other", Some("123456789012")).is_none());
        assert!(grants_s3_send(
            &view,
            "arn:aws:sqs:us-east-1:123456789012:cold",
            "photos",
            None
        )
        .is_none());
    }

    #[test]
    fn a_queue_without_a_policy_gets_one_and_others_are_kept() {
        let q = queue();
        let d = desired(&q);
        let fresh = d.policy_with_statement(None);
        assert_eq!(fresh["Statement"].as_array().map(Vec::len), Some(1));
        let mut theirs = fresh.clone();
        theirs["Statement"].as_array_mut().expect("list").insert(
            0,
            json!({"Sid": "theirs", "Effect": "Allow", "Principal": "*", "Action": "sqs:*"}),
        );
        let merged = d.policy_with_statement(Some(&theirs));
        assert_eq!(merged["Statement"].as_array().map(Vec::len), Some(2));
        assert_eq!(merged["Statement"][0]["Sid"], "theirs");
    }

    #[test]
    fn lambdas_defaults_are_spelt_out() {
        let m = with_defaults(&QueueMapping::default());
        assert_eq!(m.batch_size, Some(10));
        assert_eq!(m.maximum_batching_window_seconds, Some(0));
        assert_eq!(m.maximum_concurrency, None);
        assert!(m.enabled);
        assert!(is_aws_managed_key("alias/aws/sqs"));
        assert!(!is_aws_managed_key("alias/hot"));
    }
}

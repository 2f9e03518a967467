//! SQS buffering (docs/rules.md §16):
//! - `invalid-queue-arn` (error): not `arn:aws:sqs:REGION:ACCOUNT:NAME`, or
//!   a FIFO queue (`.fifo`), which S3 cannot send to;
//! - `region-mismatch` (error, §4): S3 sends only to queues in the
//!   bucket's own region;
//! - `queue-aws-managed-key` (error): a queue encrypted with SQS's
//!   AWS-managed key (`alias/aws/sqs`) receives nothing from S3;
//! - `queue-policy-denies-s3` (warning, with the queue's live policy): no
//!   statement lets `s3.amazonaws.com` send for the bucket (fix: the
//!   statement apply writes); `permission-without-source-arn` /
//!   `-account` (§6) when the statement is broader;
//! - `role-cannot-consume-queue` (warning, with the role's live
//!   policies): the polling function's role may not receive, delete or
//!   read the attributes of the queue's messages, so Lambda refuses the
//!   mapping (fix: the consume policy apply writes);
//! - `visibility-timeout-too-short` (error when below the function's
//!   timeout, which Lambda refuses; warning below six times it, AWS's
//!   guidance);
//! - `no-dead-letter-queue` (warning): without a redrive policy a message
//!   that keeps failing is retried until it expires;
//! - `invalid-queue-settings` (error): a mapping or queue setting out of
//!   the range AWS takes;
//! - `partial-batch-failures-off` (info), `disabled-mapping` (info);
//! - `incomplete-configuration` (warning, §2): a queue no filter sends to,
//!   or that no function polls;
//! - `conflicting-queue-cards` (error): cards naming one queue drawn with
//!   different functions polling it (a queue has one).

use super::finding;
use crate::checks::finding::{Finding, Fix, Severity};
use crate::desired::context::Context;
use crate::desired::queues::{
    grants_s3_send, is_aws_managed_key, DesiredQueue, CONSUME_ACTIONS, DEFAULT_VISIBILITY_TIMEOUT,
};
use crate::model::document::{arn_parts, Queue};
use crate::model::policy::evaluate::evaluate;

const ARN: &str = "invalid-queue-arn";
const REGION: &str = "region-mismatch";
const KEY: &str = "queue-aws-managed-key";
const DENIES: &str = "queue-policy-denies-s3";
const CONSUME: &str = "role-cannot-consume-queue";
const VISIBILITY: &str = "visibility-timeout-too-short";
const DLQ: &str = "no-dead-letter-queue";
const SETTINGS: &str = "invalid-queue-settings";
const PARTIAL: &str = "partial-batch-failures-off";
const DISABLED: &str = "disabled-mapping";
const INCOMPLETE: &str = "incomplete-configuration";
const CARDS: &str = "conflicting-queue-cards";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut pollers: std::collections::BTreeMap<&str, Vec<(&Queue, String)>> =
        std::collections::BTreeMap::new();
    for queue in ctx.wiring.queues() {
        one_queue(ctx, queue, out);
        if let Some(f) = ctx.wiring.consumer_of(&queue.id) {
            let endpoint = crate::model::permission::target_arn(&f.arn, f.qualifier.as_deref());
            pollers
                .entry(&queue.arn)
                .or_default()
                .push((queue, endpoint.into_owned()));
        }
    }
    // One queue, one truth: its cards must agree on its function.
    for (arn, cards) in pollers {
        let mut functions: Vec<&str> = cards.iter().map(|(_, f)| f.as_str()).collect();
        functions.sort_unstable();
        functions.dedup();
        if functions.len() > 1 {
            out.push(finding(
                CARDS,
                Severity::Error,
                format!(
                    "queue \"{}\" is drawn on {} cards polled by different functions ({}); a queue is polled for one function, so the plan cannot tell which one you mean",
                    cards[0].0.name(),
                    cards.len(),
                    functions.join(", ")
                ),
                cards.iter().map(|(q, _)| q.id.clone()).collect(),
                vec![arn.to_string()],
            ));
        }
    }
    for (config, filter, queue) in ctx.sends() {
        if let Some(region) = queue.region().filter(|r| *r != config.bucket.region) {
            out.push(finding(
                REGION,
                Severity::Error,
                format!(
                    "bucket \"{}\" is in {} but queue \"{}\" (filter \"{}\") is in {region}; S3 only sends to queues in the bucket's own region",
                    config.bucket.name, config.bucket.region, queue.name(), filter.configuration_id
                ),
                vec![config.bucket.id.clone(), queue.id.clone()],
                vec![config.bucket.name.clone(), filter.configuration_id.clone(), queue.arn.clone()],
            ));
        }
    }
    for desired in crate::desired::queues::queues(ctx) {
        send_grants(ctx, &desired, out);
        consume_grants(ctx, &desired, out);
        visibility(ctx, &desired, out);
    }
}

fn one_queue(ctx: &Context<'_>, queue: &Queue, out: &mut Vec<Finding>) {
    let label = format!("queue \"{}\"", queue.name());
    let here = || vec![queue.id.clone()];
    let subjects = || vec![queue.arn.clone()];
    match arn_parts(&queue.arn, "sqs") {
        None => out.push(finding(
            ARN,
            Severity::Error,
            format!(
                "{label}: \"{}\" is not a queue ARN (expected arn:aws:sqs:REGION:ACCOUNT:NAME)",
                queue.arn
            ),
            here(),
            subjects(),
        )),
        Some((_, _, name)) if name.ends_with(".fifo") => out.push(finding(
            ARN,
            Severity::Error,
            format!("{label} is a FIFO queue; S3 sends its events to standard queues only (route through EventBridge, or use a standard queue)"),
            here(),
            subjects(),
        )),
        Some(_) => {}
    }
    let fed = !ctx.wiring.upstream(&queue.id).is_empty();
    let polled = ctx.wiring.consumer_of(&queue.id).is_some();
    let missing = match (fed, polled) {
        (true, true) => None,
        (false, true) => Some("no filter sends to it"),
        (true, false) => Some("no function polls it, so its messages wait until they expire"),
        (false, false) => Some("no filter sends to it and no function polls it"),
    };
    if let Some(missing) = missing {
        out.push(finding(
            INCOMPLETE,
            Severity::Warning,
            format!("{label}: {missing}"),
            here(),
            subjects(),
        ));
    }
    let live = ctx.live_queue(&queue.arn);
    let key = queue
        .kms_master_key_id
        .as_deref()
        .or_else(|| live.and_then(|l| l.kms_master_key_id.as_deref()));
    if let Some(key) = key.filter(|k| is_aws_managed_key(k)) {
        out.push(finding(
            KEY,
            Severity::Error,
            format!(
                "{label} is encrypted with SQS's AWS-managed key ({key}); S3 cannot use that key, so none of its events reach the queue. Encrypt it with a customer-managed key whose key policy lets s3.amazonaws.com use kms:GenerateDataKey and kms:Decrypt, with SQS-managed encryption (SSE-SQS), or not at all"
            ),
            here(),
            vec![queue.arn.clone(), key.to_string()],
        ));
    }
    let dead_letter = queue
        .dead_letter
        .as_ref()
        .or_else(|| live.and_then(|l| l.dead_letter.as_ref()));
    // Checked once the document or the account says: a queue drawn by hand
    // that names no dead-letter queue gets one asked for.
    if dead_letter.is_none() {
        out.push(finding(
            DLQ,
            Severity::Warning,
            format!("{label} has no dead-letter queue: a message its function keeps failing on is retried until the queue's retention expires (4 days by default), then lost. Give it a dead-letter queue (a redrive policy)"),
            here(),
            subjects(),
        ));
    }
    settings(queue, &label, out);
}

/// Settings out of the range SQS and Lambda take.
fn settings(queue: &Queue, label: &str, out: &mut Vec<Finding>) {
    let m = &queue.mapping;
    let mut problems = Vec::new();
    if let Some(b) = m.batch_size.filter(|b| !(1..=10_000).contains(b)) {
        problems.push(format!("batch size {b} is not 1 to 10,000"));
    }
    if let Some(w) = m.maximum_batching_window_seconds.filter(|w| *w > 300) {
        problems.push(format!("batching window {w} s is over 300 s"));
    }
    if m.batch_size.is_some_and(|b| b > 10) && m.maximum_batching_window_seconds.unwrap_or(0) < 1 {
        problems.push("a batch size over 10 needs a batching window of at least 1 s".to_string());
    }
    if let Some(c) = m.maximum_concurrency.filter(|c| !(2..=1000).contains(c)) {
        problems.push(format!("maximum concurrency {c} is not 2 to 1,000"));
    }
    if let Some(v) = queue.visibility_timeout_seconds.filter(|v| *v > 43_200) {
        problems.push(format!(
            "visibility timeout {v} s is over 12 hours (43,200 s)"
        ));
    }
    if let Some(d) = queue
        .dead_letter
        .as_ref()
        .filter(|d| !(1..=1000).contains(&d.max_receive_count))
    {
        problems.push(format!(
            "the dead-letter queue's maximum receive count {} is not 1 to 1,000",
            d.max_receive_count
        ));
    }
    for problem in problems {
        out.push(finding(
            SETTINGS,
            Severity::Error,
            format!("{label}: {problem}"),
            vec![queue.id.clone()],
            vec![queue.arn.clone()],
        ));
    }
    if !m.report_batch_item_failures {
        out.push(finding(
            PARTIAL,
            Severity::Info,
            format!("{label}: its function does not report batch item failures, so one failed message makes the whole batch come back (and the messages that succeeded run again); turn ReportBatchItemFailures on and return the failed message ids"),
            vec![queue.id.clone()],
            vec![queue.arn.clone()],
        ));
    }
    if !m.enabled {
        out.push(finding(
            DISABLED,
            Severity::Info,
            format!("{label}: its mapping is disabled, so Lambda does not poll it and its messages wait"),
            vec![queue.id.clone()],
            vec![queue.arn.clone()],
        ));
    }
}

/// The queue's policy as read, for each bucket sending to it.
fn send_grants(ctx: &Context<'_>, desired: &DesiredQueue<'_>, out: &mut Vec<Finding>) {
    let Some(live) = ctx.live_queue(desired.arn()) else {
        return;
    };
    let queue = desired.queue;
    super::delivery::check_grants(
        ctx,
        &super::delivery::Destination {
            kind: "queue",
            verb: "send",
            arn: &queue.arn,
            name: queue.name(),
            account: queue.account(),
            cards: &desired.cards,
            buckets: &desired.buckets,
            policy: live.policy.as_ref(),
            sid: crate::desired::queues::SEND_SID,
            deny_rule: DENIES,
            grants: &|st, bucket, account| grants_s3_send(st, &queue.arn, bucket, account),
            fix: &|| crate::desired::queues::queue_attributes_change(desired, Some(live)),
        },
        out,
    );
}

/// Whether the polling function's role, as read, may consume the queue.
fn consume_grants(ctx: &Context<'_>, desired: &DesiredQueue<'_>, out: &mut Vec<Finding>) {
    let Some((function, _)) = &desired.consumer else {
        return;
    };
    let Some(role_arn) = function.role.as_deref() else {
        return;
    };
    let Some(role) = ctx.live_role(role_arn) else {
        return;
    };
    let docs: Vec<_> = role.policies.iter().map(|p| &p.document).collect();
    let missing: Vec<&str> = CONSUME_ACTIONS
        .iter()
        .copied()
        .filter(|a| !evaluate(docs.iter().copied(), a, desired.arn()).allowed())
        .collect();
    if missing.is_empty() {
        return;
    }
    let mut f = finding(
        CONSUME,
        Severity::Warning,
        format!(
            "the role of function \"{}\" may not {} on queue \"{}\", so Lambda refuses to poll it for the function. Apply writes the inline policy {} before it makes the mapping",
            function.name(),
            missing.join(", "),
            desired.queue.name(),
            crate::desired::queues::CONSUME_POLICY_NAME
        ),
        desired
            .cards
            .iter()
            .map(|c| (*c).clone())
            .chain([function.id.clone()])
            .collect(),
        vec![desired.queue.arn.clone(), role_arn.to_string()],
    );
    let queues = [desired.arn()].into_iter().collect();
    f.fix = crate::desired::queues::consume_policy_change(role_arn, &queues, Some(role)).map(|c| {
        Fix::Apply {
            changes: vec![c].into(),
        }
    });
    out.push(f);
}

/// The queue's visibility timeout against its function's timeout.
fn visibility(ctx: &Context<'_>, desired: &DesiredQueue<'_>, out: &mut Vec<Finding>) {
    let Some((function, _)) = &desired.consumer else {
        return;
    };
    let Some(timeout) = ctx
        .live_function(&function.arn)
        .and_then(|f| f.timeout_seconds)
    else {
        return;
    };
    let live = ctx.live_queue(desired.arn());
    let visibility = desired
        .queue
        .visibility_timeout_seconds
        .or_else(|| live.and_then(|l| l.visibility_timeout_seconds))
        .unwrap_or(DEFAULT_VISIBILITY_TIMEOUT);
    let label = format!("queue \"{}\"", desired.queue.name());
    let (severity, consequence) = if visibility < timeout {
        (Severity::Error, "Lambda refuses a mapping whose queue hides a message for less time than the function may run")
    } else if visibility < 6 * timeout {
        (Severity::Warning, "AWS advises at least six times the function's timeout, or a message still being worked on (or retried after throttling) is handed out again")
    } else {
        return;
    };
    out.push(finding(
        VISIBILITY,
        severity,
        format!(
            "{label} hides a received message for {visibility} s, but function \"{}\" may run for {timeout} s: {consequence}. Set the visibility timeout to {} s or more",
            function.name(),
            6 * timeout
        ),
        desired
            .cards
            .iter()
            .map(|c| (*c).clone())
            .chain([function.id.clone()])
            .collect(),
        vec![desired.queue.arn.clone(), function.arn.clone()],
    ));
}

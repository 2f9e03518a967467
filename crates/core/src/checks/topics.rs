//! SNS fan-out (docs/rules.md §15):
//! - `invalid-topic-arn` (error): not `arn:aws:sns:REGION:ACCOUNT:NAME`, or
//!   a FIFO topic (`.fifo`), which S3 cannot publish to;
//! - `region-mismatch` (error, §4): S3 publishes only to topics in the
//!   bucket's own region;
//! - `topic-aws-managed-key` (error): a topic encrypted with SNS's
//!   AWS-managed key (`alias/aws/sns`) receives nothing from S3, whose
//!   deliveries cannot use that key;
//! - `topic-policy-denies-s3` (warning, with the topic's live policy): no
//!   statement lets `s3.amazonaws.com` publish for the bucket, so S3
//!   refuses the configuration (fix: the statement apply writes);
//! - `permission-without-source-arn` / `permission-without-source-account`
//!   (warning, §6): the statement letting S3 publish is broader than the
//!   bucket and its account;
//! - `missing-sns-permission` (warning, with the function's live policy):
//!   no statement lets `sns.amazonaws.com` invoke a subscribed function for
//!   this topic, so every delivery fails (fix: the statement apply adds);
//! - `incomplete-configuration` (warning, §2): a topic no filter publishes
//!   to, or with no function subscribed, delivers nothing Bucketwire draws.

use super::finding;
use crate::checks::finding::{Finding, Fix, Severity};
use crate::desired::context::Context;
use crate::desired::topics::{grants_s3_publish, is_aws_managed_key, DesiredTopic};
use crate::model::document::sns_arn_parts;

const ARN: &str = "invalid-topic-arn";
const REGION: &str = "region-mismatch";
const KEY: &str = "topic-aws-managed-key";
const DENIES: &str = "topic-policy-denies-s3";
const PERMISSION: &str = "missing-sns-permission";
const INCOMPLETE: &str = "incomplete-configuration";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for topic in ctx.wiring.topics() {
        let label = format!("topic \"{}\"", topic.name());
        match sns_arn_parts(&topic.arn) {
            None => out.push(finding(
                ARN,
                Severity::Error,
                format!(
                    "{label}: \"{}\" is not a topic ARN (expected arn:aws:sns:REGION:ACCOUNT:NAME)",
                    topic.arn
                ),
                vec![topic.id.clone()],
                vec![topic.arn.clone()],
            )),
            Some((_, _, name)) if name.ends_with(".fifo") => out.push(finding(
                ARN,
                Severity::Error,
                format!("{label} is a FIFO topic; S3 publishes its events to standard topics only (route through EventBridge, or use a standard topic)"),
                vec![topic.id.clone()],
                vec![topic.arn.clone()],
            )),
            Some(_) => {}
        }
        let publishers = ctx.wiring.upstream(&topic.id);
        let subscribers = ctx.wiring.subscribers_of(&topic.id);
        let missing = match (publishers.is_empty(), subscribers.is_empty()) {
            (false, false) => None,
            (true, false) => Some("no filter publishes to it"),
            (false, true) => Some("no function is subscribed to it"),
            (true, true) => Some("no filter publishes to it and no function is subscribed to it"),
        };
        if let Some(missing) = missing {
            out.push(finding(
                INCOMPLETE,
                Severity::Warning,
                format!("{label}: {missing}, so it delivers nothing"),
                vec![topic.id.clone()],
                vec![topic.arn.clone()],
            ));
        }
        let key = topic.kms_master_key_id.as_deref().or_else(|| {
            ctx.live_topic(&topic.arn)
                .and_then(|l| l.kms_master_key_id.as_deref())
        });
        if let Some(key) = key.filter(|k| is_aws_managed_key(k)) {
            out.push(finding(
                KEY,
                Severity::Error,
                format!(
                    "{label} is encrypted with SNS's AWS-managed key ({key}); S3 cannot use that key, so none of its events reach the topic. Encrypt it with a customer-managed key whose key policy lets s3.amazonaws.com use kms:GenerateDataKey and kms:Decrypt, or turn encryption off"
                ),
                vec![topic.id.clone()],
                vec![topic.arn.clone(), key.to_string()],
            ));
        }
    }
    for (config, filter, topic) in ctx.publications() {
        if let Some(region) = topic.region().filter(|r| *r != config.bucket.region) {
            out.push(finding(
                REGION,
                Severity::Error,
                format!(
                    "bucket \"{}\" is in {} but topic \"{}\" (filter \"{}\") is in {region}; S3 only publishes to topics in the bucket's own region",
                    config.bucket.name, config.bucket.region, topic.name(), filter.configuration_id
                ),
                vec![config.bucket.id.clone(), topic.id.clone()],
                vec![config.bucket.name.clone(), filter.configuration_id.clone(), topic.arn.clone()],
            ));
        }
    }
    for desired in crate::desired::topics::topics(ctx) {
        publish_grants(ctx, &desired, out);
        subscriber_permissions(ctx, &desired, out);
    }
}

/// The topic's policy as read, for each bucket publishing to it.
fn publish_grants(ctx: &Context<'_>, desired: &DesiredTopic<'_>, out: &mut Vec<Finding>) {
    let Some(live) = ctx.live_topic(desired.arn()) else {
        return;
    };
    let topic = desired.topic;
    super::delivery::check_grants(
        ctx,
        &super::delivery::Destination {
            kind: "topic",
            verb: "publish",
            arn: &topic.arn,
            name: topic.name(),
            account: topic.account(),
            cards: &desired.cards,
            buckets: &desired.buckets,
            policy: live.policy.as_ref(),
            sid: crate::desired::topics::PUBLISH_SID,
            deny_rule: DENIES,
            grants: &|st, bucket, account| grants_s3_publish(st, &topic.arn, bucket, account),
            fix: &|| crate::desired::topics::policy_change(desired, Some(live)),
        },
        out,
    );
}

/// Each subscriber's policy as read.
fn subscriber_permissions(ctx: &Context<'_>, desired: &DesiredTopic<'_>, out: &mut Vec<Finding>) {
    let topic = desired.topic;
    for subscriber in &desired.subscribers {
        let Some(live) = ctx.live_function(&subscriber.function.arn) else {
            continue;
        };
        let Some((stale, add)) = crate::desired::topics::sns_permission(topic, subscriber, live)
        else {
            continue;
        };
        let mut f = finding(
            PERMISSION,
            Severity::Warning,
            format!(
                "function \"{}\" does not let SNS invoke it for topic \"{}\" (sns.amazonaws.com, with the topic's ARN as SourceArn), so every event the topic delivers to it fails. Apply adds statement {} before it subscribes the function",
                subscriber.endpoint,
                topic.name(),
                subscriber.statement_id(topic)
            ),
            desired
                .cards
                .iter()
                .map(|c| (*c).clone())
                .chain([subscriber.function.id.clone()])
                .collect(),
            vec![topic.arn.clone(), subscriber.endpoint.to_string()],
        );
        f.fix = Some(Fix::Apply {
            changes: stale.into_iter().chain([add]).collect(),
        });
        out.push(f);
    }
}

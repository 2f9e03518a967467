//! What a document asks of SNS (docs/rules.md §15): each topic with the
//! buckets that publish to it (their filters are `TopicConfigurations`
//! entries), the statement of its access policy that lets S3 publish for
//! exactly those buckets (`aws:SourceArn` and `aws:SourceAccount`), its
//! Lambda subscriptions, and the permission each subscribed function needs
//! so that SNS may invoke it for that topic (principal `sns.amazonaws.com`,
//! the topic's ARN as `SourceArn`). The exports write these out; the
//! planner diffs them.
//!
//! One topic, one truth: two cards naming one topic ARN are one topic here
//! (their buckets and subscribers pooled).

use crate::desired::change::Change;
use crate::desired::context::Context;
use crate::desired::delivery_policy::{add_sender, settle_senders};
use crate::model::document::{Function, NodeId, Topic};
use crate::model::document::{LiveFunction, LiveTopic};
use crate::model::permission::{clean_id, target_arn, SID_PREFIX};
use crate::model::permission::{grants_service_invoke, Invoker};
use crate::model::policy::compact::StatementView;
use serde_json::{json, Value};
use std::borrow::Cow;

/// The `Sid` of the statement Bucketwire writes into a topic's policy.
pub const PUBLISH_SID: &str = "bucketwire-s3-publish";

/// The service principal SNS invokes subscribed functions as.
pub const SNS_PRINCIPAL: &str = "sns.amazonaws.com";

/// The AWS-managed key for SNS, which S3 cannot use (§15).
pub const AWS_MANAGED_KEY: &str = "alias/aws/sns";

/// One topic as the document asks for it.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredTopic<'a> {
    /// The topic (its first card).
    pub topic: &'a Topic,
    /// Every card naming it.
    pub cards: Vec<&'a NodeId>,
    /// The buckets publishing to it, sorted and unique.
    pub buckets: Vec<&'a str>,
    /// The accounts S3 publishes for: the buckets' own where known, else
    /// the topic's (sorted, unique).
    pub accounts: Vec<&'a str>,
    /// The functions subscribed to it, one per endpoint, in document order.
    pub subscribers: Vec<Subscriber<'a>>,
}

/// One Lambda subscription: a function, possibly an alias or version.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscriber<'a> {
    /// The function.
    pub function: &'a Function,
    /// The subscription's endpoint: the ARN invoked (qualified for an
    /// alias or version).
    pub endpoint: Cow<'a, str>,
}

impl DesiredTopic<'_> {
    /// The ARN.
    pub fn arn(&self) -> &str {
        &self.topic.arn
    }

    /// The statement Bucketwire writes into the topic's policy: S3 may
    /// publish for exactly the document's buckets and their accounts.
    pub fn publish_statement(&self) -> Value {
        crate::desired::delivery_policy::s3_statement(
            PUBLISH_SID,
            "SNS:Publish",
            &self.topic.arn,
            &self.buckets,
            &self.accounts,
        )
    }

    /// The topic's policy with Bucketwire's statement as the document
    /// wants it: `current`'s statements kept (its own replaced), or SNS's
    /// default statement for the account when the topic has none yet. The
    /// policy language is the current one (`2012-10-17`; SNS's default
    /// policy says `2008-10-17`, which IAM linters flag).
    pub fn policy_with_statement(&self, current: Option<&Value>) -> Value {
        let default = json!({
            "Id": "__default_policy_ID",
            "Statement": [default_statement(&self.topic.arn, self.topic.account().unwrap_or_default())]
        });
        crate::desired::delivery_policy::with_statement(current, default, self.publish_statement())
    }
}

/// The statement SNS puts in a new topic's policy: the owner account's
/// principals may use it.
fn default_statement(topic: &str, account: &str) -> Value {
    json!({
        "Sid": "__default_statement_ID",
        "Effect": "Allow",
        "Principal": { "AWS": "*" },
        "Action": [
            "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
            "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
            "SNS:ListSubscriptionsByTopic", "SNS:Publish"
        ],
        "Resource": topic,
        "Condition": { "StringEquals": { "AWS:SourceOwner": account } }
    })
}

impl Subscriber<'_> {
    /// The statement id of the permission that lets `topic` invoke this
    /// subscriber: `bucketwire-sns-TOPIC`, at most 100 characters.
    pub fn statement_id(&self, topic: &Topic) -> String {
        clean_id(&format!("{SID_PREFIX}sns-{}", topic.name()), 100)
    }

    /// The permission statement, as Lambda stores it: SNS may invoke the
    /// endpoint for `topic` only.
    pub fn statement(&self, topic: &Topic) -> Value {
        json!({
            "Sid": self.statement_id(topic),
            "Effect": "Allow",
            "Principal": { "Service": SNS_PRINCIPAL },
            "Action": "lambda:InvokeFunction",
            "Resource": self.endpoint,
            "Condition": { "ArnLike": { "AWS:SourceArn": topic.arn } },
        })
    }
}

/// Every topic of the document (by ARN, in document order of first card)
/// with the buckets publishing to it and its subscribers.
pub fn topics<'a>(ctx: &Context<'a>) -> Vec<DesiredTopic<'a>> {
    let mut out: Vec<DesiredTopic<'a>> = Vec::new();
    let mut index: rustc_hash::FxHashMap<&'a str, usize> = rustc_hash::FxHashMap::default();
    for topic in ctx.wiring.topics() {
        let i = *index.entry(&topic.arn).or_insert_with(|| {
            out.push(DesiredTopic {
                topic,
                cards: Vec::new(),
                buckets: Vec::new(),
                accounts: Vec::new(),
                subscribers: Vec::new(),
            });
            out.len() - 1
        });
        let desired = &mut out[i];
        desired.cards.push(&topic.id);
        for function in ctx.wiring.subscribers_of(&topic.id) {
            let endpoint = target_arn(&function.arn, function.qualifier.as_deref());
            if !desired.subscribers.iter().any(|s| s.endpoint == endpoint) {
                desired.subscribers.push(Subscriber { function, endpoint });
            }
        }
    }
    for (config, _, topic) in ctx.publications() {
        let Some(&i) = index.get(topic.arn.as_str()) else {
            continue;
        };
        let desired = &mut out[i];
        let owner = desired.topic.account();
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

/// How a topic-policy statement relates to "S3 may publish to TOPIC for
/// BUCKET" ([`crate::model::permission::grants_s3_delivery`]).
pub fn grants_s3_publish<'s>(
    st: &StatementView<'s>,
    topic: &str,
    bucket: &str,
    account: Option<&str>,
) -> Option<crate::model::permission::InvokeGrant<'s>> {
    crate::model::permission::grants_s3_delivery(st, "sns:Publish", topic, bucket, account)
}

/// Whether `key` (a `KmsMasterKeyId`) is SNS's AWS-managed key, which S3
/// cannot use to publish (§15): `alias/aws/sns`, or its alias ARN.
pub fn is_aws_managed_key(key: &str) -> bool {
    key == AWS_MANAGED_KEY || key.ends_with(":alias/aws/sns")
}

/// The topic's change: created when missing; its policy when S3 may not
/// publish for one of its buckets, or Bucketwire's statement says other
/// than the document; its key when the document names another.
pub(crate) fn topic_change(
    desired: &DesiredTopic<'_>,
    found: Option<&LiveTopic>,
) -> Option<Change> {
    let key = desired.topic.kms_master_key_id.as_ref();
    let Some(live) = found else {
        return Some(policy_change(desired, None));
    };
    let policy = policy_needed(desired, live).then(|| {
        let current = live.policy.as_ref().map(|p| p.to_value());
        desired.policy_with_statement(current.as_ref())
    });
    let key = key.filter(|k| live.kms_master_key_id.as_ref() != Some(*k));
    (policy.is_some() || key.is_some()).then(|| Change::PutTopic {
        arn: desired.arn().to_string(),
        region: desired.topic.region().unwrap_or_default().to_string(),
        policy,
        kms_master_key_id: key.cloned(),
        previous: Some(Box::new(live.clone())),
    })
}

/// Whether the topic's policy must change ([`policy_needed`]).
///
/// [`policy_needed`]: crate::desired::delivery_policy::policy_needed
fn policy_needed(desired: &DesiredTopic<'_>, live: &LiveTopic) -> bool {
    crate::desired::delivery_policy::policy_needed(
        live.policy.as_ref(),
        PUBLISH_SID,
        &desired.publish_statement(),
        &desired.buckets,
        desired.accounts.first().copied(),
        &|st, bucket, account| grants_s3_publish(st, desired.arn(), bucket, account).is_some(),
    )
}

/// The change that writes Bucketwire's statement into the topic's policy
/// as read (`live`), or creates the topic with it when it does not exist:
/// the one place that decides it, for the plan and for the
/// `topic-policy-denies-s3` finding's fix.
pub(crate) fn policy_change(desired: &DesiredTopic<'_>, live: Option<&LiveTopic>) -> Change {
    let current = live.and_then(|l| l.policy.as_ref()).map(|p| p.to_value());
    Change::PutTopic {
        arn: desired.arn().to_string(),
        region: desired.topic.region().unwrap_or_default().to_string(),
        policy: Some(desired.policy_with_statement(current.as_ref())),
        kms_master_key_id: desired
            .topic
            .kms_master_key_id
            .clone()
            .filter(|k| live.is_none_or(|l| l.kms_master_key_id.as_ref() != Some(k))),
        previous: live.cloned().map(Box::new),
    }
}

/// What lets `topic` invoke `subscriber`, given the function as read:
/// `None` when a statement already grants it, else the statement to add,
/// with the removal of a stale statement under the same Sid first. The one
/// place that decides it, for the plan and for the
/// `missing-sns-permission` finding's fix.
pub(crate) fn sns_permission(
    topic: &Topic,
    subscriber: &Subscriber<'_>,
    function: &LiveFunction,
) -> Option<(Option<Change>, Change)> {
    let statements = &function.policy_statements;
    if statements
        .iter()
        .any(|st| grants_service_invoke(st, Invoker::Sns, &subscriber.endpoint, &topic.arn))
    {
        return None;
    }
    let sid = subscriber.statement_id(topic);
    let stale = statements
        .iter()
        .find(|st| st.sid() == Some(sid.as_str()) && st.first_resource() == subscriber.endpoint)
        .map(|stale| Change::RemovePermission {
            function_arn: subscriber.endpoint.to_string(),
            statement_id: sid.clone(),
            statement: stale.clone(),
        });
    let add = Change::AddPermission {
        function_arn: subscriber.endpoint.to_string(),
        statement_id: sid,
        statement: subscriber.statement(topic).into(),
    };
    Some((stale, add))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policy::compact::PolicyStatement;

    const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:uploads";

    fn grants(st: Value, bucket: &str) -> bool {
        let st = PolicyStatement::from(st);
        st.view()
            .and_then(|v| grants_s3_publish(&v, TOPIC, bucket, Some("123456789012")))
            .is_some()
    }

    #[test]
    fn the_default_statement_does_not_let_s3_publish() {
        assert!(!grants(default_statement(TOPIC, "123456789012"), "photos"));
    }

    fn topic() -> Topic {
        Topic {
            id: NodeId::new("t"),
            arn: TOPIC.into(),
            kms_master_key_id: None,
        }
    }

    fn desired<'a>(topic: &'a Topic, buckets: &[&'a str]) -> DesiredTopic<'a> {
        DesiredTopic {
            topic,
            cards: Vec::new(),
            buckets: buckets.to_vec(),
            accounts: vec!["123456789012"],
            subscribers: Vec::new(),
        }
    }

    #[test]
    fn a_statement_for_s3_is_read_with_its_conditions() {
        let topic = topic();
        let ours = |buckets: &[&str]| desired(&topic, buckets).publish_statement();
        assert!(grants(ours(&["photos"]), "photos"));
        assert!(!grants(ours(&["photos"]), "other"));
        assert!(grants(ours(&["docs", "photos"]), "docs"));
        // The console's statement: any bucket (arn:aws:s3:*:*:*).
        let console = json!({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "SNS:Publish", "Resource": TOPIC,
            "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:*:*:*"}}});
        assert!(grants(console, "photos"));
        // Another topic's statement.
        let elsewhere = json!({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "sns:publish", "Resource": "arn:aws:sns:us-east-1:123456789012:other"});
        assert!(!grants(elsewhere, "photos"));
    }

    #[test]
    fn the_policy_keeps_other_statements_and_replaces_its_own() {
        let topic = topic();
        let desired = desired(&topic, &["photos"]);
        let fresh = desired.policy_with_statement(None);
        let sids: Vec<_> = fresh["Statement"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|s| s["Sid"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(sids, ["__default_statement_ID", PUBLISH_SID]);
        let mut stale = fresh.clone();
        stale["Statement"][1]["Condition"]["ArnLike"]["aws:SourceArn"] = json!("arn:aws:s3:::old");
        assert_eq!(desired.policy_with_statement(Some(&stale)), fresh);
    }

    #[test]
    fn the_aws_managed_key_is_told_by_alias() {
        assert!(is_aws_managed_key("alias/aws/sns"));
        assert!(is_aws_managed_key(
            "arn:aws:kms:us-east-1:123456789012:alias/aws/sns"
        ));
        assert!(!is_aws_managed_key("alias/uploads"));
        assert!(!is_aws_managed_key(
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        ));
    }
}

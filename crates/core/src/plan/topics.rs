//! The plan's part for SNS topics (docs/rules.md §15): for each topic of
//! the document, as [`crate::desired::topics`] gives it, the permission each
//! subscribed function needs for the topic, the topic itself (created when
//! missing; its policy letting S3 publish for its buckets; its key), then
//! its Lambda subscriptions. The document is the truth for a topic's Lambda
//! subscriptions, as it is for a bucket's Lambda entries: one the document
//! does not draw is removed. Subscriptions of other protocols, and the
//! statements of the topic's policy Bucketwire did not write, are kept.
//! Topics the document does not have are never touched.

use crate::desired::change::Change;
use crate::desired::topics::DesiredTopic;
use crate::desired::topics::{sns_permission, topic_change};
use crate::live::LiveState;
use crate::model::document::LiveTopic;
use crate::plan::event_rules::Functions;
use rustc_hash::FxHashMap;

/// What the plan does for the document's topics, by place in the safe
/// order.
#[derive(Default)]
pub(crate) struct TopicChanges {
    /// Stale statements under a Sid the plan adds again (removed first).
    pub replace_first: Vec<Change>,
    /// Permissions for the topics to invoke their subscribers.
    pub permissions: Vec<Change>,
    /// The topics (before the buckets publish to them), then their
    /// subscriptions.
    pub topics: Vec<Change>,
    /// Subscriptions the document dropped (with the other removals).
    pub unsubscribes: Vec<Change>,
}

/// Plans the document's topics against `live`: those with a bucket this
/// plan writes (`planned`) publishing to them.
pub(crate) fn topic_changes(
    topics: &[DesiredTopic<'_>],
    live: &LiveState,
    functions: &Functions<'_>,
    planned: &dyn Fn(&str) -> bool,
) -> TopicChanges {
    let mut out = TopicChanges::default();
    let live_topics: FxHashMap<&str, &LiveTopic> =
        live.topics.iter().map(|t| (t.arn.as_str(), t)).collect();
    for desired in topics {
        if !desired.buckets.iter().any(|b| planned(b)) {
            continue;
        }
        let found = live_topics.get(desired.arn()).copied();
        for subscriber in &desired.subscribers {
            // A missing function blocks the topic's buckets (its finding).
            let Some(function) = functions.get(subscriber.function.arn.as_str()) else {
                continue;
            };
            if let Some((stale, add)) = sns_permission(desired.topic, subscriber, function) {
                out.replace_first.extend(stale);
                out.permissions.push(add);
            }
        }
        if let Some(change) = topic_change(desired, found) {
            out.topics.push(change);
        }
        let have = found.map_or(&[][..], |l| l.subscriptions.as_slice());
        for subscriber in &desired.subscribers {
            let subscribed = have
                .iter()
                .any(|s| s.protocol == "lambda" && s.endpoint == subscriber.endpoint);
            if !subscribed {
                out.topics.push(Change::Subscribe {
                    topic_arn: desired.arn().to_string(),
                    endpoint: subscriber.endpoint.to_string(),
                });
            }
        }
        for stale in have.iter().filter(|s| {
            s.protocol == "lambda" && !desired.subscribers.iter().any(|w| w.endpoint == s.endpoint)
        }) {
            out.unsubscribes.push(Change::Unsubscribe {
                topic_arn: desired.arn().to_string(),
                subscription_arn: stale.arn.clone(),
                endpoint: stale.endpoint.clone(),
            });
        }
    }
    out
}

/// The account after the topic changes run (the planner's model of apply).
pub(crate) fn apply_topic_change(next: &mut LiveState, change: &Change) {
    match change {
        Change::PutTopic {
            arn,
            policy,
            kms_master_key_id,
            ..
        } => {
            let i = match next.topics.iter().position(|t| &t.arn == arn) {
                Some(i) => i,
                None => {
                    next.topics.push(LiveTopic {
                        arn: arn.clone(),
                        policy: None,
                        kms_master_key_id: None,
                        subscriptions: Vec::new(),
                    });
                    next.topics.len() - 1
                }
            };
            let topic = &mut next.topics[i];
            if let Some(policy) = policy {
                topic.policy = Some(crate::model::policy::compact::PolicyDocument::from(policy));
            }
            if let Some(key) = kms_master_key_id {
                topic.kms_master_key_id = Some(key.clone());
            }
        }
        Change::Subscribe {
            topic_arn,
            endpoint,
        } => {
            if let Some(t) = next.topics.iter_mut().find(|t| &t.arn == topic_arn) {
                t.subscriptions
                    .push(crate::model::document::LiveSubscription {
                        arn: format!("{topic_arn}:planned"),
                        protocol: "lambda".into(),
                        endpoint: endpoint.clone(),
                    });
            }
        }
        Change::Unsubscribe {
            topic_arn,
            subscription_arn,
            ..
        } => {
            if let Some(t) = next.topics.iter_mut().find(|t| &t.arn == topic_arn) {
                t.subscriptions.retain(|s| &s.arn != subscription_arn);
            }
        }
        _ => {}
    }
}

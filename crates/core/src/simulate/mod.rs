//! "What runs when this file lands?": for a bucket, an object key and an
//! event, which configuration fires (none, one, or a conflict), where it
//! goes, and the exact event the function receives (docs/rules.md §10).
//!
//! Layer 5, a peer of `export` and `import`: uses `model` and `desired`.

use crate::desired::context::{Context, Origin};
use crate::model::document::Bucket;
use crate::model::events::EventType;
use crate::model::graph::Wiring;
use crate::model::keys::encode_key;
use serde::Serialize;
use serde_json::{json, Value};

/// What happens for one object event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    /// The bucket name.
    pub bucket: String,
    /// The object key as typed (not encoded).
    pub key: String,
    /// The event, e.g. `s3:ObjectCreated:Put`.
    pub event: String,
    /// What S3 does with it.
    pub outcome: Outcome,
    /// Whether the bucket also sends every event to EventBridge.
    pub event_bridge: bool,
    /// Each EventBridge rule the bucket is drawn into, and whether it fires
    /// (every matching rule does: overlap is allowed there, §14).
    pub rules: Vec<RuleOutcome>,
}

/// What one EventBridge rule does with the event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleOutcome {
    /// The rule node.
    pub node: String,
    /// The rule's name.
    pub name: String,
    /// Whether it fires.
    pub fires: bool,
    /// Why it does not fire, in plain words (empty when it fires).
    pub reason: String,
    /// The functions it invokes (ARNs, qualified for an alias), when it fires.
    pub targets: Vec<String>,
    /// The function nodes it invokes, when it fires.
    pub target_nodes: Vec<String>,
    /// The event each target receives, when it fires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_json: Option<Value>,
}

/// The result of matching an event against a bucket's configurations.
// One per simulation: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Outcome {
    /// No configuration matches; `closest` says which came nearest and why not.
    #[serde(rename_all = "camelCase")]
    NoMatch {
        /// The nearest miss, if the bucket has any configuration.
        closest: Option<NearMiss>,
    },
    /// Exactly one configuration matches.
    #[serde(rename_all = "camelCase")]
    Fires {
        /// The matching configuration's Id.
        configuration_id: String,
        /// Where the event goes.
        destination: Destination,
        /// The event JSON as the destination receives it.
        event_json: Value,
    },
    /// Several configurations match: S3 refuses such a configuration
    /// (docs/rules.md §1), so nothing would be saved.
    #[serde(rename_all = "camelCase")]
    Conflict {
        /// The Ids of every matching configuration.
        configuration_ids: Vec<String>,
    },
}

/// Where a matching configuration sends the event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Destination {
    /// A Lambda function (ARN qualified when the filter targets an alias).
    #[serde(rename_all = "camelCase")]
    Function {
        /// The function ARN invoked.
        arn: String,
        /// The function node.
        node: String,
        /// The filter node.
        filter: String,
    },
    /// An SQS queue (kept as read).
    Queue {
        /// The queue ARN.
        arn: String,
    },
    /// An SNS topic (kept as read).
    Topic {
        /// The topic ARN.
        arn: String,
    },
    /// A topic of the document, fanning the event out to every function
    /// subscribed to it (docs/rules.md §15).
    #[serde(rename_all = "camelCase")]
    FanOut {
        /// The topic ARN.
        arn: String,
        /// The topic node.
        node: String,
        /// The filter node.
        filter: String,
        /// The subscribed functions (ARNs, qualified for an alias).
        subscribers: Vec<String>,
        /// The subscribed function nodes.
        subscriber_nodes: Vec<String>,
        /// What each subscriber receives: the SNS envelope with the S3
        /// event as its `Message`.
        envelope: Value,
    },
    /// A queue of the document, buffering the event for the function that
    /// polls it (docs/rules.md §16).
    #[serde(rename_all = "camelCase")]
    Buffered {
        /// The queue ARN.
        arn: String,
        /// The queue node.
        node: String,
        /// The filter node.
        filter: String,
        /// The function polling it (qualified for an alias), if any.
        consumer: Option<String>,
        /// The function node polling it, if any.
        consumer_node: Option<String>,
        /// What the function receives: a batch whose record carries the S3
        /// event as its `body`.
        batch: Value,
    },
}

/// The configuration that came closest to matching, and what failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NearMiss {
    /// Its Id.
    pub configuration_id: String,
    /// Each reason it did not match, in plain words.
    pub reasons: Vec<String>,
}

/// Why a simulation could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimulateError {
    /// No bucket of that name in the document.
    #[error("the document has no bucket named \"{name}\" (buckets: {known})")]
    UnknownBucket {
        /// The name asked for.
        name: String,
        /// The bucket names the document has.
        known: String,
    },
    /// The event is not one S3 sends.
    #[error("\"{0}\" is not an event S3 sends; use a concrete event such as s3:ObjectCreated:Put")]
    InvalidEvent(String),
    /// Object keys are 1 to 1,024 bytes.
    #[error("an object key must be 1 to 1024 bytes long (got {0})")]
    InvalidKey(usize),
}

/// Simulates `event` for `key` in the bucket named `bucket`.
///
/// # Errors
/// [`SimulateError`] when the bucket is unknown, the event is not a
/// concrete S3 event, or the key is empty or too long.
pub fn simulate(
    wiring: &Wiring,
    bucket: &str,
    key: &str,
    event: &str,
) -> Result<Simulation, SimulateError> {
    let parsed = EventType::parse(event)
        .ok()
        .filter(|e| !e.is_wildcard())
        .ok_or_else(|| SimulateError::InvalidEvent(event.to_string()))?;
    if key.is_empty() || key.len() > 1024 {
        return Err(SimulateError::InvalidKey(key.len()));
    }
    let ctx = Context::new(wiring);
    let Some((b, configs)) = ctx.bucket_named(bucket).map(|g| (&g.bucket, &g.configs)) else {
        return Err(SimulateError::UnknownBucket {
            name: bucket.to_string(),
            known: ctx.bucket_names(),
        });
    };
    // A managed filter without a destination is not written, so it never
    // fires.
    let live: Vec<_> = configs
        .iter()
        .filter_map(|c| destination_of(wiring, &c.origin).map(|d| (c, d)))
        .collect();
    let matching: Vec<_> = live
        .iter()
        .filter(|(c, _)| c.events.iter().any(|e| e.covers(parsed)) && c.keys.matches(key))
        .collect();
    let outcome = match matching.as_slice() {
        [] => Outcome::NoMatch {
            closest: live
                .iter()
                .map(|(c, _)| {
                    let mut reasons = Vec::new();
                    if !c.events.iter().any(|e| e.covers(parsed)) {
                        let chips: Vec<String> = c.events.iter().map(|e| e.to_string()).collect();
                        reasons.push(format!("it listens for {}, not {parsed}", chips.join(", ")));
                    }
                    if !key.starts_with(c.keys.prefix) {
                        reasons.push(format!("the key does not start with \"{}\"", c.keys.prefix));
                    }
                    if !key.ends_with(c.keys.suffix) {
                        reasons.push(format!("the key does not end with \"{}\"", c.keys.suffix));
                    }
                    NearMiss {
                        configuration_id: c.id.to_string(),
                        reasons,
                    }
                })
                .min_by_key(|m| m.reasons.len()),
        },
        [(one, destination)] => {
            let event = event_json(&b.name, &b.region, one.id, key, parsed);
            let mut destination = destination.clone();
            match &mut destination {
                Destination::FanOut { arn, envelope, .. } => *envelope = sns_envelope(arn, &event),
                Destination::Buffered { arn, batch, .. } => {
                    *batch = sqs_batch(arn, &b.region, &event);
                }
                _ => {}
            }
            Outcome::Fires {
                configuration_id: one.id.to_string(),
                destination,
                event_json: event,
            }
        }
        many => Outcome::Conflict {
            configuration_ids: many.iter().map(|(c, _)| c.id.to_string()).collect(),
        },
    };
    Ok(Simulation {
        bucket: b.name.clone(),
        key: key.to_string(),
        event: parsed.to_string(),
        outcome,
        event_bridge: b.event_bridge,
        rules: rule_outcomes(wiring, b, key, parsed),
    })
}

/// Every rule bucket `b` is drawn into (on any of its cards: one bucket,
/// one truth), matched against the event as EventBridge delivers it.
fn rule_outcomes(wiring: &Wiring, b: &Bucket, key: &str, event: EventType) -> Vec<RuleOutcome> {
    let account = b.account.as_deref().unwrap_or("123456789012");
    let bridged = crate::model::eventbridge::event_json(&b.name, &b.region, account, key, event);
    crate::desired::event_rules::rules(wiring)
        .into_iter()
        .filter(|r| r.buckets.contains(&b.name.as_str()))
        .map(|r| {
            let rule = r.rule;
            let pattern = crate::checks::event_rules::pattern_of(rule);
            let reason = if !b.event_bridge {
                "the bucket does not send its events to EventBridge".to_string()
            } else if !rule.enabled {
                "the rule is disabled".to_string()
            } else if let Err(message) = &pattern {
                message.clone()
            } else if bridged.is_none() {
                format!("S3 does not send {event} to EventBridge")
            } else if !pattern
                .as_ref()
                .is_ok_and(|p| bridged.as_ref().is_some_and(|e| p.matches(e)))
            {
                "its pattern does not match this event".to_string()
            } else {
                String::new()
            };
            let fires = reason.is_empty();
            let targets = if fires { r.targets.as_slice() } else { &[] };
            RuleOutcome {
                node: rule.id.to_string(),
                name: rule.name.clone(),
                fires,
                reason,
                targets: targets.iter().map(|t| t.arn.to_string()).collect(),
                target_nodes: targets.iter().map(|t| t.function.id.to_string()).collect(),
                event_json: if fires { bridged.clone() } else { None },
            }
        })
        .collect()
}

/// Where a configuration delivers; `None` for a filter with no destination
/// (it is not written, so it never fires). A fan-out's envelope is filled
/// in once the event is known.
fn destination_of(wiring: &Wiring, origin: &Origin<'_>) -> Option<Destination> {
    match *origin {
        Origin::Managed {
            filter,
            function: Some(f),
            ..
        } => Some(Destination::Function {
            arn: crate::model::permission::target_arn(&f.arn, f.qualifier.as_deref()).into_owned(),
            node: f.id.to_string(),
            filter: filter.id.to_string(),
        }),
        Origin::Managed {
            filter,
            topic: Some(t),
            ..
        } => {
            let subscribers = wiring.subscribers_of(&t.id);
            Some(Destination::FanOut {
                arn: t.arn.clone(),
                node: t.id.to_string(),
                filter: filter.id.to_string(),
                subscribers: subscribers
                    .iter()
                    .map(|f| {
                        crate::model::permission::target_arn(&f.arn, f.qualifier.as_deref())
                            .into_owned()
                    })
                    .collect(),
                subscriber_nodes: subscribers.iter().map(|f| f.id.to_string()).collect(),
                envelope: Value::Null,
            })
        }
        Origin::Managed {
            filter,
            queue: Some(q),
            ..
        } => {
            let consumer = wiring.consumer_of(&q.id);
            Some(Destination::Buffered {
                arn: q.arn.clone(),
                node: q.id.to_string(),
                filter: filter.id.to_string(),
                consumer: consumer.map(|f| {
                    crate::model::permission::target_arn(&f.arn, f.qualifier.as_deref())
                        .into_owned()
                }),
                consumer_node: consumer.map(|f| f.id.to_string()),
                batch: Value::Null,
            })
        }
        Origin::Managed { .. } => None,
        Origin::Foreign(f) => Some(match f.kind {
            crate::model::document::ForeignKind::Sqs => Destination::Queue { arn: f.arn.clone() },
            crate::model::document::ForeignKind::Sns => Destination::Topic { arn: f.arn.clone() },
        }),
    }
}

/// The event a Lambda function subscribed to `topic` receives when S3
/// publishes `event` to it (docs/rules.md §15): one SNS record whose
/// `Message` is the S3 event as JSON text. Ids, time and signature are
/// fixed example values, so the output is reproducible.
pub fn sns_envelope(topic: &str, event: &Value) -> Value {
    json!({
        "Records": [{
            "EventSource": "aws:sns",
            "EventVersion": "1.0",
            "EventSubscriptionArn": format!("{topic}:00000000-0000-0000-0000-000000000000"),
            "Sns": {
                "Type": "Notification",
                "MessageId": "00000000-0000-0000-0000-000000000001",
                "TopicArn": topic,
                "Subject": "Amazon S3 Notification",
                "Message": event.to_string(),
                "Timestamp": "1970-01-01T00:00:00.000Z",
                "SignatureVersion": "1",
                "Signature": "EXAMPLE",
                "SigningCertUrl": "EXAMPLE",
                "UnsubscribeUrl": "EXAMPLE",
                "MessageAttributes": {}
            }
        }]
    })
}

/// The event a Lambda function polling `queue` (in `region`) receives when
/// S3 sends `event` to it (docs/rules.md §16): a batch of one SQS record
/// whose `body` is the S3 event as JSON text. Ids, times and hashes are
/// fixed example values, so the output is reproducible.
pub fn sqs_batch(queue: &str, region: &str, event: &Value) -> Value {
    json!({
        "Records": [{
            "messageId": "00000000-0000-0000-0000-000000000002",
            "receiptHandle": "EXAMPLE",
            "body": event.to_string(),
            "attributes": {
                "ApproximateReceiveCount": "1",
                "SentTimestamp": "0",
                "SenderId": "EXAMPLE",
                "ApproximateFirstReceiveTimestamp": "0"
            },
            "messageAttributes": {},
            "md5OfBody": "EXAMPLE",
            "eventSource": "aws:sqs",
            "eventSourceARN": queue,
            "awsRegion": region
        }]
    })
}

/// The S3 event record a destination receives (§10). Time, request ids,
/// size and eTag are fixed example values, so the output is reproducible.
pub fn event_json(
    bucket: &str,
    region: &str,
    configuration_id: &str,
    key: &str,
    event: EventType,
) -> Value {
    let mut object = json!({ "key": encode_key(key) });
    match event.family() {
        "ObjectCreated" | "ObjectRestore" => {
            object["size"] = json!(1024);
            object["eTag"] = json!("0123456789abcdef0123456789abcdef");
        }
        _ => {}
    }
    if matches!(event.family(), "ObjectCreated" | "ObjectRemoved") {
        object["sequencer"] = json!("0A1B2C3D4E5F678901");
    }
    json!({
        "Records": [{
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "awsRegion": region,
            "eventTime": "1970-01-01T00:00:00.000Z",
            "eventName": event.event_name(),
            "userIdentity": { "principalId": "EXAMPLE" },
            "requestParameters": { "sourceIPAddress": "127.0.0.1" },
            "responseElements": {
                "x-amz-request-id": "EXAMPLE123456789",
                "x-amz-id-2": "EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH"
            },
            "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": configuration_id,
                "bucket": {
                    "name": bucket,
                    "ownerIdentity": { "principalId": "EXAMPLE" },
                    "arn": crate::model::permission::bucket_arn(bucket)
                },
                "object": object
            }
        }]
    })
}

#[cfg(test)]
mod tests;

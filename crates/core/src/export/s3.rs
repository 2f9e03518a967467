//! Per bucket, the `NotificationConfiguration` exactly as
//! `aws s3api put-bucket-notification-configuration
//! --notification-configuration file://BUCKET.json` takes it: the
//! document's Lambda configurations, plus every SQS/SNS entry and the
//! EventBridge switch kept as read (docs/rules.md §3: the PUT replaces
//! everything, so the export must carry everything).

use crate::desired::context::{BucketGroup, Context, DestinationKind};
use crate::export::selection::{ExportError, Selection};
use crate::model::graph::Wiring;
use serde_json::{json, Map, Value};

/// `(bucket name, NotificationConfiguration)` for every bucket the
/// document manages (or those `only` names), in document order. Filters not
/// connected to both a bucket and a function are left out (they are not
/// configurations yet).
///
/// # Errors
/// [`ExportError::UnknownBucket`] when `only` names a bucket the document
/// does not have.
pub fn notification_configurations(
    wiring: &Wiring,
    only: &[String],
) -> Result<Vec<(String, Value)>, ExportError> {
    let ctx = Context::new(wiring);
    let selection = Selection::new(&ctx, only)?;
    Ok(selection
        .buckets()
        .map(|group| (group.bucket.name.clone(), configuration_of(group)))
        .collect())
}

/// [`notification_configurations`] as the files `--to s3` writes: each
/// bucket's configuration as pretty JSON text ending in a newline, handed
/// to `each` as `(bucket, text, how many files in all)` one bucket at a
/// time (an account's configurations are never all held at once). Answers
/// how many there were.
///
/// # Errors
/// As [`notification_configurations`], or the first error `each` answers
/// (no later bucket is made then).
pub fn write_notification_files<E: From<ExportError>>(
    wiring: &Wiring,
    only: &[String],
    mut each: impl FnMut(&str, &str, usize) -> Result<(), E>,
) -> Result<usize, E> {
    let ctx = Context::new(wiring);
    let selection = Selection::new(&ctx, only)?;
    let total = selection.buckets().count();
    for group in selection.buckets() {
        let mut text = serde_json::to_string_pretty(&configuration_of(group)).unwrap_or_default();
        text.push('\n');
        each(&group.bucket.name, &text, total)?;
    }
    Ok(total)
}

/// One bucket's whole `NotificationConfiguration`: its Lambda entries as
/// the document has them, every SQS/SNS entry and the EventBridge switch
/// as read.
pub(crate) fn configuration_of(group: &BucketGroup<'_>) -> Value {
    let mut lambda = Vec::new();
    let mut queues = Vec::new();
    let mut topics = Vec::new();
    for c in &group.configs {
        let Some(e) = c.written() else { continue };
        let (list, key) = match e.kind {
            DestinationKind::Lambda => (&mut lambda, "LambdaFunctionArn"),
            DestinationKind::Queue => (&mut queues, "QueueArn"),
            DestinationKind::Topic => (&mut topics, "TopicArn"),
        };
        list.push(entry(c.id, key, &e.arn, e.events, e.prefix, e.suffix));
    }
    let mut config = Map::new();
    for (name, list) in [
        ("LambdaFunctionConfigurations", lambda),
        ("QueueConfigurations", queues),
        ("TopicConfigurations", topics),
    ] {
        if !list.is_empty() {
            config.insert(name.into(), Value::Array(list));
        }
    }
    if group.bucket.event_bridge {
        config.insert("EventBridgeConfiguration".into(), json!({}));
    }
    Value::Object(config)
}

/// One configuration entry. The `Filter` is left out when it has no rules
/// (S3 refuses an empty one).
pub(crate) fn entry(
    id: &str,
    arn_key: &str,
    arn: &str,
    events: &[String],
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> Value {
    let mut e = Map::new();
    e.insert("Id".into(), json!(id));
    e.insert(arn_key.into(), json!(arn));
    e.insert("Events".into(), json!(events));
    let rules: Vec<Value> = [("prefix", prefix), ("suffix", suffix)]
        .into_iter()
        .filter_map(|(name, v)| {
            v.filter(|v| !v.is_empty())
                .map(|v| json!({"Name": name, "Value": v}))
        })
        .collect();
    if !rules.is_empty() {
        e.insert("Filter".into(), json!({ "Key": { "FilterRules": rules } }));
    }
    Value::Object(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_hold_the_configurations_as_pretty_json() {
        let w = Wiring::from_document(&crate::samples::thumbnails()).expect("sample");
        let configs = notification_configurations(&w, &[]).expect("export");
        let mut files = Vec::new();
        let total = write_notification_files(&w, &[], |bucket, text, total| {
            files.push((bucket.to_string(), text.to_string(), total));
            Ok::<_, ExportError>(())
        })
        .expect("export");
        assert_eq!(total, configs.len());
        assert_eq!(files.len(), configs.len());
        assert!(files.iter().all(|(_, _, n)| *n == total));
        let files: Vec<(String, String)> = files.into_iter().map(|(b, t, _)| (b, t)).collect();
        for ((name, text), (bucket, config)) in files.iter().zip(&configs) {
            assert_eq!(name, bucket);
            assert!(text.ends_with("}\n"), "{text}");
            let read: Value = serde_json::from_str(text).expect("JSON");
            assert_eq!(&read, config);
        }
    }

    #[test]
    fn the_sample_exports_one_lambda_configuration() {
        let w = Wiring::from_document(&crate::samples::thumbnails()).expect("sample");
        let out = notification_configurations(&w, &[]).expect("export");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].0, "acme-photos");
        assert_eq!(
            out[0].1,
            json!({"LambdaFunctionConfigurations": [{
                "Id": "thumbnails",
                "LambdaFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail",
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [
                    {"Name": "prefix", "Value": "uploads/"},
                    {"Name": "suffix", "Value": ".jpg"}
                ]}}
            }]})
        );
    }
}

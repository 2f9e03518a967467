//! Between the SDK's shapes and the core's live types.

use aws_sdk_s3::operation::get_bucket_notification_configuration::GetBucketNotificationConfigurationOutput as NotificationOutput;
use aws_sdk_s3::types::{
    Event, EventBridgeConfiguration, FilterRule, FilterRuleName, LambdaFunctionConfiguration,
    NotificationConfiguration as SdkNotification, NotificationConfigurationFilter,
    QueueConfiguration, S3KeyFilter, TopicConfiguration,
};
use bucketwire_core::live::{NotificationConfiguration, NotificationEntry};

/// The live configuration as read. Filter rule names are normalised to
/// lower case (S3 returns `Prefix`/`Suffix`, docs/rules.md §3). What the
/// core types cannot hold (a second prefix or suffix rule, a rule name S3
/// does not define) is named in `unrepresented`, with what was kept.
pub fn notification_from_sdk(out: &NotificationOutput) -> NotificationConfiguration {
    let mut notes = Vec::new();
    let lambda = out
        .lambda_function_configurations()
        .iter()
        .map(|c| {
            entry(
                c.id(),
                c.lambda_function_arn(),
                c.events(),
                c.filter(),
                &mut notes,
            )
        })
        .collect();
    let queues = out
        .queue_configurations()
        .iter()
        .map(|c| entry(c.id(), c.queue_arn(), c.events(), c.filter(), &mut notes))
        .collect();
    let topics = out
        .topic_configurations()
        .iter()
        .map(|c| entry(c.id(), c.topic_arn(), c.events(), c.filter(), &mut notes))
        .collect();
    NotificationConfiguration {
        lambda,
        queues,
        topics,
        event_bridge: out.event_bridge_configuration().is_some(),
        unrepresented: notes,
    }
}

/// One entry as read; the first prefix and the first suffix rule are kept,
/// and anything else the filter holds is noted.
fn entry(
    id: Option<&str>,
    arn: &str,
    events: &[Event],
    filter: Option<&NotificationConfigurationFilter>,
    notes: &mut Vec<String>,
) -> NotificationEntry {
    let mut e = NotificationEntry {
        id: id.unwrap_or_default().to_string(),
        arn: arn.to_string(),
        events: events.iter().map(|ev| ev.as_str().to_string()).collect(),
        prefix: None,
        suffix: None,
    };
    let rules = filter
        .and_then(|f| f.key())
        .map(|k| k.filter_rules())
        .unwrap_or_default();
    let mut prefixes = Vec::new();
    let mut suffixes = Vec::new();
    for rule in rules {
        let name = rule.name().map(|n| n.as_str().to_ascii_lowercase());
        let value = rule.value().unwrap_or_default().to_string();
        match name.as_deref() {
            Some("prefix") => prefixes.push(value),
            Some("suffix") => suffixes.push(value),
            other => notes.push(format!(
                "configuration \"{}\" has a filter rule named \"{}\" (value \"{value}\"), which S3 does not define; it was left out",
                e.id,
                other.unwrap_or_default()
            )),
        }
    }
    for (kind, values) in [("prefix", &prefixes), ("suffix", &suffixes)] {
        if values.len() > 1 {
            let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
            notes.push(format!(
                "configuration \"{}\" has {} {kind} rules ({}); a filter holds one, so only the first ({}) was kept",
                e.id,
                values.len(),
                quoted.join(", "),
                quoted[0]
            ));
        }
    }
    e.prefix = prefixes.into_iter().next();
    e.suffix = suffixes.into_iter().next();
    e
}

/// The configuration to PUT. Entries without rules get no `Filter` (S3
/// refuses an empty one).
pub fn notification_to_sdk(config: &NotificationConfiguration) -> SdkNotification {
    let filter = |e: &NotificationEntry| {
        let rules: Vec<FilterRule> = [("prefix", &e.prefix), ("suffix", &e.suffix)]
            .into_iter()
            .filter_map(|(name, value)| {
                value.as_ref().filter(|v| !v.is_empty()).map(|v| {
                    FilterRule::builder()
                        .name(FilterRuleName::from(name))
                        .value(v)
                        .build()
                })
            })
            .collect();
        (!rules.is_empty()).then(|| {
            NotificationConfigurationFilter::builder()
                .key(S3KeyFilter::builder().set_filter_rules(Some(rules)).build())
                .build()
        })
    };
    let events = |e: &NotificationEntry| {
        e.events
            .iter()
            .map(|ev| Event::from(ev.as_str()))
            .collect::<Vec<_>>()
    };
    let mut builder = SdkNotification::builder();
    for e in &config.lambda {
        if let Ok(c) = LambdaFunctionConfiguration::builder()
            .id(&e.id)
            .lambda_function_arn(&e.arn)
            .set_events(Some(events(e)))
            .set_filter(filter(e))
            .build()
        {
            builder = builder.lambda_function_configurations(c);
        }
    }
    for e in &config.queues {
        if let Ok(c) = QueueConfiguration::builder()
            .id(&e.id)
            .queue_arn(&e.arn)
            .set_events(Some(events(e)))
            .set_filter(filter(e))
            .build()
        {
            builder = builder.queue_configurations(c);
        }
    }
    for e in &config.topics {
        if let Ok(c) = TopicConfiguration::builder()
            .id(&e.id)
            .topic_arn(&e.arn)
            .set_events(Some(events(e)))
            .set_filter(filter(e))
            .build()
        {
            builder = builder.topic_configurations(c);
        }
    }
    if config.event_bridge {
        builder = builder.event_bridge_configuration(EventBridgeConfiguration::builder().build());
    }
    builder.build()
}

/// IAM returns policy documents URL-encoded (RFC 3986); decode `%XX`.
/// Text that is not valid percent-encoding is returned as is.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_iam_policy_documents() {
        assert_eq!(
            percent_decode("%7B%22Version%22%3A%222012%22%7D"),
            r#"{"Version":"2012"}"#
        );
        assert_eq!(
            percent_decode(r#"{"plain": "json"}"#),
            r#"{"plain": "json"}"#
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn a_configuration_survives_the_sdk_round_trip() {
        let config = NotificationConfiguration {
            lambda: vec![NotificationEntry {
                id: "t".into(),
                arn: "arn:aws:lambda:us-east-1:123456789012:function:f".into(),
                events: vec!["s3:ObjectCreated:*".into()],
                prefix: Some("uploads/".into()),
                suffix: None,
            }],
            queues: vec![NotificationEntry {
                id: "q".into(),
                arn: "arn:aws:sqs:us-east-1:123456789012:q".into(),
                events: vec!["s3:ObjectRemoved:*".into()],
                prefix: None,
                suffix: None,
            }],
            topics: vec![],
            event_bridge: true,
            unrepresented: vec![],
        };
        let sdk = notification_to_sdk(&config);
        let out = NotificationOutput::builder()
            .set_lambda_function_configurations(Some(sdk.lambda_function_configurations().to_vec()))
            .set_queue_configurations(Some(sdk.queue_configurations().to_vec()))
            .set_event_bridge_configuration(sdk.event_bridge_configuration().cloned())
            .build();
        assert_eq!(notification_from_sdk(&out), config);
        assert!(sdk.queue_configurations()[0].filter().is_none());
    }

    #[test]
    fn what_a_filter_holds_beyond_one_prefix_and_one_suffix_is_noted() {
        let rule = |name: &str, value: &str| {
            FilterRule::builder()
                .name(FilterRuleName::from(name))
                .value(value)
                .build()
        };
        let config = LambdaFunctionConfiguration::builder()
            .id("odd")
            .lambda_function_arn("arn:aws:lambda:us-east-1:123456789012:function:f")
            .events(Event::from("s3:ObjectCreated:*"))
            .filter(
                NotificationConfigurationFilter::builder()
                    .key(
                        S3KeyFilter::builder()
                            .filter_rules(rule("Suffix", ".csv"))
                            .filter_rules(rule("Suffix", ".tsv"))
                            .filter_rules(rule("Glob", "*.x"))
                            .build(),
                    )
                    .build(),
            )
            .build()
            .expect("config");
        let out = NotificationOutput::builder()
            .lambda_function_configurations(config)
            .build();
        let read = notification_from_sdk(&out);
        assert_eq!(read.lambda[0].suffix.as_deref(), Some(".csv"));
        assert_eq!(
            read.unrepresented,
            [
                "configuration \"odd\" has a filter rule named \"glob\" (value \"*.x\"), which S3 does not define; it was left out",
                "configuration \"odd\" has 2 suffix rules (\".csv\", \".tsv\"); a filter holds one, so only the first (\".csv\") was kept",
            ]
        );
    }
}

//! `invalid-event-type` (docs/rules.md §5): every event type must be one S3
//! accepts for a Lambda destination, and a configuration needs at least one.

use super::source_of;
use crate::checks::finding::{Finding, Fix, Severity};
use crate::desired::context::Context;
use crate::model::events::{EventType, EventTypeError};

const RULE: &str = "invalid-event-type";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for filter in ctx.wiring.filters() {
        let subjects = || {
            let mut s: Vec<String> = ctx
                .wiring
                .bucket_of(&filter.id)
                .map(|b| b.name.clone())
                .into_iter()
                .collect();
            s.push(filter.configuration_id.clone());
            s
        };
        if filter.events.is_empty() {
            out.push(Finding {
                rule: RULE,
                severity: Severity::Error,
                message: format!(
                    "filter \"{}\" has no event types; S3 needs at least one (for example s3:ObjectCreated:*)",
                    filter.configuration_id
                ),
                subjects: subjects(),
                nodes: vec![filter.id.clone()],
                source: source_of(RULE),
                fix: Some(Fix::SetEvents {
                    filter: filter.id.clone(),
                    events: vec!["s3:ObjectCreated:*".into()],
                }),
            });
        }
        for event in &filter.events {
            let Err(error) = EventType::parse(event) else {
                continue;
            };
            let (why, replacement) = explain(event, &error);
            let fix = replacement.map(|r| Fix::SetEvents {
                filter: filter.id.clone(),
                events: filter
                    .events
                    .iter()
                    .map(|e| if e == event { r.clone() } else { e.clone() })
                    .collect(),
            });
            out.push(Finding {
                rule: RULE,
                severity: Severity::Error,
                message: format!(
                    "filter \"{}\": \"{event}\" is not an event type S3 accepts: {why}",
                    filter.configuration_id
                ),
                subjects: subjects(),
                nodes: vec![filter.id.clone()],
                source: source_of(RULE),
                fix,
            });
        }
    }
}

/// Why the spelling is wrong, and the obvious correction when there is one.
fn explain(event: &str, error: &EventTypeError) -> (String, Option<String>) {
    match error {
        EventTypeError::MissingPrefix => {
            let fixed = format!("s3:{event}");
            if EventType::parse(&fixed).is_ok() {
                (format!("event types start with \"s3:\" (did you mean {fixed}?)"), Some(fixed))
            } else {
                ("event types start with \"s3:\", e.g. s3:ObjectCreated:*".into(), None)
            }
        }
        EventTypeError::TestEvent => (
            "s3:TestEvent is sent by S3 itself when a configuration is saved; it cannot be subscribed to".into(),
            None,
        ),
        EventTypeError::UnknownFamily => (
            "unknown event family; valid ones include s3:ObjectCreated:*, s3:ObjectRemoved:*, s3:ObjectRestore:*, s3:ObjectTagging:*".into(),
            None,
        ),
        EventTypeError::UnknownMember { valid } => {
            // A case slip is the common mistake: offer the right spelling.
            let fixed = valid.iter().find(|v| v.eq_ignore_ascii_case(event)).cloned();
            (format!("valid in that family: {}", valid.join(", ")), fixed)
        }
    }
}

//! `overlapping-configurations` (docs/rules.md §1): two configurations on one
//! bucket that share an event type and whose prefixes and suffixes overlap
//! make S3 refuse the whole notification configuration. The pool is every
//! configuration on the bucket, whatever its destination.

use super::source_of;
use crate::checks::finding::{Finding, Fix, Severity};
use crate::desired::context::{pair_nodes, Configuration, Context, Origin};
use crate::model::events::EventType;

const RULE: &str = "overlapping-configurations";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for group in &ctx.buckets {
        let (bucket, configs) = (&group.bucket, &group.configs);
        for (i, a) in configs.iter().enumerate() {
            for b in &configs[i + 1..] {
                // Two foreign entries were accepted by S3 already; only a
                // managed side can be the new mistake.
                if a.filter().is_none() && b.filter().is_none() {
                    continue;
                }
                let Some(shared) = shared_event(a, b) else {
                    continue;
                };
                let Some(key) = a.keys.witness(&b.keys) else {
                    continue;
                };
                let nodes = pair_nodes(a, b);
                out.push(Finding {
                    rule: RULE,
                    severity: Severity::Error,
                    message: format!(
                        "on bucket \"{}\", {} and {} both match {key} for {}; S3 refuses the whole configuration as ambiguous (one event may trigger only one configuration)",
                        bucket.name,
                        a.describe(),
                        b.describe(),
                        shared,
                    ),
                    subjects: vec![bucket.name.clone(), a.id.to_string(), b.id.to_string()],
                    nodes,
                    source: source_of(RULE),
                    fix: fix_by_dropping_shared_events(b, a)
                        .or_else(|| fix_by_dropping_shared_events(a, b))
                        .or_else(|| fix_by_moving_to_eventbridge(a, b)),
                });
            }
        }
    }
}

/// The first pair of event types the two share, as the narrower of the two.
fn shared_event(a: &Configuration<'_>, b: &Configuration<'_>) -> Option<EventType> {
    a.events.iter().find_map(|ea| {
        b.events.iter().find(|eb| ea.shares_with(**eb)).map(|eb| {
            if ea.is_wildcard() {
                *eb
            } else {
                *ea
            }
        })
    })
}

/// When `target` (managed) keeps at least one event after dropping those it
/// shares with `other`, that is a mechanical fix.
fn fix_by_dropping_shared_events(
    target: &Configuration<'_>,
    other: &Configuration<'_>,
) -> Option<Fix> {
    let Origin::Managed { filter, .. } = target.origin else {
        return None;
    };
    let kept: Vec<String> = filter
        .events
        .iter()
        .filter(|raw| match EventType::parse(raw) {
            Ok(e) => !other.events.iter().any(|o| o.shares_with(e)),
            Err(_) => true,
        })
        .cloned()
        .collect();
    (!kept.is_empty() && kept.len() < filter.events.len()).then(|| Fix::SetEvents {
        filter: filter.id.clone(),
        events: kept,
    })
}

/// When the events cannot be split, the managed Lambda side(s) can move to
/// EventBridge rules, where every matching rule fires (§14): offered when
/// each one's events and keys can be said as a pattern.
fn fix_by_moving_to_eventbridge(a: &Configuration<'_>, b: &Configuration<'_>) -> Option<Fix> {
    let mut filters = Vec::new();
    for c in [a, b] {
        let Origin::Managed {
            filter,
            function: Some(_),
            ..
        } = c.origin
        else {
            continue;
        };
        crate::model::eventbridge::pattern_of_filter(
            &filter.events,
            filter.prefix.as_deref(),
            filter.suffix.as_deref(),
        )?;
        filters.push(filter.id.clone());
    }
    (!filters.is_empty()).then_some(Fix::MoveToEventBridge { filters })
}

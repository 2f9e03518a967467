//! EventBridge rules over S3's events (docs/rules.md §14):
//! - `invalid-event-pattern` (error): EventBridge would refuse the pattern
//!   (each mistake named with its place), or the pattern names buckets
//!   itself (its buckets are the ones drawn into it);
//! - `invalid-rule-name` (error): not 1 to 64 of letters, digits, `.`,
//!   `-`, `_`, or a name another rule of the region's default bus has;
//! - `too-many-targets` (error): more than five targets;
//! - `rule-never-matches` (warning): the pattern can never match an event
//!   of a bucket drawn into it (its source, detail-type, bucket name,
//!   region or account leaves it out, or it asks for a field S3's events
//!   do not carry); `disabled-rule` (info): a disabled rule matches nothing;
//! - `eventbridge-off` (warning): a bucket drawn into a rule does not send
//!   its events to EventBridge, so the rule never sees them (fix: turn the
//!   bucket's switch on, a document change);
//! - `region-mismatch` (error, §4): a rule matches events of its own
//!   region's buckets only, and invokes functions of its region;
//! - `incomplete-configuration` (warning, §2): a rule with no bucket or no
//!   target sends nothing;
//! - `missing-events-permission` (warning, §2, §14): checked when the
//!   document carries the target function's live policy: no statement lets
//!   `events.amazonaws.com` invoke it for this rule, so EventBridge's
//!   deliveries fail (fix: the statement apply adds).

use super::finding;
use crate::checks::finding::{Finding, Fix, Severity};
use crate::desired::context::Context;
use crate::model::document::{Bucket, Rule};
use crate::model::event_pattern::EventPattern;
use crate::model::eventbridge::never_matches;
use crate::model::graph::Node;
use std::collections::BTreeMap;

const PATTERN: &str = "invalid-event-pattern";
const NAME: &str = "invalid-rule-name";
const TARGETS: &str = "too-many-targets";
const NEVER: &str = "rule-never-matches";
const DISABLED: &str = "disabled-rule";
const OFF: &str = "eventbridge-off";
const REGION: &str = "region-mismatch";
const INCOMPLETE: &str = "incomplete-configuration";
const PERMISSION: &str = "missing-events-permission";

/// The most targets a rule can have (EventBridge's quota).
pub const MAX_TARGETS: usize = 5;

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut names: BTreeMap<(&str, &str), Vec<&Rule>> = BTreeMap::new();
    for rule in ctx.wiring.rules() {
        names
            .entry((rule.region.as_str(), rule.name.as_str()))
            .or_default()
            .push(rule);
        one_rule(ctx, rule, out);
    }
    permissions(ctx, out);
    for ((region, name), rules) in names.into_iter().filter(|(_, r)| r.len() > 1) {
        out.push(finding(
            NAME,
            Severity::Error,
            format!(
                "{} rules are named \"{name}\" in {region}; a rule's name is unique on its region's default event bus",
                rules.len()
            ),
            rules.iter().map(|r| r.id.clone()).collect(),
            vec![name.to_string()],
        ));
    }
}

fn one_rule(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let label = format!("rule \"{}\"", rule.name);
    let subjects = || vec![rule.name.clone()];
    if !valid_name(&rule.name) {
        out.push(finding(
            NAME,
            Severity::Error,
            format!("{label}: a rule's name is 1 to 64 letters, digits, '.', '-' or '_'"),
            vec![rule.id.clone()],
            subjects(),
        ));
    }
    let buckets: Vec<&Bucket> = ctx
        .wiring
        .upstream(&rule.id)
        .into_iter()
        .filter_map(|n| match n {
            Node::Bucket(b) => Some(b),
            _ => None,
        })
        .collect();
    let targets = ctx.wiring.downstream(&rule.id);
    if targets.len() > MAX_TARGETS {
        out.push(finding(
            TARGETS,
            Severity::Error,
            format!(
                "{label} has {} targets; EventBridge allows at most {MAX_TARGETS} per rule (fan out through an SNS topic, or a second rule with the same pattern)",
                targets.len()
            ),
            std::iter::once(rule.id.clone())
                .chain(targets.iter().map(|t| t.id().clone()))
                .collect(),
            subjects(),
        ));
    }
    if buckets.is_empty() || targets.is_empty() {
        let missing = match (buckets.is_empty(), targets.is_empty()) {
            (true, true) => "no bucket and no target",
            (true, false) => "no bucket",
            _ => "no target",
        };
        out.push(finding(
            INCOMPLETE,
            Severity::Warning,
            format!("{label} has {missing}: it sends nothing (connect a bucket to it, and it to a function)"),
            vec![rule.id.clone()],
            subjects(),
        ));
    }
    for node in &targets {
        if let Node::Function(f) = node {
            if let Some(region) = f.region().filter(|r| *r != rule.region) {
                out.push(finding(
                    REGION,
                    Severity::Error,
                    format!(
                        "{label} is on {}'s default bus, but its target \"{}\" is in {region}: a rule invokes functions of its own region",
                        rule.region,
                        f.name()
                    ),
                    vec![rule.id.clone(), f.id.clone()],
                    vec![rule.name.clone(), f.arn.clone()],
                ));
            }
        }
    }
    if !rule.enabled {
        out.push(finding(
            DISABLED,
            Severity::Info,
            format!("{label} is disabled: it matches nothing until it is enabled"),
            vec![rule.id.clone()],
            subjects(),
        ));
    }
    let pattern = match pattern_of(rule) {
        Ok(p) => p,
        Err(message) => {
            out.push(finding(
                PATTERN,
                Severity::Error,
                format!("{label}: {message}"),
                vec![rule.id.clone()],
                subjects(),
            ));
            return;
        }
    };
    for bucket in buckets {
        let pair = vec![bucket.id.clone(), rule.id.clone()];
        let both = || vec![bucket.name.clone(), rule.name.clone()];
        if bucket.region != rule.region {
            out.push(finding(
                REGION,
                Severity::Error,
                format!(
                    "bucket \"{}\" is in {}, but {label} is on {}'s default bus: S3 sends a bucket's events to its own region's bus",
                    bucket.name, bucket.region, rule.region
                ),
                pair.clone(),
                both(),
            ));
        }
        if !bucket.event_bridge {
            let mut f = finding(
                OFF,
                Severity::Warning,
                format!(
                    "bucket \"{}\" does not send its events to EventBridge, so {label} never sees them: turn the bucket's EventBridge switch on (it is part of the bucket's notification configuration; every other entry is kept)",
                    bucket.name
                ),
                pair.clone(),
                both(),
            );
            f.fix = Some(Fix::TurnOnEventBridge {
                bucket: bucket.id.clone(),
            });
            out.push(f);
        }
        let account = bucket.account.as_deref().or(rule.account.as_deref());
        let reasons = never_matches(&pattern, &bucket.name, &bucket.region, account);
        if !reasons.is_empty() {
            out.push(finding(
                NEVER,
                Severity::Warning,
                format!(
                    "{label} can never match an event of bucket \"{}\": {}",
                    bucket.name,
                    reasons.join("; ")
                ),
                pair,
                both(),
            ));
        }
    }
}

/// The rule's pattern read as EventBridge reads it, refusing one that
/// names buckets itself; `Err` holds the message.
pub(crate) fn pattern_of(rule: &Rule) -> Result<EventPattern, String> {
    let pattern = EventPattern::from_value(&rule.pattern).map_err(|e| {
        format!(
            "EventBridge would refuse its pattern: {} (at {})",
            e.message, e.path
        )
    })?;
    if pattern
        .leaf_paths()
        .iter()
        .any(|p| p == "detail.bucket.name")
    {
        return Err("its pattern names buckets in detail.bucket.name: connect the buckets to the rule instead (Bucketwire writes their names there)".into());
    }
    Ok(pattern)
}

/// EventBridge's rule names: 1 to 64 of `[.\-_A-Za-z0-9]`; a template's
/// rule CloudFormation names itself (a placeholder) is a name too.
fn valid_name(name: &str) -> bool {
    crate::model::placeholder::is_placeholder(name)
        || (1..=64).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// `missing-events-permission`, for each target whose live policy the
/// document carries, of each rule with a bucket (a rule without one is
/// never written).
fn permissions(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for rule in crate::desired::event_rules::rules(ctx.wiring) {
        if rule.buckets.is_empty() {
            continue;
        }
        let Some(arn) = crate::desired::event_rules::rule_arn(&rule, None) else {
            continue;
        };
        for target in &rule.targets {
            let Some(live) = ctx.live_function(&target.function.arn) else {
                continue;
            };
            let Some((stale, add)) =
                crate::desired::event_rules::events_permission(&rule, target, &arn, live)
            else {
                continue;
            };
            let mut f = finding(
                PERMISSION,
                Severity::Warning,
                format!(
                    "function \"{}\" does not let EventBridge invoke it for rule \"{}\" (events.amazonaws.com, with the rule's ARN as SourceArn), so every event the rule matches fails to reach it. Apply adds statement {} before it sets the target",
                    target.arn,
                    rule.rule.name,
                    target.statement_id(rule.rule)
                ),
                vec![rule.rule.id.clone(), target.function.id.clone()],
                vec![rule.rule.name.clone(), target.arn.to_string()],
            );
            f.fix = Some(Fix::Apply {
                changes: stale.into_iter().chain([add]).collect(),
            });
            out.push(f);
        }
    }
}

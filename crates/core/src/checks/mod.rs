//! The checks: what AWS would refuse and what would go wrong at run time.
//! Every rule family is a small module citing its section of the project's
//! rules page, `docs/rules.md` (what AWS enforces, with sources); the routes
//! through a rule, topic or queue have one module each (`event_rules`,
//! `topics`, `queues`). [`validate`] runs them all and returns findings,
//! most severe first.
//!
//! Layer 3: uses `model`, `live` and `desired` (a finding's account-side
//! fix is the change `desired` decides, so it is the plan's own).

pub mod async_settings;
mod cards;
mod delivery;
mod encryption;
pub mod event_rules;
mod event_types;
pub mod finding;
mod functions;
mod ids;
mod key_filters;
mod overlap;
mod permissions;
mod queues;
mod roles;
mod topics;

use crate::checks::finding::Finding;
use crate::desired::context::Context;
use crate::model::graph::Wiring;

/// Every rule name the validator can report, with its docs/rules.md section.
pub const RULES: &[(&str, &str)] = &[
    ("overlapping-configurations", "docs/rules.md §1"),
    ("duplicate-configuration-id", "docs/rules.md §3"),
    ("invalid-event-type", "docs/rules.md §5"),
    ("invalid-filter", "docs/rules.md §5"),
    ("incomplete-configuration", "docs/rules.md §2"),
    ("invalid-function-arn", "docs/rules.md §4"),
    ("function-not-found", "docs/rules.md §2"),
    ("region-mismatch", "docs/rules.md §4"),
    ("missing-invoke-permission", "docs/rules.md §2, §6"),
    (
        "permission-without-source-arn",
        "docs/rules.md §6, §15, §16",
    ),
    (
        "permission-without-source-account",
        "docs/rules.md §6, §15, §16",
    ),
    ("policy-size-limit", "docs/rules.md §6"),
    ("role-cannot-read-objects", "docs/rules.md §7"),
    ("recursive-trigger", "docs/rules.md §8"),
    ("invalid-async-settings", "docs/rules.md §10"),
    ("conflicting-function-settings", "docs/rules.md §8, §10"),
    ("conflicting-bucket-cards", "docs/rules.md §11"),
    ("bucket-on-several-cards", "docs/rules.md §11"),
    ("conflicting-function-roles", "docs/rules.md §11"),
    ("invalid-event-pattern", "docs/rules.md §14"),
    ("invalid-rule-name", "docs/rules.md §14"),
    ("too-many-targets", "docs/rules.md §14"),
    ("rule-never-matches", "docs/rules.md §14"),
    ("disabled-rule", "docs/rules.md §14"),
    ("eventbridge-off", "docs/rules.md §14"),
    ("missing-events-permission", "docs/rules.md §2, §14"),
    ("invalid-topic-arn", "docs/rules.md §15"),
    ("topic-aws-managed-key", "docs/rules.md §15, §18"),
    ("topic-policy-denies-s3", "docs/rules.md §2, §15"),
    ("missing-sns-permission", "docs/rules.md §15"),
    ("invalid-queue-arn", "docs/rules.md §16"),
    ("queue-aws-managed-key", "docs/rules.md §16, §18"),
    ("role-cannot-decrypt-objects", "docs/rules.md §18"),
    ("key-denies-s3", "docs/rules.md §18"),
    ("role-cannot-decrypt-queue", "docs/rules.md §18"),
    ("key-not-enabled", "docs/rules.md §18"),
    ("key-not-read", "docs/rules.md §18"),
    ("queue-policy-denies-s3", "docs/rules.md §2, §16"),
    ("role-cannot-consume-queue", "docs/rules.md §16"),
    ("visibility-timeout-too-short", "docs/rules.md §16"),
    ("no-dead-letter-queue", "docs/rules.md §16"),
    ("invalid-queue-settings", "docs/rules.md §16"),
    ("partial-batch-failures-off", "docs/rules.md §16"),
    ("disabled-mapping", "docs/rules.md §16"),
    ("conflicting-queue-cards", "docs/rules.md §11, §16"),
    ("circular-dependency", "docs/rules.md §17"),
    ("notification-before-destination", "docs/rules.md §2, §17"),
    ("sam-bucket-not-in-template", "docs/rules.md §17"),
    ("rule-matches-every-bucket", "docs/rules.md §14, §17"),
    ("unreadable-managed-policy", "docs/rules.md §17"),
    ("duplicate-bucket-notification", "docs/rules.md §3, §17"),
];

/// Runs every rule over the wiring. Findings are sorted most severe first,
/// then by rule and message, so output is stable.
pub fn validate(wiring: &Wiring) -> Vec<Finding> {
    validate_in(&Context::new(wiring))
}

/// [`validate`] over a context made by the caller, e.g. one holding live
/// facts read just now ([`Context::with_live`]).
pub fn validate_in(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let families: [fn(&Context<'_>, &mut Vec<Finding>); 13] = [
        event_types::check,
        key_filters::check,
        overlap::check,
        ids::check,
        functions::check,
        permissions::check,
        roles::check,
        async_settings::check,
        cards::check,
        event_rules::check,
        topics::check,
        queues::check,
        encryption::check,
    ];
    for check in families {
        let start = out.len();
        check(ctx, &mut out);
        // A formatted message has room to grow (a sixth of its length);
        // a large account's tens of thousands of findings keep only the
        // text.
        for finding in &mut out[start..] {
            finding.message.shrink_to_fit();
        }
    }
    // Unstable, with every field as a tie-break: the order is as
    // deterministic as a stable sort's, without the stable sort's scratch
    // copy of the findings (8 MB at the peak for 65,000 findings).
    out.sort_unstable_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(b.rule))
            .then_with(|| a.message.cmp(&b.message))
            .then_with(|| a.subjects.cmp(&b.subjects))
            .then_with(|| a.nodes.cmp(&b.nodes))
    });
    out
}

/// A finding of `rule` without a fix, citing the rule's section.
pub(crate) fn finding(
    rule: &'static str,
    severity: crate::checks::finding::Severity,
    message: String,
    nodes: Vec<crate::model::document::NodeId>,
    subjects: Vec<String>,
) -> Finding {
    Finding {
        rule,
        severity,
        message,
        subjects,
        nodes,
        source: source_of(rule),
        fix: None,
    }
}

/// The docs/rules.md section of a rule name (empty for an unknown name).
pub fn source_of(rule: &str) -> &'static str {
    RULES
        .iter()
        .find(|(name, _)| *name == rule)
        .map_or("", |(_, source)| source)
}

#[cfg(test)]
mod tests;

//! Validation: every rule is a small module citing its AWS-RULES.md section.
//! [`validate`] runs them all and returns findings, most severe first.

pub mod async_settings;
mod context;
mod event_types;
mod functions;
mod ids;
mod key_filters;
mod overlap;
mod permissions;
mod roles;

pub use context::{pair_nodes, Configuration, Context, DestinationKind, Origin, WrittenEntry};

use crate::finding::Finding;
use crate::graph::Wiring;

/// Every rule name the validator can report, with its AWS-RULES.md section.
pub const RULES: &[(&str, &str)] = &[
    ("overlapping-configurations", "AWS-RULES.md §1"),
    ("duplicate-configuration-id", "AWS-RULES.md §3"),
    ("invalid-event-type", "AWS-RULES.md §5"),
    ("invalid-filter", "AWS-RULES.md §5"),
    ("incomplete-configuration", "AWS-RULES.md §2"),
    ("invalid-function-arn", "AWS-RULES.md §4"),
    ("function-not-found", "AWS-RULES.md §2"),
    ("region-mismatch", "AWS-RULES.md §4"),
    ("missing-invoke-permission", "AWS-RULES.md §2, §6"),
    ("permission-without-source-arn", "AWS-RULES.md §6"),
    ("permission-without-source-account", "AWS-RULES.md §6"),
    ("policy-size-limit", "AWS-RULES.md §6"),
    ("role-cannot-read-objects", "AWS-RULES.md §7"),
    ("recursive-trigger", "AWS-RULES.md §8"),
    ("invalid-async-settings", "AWS-RULES.md §10"),
    ("conflicting-function-settings", "AWS-RULES.md §8, §10"),
];

/// Runs every rule over the wiring. Findings are sorted most severe first,
/// then by rule and message, so output is stable.
pub fn validate(wiring: &Wiring) -> Vec<Finding> {
    let ctx = Context::new(wiring);
    let mut out = Vec::new();
    event_types::check(&ctx, &mut out);
    key_filters::check(&ctx, &mut out);
    overlap::check(&ctx, &mut out);
    ids::check(&ctx, &mut out);
    functions::check(&ctx, &mut out);
    permissions::check(&ctx, &mut out);
    roles::check(&ctx, &mut out);
    async_settings::check(&ctx, &mut out);
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(b.rule))
            .then_with(|| a.message.cmp(&b.message))
    });
    out
}

/// The AWS-RULES.md section of a rule name (empty for an unknown name).
pub(crate) fn source_of(rule: &str) -> &'static str {
    RULES
        .iter()
        .find(|(name, _)| *name == rule)
        .map_or("", |(_, source)| source)
}

#[cfg(test)]
mod tests;

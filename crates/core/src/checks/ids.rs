//! `duplicate-configuration-id` (docs/rules.md §3): the `Id` names an entry
//! of the bucket's configuration, so two entries on one bucket (whatever
//! their destination) cannot share one.

use super::source_of;
use crate::checks::finding::{Finding, Severity};
use crate::desired::context::{pair_nodes, Context};

const RULE: &str = "duplicate-configuration-id";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for group in &ctx.buckets {
        let (bucket, configs) = (&group.bucket, &group.configs);
        for (i, a) in configs.iter().enumerate() {
            let Some(b) = configs[i + 1..].iter().find(|b| b.id == a.id) else {
                continue;
            };
            if a.filter().is_none() && b.filter().is_none() {
                continue;
            }
            let nodes = pair_nodes(a, b);
            out.push(Finding {
                rule: RULE,
                severity: Severity::Error,
                message: format!(
                    "bucket \"{}\" has two configurations with the Id \"{}\"; each entry of a bucket's notification configuration needs its own Id",
                    bucket.name, a.id
                ),
                subjects: vec![bucket.name.clone(), a.id.to_string()],
                nodes,
                source: source_of(RULE),
                fix: None,
            });
        }
    }
}

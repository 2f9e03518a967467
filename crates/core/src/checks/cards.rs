//! Cards that name one resource (docs/rules.md §11). For buckets:
//! - `conflicting-bucket-cards` (error): the cards disagree on the bucket's
//!   region or account, so which one is true cannot be told (a bucket has
//!   one region and one owner);
//! - `bucket-on-several-cards` (info): they agree, and are one bucket: their
//!   filters are checked together for overlaps and written in one
//!   configuration.
//!
//! For functions, `conflicting-function-roles` (error): cards of one
//! function name different execution roles, but a function has one, so
//! which role's read policy to plan cannot be told.

use super::source_of;
use crate::checks::finding::{Finding, Severity};
use crate::desired::context::{BucketGroup, Context};
use crate::model::document::Function;
use std::collections::BTreeMap;

const CONFLICT: &str = "conflicting-bucket-cards";
const SEVERAL: &str = "bucket-on-several-cards";
const ROLES: &str = "conflicting-function-roles";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    buckets(ctx, out);
    function_roles(ctx, out);
}

fn function_roles(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut cards: BTreeMap<&str, Vec<&Function>> = BTreeMap::new();
    for f in ctx.wiring.functions().filter(|f| f.role.is_some()) {
        cards.entry(f.arn.as_str()).or_default().push(f);
    }
    for (arn, cards) in cards {
        let mut roles: Vec<&str> = cards.iter().filter_map(|f| f.role.as_deref()).collect();
        roles.sort_unstable();
        roles.dedup();
        if roles.len() < 2 {
            continue;
        }
        out.push(Finding {
            rule: ROLES,
            severity: Severity::Error,
            message: format!(
                "function \"{}\" is drawn on {} cards naming different execution roles ({}); a function has one role, so its buckets cannot be planned until the cards agree",
                cards[0].name(),
                cards.len(),
                roles.join(", ")
            ),
            subjects: vec![arn.to_string()],
            nodes: cards.iter().map(|f| f.id.clone()).collect(),
            source: source_of(ROLES),
            fix: None,
        });
    }
}

fn buckets(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for group in ctx.buckets.iter().filter(|g| g.cards.len() > 1) {
        let name = &group.bucket.name;
        let nodes = group.cards.iter().map(|c| c.id.clone()).collect();
        let disagreements = disagreements(group);
        if disagreements.is_empty() {
            out.push(Finding {
                rule: SEVERAL,
                severity: Severity::Info,
                message: format!(
                    "bucket \"{name}\" is drawn on {} cards; they are one bucket: their filters are checked together for overlaps and written in one notification configuration",
                    group.cards.len()
                ),
                subjects: vec![name.clone()],
                nodes,
                source: source_of(SEVERAL),
                fix: None,
            });
        } else {
            out.push(Finding {
                rule: CONFLICT,
                severity: Severity::Error,
                message: format!(
                    "bucket \"{name}\" is drawn on {} cards that disagree on its {}; a bucket has one region and one owner, so it cannot be written until the cards agree",
                    group.cards.len(),
                    disagreements.join(" and ")
                ),
                subjects: vec![name.clone()],
                nodes,
                source: source_of(CONFLICT),
                fix: None,
            });
        }
    }
}

/// `region (us-east-1, eu-west-1)`, `account (…)`: what the cards disagree on.
fn disagreements(group: &BucketGroup<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut regions: Vec<&str> = group.cards.iter().map(|c| c.region.as_str()).collect();
    regions.sort_unstable();
    regions.dedup();
    if regions.len() > 1 {
        out.push(format!("region ({})", regions.join(", ")));
    }
    // A card without an account (drawn by hand) agrees with any.
    let mut accounts: Vec<&str> = group
        .cards
        .iter()
        .filter_map(|c| c.account.as_deref())
        .collect();
    accounts.sort_unstable();
    accounts.dedup();
    if accounts.len() > 1 {
        out.push(format!("account ({})", accounts.join(", ")));
    }
    out
}

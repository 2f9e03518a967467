//! Cards that name one bucket (docs/rules.md §11):
//! - `conflicting-bucket-cards` (error): the cards disagree on the bucket's
//!   region or account, so which one is true cannot be told (a bucket has
//!   one region and one owner);
//! - `bucket-on-several-cards` (info): they agree, and are one bucket: their
//!   filters are checked together for overlaps and written in one
//!   configuration.

use super::{source_of, BucketGroup, Context};
use crate::finding::{Finding, Severity};

const CONFLICT: &str = "conflicting-bucket-cards";
const SEVERAL: &str = "bucket-on-several-cards";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
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

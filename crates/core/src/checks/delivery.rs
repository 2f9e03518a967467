//! What the checks of a topic's and a queue's access policy share
//! (docs/rules.md §15, §16): for each bucket delivering to it, whether a
//! statement lets S3 deliver (else S3 refuses the bucket's configuration),
//! and whether that statement is scoped by `aws:SourceArn` and
//! `aws:SourceAccount` (else it is broader than the bucket, §6).

use super::finding;
use crate::checks::finding::{Finding, Fix, Severity};
use crate::desired::change::Change;
use crate::desired::context::Context;
use crate::model::document::NodeId;
use crate::model::permission::InvokeGrant;
use crate::model::policy::compact::{PolicyDocument, StatementView};

const NO_ARN: &str = "permission-without-source-arn";
const NO_ACCOUNT: &str = "permission-without-source-account";

/// Whether a statement lets S3 deliver for a bucket of an account.
pub(super) type GrantCheck<'d> =
    &'d dyn for<'s> Fn(&StatementView<'s>, &str, Option<&str>) -> Option<InvokeGrant<'s>>;

/// A topic or queue buckets deliver to, with its policy as read.
pub(super) struct Destination<'d> {
    /// `topic` or `queue`.
    pub kind: &'static str,
    /// What S3 does to it: `publish`, `send`.
    pub verb: &'static str,
    /// Its ARN.
    pub arn: &'d str,
    /// Its name.
    pub name: &'d str,
    /// Its account, for buckets whose own is unknown.
    pub account: Option<&'d str>,
    /// Its cards.
    pub cards: &'d [&'d NodeId],
    /// The buckets delivering to it.
    pub buckets: &'d [&'d str],
    /// Its access policy as read.
    pub policy: Option<&'d PolicyDocument>,
    /// The Sid of the statement Bucketwire writes.
    pub sid: &'static str,
    /// The rule reported when no statement lets S3 deliver.
    pub deny_rule: &'static str,
    /// Whether a statement lets S3 deliver for a bucket of an account.
    pub grants: GrantCheck<'d>,
    /// The change that makes the policy let S3 deliver (the fix).
    pub fix: &'d dyn Fn() -> Change,
}

/// Reports, per bucket, a policy that does not let S3 deliver (with the
/// fix) or that lets it in more broadly than the bucket and its account.
pub(super) fn check_grants(ctx: &Context<'_>, d: &Destination<'_>, out: &mut Vec<Finding>) {
    let account = |bucket: &str| {
        ctx.bucket_named(bucket)
            .and_then(|g| g.bucket.account.as_deref())
            .or(d.account)
    };
    let nodes = |bucket: &str| -> Vec<NodeId> {
        let mut nodes: Vec<NodeId> = ctx
            .bucket_named(bucket)
            .map(|g| g.cards.iter().map(|c| c.id.clone()).collect())
            .unwrap_or_default();
        nodes.extend(d.cards.iter().map(|c| (*c).clone()));
        nodes
    };
    let (kind, verb, name) = (d.kind, d.verb, d.name);
    for bucket in d.buckets {
        let grants: Vec<_> = d
            .policy
            .iter()
            .flat_map(|p| p.statements())
            .filter_map(|st| (d.grants)(&st, bucket, account(bucket)))
            .map(|g| (g.sid.to_string(), g.has_source_arn, g.has_source_account))
            .collect();
        let subjects = || vec![bucket.to_string(), d.arn.to_string()];
        if grants.is_empty() {
            let mut f = finding(
                d.deny_rule,
                Severity::Warning,
                format!(
                    "the policy of {kind} \"{name}\" does not let S3 {verb} for bucket \"{bucket}\" (s3.amazonaws.com with the bucket as SourceArn); S3 refuses its configuration until it does (\"Unable to validate the following destination configurations\"). Apply writes statement {} into the {kind}'s policy before it writes the bucket",
                    d.sid
                ),
                nodes(bucket),
                subjects(),
            );
            f.fix = Some(Fix::Apply {
                changes: vec![(d.fix)()].into(),
            });
            out.push(f);
            continue;
        }
        if grants.iter().any(|(_, arn, account)| *arn && *account) {
            continue;
        }
        let sid = &grants[0].0;
        let named = if sid.is_empty() {
            "a statement without Sid".to_string()
        } else {
            format!("statement \"{sid}\"")
        };
        if !grants.iter().any(|(_, arn, _)| *arn) {
            out.push(finding(
                NO_ARN,
                Severity::Warning,
                format!(
                    "{named} of {kind} \"{name}\" lets S3 {verb} for any bucket, not just \"{bucket}\": it has no SourceArn, so a bucket name deleted and claimed by someone else could {verb} to it (confused deputy)"
                ),
                nodes(bucket),
                subjects(),
            ));
        }
        if !grants.iter().any(|(_, _, account)| *account) {
            out.push(finding(
                NO_ACCOUNT,
                Severity::Warning,
                format!(
                    "{named} of {kind} \"{name}\" lets S3 {verb} without SourceAccount: a bucket ARN holds no account id, so bucket \"{bucket}\" in any account matches"
                ),
                nodes(bucket),
                subjects(),
            ));
        }
    }
}

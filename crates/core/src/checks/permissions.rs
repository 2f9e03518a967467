//! The function's resource policy (docs/rules.md §2, §6). Checked when the
//! document carries the function's live policy:
//! - `missing-invoke-permission`: no statement lets S3 invoke the (qualified)
//!   function for this bucket, so S3 refuses the configuration;
//! - `permission-without-source-arn` / `permission-without-source-account`:
//!   the statement that allows it is broader than this bucket and account
//!   (confused deputy; SAM's default, serverless-application-model#2405);
//! - `policy-size-limit`: the policy would exceed 20 KB with the statements
//!   apply must add.

use super::source_of;
use crate::checks::finding::{Finding, Fix, Severity};
use crate::desired::change::Change;
use crate::desired::context::Context;
use crate::desired::lambda::Permission;
use crate::desired::lambda::{permission_changes, Grant};
use crate::model::permission::{grants_s3_invoke, policy_size, POLICY_LIMIT_BYTES};
use crate::model::policy::compact::PolicyStatement;
use std::collections::BTreeMap;

const MISSING: &str = "missing-invoke-permission";
const NO_ARN: &str = "permission-without-source-arn";
const NO_ACCOUNT: &str = "permission-without-source-account";
const SIZE: &str = "policy-size-limit";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    // Per target, the statements apply must add (their count and compact
    // size: all the size check needs) and the functions they are for.
    let mut additions: BTreeMap<String, (usize, usize, Vec<&crate::model::document::NodeId>)> =
        BTreeMap::new();
    for (config, filter, function) in ctx.invocations() {
        let Some(live) = ctx.live_function(&function.arn) else {
            continue;
        };
        let need = Permission::of(config, filter, function);
        let target = &need.target;
        let bucket = config.bucket;
        let account = bucket.account.as_deref();
        let sid = need.statement_id();
        let subjects = || {
            vec![
                bucket.name.clone(),
                filter.configuration_id.clone(),
                target.to_string(),
            ]
        };
        let nodes = || vec![bucket.id.clone(), filter.id.clone(), function.id.clone()];
        if let Grant::Missing { stale, add } = permission_changes(&need, &sid, live) {
            if let Change::AddPermission { statement, .. } = &*add {
                let entry = additions.entry(target.to_string()).or_default();
                entry.0 += 1;
                entry.1 += statement.as_str().len();
                entry.2.push(&function.id);
            }
            out.push(Finding {
                rule: MISSING,
                severity: Severity::Warning,
                message: format!(
                    "function \"{target}\" has no permission letting S3 invoke it for bucket \"{}\"; S3 refuses filter \"{}\" until it has one (\"Unable to validate the following destination configurations\"). Apply adds statement {sid} before it writes the bucket",
                    bucket.name, filter.configuration_id
                ),
                subjects: subjects(),
                nodes: nodes(),
                source: source_of(MISSING),
                fix: Some(Fix::Apply {
                    changes: stale.into_iter().chain([add]).map(|c| *c).collect(),
                }),
            });
            continue;
        }
        let grants: Vec<_> = live
            .policy_statements
            .iter()
            .filter_map(|st| grants_s3_invoke(st, target, &bucket.name, account))
            .collect();
        if grants
            .iter()
            .any(|g| g.has_source_arn && g.has_source_account)
        {
            continue;
        }
        let broad = &grants[0];
        let label = if broad.sid.is_empty() {
            "a statement without Sid".to_string()
        } else {
            format!("statement \"{}\"", broad.sid)
        };
        // Bucketwire never removes what it did not create: the owner
        // removes the broad statement, then the plan adds the scoped one.
        let fix = (!broad.sid.is_empty()).then(|| Fix::RemoveByHand {
            function_arn: target.to_string(),
            statement_id: broad.sid.to_string(),
            then: Box::new(Change::AddPermission {
                function_arn: target.to_string(),
                statement_id: sid.clone(),
                statement: need.statement(&sid).into(),
            }),
        });
        if !grants.iter().any(|g| g.has_source_arn) {
            out.push(Finding {
                rule: NO_ARN,
                severity: Severity::Warning,
                message: format!(
                    "{label} lets S3 invoke \"{target}\" for any bucket, not just \"{}\": it has no SourceArn, so a bucket name deleted and claimed by someone else could invoke it (confused deputy)",
                    bucket.name
                ),
                subjects: subjects(),
                nodes: nodes(),
                source: source_of(NO_ARN),
                fix: fix.clone(),
            });
        }
        if !grants.iter().any(|g| g.has_source_account) {
            out.push(Finding {
                rule: NO_ACCOUNT,
                severity: Severity::Warning,
                message: format!(
                    "{label} lets S3 invoke \"{target}\" without SourceAccount: a bucket ARN holds no account id, so bucket \"{}\" in any account matches",
                    bucket.name
                ),
                subjects: subjects(),
                nodes: nodes(),
                source: source_of(NO_ACCOUNT),
                fix,
            });
        }
    }
    for (target, (added, added_bytes, nodes)) in additions {
        let function_arn = target.split(':').take(7).collect::<Vec<_>>().join(":");
        let Some(live) = ctx.live_function(&function_arn) else {
            continue;
        };
        let kept: Vec<&PolicyStatement> = live
            .policy_statements
            .iter()
            .filter(|st| st.first_resource() == target)
            .collect();
        // The added statements join the kept ones, one comma each.
        let size = policy_size(&kept) + added_bytes + added - usize::from(kept.is_empty());
        if size > POLICY_LIMIT_BYTES {
            let mut nodes = nodes;
            nodes.dedup();
            out.push(Finding {
                rule: SIZE,
                severity: Severity::Error,
                message: format!(
                    "the resource policy of \"{target}\" would be {size} bytes with the permissions apply adds; Lambda caps a policy at {POLICY_LIMIT_BYTES} bytes. Remove unused statements or let one statement cover several buckets with a SourceArn pattern"
                ),
                subjects: vec![target],
                nodes: nodes.into_iter().cloned().collect(),
                source: source_of(SIZE),
                fix: None,
            });
        }
    }
}

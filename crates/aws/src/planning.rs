//! Reading what a plan needs and planning it, per bucket: a resource that
//! could not be read blocks what depends on it (named in the plan with the
//! reason) instead of failing the whole plan. `bucketwire plan`, `apply`
//! and the app's Review all plan through [`plan_account`].

use crate::account::Account;
use crate::error::{AccountError, ResourceError};
use crate::read::{read_for_plan_of, Cancel};
use bucketwire_core::live::LiveState;
use bucketwire_core::plan::{check_scope, plan_scoped, Plan, PlanError, Scope, Unread};
use bucketwire_core::Wiring;

/// A plan and the account as read for it.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The plan (with what is blocked, and why).
    pub plan: Plan,
    /// What was read.
    pub live: LiveState,
}

/// Why no plan could be made at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanningError {
    /// The account could not be read as a whole, or the read was cancelled.
    #[error("{0}")]
    Account(#[from] AccountError),
    /// The scope names what the document does not have.
    #[error("{0}")]
    Plan(#[from] PlanError),
}

/// Reads what planning `wiring` (limited to the buckets `only` names, when
/// it names any) needs and plans it.
///
/// # Errors
/// [`PlanningError::Account`] when the read is cancelled or a failure is
/// about no resource in particular; [`PlanningError::Plan`] when `only`
/// names a bucket the document does not have.
pub async fn plan_account(
    account: &Account,
    wiring: &Wiring,
    only: &[String],
    concurrency: usize,
    cancel: &Cancel,
) -> Result<Planned, PlanningError> {
    check_scope(wiring, only)?;
    let (live, errors) = read_for_plan_of(account, wiring, only, concurrency, cancel).await?;
    let unread = errors
        .iter()
        .map(|e| unread(e).ok_or_else(|| AccountError::Call(e.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    let plan = plan_scoped(
        wiring,
        &live,
        Scope {
            only,
            unread: &unread,
        },
    )?;
    Ok(Planned { plan, live })
}

/// The core's name for a failed read: its resource (`bucket NAME`,
/// `function ARN`, `role ARN`, `rule NAME`, `topic ARN`, `queue ARN`) and
/// why.
fn unread(e: &ResourceError) -> Option<Unread> {
    let why = format!("{} failed: {}: {}", e.operation, e.code, e.message);
    let (kind, name) = e.resource.split_once(' ')?;
    match kind {
        "bucket" => Some(Unread::Bucket(name.to_string(), why)),
        "function" => Some(Unread::Function(name.to_string(), why)),
        "role" => Some(Unread::Role(name.to_string(), why)),
        "rule" => Some(Unread::Rule(name.to_string(), why)),
        "topic" => Some(Unread::Topic(name.to_string(), why)),
        "queue" => Some(Unread::Queue(name.to_string(), why)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(resource: &str) -> ResourceError {
        ResourceError {
            resource: resource.into(),
            operation: "GetBucketNotificationConfiguration".into(),
            code: "AccessDenied".into(),
            message: "denied".into(),
        }
    }

    #[test]
    fn a_failed_read_names_its_resource_for_the_planner() {
        assert_eq!(
            unread(&error("bucket acme-logs")),
            Some(Unread::Bucket(
                "acme-logs".into(),
                "GetBucketNotificationConfiguration failed: AccessDenied: denied".into()
            ))
        );
        assert!(matches!(
            unread(&error("role arn:aws:iam::1:role/r")),
            Some(Unread::Role(arn, _)) if arn == "arn:aws:iam::1:role/r"
        ));
        assert!(matches!(
            unread(&error("rule acme-photos-images")),
            Some(Unread::Rule(name, _)) if name == "acme-photos-images"
        ));
        assert!(matches!(
            unread(&error("topic arn:aws:sns:us-east-1:1:t")),
            Some(Unread::Topic(arn, _)) if arn == "arn:aws:sns:us-east-1:1:t"
        ));
        assert_eq!(unread(&error("the account")), None);
    }
}

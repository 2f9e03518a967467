//! Sending a test event to a function, as "Send a test event" in the app
//! does: a `DryRun` invoke (the function and qualifier exist and these
//! credentials may invoke it; nothing runs) together with a fresh read of
//! the function's resource policy (does a statement let S3 invoke it for
//! this bucket? — the part S3 itself needs, docs/rules.md §6), or a real
//! `Event` invoke, which is how S3 invokes (docs/rules.md §10).

use crate::account::{arn_region, Account};
use crate::error::{resource_error, ResourceError};
use crate::read::read_function;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::InvocationType;
use bucketwire_core::import::split_qualifier;
use bucketwire_core::model::permission::grants_s3_invoke;

/// How to invoke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvokeMode {
    /// Check only: Lambda validates the call and runs nothing (204).
    DryRun,
    /// Queue the event for the function, as S3 does (202).
    Event,
}

/// What Lambda answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeOutcome {
    /// The HTTP status Lambda answered (204 for DryRun, 202 for Event).
    pub status: i32,
}

/// Invokes `function_arn` (qualified when it targets an alias or version)
/// with `payload` (the event JSON).
///
/// # Errors
/// A [`ResourceError`] with Lambda's code (`ResourceNotFoundException`,
/// `AccessDeniedException`…) or `Network`.
pub async fn invoke(
    account: &Account,
    function_arn: &str,
    payload: &str,
    mode: InvokeMode,
) -> Result<InvokeOutcome, ResourceError> {
    let resource = format!("function {function_arn}");
    let region = arn_region(function_arn)
        .unwrap_or(account.region())
        .to_string();
    let out = account
        .lambda(&region)
        .invoke()
        .function_name(function_arn)
        .invocation_type(match mode {
            InvokeMode::DryRun => InvocationType::DryRun,
            InvokeMode::Event => InvocationType::Event,
        })
        .payload(Blob::new(payload.as_bytes().to_vec()))
        .send()
        .await
        .map_err(|e| resource_error(&resource, "Invoke", &e))?;
    Ok(InvokeOutcome {
        status: out.status_code(),
    })
}

/// Reads `function_arn`'s resource policy now and returns the id of a
/// statement that lets S3 invoke it for `bucket` (owned by `account_id`,
/// when known), or `None` when no statement does.
///
/// # Errors
/// A [`ResourceError`] when the function or its policy cannot be read;
/// `ResourceNotFoundException` when the function does not exist.
pub async fn s3_grant(
    account: &Account,
    function_arn: &str,
    bucket: &str,
    account_id: Option<&str>,
) -> Result<Option<String>, ResourceError> {
    let (unqualified, _) = split_qualifier(function_arn);
    let function = read_function(account, unqualified)
        .await?
        .ok_or_else(|| ResourceError {
            resource: format!("function {unqualified}"),
            operation: "GetFunction".into(),
            code: "ResourceNotFoundException".into(),
            message: "the function does not exist".into(),
        })?;
    Ok(function
        .policy_statements
        .iter()
        .find_map(|s| grants_s3_invoke(s, function_arn, bucket, account_id))
        .map(|grant| grant.sid.to_string()))
}

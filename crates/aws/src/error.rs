//! Errors of the account adapter. Per-resource read failures are data
//! ([`ResourceError`]) collected in results; [`AccountError`] is for the
//! operation as a whole failing.

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use serde::Serialize;

/// A read of one resource that failed; the others go on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceError {
    /// What was being read (`bucket photos`, `function arn:...`).
    pub resource: String,
    /// The API operation (`GetBucketNotificationConfiguration`).
    pub operation: String,
    /// AWS's error code (`AccessDenied`); `Network` when the request never
    /// reached the service; `InvalidResponse` when its answer could not be
    /// read; `Unknown` for a service error without a code.
    pub code: String,
    /// AWS's message, or the transport's.
    pub message: String,
}

impl std::fmt::Display for ResourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} failed: {}: {}",
            self.resource, self.operation, self.code, self.message
        )
    }
}

/// Why an account operation failed as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// No region from flags, environment or profile.
    #[error("no AWS region: pass --region, set AWS_REGION, or set one in the profile")]
    NoRegion,
    /// A call failed in a way that stops the whole operation.
    #[error("{0}")]
    Call(ResourceError),
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
}

/// Builds a [`ResourceError`] from any SDK error.
pub(crate) fn resource_error<E, R>(
    resource: impl Into<String>,
    operation: &str,
    err: &SdkError<E, R>,
) -> ResourceError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let code = match err {
        // Timeouts, refused connections, DNS: nothing reached the service.
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => "Network".to_string(),
        SdkError::ResponseError(_) => "InvalidResponse".to_string(),
        SdkError::ConstructionFailure(_) => "InvalidRequest".to_string(),
        _ => err.code().unwrap_or("Unknown").to_string(),
    };
    let message = err
        .message()
        .map(str::to_string)
        .unwrap_or_else(|| error_chain(err));
    ResourceError {
        resource: resource.into(),
        operation: operation.to_string(),
        code,
        message,
    }
}

/// The error and its sources, joined: SDK errors hide the useful part
/// (connection refused, ...) a few levels down.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

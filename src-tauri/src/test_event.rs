//! "Send a test event" from Try a key: the event the core says the function
//! receives for this bucket, key and event type, sent through a connection.
//! A DryRun checks both halves of delivery without running anything: Lambda
//! accepts the call (the function and qualifier exist), and — read fresh
//! from the account — the function's resource policy lets S3 invoke it for
//! this bucket. An Event invoke queues the event as S3 would.

use crate::connections::Connections;
use crate::error::{CommandError, ErrorCode};
use bucketwire_aws::{invoke, s3_grant, InvokeMode};
use bucketwire_core::simulate::{Destination, Outcome};
use bucketwire_core::{simulate, Wiring};
use serde::{Deserialize, Serialize};

/// Which invoke to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum TestEventMode {
    /// Check only; nothing runs.
    DryRun,
    /// A real asynchronous invoke, as S3 makes.
    Event,
}

/// One thing the test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckView {
    /// Whether it is as S3 needs it.
    pub ok: bool,
    /// What was checked and what came back.
    pub text: String,
}

/// What sending the test event found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TestEventView {
    /// Whether every check passed.
    pub ok: bool,
    /// The function (ARN, qualified when an alias is targeted) invoked.
    pub function: String,
    /// Each check, in order.
    pub checks: Vec<CheckView>,
}

/// Sends the test event for `bucket`, `key` and `event` through connection
/// `name`.
///
/// # Errors
/// `invalidInput` when the bucket is unknown, the event is not concrete or
/// no function fires for the key (there is nothing to send);
/// `connectionStore`; `awsCall` when the connection has no region. Failed
/// AWS calls are not errors: they are checks that did not pass.
pub async fn send_test_event(
    connections: &Connections,
    wiring: &Wiring,
    name: &str,
    bucket: &str,
    key: &str,
    event: &str,
    mode: TestEventMode,
) -> Result<TestEventView, CommandError> {
    let sim = simulate(wiring, bucket, key, event)
        .map_err(|e| CommandError::new(ErrorCode::InvalidInput, e.to_string()))?;
    let (function, payload) = match sim.outcome {
        Outcome::Fires {
            destination: Destination::Function { arn, .. },
            event_json,
            ..
        } => (arn, event_json.to_string()),
        _ => {
            return Err(CommandError::new(
                ErrorCode::InvalidInput,
                format!("no function fires for {key} ({event}) in bucket {bucket}: there is nothing to send"),
            ))
        }
    };
    let account = connections.account(name).await?;
    let mut checks = Vec::new();
    match mode {
        TestEventMode::DryRun => {
            checks.push(match invoke(&account, &function, &payload, InvokeMode::DryRun).await {
                Ok(out) => CheckView {
                    ok: true,
                    text: format!(
                        "Lambda accepts the call: the function exists and these credentials may invoke it (DryRun, status {})",
                        out.status
                    ),
                },
                Err(e) => CheckView { ok: false, text: format!("Lambda refused the DryRun: {e}") },
            });
            // The bucket owner S3 names as SourceAccount: the document's,
            // else the connection's own account.
            let owner = match wiring
                .buckets()
                .find(|b| b.name == bucket)
                .and_then(|b| b.account.clone())
            {
                Some(owner) => Some(owner),
                None => account.identity().await.ok().map(|i| i.account),
            };
            checks.push(match s3_grant(&account, &function, bucket, owner.as_deref()).await {
                Ok(Some(sid)) => CheckView {
                    ok: true,
                    text: format!("S3 may invoke it for bucket {bucket}: statement {sid} of its resource policy allows s3.amazonaws.com"),
                },
                Ok(None) => CheckView {
                    ok: false,
                    text: format!("S3 may not invoke it for bucket {bucket}: no statement of its resource policy allows s3.amazonaws.com for arn:aws:s3:::{bucket}, so S3 would not deliver the event (Review changes plans the permission)"),
                },
                Err(e) => CheckView { ok: false, text: format!("its resource policy could not be read: {e}") },
            });
        }
        TestEventMode::Event => {
            checks.push(match invoke(&account, &function, &payload, InvokeMode::Event).await {
                Ok(out) => CheckView {
                    ok: true,
                    text: format!(
                        "Lambda queued the event for the function (Event, status {}); its logs show what it did",
                        out.status
                    ),
                },
                Err(e) => CheckView { ok: false, text: format!("Lambda refused the event: {e}") },
            });
        }
    }
    Ok(TestEventView {
        ok: checks.iter().all(|c| c.ok),
        function,
        checks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bucketwire_aws::{ConnectionStore, SecretStore};

    #[tokio::test]
    async fn nothing_is_sent_when_no_function_fires_or_the_input_is_wrong() {
        let dir = tempfile::tempdir().expect("tempdir");
        let connections = Connections::new(
            ConnectionStore::at(dir.path().join("connections.json")),
            SecretStore::in_memory(),
        );
        let wiring =
            Wiring::from_document(&bucketwire_core::samples::thumbnails()).expect("sample");
        let send = |bucket: &'static str, key: &'static str, event: &'static str| {
            let (connections, wiring) = (&connections, &wiring);
            async move {
                send_test_event(
                    connections,
                    wiring,
                    "nowhere",
                    bucket,
                    key,
                    event,
                    TestEventMode::DryRun,
                )
                .await
                .expect_err("refused")
            }
        };
        // A key the filter does not match: nothing to send, no AWS call
        // (the connection does not even exist).
        let e = send("acme-photos", "elsewhere/cat.png", "s3:ObjectCreated:Put").await;
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains("nothing to send"), "{}", e.message);
        let e = send("no-such-bucket", "uploads/cat.jpg", "s3:ObjectCreated:Put").await;
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains("no-such-bucket"), "{}", e.message);
        // A key that fires reaches the connection, which is unknown.
        let e = send("acme-photos", "uploads/cat.jpg", "s3:ObjectCreated:Put").await;
        assert_eq!(e.code, ErrorCode::ConnectionStore);
    }
}

//! The inspector's fields as it sends them ([`NodeUpdate`]), and the core
//! node they make: text as typed, numbers read here with the field named
//! when one is not a number, so a refused field is said, never lost.

use crate::error::{CommandError, ErrorCode};
use bucketwire_core::{AsyncInvoke, RecursiveLoop};

/// The editable properties of one node kind, as the inspector sends them.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum NodeUpdate {
    /// A bucket's name, region and account.
    Bucket {
        /// Bucket name.
        name: String,
        /// Region (`us-east-1`).
        region: String,
        /// 12-digit account id; empty or absent when unknown.
        account: Option<String>,
    },
    /// A filter's configuration id, events and key rules.
    Filter {
        /// The configuration `Id`.
        configuration_id: String,
        /// Event types (`s3:ObjectCreated:*`).
        events: Vec<String>,
        /// Key prefix; empty or absent for none.
        prefix: Option<String>,
        /// Key suffix; empty or absent for none.
        suffix: Option<String>,
    },
    /// A function's ARN, alias or version, execution role, asynchronous
    /// invocation settings and recursion guard. The async settings are
    /// text as typed (Rust reads the numbers); all three empty means the
    /// document does not manage them (the account's stay as they are).
    Function {
        /// Unqualified function ARN.
        arn: String,
        /// Alias or version; empty or absent for none.
        qualifier: Option<String>,
        /// Execution role ARN; empty or absent when unknown.
        role: Option<String>,
        /// Retry attempts after a function error (0 to 2); empty for
        /// Lambda's default.
        #[serde(default)]
        retry_attempts: Option<String>,
        /// Maximum event age in seconds (60 to 21600); empty for the
        /// default.
        #[serde(default)]
        max_event_age: Option<String>,
        /// On-failure destination ARN; empty for none.
        #[serde(default)]
        on_failure: Option<String>,
        /// `Terminate` or `Allow`; empty or absent leaves the account's
        /// guard as it is.
        #[serde(default)]
        recursive_loop: Option<String>,
    },
    /// An SQS queue's ARN, attributes and the mapping Lambda polls it
    /// with. Numbers are text as typed (Rust reads them; empty leaves
    /// them to the account or Lambda's default).
    Queue {
        /// The queue ARN (`arn:aws:sqs:REGION:ACCOUNT:NAME`).
        arn: String,
        /// Visibility timeout, seconds.
        #[serde(default)]
        visibility_timeout: Option<String>,
        /// The dead-letter queue's ARN; empty for none.
        #[serde(default)]
        dead_letter_arn: Option<String>,
        /// Receives before a message moves to the dead-letter queue.
        #[serde(default)]
        max_receive_count: Option<String>,
        /// `KmsMasterKeyId`; empty leaves the account's as it is.
        #[serde(default)]
        kms_master_key_id: Option<String>,
        /// Messages per batch.
        #[serde(default)]
        batch_size: Option<String>,
        /// Batching window, seconds.
        #[serde(default)]
        batching_window: Option<String>,
        /// Most concurrent invocations.
        #[serde(default)]
        maximum_concurrency: Option<String>,
        /// Whether the function reports batch item failures.
        report_batch_item_failures: bool,
        /// Whether Lambda polls the queue.
        enabled: bool,
    },
    /// An SNS topic's ARN and the KMS key that encrypts it.
    Topic {
        /// The topic ARN (`arn:aws:sns:REGION:ACCOUNT:NAME`).
        arn: String,
        /// `KmsMasterKeyId`; empty or absent leaves the account's as it is.
        kms_master_key_id: Option<String>,
    },
    /// An EventBridge rule's name, region, pattern and state. The pattern is
    /// its JSON text as typed (Rust reads it; the buckets drawn into the
    /// rule are not named in it).
    Rule {
        /// The rule's name on its region's default bus.
        name: String,
        /// Region (`us-east-1`).
        region: String,
        /// The event pattern, JSON text.
        pattern: String,
        /// Whether the rule is enabled.
        enabled: bool,
    },
}

impl NodeUpdate {
    /// A queue's properties as the inspector shows them.
    pub fn queue(q: &bucketwire_core::Queue) -> Self {
        let text = |n: Option<u32>| n.map(|n| n.to_string());
        Self::Queue {
            arn: q.arn.clone(),
            visibility_timeout: text(q.visibility_timeout_seconds),
            dead_letter_arn: q.dead_letter.as_ref().map(|d| d.arn.clone()),
            max_receive_count: text(q.dead_letter.as_ref().map(|d| d.max_receive_count)),
            kms_master_key_id: q.kms_master_key_id.clone(),
            batch_size: text(q.mapping.batch_size),
            batching_window: text(q.mapping.maximum_batching_window_seconds),
            maximum_concurrency: text(q.mapping.maximum_concurrency),
            report_batch_item_failures: q.mapping.report_batch_item_failures,
            enabled: q.mapping.enabled,
        }
    }

    /// `q` with these properties (numbers read; a dead-letter queue named
    /// without a receive count gets 5).
    ///
    /// # Errors
    /// `invalidInput` naming the field that is not a whole number.
    pub(crate) fn into_queue(
        self,
        mut q: bucketwire_core::Queue,
    ) -> Result<bucketwire_core::Queue, CommandError> {
        let NodeUpdate::Queue {
            arn,
            visibility_timeout,
            dead_letter_arn,
            max_receive_count,
            kms_master_key_id,
            batch_size,
            batching_window,
            maximum_concurrency,
            report_batch_item_failures,
            enabled,
        } = self
        else {
            return Ok(q);
        };
        q.arn = arn.trim().to_string();
        q.visibility_timeout_seconds = number(
            visibility_timeout,
            "visibility timeout",
            "0 to 43200 seconds",
        )?;
        let receives = number(max_receive_count, "maximum receive count", "1 to 1000")?;
        q.dead_letter = dead_letter_arn
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .map(|arn| bucketwire_core::model::document::DeadLetter {
                arn,
                max_receive_count: receives.unwrap_or(5),
            });
        q.kms_master_key_id = kms_master_key_id.filter(|k| !k.trim().is_empty());
        q.mapping = bucketwire_core::model::document::QueueMapping {
            batch_size: number(batch_size, "batch size", "1 to 10000")?,
            maximum_batching_window_seconds: number(
                batching_window,
                "batching window",
                "0 to 300 seconds",
            )?,
            report_batch_item_failures,
            maximum_concurrency: number(maximum_concurrency, "maximum concurrency", "2 to 1000")?,
            enabled,
        };
        Ok(q)
    }
}

/// The text of a number field, read: empty is `None`.
pub(crate) fn number<T: std::str::FromStr>(
    value: Option<String>,
    what: &str,
    range: &str,
) -> Result<Option<T>, CommandError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            CommandError::new(
                ErrorCode::InvalidInput,
                format!("{what}: \"{text}\" is not a whole number ({range})"),
            )
        }),
    }
}

/// The async settings a function update asks for; `None` when all three
/// fields are empty.
///
/// # Errors
/// `invalidInput` naming the field that is not a whole number.
pub(crate) fn async_invoke(
    retry_attempts: Option<String>,
    max_event_age: Option<String>,
    on_failure: Option<String>,
) -> Result<Option<AsyncInvoke>, CommandError> {
    let settings = AsyncInvoke {
        maximum_retry_attempts: number(retry_attempts, "retry attempts", "0 to 2")?,
        maximum_event_age_seconds: number(
            max_event_age,
            "maximum event age",
            "60 to 21600 seconds",
        )?,
        on_failure: on_failure
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty()),
    };
    Ok((settings != AsyncInvoke::default()).then_some(settings))
}

/// The recursion guard a function update asks for.
///
/// # Errors
/// `invalidInput` for anything but empty, `Terminate` or `Allow`.
pub(crate) fn recursive_loop(value: Option<String>) -> Result<Option<RecursiveLoop>, CommandError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some("Terminate") => Ok(Some(RecursiveLoop::Terminate)),
        Some("Allow") => Ok(Some(RecursiveLoop::Allow)),
        Some(other) => Err(CommandError::new(
            ErrorCode::InvalidInput,
            format!("recursion guard: \"{other}\" is neither Terminate nor Allow"),
        )),
    }
}

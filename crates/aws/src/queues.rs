//! SQS queues and the event source mappings Lambda polls them with
//! (docs/rules.md §16): reading a queue with its attributes and mappings,
//! and the writes a plan makes — CreateQueue, SetQueueAttributes,
//! CreateEventSourceMapping, UpdateEventSourceMapping,
//! DeleteEventSourceMapping — with DeleteQueue to undo a queue an apply
//! created.

use crate::account::Account;
use crate::error::{resource_error, ResourceError};
use aws_sdk_lambda::types::{FunctionResponseType, ScalingConfig};
use aws_sdk_sqs::types::QueueAttributeName;
use bucketwire_core::model::document::{arn_parts, LiveMapping, LiveQueue, QueueMapping};
use bucketwire_core::model::policy::compact::PolicyDocument;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// `(region, account, name)` of a queue ARN; the account's default region
/// and the ARN itself as the name when it has no SQS ARN's shape.
fn parts<'a>(account: &'a Account, arn: &'a str) -> (&'a str, Option<&'a str>, &'a str) {
    match arn_parts(arn, "sqs") {
        Some((region, owner, name)) => (region, Some(owner), name),
        None => (account.region(), None, arn),
    }
}

/// The queue's URL; `None` when there is no such queue.
///
/// # Errors
/// A read that failed, naming the queue.
pub async fn queue_url(account: &Account, arn: &str) -> Result<Option<String>, ResourceError> {
    let (region, owner, name) = parts(account, arn);
    match account
        .sqs(region)
        .get_queue_url()
        .queue_name(name)
        .set_queue_owner_aws_account_id(owner.map(str::to_string))
        .send()
        .await
    {
        Ok(out) => Ok(out.queue_url().map(str::to_string)),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_queue_does_not_exist()) =>
        {
            Ok(None)
        }
        Err(e) => Err(resource_error(format!("queue {arn}"), "GetQueueUrl", &e)),
    }
}

/// The queue `arn` with its attributes and the mappings polling it;
/// `None` when there is none.
///
/// # Errors
/// A read that failed, naming the queue.
pub async fn read_queue(account: &Account, arn: &str) -> Result<Option<LiveQueue>, ResourceError> {
    let resource = format!("queue {arn}");
    let Some(url) = queue_url(account, arn).await? else {
        return Ok(None);
    };
    let (region, _, _) = parts(account, arn);
    let attributes = account
        .sqs(region)
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .map_err(|e| resource_error(&resource, "GetQueueAttributes", &e))?
        .attributes
        .unwrap_or_default();
    let get = |name: QueueAttributeName| attributes.get(&name).filter(|v| !v.is_empty());
    let mappings = read_mappings(account, arn).await?;
    Ok(Some(LiveQueue {
        arn: arn.to_string(),
        url,
        policy: get(QueueAttributeName::Policy)
            .and_then(|p| serde_json::from_str::<Value>(p).ok())
            .map(|p| PolicyDocument::from(&p)),
        visibility_timeout_seconds: get(QueueAttributeName::VisibilityTimeout)
            .and_then(|v| v.parse().ok()),
        dead_letter: get(QueueAttributeName::RedrivePolicy)
            .and_then(|r| bucketwire_core::desired::queues::parse_redrive(r)),
        kms_master_key_id: get(QueueAttributeName::KmsMasterKeyId).cloned(),
        mappings,
    }))
}

/// Every Lambda event source mapping polling the queue.
async fn read_mappings(account: &Account, arn: &str) -> Result<Vec<LiveMapping>, ResourceError> {
    let (region, _, _) = parts(account, arn);
    let lambda = account.lambda(region);
    let mut found = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = lambda
            .list_event_source_mappings()
            .event_source_arn(arn)
            .set_marker(marker.clone())
            .send()
            .await
            .map_err(|e| resource_error(format!("queue {arn}"), "ListEventSourceMappings", &e))?;
        for m in page.event_source_mappings() {
            let (Some(uuid), Some(function_arn)) = (m.uuid(), m.function_arn()) else {
                continue;
            };
            found.push(LiveMapping {
                uuid: uuid.to_string(),
                function_arn: function_arn.to_string(),
                settings: QueueMapping {
                    batch_size: m.batch_size().and_then(|b| u32::try_from(b).ok()),
                    maximum_batching_window_seconds: Some(
                        m.maximum_batching_window_in_seconds()
                            .and_then(|w| u32::try_from(w).ok())
                            .unwrap_or(0),
                    ),
                    report_batch_item_failures: m
                        .function_response_types()
                        .contains(&FunctionResponseType::ReportBatchItemFailures),
                    maximum_concurrency: m
                        .scaling_config()
                        .and_then(|s| s.maximum_concurrency())
                        .and_then(|c| u32::try_from(c).ok()),
                    enabled: !m.state().is_some_and(|s| s.starts_with("Disabl")),
                },
            });
        }
        match page.next_marker() {
            Some(m) if !m.is_empty() && Some(m) != marker.as_deref() => {
                marker = Some(m.to_string())
            }
            _ => return Ok(found),
        }
    }
}

/// SQS's attribute map from names as the plan writes them.
fn attribute_map(attributes: &BTreeMap<String, String>) -> HashMap<QueueAttributeName, String> {
    attributes
        .iter()
        .map(|(k, v)| (QueueAttributeName::from(k.as_str()), v.clone()))
        .collect()
}

/// Creates the queue `arn` (by its name, in its region) with `attributes`.
///
/// # Errors
/// The call's error, naming the queue.
pub async fn create_queue(
    account: &Account,
    arn: &str,
    attributes: &BTreeMap<String, String>,
) -> Result<(), ResourceError> {
    let (region, _, name) = parts(account, arn);
    account
        .sqs(region)
        .create_queue()
        .queue_name(name)
        .set_attributes((!attributes.is_empty()).then(|| attribute_map(attributes)))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(format!("queue {arn}"), "CreateQueue", &e))
}

/// Sets the queue's `attributes`.
///
/// # Errors
/// The queue not found, or the call's error, naming the queue.
pub async fn set_attributes(
    account: &Account,
    arn: &str,
    attributes: &BTreeMap<String, String>,
) -> Result<(), ResourceError> {
    let url = existing_url(account, arn, "SetQueueAttributes").await?;
    let (region, _, _) = parts(account, arn);
    account
        .sqs(region)
        .set_queue_attributes()
        .queue_url(url)
        .set_attributes(Some(attribute_map(attributes)))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(format!("queue {arn}"), "SetQueueAttributes", &e))
}

/// Deletes the queue (undoing a queue an apply created).
///
/// # Errors
/// The call's error, naming the queue.
pub async fn delete_queue(account: &Account, arn: &str) -> Result<(), ResourceError> {
    let url = existing_url(account, arn, "DeleteQueue").await?;
    let (region, _, _) = parts(account, arn);
    account
        .sqs(region)
        .delete_queue()
        .queue_url(url)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(format!("queue {arn}"), "DeleteQueue", &e))
}

/// The URL of a queue that must exist for `operation`.
async fn existing_url(
    account: &Account,
    arn: &str,
    operation: &str,
) -> Result<String, ResourceError> {
    queue_url(account, arn).await?.ok_or_else(|| ResourceError {
        resource: format!("queue {arn}"),
        operation: operation.into(),
        code: "QueueDoesNotExist".into(),
        message: "the queue does not exist".into(),
    })
}

/// Creates the mapping that polls `queue` for `function` with `settings`,
/// or (with `uuid`) updates that mapping to them.
///
/// # Errors
/// The call's error, naming the queue.
pub async fn put_mapping(
    account: &Account,
    queue: &str,
    function: &str,
    uuid: Option<&str>,
    settings: &QueueMapping,
) -> Result<(), ResourceError> {
    let (region, _, _) = parts(account, queue);
    let lambda = account.lambda(region);
    let batch = settings.batch_size.map(|b| b as i32);
    let window = settings.maximum_batching_window_seconds.map(|w| w as i32);
    let responses = settings
        .report_batch_item_failures
        .then(|| vec![FunctionResponseType::ReportBatchItemFailures]);
    let scaling = settings.maximum_concurrency.map(|c| {
        ScalingConfig::builder()
            .maximum_concurrency(c as i32)
            .build()
    });
    let resource = format!("queue {queue}");
    match uuid {
        None => lambda
            .create_event_source_mapping()
            .event_source_arn(queue)
            .function_name(function)
            .set_batch_size(batch)
            .set_maximum_batching_window_in_seconds(window)
            .set_function_response_types(responses)
            .set_scaling_config(scaling)
            .enabled(settings.enabled)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| resource_error(&resource, "CreateEventSourceMapping", &e)),
        Some(uuid) => lambda
            .update_event_source_mapping()
            .uuid(uuid)
            .function_name(function)
            .set_batch_size(batch)
            .set_maximum_batching_window_in_seconds(window)
            // An empty list turns ReportBatchItemFailures off.
            .set_function_response_types(Some(responses.unwrap_or_default()))
            .set_scaling_config(scaling)
            .enabled(settings.enabled)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| resource_error(&resource, "UpdateEventSourceMapping", &e)),
    }
}

/// Deletes the mapping `uuid` of `queue`.
///
/// # Errors
/// The call's error, naming the queue.
pub async fn delete_mapping(
    account: &Account,
    queue: &str,
    uuid: &str,
) -> Result<(), ResourceError> {
    let (region, _, _) = parts(account, queue);
    account
        .lambda(region)
        .delete_event_source_mapping()
        .uuid(uuid)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(format!("queue {queue}"), "DeleteEventSourceMapping", &e))
}

/// Deletes every mapping polling `queue` for `function` (undoing a
/// mapping an apply made, whose UUID the plan cannot know).
///
/// # Errors
/// A read or call that failed, naming the queue.
pub async fn delete_mappings_of(
    account: &Account,
    queue: &str,
    function: &str,
) -> Result<(), ResourceError> {
    for m in read_mappings(account, queue).await? {
        if m.function_arn == function {
            delete_mapping(account, queue, &m.uuid).await?;
        }
    }
    Ok(())
}

//! SNS topics (docs/rules.md §15): reading a topic with its policy, key
//! and subscriptions, and the writes a plan makes — CreateTopic,
//! SetTopicAttributes (Policy, KmsMasterKeyId), Subscribe, Unsubscribe —
//! with DeleteTopic to undo a topic an apply created.

use crate::account::Account;
use crate::error::{resource_error, ResourceError};
use bucketwire_core::model::document::{sns_arn_parts, LiveSubscription, LiveTopic};
use bucketwire_core::model::policy::compact::PolicyDocument;
use serde_json::Value;

/// The region of a topic ARN (where its SNS client must point); the
/// account's default region when the ARN has none.
fn region_of<'a>(account: &'a Account, arn: &'a str) -> &'a str {
    sns_arn_parts(arn).map_or(account.region(), |(region, _, _)| region)
}

/// The topic `arn` with its policy, key and subscriptions; `None` when
/// there is none.
///
/// # Errors
/// A read that failed, naming the topic.
pub async fn read_topic(account: &Account, arn: &str) -> Result<Option<LiveTopic>, ResourceError> {
    let resource = format!("topic {arn}");
    let sns = account.sns(region_of(account, arn));
    let attributes = match sns.get_topic_attributes().topic_arn(arn).send().await {
        Ok(out) => out.attributes.unwrap_or_default(),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_not_found_exception()) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(resource_error(&resource, "GetTopicAttributes", &e)),
    };
    let mut subscriptions = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = sns
            .list_subscriptions_by_topic()
            .topic_arn(arn)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| resource_error(&resource, "ListSubscriptionsByTopic", &e))?;
        subscriptions.extend(page.subscriptions().iter().map(|s| LiveSubscription {
            arn: s.subscription_arn().unwrap_or_default().to_string(),
            protocol: s.protocol().unwrap_or_default().to_string(),
            endpoint: s.endpoint().unwrap_or_default().to_string(),
        }));
        match page.next_token() {
            Some(t) if !t.is_empty() && Some(t) != token.as_deref() => token = Some(t.to_string()),
            _ => break,
        }
    }
    let policy = attributes
        .get("Policy")
        .and_then(|p| serde_json::from_str::<Value>(p).ok())
        .map(|p| PolicyDocument::from(&p));
    Ok(Some(LiveTopic {
        arn: arn.to_string(),
        policy,
        kms_master_key_id: attributes
            .get("KmsMasterKeyId")
            .filter(|k| !k.is_empty())
            .cloned(),
        subscriptions,
    }))
}

/// Creates the topic `arn` (by its name, in its region) with `policy` and
/// `key` set.
///
/// # Errors
/// The call's error; or, when SNS answers with another ARN (the
/// credentials are for another account), that mismatch.
pub async fn create_topic(
    account: &Account,
    arn: &str,
    policy: Option<&Value>,
    key: Option<&str>,
) -> Result<(), ResourceError> {
    let resource = format!("topic {arn}");
    let name = sns_arn_parts(arn).map_or(arn, |(_, _, name)| name);
    let mut call = account
        .sns(region_of(account, arn))
        .create_topic()
        .name(name);
    if let Some(policy) = policy {
        call = call.attributes("Policy", policy.to_string());
    }
    if let Some(key) = key {
        call = call.attributes("KmsMasterKeyId", key);
    }
    let made = call
        .send()
        .await
        .map_err(|e| resource_error(&resource, "CreateTopic", &e))?;
    match made.topic_arn() {
        Some(got) if got != arn => Err(ResourceError {
            resource,
            operation: "CreateTopic".into(),
            code: "WrongAccount".into(),
            message: format!("SNS made {got}: the credentials are not for the topic's account"),
        }),
        _ => Ok(()),
    }
}

/// Sets one attribute of the topic (`Policy`, `KmsMasterKeyId`).
///
/// # Errors
/// The call's error, naming the topic.
pub async fn set_attribute(
    account: &Account,
    arn: &str,
    name: &str,
    value: &str,
) -> Result<(), ResourceError> {
    account
        .sns(region_of(account, arn))
        .set_topic_attributes()
        .topic_arn(arn)
        .attribute_name(name)
        .attribute_value(value)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(format!("topic {arn}"), "SetTopicAttributes", &e))
}

/// Deletes the topic (undoing a topic an apply created).
///
/// # Errors
/// The call's error, naming the topic.
pub async fn delete_topic(account: &Account, arn: &str) -> Result<(), ResourceError> {
    account
        .sns(region_of(account, arn))
        .delete_topic()
        .topic_arn(arn)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(format!("topic {arn}"), "DeleteTopic", &e))
}

/// Subscribes the function `endpoint` (qualified for an alias or version)
/// to the topic.
///
/// # Errors
/// The call's error, naming the topic.
pub async fn subscribe(account: &Account, arn: &str, endpoint: &str) -> Result<(), ResourceError> {
    account
        .sns(region_of(account, arn))
        .subscribe()
        .topic_arn(arn)
        .protocol("lambda")
        .endpoint(endpoint)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(format!("topic {arn}"), "Subscribe", &e))
}

/// Removes the subscription `subscription` of the topic `arn`.
///
/// # Errors
/// The call's error, naming the topic.
pub async fn unsubscribe(
    account: &Account,
    arn: &str,
    subscription: &str,
) -> Result<(), ResourceError> {
    account
        .sns(region_of(account, arn))
        .unsubscribe()
        .subscription_arn(subscription)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(format!("topic {arn}"), "Unsubscribe", &e))
}

/// Removes every Lambda subscription of the topic to `endpoint` (undoing a
/// Subscribe, whose subscription ARN the plan cannot know).
///
/// # Errors
/// A read or call that failed, naming the topic.
pub async fn unsubscribe_endpoint(
    account: &Account,
    arn: &str,
    endpoint: &str,
) -> Result<(), ResourceError> {
    let Some(topic) = read_topic(account, arn).await? else {
        return Ok(());
    };
    for s in topic
        .subscriptions
        .iter()
        .filter(|s| s.protocol == "lambda" && s.endpoint == endpoint)
    {
        unsubscribe(account, arn, &s.arn).await?;
    }
    Ok(())
}

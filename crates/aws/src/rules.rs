//! EventBridge rules on a region's default bus (docs/rules.md §14): reading
//! the document's rules with their targets, and the writes a plan makes —
//! PutRule, PutTargets, RemoveTargets, and DeleteRule to undo a rule an
//! apply created.

use crate::account::Account;
use crate::error::{resource_error, ResourceError};
use bucketwire_core::live::{LiveRule, LiveTarget};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::Value;

/// The rule named `name` on `region`'s default bus with its targets;
/// `None` when there is none.
///
/// # Errors
/// A read that failed, naming the rule.
pub async fn read_rule(
    account: &Account,
    name: &str,
    region: &str,
) -> Result<Option<LiveRule>, ResourceError> {
    let resource = format!("rule {name}");
    let events = account.events(region);
    let rule = match events.describe_rule().name(name).send().await {
        Ok(out) => out,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(resource_error(&resource, "DescribeRule", &e)),
    };
    let targets = targets_of(&events, name, &resource).await?;
    Ok(Some(live_rule(
        name,
        region,
        rule.arn(),
        rule.event_pattern(),
        rule.state(),
        targets,
    )))
}

/// A rule as EventBridge describes or lists it (a rule without a state is
/// enabled; a pattern that is not JSON is none).
fn live_rule(
    name: &str,
    region: &str,
    arn: Option<&str>,
    pattern: Option<&str>,
    state: Option<&aws_sdk_eventbridge::types::RuleState>,
    targets: Vec<LiveTarget>,
) -> LiveRule {
    LiveRule {
        name: name.to_string(),
        region: region.to_string(),
        arn: arn.unwrap_or_default().to_string(),
        pattern: pattern.and_then(|p| serde_json::from_str::<Value>(p).ok()),
        state: state.map_or_else(|| "ENABLED".to_string(), |s| s.as_str().to_string()),
        targets,
    }
}

/// Every target of a rule.
async fn targets_of(
    events: &aws_sdk_eventbridge::Client,
    rule: &str,
    resource: &str,
) -> Result<Vec<LiveTarget>, ResourceError> {
    let mut targets = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = events
            .list_targets_by_rule()
            .rule(rule)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| resource_error(resource, "ListTargetsByRule", &e))?;
        targets.extend(page.targets().iter().map(|t| LiveTarget {
            id: t.id().to_string(),
            arn: t.arn().to_string(),
        }));
        match page.next_token() {
            Some(t) if !t.is_empty() && Some(t) != token.as_deref() => token = Some(t.to_string()),
            _ => return Ok(targets),
        }
    }
}

/// The rules on `region`'s default bus over S3's events of `buckets`
/// only (their pattern's `detail.bucket.name` lists some of them and no
/// other): what an import can draw. Rules over other buckets, or that do
/// not name buckets, are left out (drawn in part, a plan would narrow
/// them).
///
/// # Errors
/// A read that failed, naming the region's bus or the rule.
pub async fn read_rules_over(
    account: &Account,
    region: &str,
    buckets: &std::collections::BTreeSet<&str>,
) -> Result<Vec<LiveRule>, ResourceError> {
    let events = account.events(region);
    let resource = format!("the default event bus of {region}");
    let mut found = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = events
            .list_rules()
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| resource_error(&resource, "ListRules", &e))?;
        for rule in page.rules() {
            let Some(name) = rule.name() else { continue };
            let found_rule = live_rule(
                name,
                region,
                rule.arn(),
                rule.event_pattern(),
                rule.state(),
                Vec::new(),
            );
            let over_these = found_rule
                .pattern
                .as_ref()
                .and_then(bucketwire_core::import::split_bucket_names)
                .is_some_and(|(names, _)| names.iter().all(|n| buckets.contains(n.as_str())));
            if over_these {
                found.push(found_rule);
            }
        }
        match page.next_token() {
            Some(t) if !t.is_empty() && Some(t) != token.as_deref() => token = Some(t.to_string()),
            _ => break,
        }
    }
    // Each rule's targets, several reads in flight (in the rules' order).
    futures_util::stream::iter(found.into_iter().map(|mut rule| {
        let events = &events;
        async move {
            rule.targets = targets_of(events, &rule.name, &format!("rule {}", rule.name)).await?;
            Ok::<_, ResourceError>(rule)
        }
    }))
    .buffered(TARGET_READS)
    .try_collect()
    .await
}

/// Rules whose targets are read at once during an import.
const TARGET_READS: usize = 8;

/// Creates or updates a rule (PutRule).
///
/// # Errors
/// The call's failure, naming the rule.
pub async fn put_rule(
    account: &Account,
    name: &str,
    region: &str,
    pattern: Option<&Value>,
    state: &str,
) -> Result<(), ResourceError> {
    account
        .events(region)
        .put_rule()
        .name(name)
        .set_event_pattern(pattern.map(Value::to_string))
        .state(aws_sdk_eventbridge::types::RuleState::from(state))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(format!("rule {name}"), "PutRule", &e))
}

/// Deletes a rule (its targets must be gone first).
///
/// # Errors
/// The call's failure, naming the rule.
pub async fn delete_rule(account: &Account, name: &str, region: &str) -> Result<(), ResourceError> {
    account
        .events(region)
        .delete_rule()
        .name(name)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(format!("rule {name}"), "DeleteRule", &e))
}

/// Sets targets of a rule by id (PutTargets); a target EventBridge refuses
/// is an error.
///
/// # Errors
/// The call's failure, or the first target refused, naming the rule.
pub async fn put_targets(
    account: &Account,
    rule: &str,
    region: &str,
    targets: &[LiveTarget],
) -> Result<(), ResourceError> {
    let resource = format!("rule {rule}");
    let mut sdk = Vec::with_capacity(targets.len());
    for t in targets {
        sdk.push(
            aws_sdk_eventbridge::types::Target::builder()
                .id(&t.id)
                .arn(&t.arn)
                .build()
                .map_err(|e| ResourceError {
                    resource: resource.clone(),
                    operation: "PutTargets".into(),
                    code: "InvalidRequest".into(),
                    message: e.to_string(),
                })?,
        );
    }
    let out = account
        .events(region)
        .put_targets()
        .rule(rule)
        .set_targets(Some(sdk))
        .send()
        .await
        .map_err(|e| resource_error(&resource, "PutTargets", &e))?;
    match out.failed_entries().first() {
        Some(failed) if out.failed_entry_count() > 0 => Err(ResourceError {
            resource,
            operation: "PutTargets".into(),
            code: failed.error_code().unwrap_or("Failed").into(),
            message: format!(
                "target {}: {}",
                failed.target_id().unwrap_or("?"),
                failed.error_message().unwrap_or("refused")
            ),
        }),
        _ => Ok(()),
    }
}

/// Removes targets of a rule by id (RemoveTargets).
///
/// # Errors
/// The call's failure, naming the rule.
pub async fn remove_targets(
    account: &Account,
    rule: &str,
    region: &str,
    ids: &[&str],
) -> Result<(), ResourceError> {
    account
        .events(region)
        .remove_targets()
        .rule(rule)
        .set_ids(Some(ids.iter().map(|s| (*s).to_string()).collect()))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(format!("rule {rule}"), "RemoveTargets", &e))
}

//! A function's asynchronous invocation settings (the event invoke
//! configurations, one per qualifier) and its recursion guard: read during
//! imports and plans, written and undone by apply (docs/rules.md §8, §10).

use crate::account::{function_region, Account};
use crate::error::{resource_error, ResourceError};
use aws_sdk_lambda::types::{self, DestinationConfig, OnFailure};
use bucketwire_core::import::split_qualifier;
use bucketwire_core::model::document::{AsyncInvoke, LiveEventInvokeConfig, RecursiveLoop};

/// Every event invoke configuration of the function at `arn` (its own and
/// its aliases' and versions'). `list_name` is what the list call takes
/// (the ARN, or the name on endpoints that only take names).
pub(crate) async fn read_event_invoke_configs(
    account: &Account,
    arn: &str,
    list_name: &str,
) -> Result<Vec<LiveEventInvokeConfig>, ResourceError> {
    let resource = format!("function {arn}");
    let lambda = account.lambda(function_region(
        arn,
        &resource,
        "ListFunctionEventInvokeConfigs",
    )?);
    let mut configs = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let answer = lambda
            .list_function_event_invoke_configs()
            .function_name(list_name)
            .set_marker(marker.clone())
            .send()
            .await;
        let out = match answer {
            Ok(out) => out,
            Err(e) => {
                // moto writes LastModified as a date string where Lambda
                // writes epoch seconds, which the SDK cannot read: read the
                // same successful answer's JSON directly (LastModified is
                // not needed).
                let body = e
                    .raw_response()
                    .filter(|r| r.status().is_success())
                    .and_then(|r| r.body().bytes())
                    .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok());
                match body {
                    Some(json) => {
                        configs.extend(configs_from_json(&json));
                        break;
                    }
                    None => {
                        return Err(resource_error(
                            &resource,
                            "ListFunctionEventInvokeConfigs",
                            &e,
                        ))
                    }
                }
            }
        };
        configs.extend(out.function_event_invoke_configs().iter().map(|c| {
            config(
                c.function_arn(),
                c.maximum_retry_attempts().map(i64::from),
                c.maximum_event_age_in_seconds().map(i64::from),
                c.destination_config()
                    .and_then(|d| d.on_failure())
                    .and_then(|f| f.destination()),
            )
        }));
        match out.next_marker() {
            Some(m) if !m.is_empty() && Some(m) != marker.as_deref() => {
                marker = Some(m.to_string())
            }
            _ => break,
        }
    }
    configs.sort_by(|a, b| a.qualifier.cmp(&b.qualifier));
    Ok(configs)
}

/// The configurations in a ListFunctionEventInvokeConfigs answer's JSON.
fn configs_from_json(json: &serde_json::Value) -> Vec<LiveEventInvokeConfig> {
    let configs = json["FunctionEventInvokeConfigs"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    configs
        .iter()
        .map(|c| {
            config(
                c["FunctionArn"].as_str(),
                c["MaximumRetryAttempts"].as_i64(),
                c["MaximumEventAgeInSeconds"].as_i64(),
                c["DestinationConfig"]["OnFailure"]["Destination"].as_str(),
            )
        })
        .collect()
}

/// One configuration as Lambda reports it (the typed SDK answer and the
/// raw JSON both end here): the qualifier from its function ARN
/// (`$LATEST` is none), values out of range for the document dropped, an
/// empty destination as none.
fn config(
    function_arn: Option<&str>,
    retries: Option<i64>,
    age: Option<i64>,
    on_failure: Option<&str>,
) -> LiveEventInvokeConfig {
    LiveEventInvokeConfig {
        qualifier: function_arn
            .and_then(|a| split_qualifier(a).1)
            .filter(|q| *q != "$LATEST")
            .map(str::to_string),
        settings: AsyncInvoke {
            maximum_retry_attempts: retries.and_then(|n| u8::try_from(n).ok()),
            maximum_event_age_seconds: age.and_then(|n| u32::try_from(n).ok()),
            on_failure: on_failure.filter(|d| !d.is_empty()).map(str::to_string),
        },
    }
}

/// The function's recursion guard. `None` when the endpoint does not
/// implement GetFunctionRecursionConfig (moto answers a bare 404 without an
/// AWS error code); any AWS error is returned.
pub(crate) async fn read_recursion(
    account: &Account,
    arn: &str,
) -> Result<Option<RecursiveLoop>, ResourceError> {
    let resource = format!("function {arn}");
    let lambda = account.lambda(function_region(
        arn,
        &resource,
        "GetFunctionRecursionConfig",
    )?);
    match lambda
        .get_function_recursion_config()
        .function_name(arn)
        .send()
        .await
    {
        Ok(out) => Ok(out.recursive_loop().and_then(|r| match r {
            types::RecursiveLoop::Allow => Some(RecursiveLoop::Allow),
            types::RecursiveLoop::Terminate => Some(RecursiveLoop::Terminate),
            _ => None,
        })),
        Err(e) => {
            let err = resource_error(&resource, "GetFunctionRecursionConfig", &e);
            // A bare 404 without an AWS error code: the endpoint has no
            // such call (a missing function says ResourceNotFoundException).
            let bare_404 = e.raw_response().is_some_and(|r| r.status().as_u16() == 404);
            if err.code == "Unknown" && bare_404 {
                Ok(None)
            } else {
                Err(err)
            }
        }
    }
}

/// Writes `settings` for `arn` (unqualified) and `qualifier`, replacing
/// whatever was there.
pub(crate) async fn put_event_invoke_config(
    account: &Account,
    arn: &str,
    qualifier: Option<&str>,
    settings: &AsyncInvoke,
) -> Result<(), ResourceError> {
    let resource = format!("function {arn}");
    let lambda = account.lambda(function_region(
        arn,
        &resource,
        "PutFunctionEventInvokeConfig",
    )?);
    lambda
        .put_function_event_invoke_config()
        .function_name(arn)
        .set_qualifier(qualifier.map(str::to_string))
        .set_maximum_retry_attempts(settings.maximum_retry_attempts.map(i32::from))
        .set_maximum_event_age_in_seconds(
            settings
                .maximum_event_age_seconds
                .and_then(|s| i32::try_from(s).ok()),
        )
        .set_destination_config(settings.on_failure.as_ref().map(|d| {
            DestinationConfig::builder()
                .on_failure(OnFailure::builder().destination(d).build())
                .build()
        }))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(&resource, "PutFunctionEventInvokeConfig", &e))
}

/// Deletes the settings of `arn` and `qualifier` (undo of a first put).
pub(crate) async fn delete_event_invoke_config(
    account: &Account,
    arn: &str,
    qualifier: Option<&str>,
) -> Result<(), ResourceError> {
    let resource = format!("function {arn}");
    let lambda = account.lambda(function_region(
        arn,
        &resource,
        "DeleteFunctionEventInvokeConfig",
    )?);
    lambda
        .delete_function_event_invoke_config()
        .function_name(arn)
        .set_qualifier(qualifier.map(str::to_string))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(&resource, "DeleteFunctionEventInvokeConfig", &e))
}

/// Sets the function's recursion guard.
pub(crate) async fn put_recursion(
    account: &Account,
    arn: &str,
    guard: RecursiveLoop,
) -> Result<(), ResourceError> {
    let resource = format!("function {arn}");
    let lambda = account.lambda(function_region(
        arn,
        &resource,
        "PutFunctionRecursionConfig",
    )?);
    lambda
        .put_function_recursion_config()
        .function_name(arn)
        .recursive_loop(match guard {
            RecursiveLoop::Allow => types::RecursiveLoop::Allow,
            RecursiveLoop::Terminate => types::RecursiveLoop::Terminate,
        })
        .send()
        .await
        .map(|_| ())
        .map_err(|e| resource_error(&resource, "PutFunctionRecursionConfig", &e))
}

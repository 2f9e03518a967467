//! What a real endpoint does not produce on demand, answered by rules
//! (aws-smithy-mocks) in front of the real SDK clients: paginated lists,
//! throttling, AccessDenied on one resource, and the recursion guard (moto
//! does not implement GetFunctionRecursionConfig or
//! PutFunctionRecursionConfig). The other happy paths run against moto
//! (moto_end_to_end.rs).

use aws_sdk_lambda::operation::get_function::GetFunctionOutput;
use aws_sdk_lambda::operation::get_function_recursion_config::GetFunctionRecursionConfigOutput;
use aws_sdk_lambda::operation::get_policy::GetPolicyOutput;
use aws_sdk_lambda::operation::list_aliases::ListAliasesOutput;
use aws_sdk_lambda::operation::list_function_event_invoke_configs::ListFunctionEventInvokeConfigsOutput;
use aws_sdk_lambda::operation::list_versions_by_function::ListVersionsByFunctionOutput;
use aws_sdk_lambda::operation::put_function_event_invoke_config::PutFunctionEventInvokeConfigOutput;
use aws_sdk_lambda::types::{
    AliasConfiguration, DestinationConfig, FunctionConfiguration, FunctionEventInvokeConfig,
    OnFailure, RecursiveLoop,
};
use aws_sdk_s3::operation::get_bucket_location::GetBucketLocationOutput;
use aws_sdk_s3::operation::get_bucket_notification_configuration::GetBucketNotificationConfigurationOutput;
use aws_sdk_s3::operation::list_buckets::ListBucketsOutput;
use aws_sdk_s3::types::{Bucket, LambdaFunctionConfiguration};
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_smithy_mocks::{create_mock_http_client, mock, MockResponseInterceptor, Rule, RuleMode};
use bucketwire_aws::{apply, import, Account, ApplyError, ApplyOptions, Cancel, ImportOptions};
use bucketwire_core::model::document::{
    AsyncInvoke, LiveEventInvokeConfig, RecursiveLoop as Guard,
};
use std::time::Duration;

const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:thumbs";
const ROLE: &str = "arn:aws:iam::123456789012:role/thumbs";

/// A real SDK client of crate `$krate` whose calls are answered by `$rules`
/// (any order; an unmatched call fails the test), with fast retries.
macro_rules! client {
    ($krate:ident, $rules:expr) => {{
        let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
        for rule in $rules {
            interceptor = interceptor.with_rule(rule);
        }
        let retry = $krate::config::retry::RetryConfig::standard()
            .with_max_attempts(3)
            .with_initial_backoff(Duration::from_millis(1));
        $krate::Client::from_conf(
            $krate::Config::builder()
                .behavior_version($krate::config::BehaviorVersion::latest())
                .region($krate::config::Region::new("us-east-1"))
                .credentials_provider($krate::config::Credentials::new(
                    "AKIDMOCK", "mock", None, None, "mock",
                ))
                .retry_config(retry)
                .http_client(create_mock_http_client())
                .interceptor(interceptor)
                .build(),
        )
    }};
}

fn sts() -> aws_sdk_sts::Client {
    let identity = mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
        GetCallerIdentityOutput::builder()
            .account("123456789012")
            .arn("arn:aws:iam::123456789012:user/mock")
            .build()
    });
    client!(aws_sdk_sts, [&identity])
}

/// An account over `s3`, with functions that have no alias, no role and
/// no EventBridge rule.
fn account_over(s3: aws_sdk_s3::Client) -> Account {
    Account::from_clients(
        "us-east-1",
        s3,
        lambda(&[&mock!(aws_sdk_lambda::Client::list_aliases)
            .then_output(|| ListAliasesOutput::builder().build())]),
        iam_without_roles(),
        sts(),
    )
    .with_events(events_without_rules())
}

/// EventBridge with no rule on the default bus.
fn events_without_rules() -> aws_sdk_eventbridge::Client {
    let none = mock!(aws_sdk_eventbridge::Client::list_rules).then_output(|| {
        aws_sdk_eventbridge::operation::list_rules::ListRulesOutput::builder().build()
    });
    client!(aws_sdk_eventbridge, [&none])
}

/// IAM with no role at all (every role read answers NoSuchEntity).
fn iam_without_roles() -> aws_sdk_iam::Client {
    let missing = mock!(aws_sdk_iam::Client::list_role_policies)
        .sequence()
        .http_status(
            404,
            Some("<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>".into()),
        )
        .repeatedly()
        .build();
    client!(aws_sdk_iam, [&missing])
}

/// Every bucket without default encryption of its own (S3 answers
/// ServerSideEncryptionConfigurationNotFoundError): no key to read.
fn unencrypted() -> Rule {
    mock!(aws_sdk_s3::Client::get_bucket_encryption)
        .sequence()
        .http_status(
            404,
            Some("<Error><Code>ServerSideEncryptionConfigurationNotFoundError</Code><Message>The server side encryption configuration was not found</Message></Error>".into()),
        )
        .repeatedly()
        .build()
}

/// Every bucket without tags (S3 answers NoSuchTagSet): no owner.
fn untagged() -> Rule {
    mock!(aws_sdk_s3::Client::get_bucket_tagging)
        .sequence()
        .http_status(
            404,
            Some("<Error><Code>NoSuchTagSet</Code><Message>The TagSet does not exist</Message></Error>".into()),
        )
        .repeatedly()
        .build()
}

fn notification_for(bucket: &'static str) -> Rule {
    mock!(aws_sdk_s3::Client::get_bucket_notification_configuration)
        .match_requests(move |r| r.bucket() == Some(bucket))
        .then_output(|| {
            GetBucketNotificationConfigurationOutput::builder()
                .lambda_function_configurations(
                    LambdaFunctionConfiguration::builder()
                        .id("thumbs")
                        .lambda_function_arn(FUNCTION)
                        .events("s3:ObjectCreated:*".into())
                        .build()
                        .expect("valid configuration"),
                )
                .build()
        })
}

/// A function that exists, with the given alias rules, no versions and an
/// empty policy.
fn lambda(alias_rules: &[&Rule]) -> aws_sdk_lambda::Client {
    let get = mock!(aws_sdk_lambda::Client::get_function).then_output(|| {
        GetFunctionOutput::builder()
            .configuration(FunctionConfiguration::builder().role(ROLE).build())
            .build()
    });
    let versions = mock!(aws_sdk_lambda::Client::list_versions_by_function)
        .then_output(|| ListVersionsByFunctionOutput::builder().build());
    let policy = mock!(aws_sdk_lambda::Client::get_policy)
        .then_output(|| GetPolicyOutput::builder().build());
    let configs = mock!(aws_sdk_lambda::Client::list_function_event_invoke_configs)
        .then_output(|| ListFunctionEventInvokeConfigsOutput::builder().build());
    let recursion =
        mock!(aws_sdk_lambda::Client::get_function_recursion_config).then_output(|| {
            GetFunctionRecursionConfigOutput::builder()
                .recursive_loop(RecursiveLoop::Terminate)
                .build()
        });
    let mut rules: Vec<&Rule> = alias_rules.to_vec();
    rules.extend([&get, &versions, &policy, &configs, &recursion]);
    client!(aws_sdk_lambda, rules)
}

fn alias(name: &str) -> AliasConfiguration {
    AliasConfiguration::builder().name(name).build()
}

fn s3_error(code: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code} from the mock</Message><RequestId>r</RequestId></Error>")
}

/// One page of ListBuckets, every bucket in us-east-1.
fn listing(names: &'static [&'static str]) -> Rule {
    mock!(aws_sdk_s3::Client::list_buckets).then_output(move || {
        let mut out = ListBucketsOutput::builder();
        for name in names {
            out = out.buckets(
                Bucket::builder()
                    .name(*name)
                    .bucket_region("us-east-1")
                    .build(),
            );
        }
        out.build()
    })
}

fn bucket_names(result: &bucketwire_aws::ImportResult) -> Vec<&str> {
    result
        .live
        .buckets
        .iter()
        .map(|b| b.name.as_str())
        .collect()
}

async fn run(account: &Account) -> bucketwire_aws::ImportResult {
    import(account, &ImportOptions::default(), &|_| {}, &Cancel::new())
        .await
        .expect("import")
}

/// ListBuckets and ListAliases are followed page by page (continuation
/// token and marker); a bucket without BucketRegion gets GetBucketLocation,
/// whose empty answer means us-east-1 (docs/rules.md §1).
#[tokio::test]
async fn every_page_of_every_list_is_read() {
    let page_one = mock!(aws_sdk_s3::Client::list_buckets)
        .match_requests(|r| r.continuation_token().is_none())
        .then_output(|| {
            ListBucketsOutput::builder()
                .buckets(
                    Bucket::builder()
                        .name("a")
                        .bucket_region("us-east-1")
                        .build(),
                )
                .buckets(
                    Bucket::builder()
                        .name("b")
                        .bucket_region("us-east-1")
                        .build(),
                )
                .continuation_token("page-2")
                .build()
        });
    let page_two = mock!(aws_sdk_s3::Client::list_buckets)
        .match_requests(|r| r.continuation_token() == Some("page-2"))
        .then_output(|| {
            ListBucketsOutput::builder()
                .buckets(Bucket::builder().name("c").build())
                .build()
        });
    let location = mock!(aws_sdk_s3::Client::get_bucket_location)
        .match_requests(|r| r.bucket() == Some("c"))
        .then_output(|| GetBucketLocationOutput::builder().build());
    let (na, nb, nc) = (
        notification_for("a"),
        notification_for("b"),
        notification_for("c"),
    );
    let (tags, plain) = (untagged(), unencrypted());
    let s3 = client!(
        aws_sdk_s3,
        [&page_one, &page_two, &location, &na, &nb, &nc, &tags, &plain]
    );
    let aliases_one = mock!(aws_sdk_lambda::Client::list_aliases)
        .match_requests(|r| r.marker().is_none())
        .then_output(|| {
            ListAliasesOutput::builder()
                .aliases(alias("live"))
                .next_marker("m2")
                .build()
        });
    let aliases_two = mock!(aws_sdk_lambda::Client::list_aliases)
        .match_requests(|r| r.marker() == Some("m2"))
        .then_output(|| ListAliasesOutput::builder().aliases(alias("beta")).build());
    let account = Account::from_clients(
        "us-east-1",
        s3,
        lambda(&[&aliases_one, &aliases_two]),
        iam_without_roles(),
        sts(),
    )
    .with_events(events_without_rules());
    let seen = std::sync::Mutex::new(Vec::new());
    let record = |p: bucketwire_aws::Progress| seen.lock().expect("lock").push(p);
    let result = import(&account, &ImportOptions::default(), &record, &Cancel::new())
        .await
        .expect("import");
    // Progress ends with every stage complete (the role read answers
    // NoSuchEntity: done, not dropped).
    let seen = seen.into_inner().expect("lock");
    for (stage, total) in [("buckets", 3), ("functions", 1), ("roles", 1)] {
        let last = seen
            .iter()
            .rev()
            .find(|p| p.stage == stage)
            .expect("stage reported");
        assert_eq!((last.done, last.total), (total, total), "{stage}");
    }
    assert_eq!(result.errors, vec![]);
    let names: Vec<(&str, &str)> = result
        .live
        .buckets
        .iter()
        .map(|b| (b.name.as_str(), b.region.as_str()))
        .collect();
    assert_eq!(
        names,
        [("a", "us-east-1"), ("b", "us-east-1"), ("c", "us-east-1")]
    );
    assert!(result
        .live
        .buckets
        .iter()
        .all(|b| b.notification.lambda.len() == 1));
    assert_eq!(result.live.functions.len(), 1);
    assert_eq!(result.live.functions[0].aliases, ["live", "beta"]);
    assert_eq!(result.account.as_deref(), Some("123456789012"));
    assert_eq!(page_two.num_calls(), 1);
    assert_eq!(aliases_two.num_calls(), 1);
}

/// One bucket the credentials may not read is reported with AWS's code and
/// the operation; the others are imported (issue: "AccessDenied on one
/// bucket does not stop the others and is shown").
#[tokio::test]
async fn access_denied_on_one_bucket_is_reported_and_the_others_are_read() {
    let listing = listing(&["open", "secret", "also-open"]);
    let denied = mock!(aws_sdk_s3::Client::get_bucket_notification_configuration)
        .match_requests(|r| r.bucket() == Some("secret"))
        .sequence()
        .http_status(403, Some(s3_error("AccessDenied")))
        .repeatedly()
        .build();
    let (open, also_open) = (notification_for("open"), notification_for("also-open"));
    let (tags, plain) = (untagged(), unencrypted());
    let s3 = client!(
        aws_sdk_s3,
        [&listing, &denied, &open, &also_open, &tags, &plain]
    );
    let account = account_over(s3);
    let result = run(&account).await;
    assert_eq!(bucket_names(&result), ["open", "also-open"]);
    assert_eq!(result.errors.len(), 1, "{:?}", result.errors);
    let e = &result.errors[0];
    assert_eq!(e.resource, "bucket secret");
    assert_eq!(e.operation, "GetBucketNotificationConfiguration");
    assert_eq!(e.code, "AccessDenied");
    // Not retried: AccessDenied is not transient.
    assert_eq!(denied.num_calls(), 1);
}

/// S3 throttling (503 SlowDown) and Lambda throttling (429) are retried;
/// a bucket that stays throttled past the retry budget is reported, not
/// dropped, and does not stop the others.
#[tokio::test]
async fn throttling_is_retried_and_what_stays_throttled_is_reported() {
    let listing = listing(&["busy", "swamped"]);
    // Two throttles, then the answer: within three attempts.
    let busy = mock!(aws_sdk_s3::Client::get_bucket_notification_configuration)
        .match_requests(|r| r.bucket() == Some("busy"))
        .sequence()
        .http_status(503, Some(s3_error("SlowDown")))
        .times(2)
        .output(|| {
            GetBucketNotificationConfigurationOutput::builder()
                .lambda_function_configurations(
                    LambdaFunctionConfiguration::builder()
                        .id("thumbs")
                        .lambda_function_arn(FUNCTION)
                        .events("s3:ObjectCreated:Put".into())
                        .build()
                        .expect("valid configuration"),
                )
                .build()
        })
        .build();
    let swamped = mock!(aws_sdk_s3::Client::get_bucket_notification_configuration)
        .match_requests(|r| r.bucket() == Some("swamped"))
        .sequence()
        .http_status(503, Some(s3_error("SlowDown")))
        .repeatedly()
        .build();
    let (tags, plain) = (untagged(), unencrypted());
    let s3 = client!(aws_sdk_s3, [&listing, &busy, &swamped, &tags, &plain]);
    let throttled_aliases = mock!(aws_sdk_lambda::Client::list_aliases)
        .sequence()
        .http_response(|| {
            let mut response = aws_smithy_runtime_api::http::Response::new(
                429.try_into().expect("status"),
                aws_smithy_types::body::SdkBody::from(
                    r#"{"Type":"User","message":"Rate exceeded","Reason":"CallerRateLimitExceeded"}"#,
                ),
            );
            response
                .headers_mut()
                .insert("x-amzn-errortype", "TooManyRequestsException");
            response
        })
        .output(|| ListAliasesOutput::builder().aliases(alias("live")).build())
        .build();
    let account = Account::from_clients(
        "us-east-1",
        s3,
        lambda(&[&throttled_aliases]),
        iam_without_roles(),
        sts(),
    )
    .with_events(events_without_rules());
    let result = run(&account).await;
    assert_eq!(busy.num_calls(), 3);
    assert_eq!(swamped.num_calls(), 3);
    assert_eq!(throttled_aliases.num_calls(), 2);
    assert_eq!(bucket_names(&result), ["busy"]);
    assert_eq!(result.live.functions.len(), 1);
    assert_eq!(result.live.functions[0].aliases, ["live"]);
    assert_eq!(result.errors.len(), 1, "{:?}", result.errors);
    assert_eq!(result.errors[0].resource, "bucket swamped");
    assert_eq!(result.errors[0].code, "SlowDown");
}

/// Lambda's shape of an error (restJson): the code in `x-amzn-errortype`.
fn lambda_error(code: &str) -> aws_smithy_runtime_api::http::Response {
    let mut response = aws_smithy_runtime_api::http::Response::new(
        aws_smithy_runtime_api::http::StatusCode::try_from(403).expect("status"),
        aws_smithy_types::body::SdkBody::from(format!("{{\"message\":\"{code} from the mock\"}}")),
    );
    response
        .headers_mut()
        .insert("x-amzn-errortype", code.to_string());
    response
        .headers_mut()
        .insert("content-type", "application/json");
    response
}

/// A function whose every read answers the same (repeatable rules), whose
/// async settings exist for alias `live` and whose recursion guard is
/// Allow; `writes` answer the apply's calls.
fn lambda_with_settings(writes: &[&Rule]) -> aws_sdk_lambda::Client {
    let get = mock!(aws_sdk_lambda::Client::get_function)
        .sequence()
        .output(|| {
            GetFunctionOutput::builder()
                .configuration(FunctionConfiguration::builder().role(ROLE).build())
                .build()
        })
        .repeatedly()
        .build();
    let aliases = mock!(aws_sdk_lambda::Client::list_aliases)
        .sequence()
        .output(|| ListAliasesOutput::builder().aliases(alias("live")).build())
        .repeatedly()
        .build();
    let versions = mock!(aws_sdk_lambda::Client::list_versions_by_function)
        .sequence()
        .output(|| ListVersionsByFunctionOutput::builder().build())
        .repeatedly()
        .build();
    let policy = mock!(aws_sdk_lambda::Client::get_policy)
        .sequence()
        .output(|| GetPolicyOutput::builder().build())
        .repeatedly()
        .build();
    let configs = mock!(aws_sdk_lambda::Client::list_function_event_invoke_configs)
        .sequence()
        .output(|| {
            ListFunctionEventInvokeConfigsOutput::builder()
                .function_event_invoke_configs(
                    FunctionEventInvokeConfig::builder()
                        .function_arn(format!("{FUNCTION}:live"))
                        .maximum_retry_attempts(1)
                        .maximum_event_age_in_seconds(7200)
                        .destination_config(
                            DestinationConfig::builder()
                                .on_failure(
                                    OnFailure::builder()
                                        .destination("arn:aws:sqs:us-east-1:123456789012:dlq")
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build()
        })
        .repeatedly()
        .build();
    let recursion = mock!(aws_sdk_lambda::Client::get_function_recursion_config)
        .sequence()
        .output(|| {
            GetFunctionRecursionConfigOutput::builder()
                .recursive_loop(RecursiveLoop::Allow)
                .build()
        })
        .repeatedly()
        .build();
    let mut rules: Vec<&Rule> = vec![&get, &aliases, &versions, &policy, &configs, &recursion];
    rules.extend(writes);
    client!(aws_sdk_lambda, rules)
}

fn s3_unused() -> aws_sdk_s3::Client {
    client!(aws_sdk_s3, Vec::<&Rule>::new())
}

/// A document with only the function, asking for other async settings on
/// `live` and the Terminate guard.
fn wiring_with_settings() -> bucketwire_core::Wiring {
    let doc = serde_json::json!({
        "version": 1,
        "functions": [{"id": "f", "arn": FUNCTION, "qualifier": "live", "role": ROLE,
            "asyncInvoke": {"maximumRetryAttempts": 0}, "recursiveLoop": "Terminate"}],
    });
    bucketwire_core::load(doc.to_string().as_bytes()).expect("document")
}

#[tokio::test]
async fn the_recursion_guard_and_per_alias_async_settings_are_read() {
    // docs/rules.md §8, §10: as Lambda answers them (epoch timestamps, the
    // qualifier in FunctionArn).
    let account = Account::from_clients(
        "us-east-1",
        s3_unused(),
        lambda_with_settings(&[]),
        iam_without_roles(),
        sts(),
    )
    .with_events(events_without_rules());
    let (live, errors) =
        bucketwire_aws::read_for_plan(&account, &wiring_with_settings(), 4, &Cancel::new())
            .await
            .expect("read");
    assert_eq!(errors, vec![]);
    let f = &live.functions[0];
    assert_eq!(f.recursive_loop, Some(Guard::Allow));
    assert_eq!(
        f.event_invoke_configs,
        [LiveEventInvokeConfig {
            qualifier: Some("live".into()),
            settings: AsyncInvoke {
                maximum_retry_attempts: Some(1),
                maximum_event_age_seconds: Some(7200),
                on_failure: Some("arn:aws:sqs:us-east-1:123456789012:dlq".into()),
            },
        }]
    );
}

#[tokio::test]
async fn a_refused_recursion_guard_rolls_back_the_async_settings_written_before_it() {
    // The settings are written first, then the guard; AccessDenied on the
    // guard puts the alias's old settings back, exactly as read.
    let put_settings = mock!(aws_sdk_lambda::Client::put_function_event_invoke_config)
        .sequence()
        .output(|| PutFunctionEventInvokeConfigOutput::builder().build())
        .times(2)
        .build();
    let put_guard = mock!(aws_sdk_lambda::Client::put_function_recursion_config)
        .sequence()
        .http_response(|| lambda_error("AccessDeniedException"))
        .build();
    let account = Account::from_clients(
        "us-east-1",
        s3_unused(),
        lambda_with_settings(&[&put_settings, &put_guard]),
        iam_without_roles(),
        sts(),
    )
    .with_events(events_without_rules());
    let wiring = wiring_with_settings();
    let (live, _) = bucketwire_aws::read_for_plan(&account, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    let plan = bucketwire_core::plan::plan(&wiring, &live).expect("plan");
    assert!(
        plan.to_text()
            .contains("~ recursion guard: Terminate (was Allow)"),
        "{}",
        plan.to_text()
    );
    let steps = std::sync::Mutex::new(Vec::new());
    let on_step = |e: bucketwire_aws::StepEvent| steps.lock().expect("lock").push(format!("{e:?}"));
    let result = apply(&account, &wiring, &plan, &ApplyOptions::default(), &on_step).await;
    let Err(ApplyError::Failed { .. }) = &result else {
        panic!("{result:?}")
    };
    let message = result.expect_err("failed").to_string();
    assert!(message.contains("AccessDeniedException"), "{message}");
    // Put once to apply, once to undo (with the old settings), guard once.
    assert_eq!(put_settings.num_calls(), 2);
    assert_eq!(put_guard.num_calls(), 1);
    let steps = steps.into_inner().expect("lock");
    assert!(
        steps
            .iter()
            .any(|s| s.contains("Undone")
                && s.contains("async invoke settings of function thumbs:live")),
        "{steps:#?}"
    );
}

/// A plan reads each bucket in the region its document gives, without
/// GetBucketLocation; a bucket S3 says is elsewhere (PermanentRedirect, as
/// a regional endpoint answers) is located and blocked with its real
/// region, and a bucket gone is "not found" (what moto cannot produce: it
/// answers in any region).
#[tokio::test]
async fn a_plan_reads_buckets_where_the_document_says_and_locates_only_the_moved() {
    let here = notification_for("here");
    let moved = mock!(aws_sdk_s3::Client::get_bucket_notification_configuration)
        .match_requests(|r| r.bucket() == Some("moved"))
        .sequence()
        .http_status(301, Some(s3_error("PermanentRedirect")))
        .repeatedly()
        .build();
    let gone = mock!(aws_sdk_s3::Client::get_bucket_notification_configuration)
        .match_requests(|r| r.bucket() == Some("gone"))
        .sequence()
        .http_status(404, Some(s3_error("NoSuchBucket")))
        .repeatedly()
        .build();
    let location = mock!(aws_sdk_s3::Client::get_bucket_location)
        .match_requests(|r| r.bucket() == Some("moved"))
        .then_output(|| {
            GetBucketLocationOutput::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::EuWest1)
                .build()
        });
    let (tags, plain) = (untagged(), unencrypted());
    let s3 = client!(aws_sdk_s3, [&here, &moved, &gone, &location, &tags, &plain]);
    let account = account_over(s3);
    let buckets = ["here", "moved", "gone"]
        .map(|n| serde_json::json!({"id": n, "name": n, "region": "us-east-1"}));
    let doc = serde_json::json!({"version": 1, "buckets": buckets});
    let wiring = bucketwire_core::load(&serde_json::to_vec(&doc).expect("json")).expect("document");
    let planned = bucketwire_aws::plan_account(&account, &wiring, &[], 4, &Cancel::new())
        .await
        .expect("plan");
    assert_eq!(location.num_calls(), 1, "only the moved bucket is located");
    let blocked: Vec<(&str, &str)> = planned
        .plan
        .blocked
        .iter()
        .map(|b| (b.name.as_str(), b.reasons[0].as_str()))
        .collect();
    assert!(
        blocked.contains(&(
            "moved",
            "it is in eu-west-1 in the account, but the document says us-east-1"
        )),
        "{blocked:?}"
    );
    assert!(
        blocked.contains(&(
            "gone",
            "it was not found in the account; Bucketwire does not create buckets"
        )),
        "{blocked:?}"
    );
    assert_eq!(blocked.len(), 2, "{blocked:?}");
}

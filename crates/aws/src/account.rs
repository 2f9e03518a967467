//! Reaching an account: which credentials, region and endpoint, and the
//! SDK clients built from them (one per region for S3 and Lambda).

use crate::error::{resource_error, AccountError};
use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;

/// A secret string: never printed, never serialised.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for handing to the SDK.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// How to reach an account. Everything left `None` comes from the standard
/// chain (environment, `AWS_PROFILE`, shared config, `AWS_ENDPOINT_URL`).
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Region for calls that need one, and the default for buckets.
    pub region: Option<String>,
    /// A custom endpoint (moto, LocalStack).
    pub endpoint_url: Option<String>,
    /// A profile from the shared config.
    pub profile: Option<String>,
    /// An access key pair (the secret from the OS keyring).
    pub access_key: Option<(String, Secret)>,
    /// Use path-style S3 addressing (forced on with a custom endpoint).
    pub path_style: bool,
    /// Maximum attempts per call, retries included (SDK default: 3).
    pub max_attempts: Option<u32>,
    /// First retry backoff (SDK default: 1 s).
    pub initial_backoff: Option<std::time::Duration>,
}

/// The identity behind the credentials (STS GetCallerIdentity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    /// The 12-digit account id.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
}

/// One SDK client per region, made on first use and shared after (a
/// client is cheap to clone).
struct PerRegion<C>(Mutex<HashMap<String, C>>);

impl<C> Default for PerRegion<C> {
    fn default() -> Self {
        Self(Mutex::new(HashMap::new()))
    }
}

impl<C: Clone> PerRegion<C> {
    /// Holding `client` for `region` only.
    fn holding(region: &str, client: C) -> Self {
        Self(Mutex::new(HashMap::from([(region.to_string(), client)])))
    }

    /// The client for `region`, made by `make` the first time.
    fn get(&self, region: &str, make: impl FnOnce() -> C) -> C {
        let mut clients = self.0.lock().unwrap_or_else(|e| e.into_inner());
        clients
            .entry(region.to_string())
            .or_insert_with(make)
            .clone()
    }
}

/// Connected SDK clients for one account.
pub struct Account {
    config: SdkConfig,
    region: String,
    path_style: bool,
    s3: PerRegion<aws_sdk_s3::Client>,
    lambda: PerRegion<aws_sdk_lambda::Client>,
    events: PerRegion<aws_sdk_eventbridge::Client>,
    sns: PerRegion<aws_sdk_sns::Client>,
    sqs: PerRegion<aws_sdk_sqs::Client>,
    kms: PerRegion<aws_sdk_kms::Client>,
    iam: aws_sdk_iam::Client,
    sts: aws_sdk_sts::Client,
}

impl Account {
    /// Loads the configuration for `target`. Makes no call.
    ///
    /// # Errors
    /// [`AccountError::NoRegion`] when no region can be found.
    pub async fn connect(target: &Target) -> Result<Self, AccountError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(region) = &target.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(url) = &target.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if let Some(profile) = &target.profile {
            loader = loader.profile_name(profile);
        }
        if let Some((id, secret)) = &target.access_key {
            loader = loader.credentials_provider(aws_sdk_s3::config::Credentials::new(
                id,
                secret.expose(),
                None,
                None,
                "bucketwire",
            ));
        }
        if target.max_attempts.is_some() || target.initial_backoff.is_some() {
            let mut retry = RetryConfig::standard();
            if let Some(n) = target.max_attempts {
                retry = retry.with_max_attempts(n);
            }
            if let Some(d) = target.initial_backoff {
                retry = retry.with_initial_backoff(d);
            }
            loader = loader.retry_config(retry);
        }
        let config = loader.load().await;
        let region = config
            .region()
            .map(|r| r.as_ref().to_string())
            .ok_or(AccountError::NoRegion)?;
        let path_style = target.path_style || config.endpoint_url().is_some();
        Ok(Self {
            iam: aws_sdk_iam::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            config,
            region,
            path_style,
            s3: PerRegion::default(),
            lambda: PerRegion::default(),
            events: PerRegion::default(),
            sns: PerRegion::default(),
            sqs: PerRegion::default(),
            kms: PerRegion::default(),
        })
    }

    /// An account over ready-made clients for `region`, which is also the
    /// default region. For tests that answer SDK calls with rules
    /// (aws-smithy-mocks) where a real endpoint cannot produce the case:
    /// pagination, throttling, AccessDenied. Clients for other regions are
    /// built from a bare configuration and reach no endpoint.
    pub fn from_clients(
        region: &str,
        s3: aws_sdk_s3::Client,
        lambda: aws_sdk_lambda::Client,
        iam: aws_sdk_iam::Client,
        sts: aws_sdk_sts::Client,
    ) -> Self {
        let config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .build();
        Self {
            config,
            region: region.to_string(),
            path_style: false,
            s3: PerRegion::holding(region, s3),
            lambda: PerRegion::holding(region, lambda),
            events: PerRegion::default(),
            sns: PerRegion::default(),
            sqs: PerRegion::default(),
            kms: PerRegion::default(),
            iam,
            sts,
        }
    }

    /// This account with `events` answering EventBridge calls in its
    /// default region (for tests over [`Account::from_clients`]).
    #[must_use]
    pub fn with_events(mut self, events: aws_sdk_eventbridge::Client) -> Self {
        self.events = PerRegion::holding(&self.region, events);
        self
    }

    /// This account with `sns` answering SNS calls in its default region
    /// (for tests over [`Account::from_clients`]).
    #[must_use]
    pub fn with_sns(mut self, sns: aws_sdk_sns::Client) -> Self {
        self.sns = PerRegion::holding(&self.region, sns);
        self
    }

    /// The default region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The S3 client for a region.
    pub fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        self.s3.get(region, || {
            let conf = aws_sdk_s3::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .force_path_style(self.path_style)
                .build();
            aws_sdk_s3::Client::from_conf(conf)
        })
    }

    /// The Lambda client for a region.
    pub fn lambda(&self, region: &str) -> aws_sdk_lambda::Client {
        self.lambda.get(region, || {
            let conf = aws_sdk_lambda::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build();
            aws_sdk_lambda::Client::from_conf(conf)
        })
    }

    /// The EventBridge client for a region (its default bus holds the
    /// rules over S3's events, docs/rules.md §14).
    pub fn events(&self, region: &str) -> aws_sdk_eventbridge::Client {
        self.events.get(region, || {
            let conf = aws_sdk_eventbridge::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build();
            aws_sdk_eventbridge::Client::from_conf(conf)
        })
    }

    /// The SNS client for a region (its topics fan S3's events out,
    /// docs/rules.md §15).
    pub fn sns(&self, region: &str) -> aws_sdk_sns::Client {
        self.sns.get(region, || {
            let conf = aws_sdk_sns::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build();
            aws_sdk_sns::Client::from_conf(conf)
        })
    }

    /// The SQS client for a region (its queues buffer S3's events,
    /// docs/rules.md §16).
    pub fn sqs(&self, region: &str) -> aws_sdk_sqs::Client {
        self.sqs.get(region, || {
            let conf = aws_sdk_sqs::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build();
            aws_sdk_sqs::Client::from_conf(conf)
        })
    }

    /// The KMS client for a region (the keys that encrypt buckets, topics
    /// and queues, docs/rules.md §18).
    pub fn kms(&self, region: &str) -> aws_sdk_kms::Client {
        self.kms.get(region, || {
            let conf = aws_sdk_kms::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build();
            aws_sdk_kms::Client::from_conf(conf)
        })
    }

    /// The IAM client (IAM is global).
    pub fn iam(&self) -> &aws_sdk_iam::Client {
        &self.iam
    }

    /// "Test connection": who the credentials belong to.
    ///
    /// # Errors
    /// [`AccountError::Call`] with AWS's code and message (or the transport
    /// failure, e.g. connection refused).
    pub async fn identity(&self) -> Result<Identity, AccountError> {
        let out = self.sts.get_caller_identity().send().await.map_err(|e| {
            AccountError::Call(resource_error("the account", "GetCallerIdentity", &e))
        })?;
        Ok(Identity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
        })
    }
}

/// The region in a Lambda ARN (`arn:aws:lambda:REGION:...`).
pub(crate) fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3).filter(|r| !r.is_empty())
}

/// [`arn_region`], or the `InvalidArn` error a call on `resource` reports.
pub(crate) fn function_region<'a>(
    arn: &'a str,
    resource: &str,
    operation: &str,
) -> Result<&'a str, crate::error::ResourceError> {
    arn_region(arn).ok_or_else(|| crate::error::ResourceError {
        resource: resource.to_string(),
        operation: operation.into(),
        code: "InvalidArn".into(),
        message: "the ARN has no region".into(),
    })
}

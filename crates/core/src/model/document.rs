//! The Bucketwire document, format version 1 (`*.bucketwire.json`).
//!
//! This is a product interface: users keep these files in git, so every
//! field name here is a promise. Unknown fields are rejected rather than
//! silently dropped, so a typo never loses an edit.

use crate::model::policy::compact::{PolicyDocument, PolicyStatement};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The newest document format version this build reads and writes.
/// Version 2 adds EventBridge rules, version 3 SNS topics and SQS queues;
/// a document is written at the lowest version that holds it
/// ([`Document::lowest_version`]), so a document without rules or topics
/// stays version 1 and opens in builds that read only that.
pub const FORMAT_VERSION: u32 = 3;

/// A stable identifier of a node in a document (`"b1"`, `"thumbs-filter"`).
///
/// Ids are chosen by the document, never derived from graph indices, so
/// they survive removals, reordering and round trips through git.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct NodeId(pub String);

impl NodeId {
    /// Wraps a string as a node id.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as written in the document.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A whole wiring: buckets, filters, functions, the edges between them and
/// where each node sits on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Document {
    /// Format version: 1 to [`FORMAT_VERSION`].
    pub version: u32,
    /// S3 buckets whose Lambda notifications this document manages.
    #[serde(default)]
    pub buckets: Vec<Bucket>,
    /// Event filters: one per notification configuration.
    #[serde(default)]
    pub filters: Vec<Filter>,
    /// Lambda functions that filters invoke.
    #[serde(default)]
    pub functions: Vec<Function>,
    /// EventBridge rules over S3's events on a region's default event bus
    /// (format version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// SNS topics a filter publishes to, fanning out to the functions
    /// subscribed (format version 3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<Topic>,
    /// SQS queues a filter sends to, buffering the events for the function
    /// that polls them (format version 3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<Queue>,
    /// Directed edges: bucket → filter, filter → function, bucket → rule
    /// (the rule matches the bucket's events), rule → function (a
    /// target), filter → topic or queue (the filter's destination), topic
    /// → function (a Lambda subscription) and queue → function (an event
    /// source mapping).
    #[serde(default)]
    pub edges: Vec<Edge>,
    /// Canvas positions by node id. Nodes without one are auto-placed.
    #[serde(default)]
    pub layout: BTreeMap<NodeId, Position>,
    /// What an import read from the account, for checks that need it
    /// (function existence, resource policies, role policies). Absent in a
    /// document drawn by hand: those checks then do not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<LiveFacts>,
}

impl Document {
    /// An empty document (version 1, the lowest that holds it).
    pub fn empty() -> Self {
        Self {
            version: 1,
            buckets: Vec::new(),
            filters: Vec::new(),
            functions: Vec::new(),
            rules: Vec::new(),
            topics: Vec::new(),
            queues: Vec::new(),
            edges: Vec::new(),
            layout: BTreeMap::new(),
            live: None,
        }
    }

    /// The lowest format version that holds this document: 3 with SNS
    /// topics or SQS queues, 2 with EventBridge rules, 1 with neither.
    pub fn lowest_version(&self) -> u32 {
        if !self.topics.is_empty() || !self.queues.is_empty() {
            3
        } else if !self.rules.is_empty() {
            2
        } else {
            1
        }
    }
}

/// An SNS topic managed by the document (docs/rules.md §15): S3 publishes a
/// filter's events to it (a `TopicConfigurations` entry) and it fans each
/// one out to the functions subscribed to it, each receiving the S3 event
/// as the `Message` of an SNS envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Topic {
    /// Stable node id.
    pub id: NodeId,
    /// The topic ARN (`arn:aws:sns:REGION:ACCOUNT:NAME`).
    pub arn: String,
    /// The KMS key that encrypts the topic (`KmsMasterKeyId`: a key id,
    /// key ARN or alias), when the document manages it; absent leaves the
    /// account's as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<String>,
}

impl Topic {
    /// The topic's name, the ARN's last part (the whole ARN when it does
    /// not have an SNS ARN's shape).
    pub fn name(&self) -> &str {
        sns_arn_parts(&self.arn).map_or(self.arn.as_str(), |(_, _, name)| name)
    }

    /// The topic's region, from its ARN.
    pub fn region(&self) -> Option<&str> {
        sns_arn_parts(&self.arn).map(|(region, _, _)| region)
    }

    /// The account that owns the topic, from its ARN.
    pub fn account(&self) -> Option<&str> {
        sns_arn_parts(&self.arn).map(|(_, account, _)| account)
    }
}

/// An SQS queue managed by the document (docs/rules.md §16): S3 sends a
/// filter's events to it (a `QueueConfigurations` entry) and Lambda polls
/// it for the function drawn from it (an event source mapping), which
/// receives the events in batches, each S3 event as a record's `body`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Queue {
    /// Stable node id.
    pub id: NodeId,
    /// The queue ARN (`arn:aws:sqs:REGION:ACCOUNT:NAME`).
    pub arn: String,
    /// How long a received message stays hidden (`VisibilityTimeout`,
    /// seconds), when the document manages it; absent leaves the
    /// account's as it is (SQS's default: 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility_timeout_seconds: Option<u32>,
    /// Where messages go after failing `maxReceiveCount` times (its
    /// `RedrivePolicy`), when the document manages it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter: Option<DeadLetter>,
    /// The KMS key that encrypts the queue (`KmsMasterKeyId`), when the
    /// document manages it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<String>,
    /// How Lambda polls the queue for the function drawn from it.
    #[serde(default, skip_serializing_if = "QueueMapping::is_default")]
    pub mapping: QueueMapping,
}

/// A queue's dead-letter queue (its `RedrivePolicy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeadLetter {
    /// The dead-letter queue's ARN.
    pub arn: String,
    /// Receives before a message moves there (1 to 1,000).
    pub max_receive_count: u32,
}

/// The event source mapping Lambda polls a queue with (docs/rules.md §16).
/// A field left out is Lambda's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QueueMapping {
    /// Messages per batch, 1 to 10,000 (default 10; above 10 needs a
    /// batching window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<u32>,
    /// Seconds Lambda gathers a batch, 0 to 300 (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_batching_window_seconds: Option<u32>,
    /// Whether the function reports the messages that failed
    /// (`ReportBatchItemFailures`), so only those are retried.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub report_batch_item_failures: bool,
    /// Most concurrent invocations the queue drives, 2 to 1,000 (default:
    /// no limit of its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_concurrency: Option<u32>,
    /// Whether Lambda polls the queue (a disabled mapping leaves the
    /// messages waiting).
    #[serde(default = "enabled", skip_serializing_if = "is_enabled")]
    pub enabled: bool,
}

impl Default for QueueMapping {
    fn default() -> Self {
        Self {
            batch_size: None,
            maximum_batching_window_seconds: None,
            report_batch_item_failures: false,
            maximum_concurrency: None,
            enabled: true,
        }
    }
}

impl QueueMapping {
    /// Whether every setting is Lambda's default (left out of the file).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Queue {
    /// The queue's name, the ARN's last part (the whole ARN when it does
    /// not have an SQS ARN's shape).
    pub fn name(&self) -> &str {
        arn_parts(&self.arn, "sqs").map_or(self.arn.as_str(), |(_, _, name)| name)
    }

    /// The queue's region, from its ARN.
    pub fn region(&self) -> Option<&str> {
        arn_parts(&self.arn, "sqs").map(|(region, _, _)| region)
    }

    /// The account that owns the queue, from its ARN.
    pub fn account(&self) -> Option<&str> {
        arn_parts(&self.arn, "sqs").map(|(_, account, _)| account)
    }
}

/// `(region, account, name)` of `arn:PARTITION:sns:REGION:ACCOUNT:NAME`,
/// each non-empty; `None` for anything else.
pub fn sns_arn_parts(arn: &str) -> Option<(&str, &str, &str)> {
    arn_parts(arn, "sns")
}

/// `NAME (REGION)` of `arn:PARTITION:SERVICE:REGION:ACCOUNT:NAME`, how a
/// plan, an apply and its errors name a topic or a queue; the ARN itself
/// when it is not one of `service`.
pub fn arn_label(arn: &str, service: &str) -> String {
    match arn_parts(arn, service) {
        Some((region, _, name)) => format!("{name} ({region})"),
        None => arn.to_string(),
    }
}

/// `(region, account, name)` of `arn:PARTITION:SERVICE:REGION:ACCOUNT:NAME`,
/// each non-empty; `None` for anything else.
pub fn arn_parts<'a>(arn: &'a str, service: &str) -> Option<(&'a str, &'a str, &'a str)> {
    let mut parts = arn.splitn(6, ':');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("arn"), Some(p), Some(svc), Some(region), Some(account), Some(name))
            if svc == service
                && !p.is_empty()
                && !region.is_empty()
                && !account.is_empty()
                && !name.is_empty() =>
        {
            Some((region, account, name))
        }
        _ => None,
    }
}

/// An EventBridge rule on the default event bus of a region, matching S3's
/// events (docs/rules.md §14). The buckets it matches are its edges from
/// buckets: the pattern written to EventBridge is [`Rule::pattern`] with
/// `detail.bucket.name` listing them, so the pattern here never names a
/// bucket itself. Its targets are its edges to functions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Rule {
    /// Stable node id.
    pub id: NodeId,
    /// The rule's name, unique on its region's default bus (1 to 64 of
    /// letters, digits, `.`, `-`, `_`).
    pub name: String,
    /// The region whose default event bus holds it (its buckets' region).
    pub region: String,
    /// The account, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The event pattern, as JSON (`{"source": ["aws.s3"], "detail-type":
    /// ["Object Created"], "detail": {"object": {"key": [{"wildcard":
    /// "uploads/*.jpg"}]}}}`), without `detail.bucket.name`.
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub pattern: serde_json::Value,
    /// Whether the rule is enabled (a disabled rule matches nothing).
    #[serde(default = "enabled", skip_serializing_if = "is_enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

fn is_enabled(on: &bool) -> bool {
    *on
}

/// An S3 bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Bucket {
    /// Stable node id.
    pub id: NodeId,
    /// The bucket name, as in `arn:aws:s3:::NAME`.
    pub name: String,
    /// The bucket's region (`us-east-1`, `eu-west-1`).
    pub region: String,
    /// The 12-digit account id that owns the bucket, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// SQS, SNS and EventBridge entries on the bucket, kept as read: never
    /// edited, always kept by apply, counted in overlap checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign: Vec<ForeignConfiguration>,
    /// Whether the bucket sends every event to EventBridge (a switch,
    /// kept as read).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub event_bridge: bool,
    /// Who manages the bucket outside Bucketwire, as its tags said when it
    /// was imported (`CloudFormation stack photos-prod`): its next deploy
    /// reverts what Bucketwire writes (docs/rules.md §12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// The kind of a destination Bucketwire shows but does not manage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ForeignKind {
    /// An SQS queue (`QueueConfigurations`).
    Sqs,
    /// An SNS topic (`TopicConfigurations`).
    Sns,
}

/// A notification entry with an SQS or SNS destination, kept as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ForeignConfiguration {
    /// Queue or topic.
    pub kind: ForeignKind,
    /// The entry's `Id`.
    pub configuration_id: String,
    /// The queue or topic ARN.
    pub arn: String,
    /// Event types as read.
    pub events: Vec<String>,
    /// Prefix rule as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Suffix rule as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
}

/// Facts read from the account by an import.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LiveFacts {
    /// Every function that was looked up. A function of the document that
    /// is missing here was not found in the account.
    #[serde(default)]
    pub functions: Vec<LiveFunction>,
    /// Execution roles that were read.
    #[serde(default)]
    pub roles: Vec<LiveRole>,
    /// SNS topics that were read (the document's, and those its buckets
    /// publish to).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<LiveTopic>,
    /// SQS queues that were read (the document's, and those its buckets
    /// send to).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<LiveQueue>,
    /// The default encryption of the buckets that were read
    /// (GetBucketEncryption), by bucket name; a bucket not listed was not
    /// read (docs/rules.md §18).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bucket_encryption: Vec<BucketEncryption>,
    /// The KMS keys the buckets, topics and queues name, as read
    /// (DescribeKey, GetKeyPolicy, ListAliases, ListGrants; §18).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<LiveKey>,
}

/// A bucket's default encryption, as read (docs/rules.md §18).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BucketEncryption {
    /// The bucket name.
    pub bucket: String,
    /// `SSEAlgorithm`: `AES256` (SSE-S3), `aws:kms` (SSE-KMS) or
    /// `aws:kms:dsse` (DSSE-KMS).
    pub algorithm: String,
    /// `KMSMasterKeyID` as written (a key ARN, key id, alias name or alias
    /// ARN); absent with KMS means S3's AWS-managed key (`aws/s3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<String>,
    /// Whether an S3 Bucket Key is on (fewer KMS calls; the same
    /// permissions).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bucket_key: bool,
}

impl BucketEncryption {
    /// Whether objects are encrypted with a KMS key (SSE-KMS or DSSE-KMS),
    /// which a reader must be let use.
    pub fn uses_kms(&self) -> bool {
        self.algorithm.starts_with("aws:kms")
    }
}

/// Who manages a KMS key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum KeyManager {
    /// An AWS-managed key (`aws/s3`, `aws/sns`, `aws/sqs`): its policy
    /// cannot be changed.
    Aws,
    /// A customer-managed key: its key policy says who may use it.
    Customer,
}

/// A KMS key as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LiveKey {
    /// The key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`).
    pub arn: String,
    /// Its aliases (`alias/photos`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Who manages it; absent when it could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<KeyManager>,
    /// `KeyState` (`Enabled`, `Disabled`, `PendingDeletion`…); absent when
    /// it could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The key policy (`default`); absent when it could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyDocument>,
    /// Its grants: who may do what without the key policy saying so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<KeyGrant>,
    /// Why the key, or part of it, could not be read (`AccessDenied on
    /// GetKeyPolicy`): the checks that needed what is missing say so
    /// instead of passing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
}

/// One grant of a KMS key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KeyGrant {
    /// The principal it lets in (a role ARN, or a service).
    pub grantee: String,
    /// The operations it allows (`Decrypt`, `GenerateDataKey`).
    pub operations: Vec<String>,
}

impl LiveKey {
    /// The key's id (the last part of its ARN).
    pub fn id(&self) -> &str {
        self.arn.rsplit('/').next().unwrap_or(&self.arn)
    }

    /// Whether `reference` (a key ARN, key id, alias name or alias ARN, as
    /// a bucket, topic or queue names a key) names this key.
    pub fn is_named_by(&self, reference: &str) -> bool {
        let alias = reference
            .split_once(":alias/")
            .map_or(reference, |(_, name)| name)
            .trim_start_matches("alias/");
        reference == self.arn
            || reference == self.id()
            || self
                .aliases
                .iter()
                .any(|a| a.trim_start_matches("alias/") == alias)
    }
}

/// An SQS queue as read from the account (GetQueueAttributes,
/// ListEventSourceMappings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LiveQueue {
    /// The queue ARN.
    pub arn: String,
    /// The queue's URL (what SQS's calls take).
    pub url: String,
    /// The queue's access policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyDocument>,
    /// `VisibilityTimeout`, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility_timeout_seconds: Option<u32>,
    /// Its `RedrivePolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter: Option<DeadLetter>,
    /// `KmsMasterKeyId`, when the queue is encrypted with KMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<String>,
    /// The event source mappings polling it (Lambda's, any function).
    #[serde(default)]
    pub mappings: Vec<LiveMapping>,
}

/// One event source mapping of a queue, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LiveMapping {
    /// Its UUID (what Lambda's calls take).
    pub uuid: String,
    /// The function it invokes (qualified for an alias or version).
    pub function_arn: String,
    /// Its settings, Lambda's defaults spelt out as read.
    pub settings: QueueMapping,
}

/// An SNS topic as read from the account (GetTopicAttributes,
/// ListSubscriptionsByTopic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LiveTopic {
    /// The topic ARN.
    pub arn: String,
    /// The topic's access policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyDocument>,
    /// `KmsMasterKeyId`, when the topic is encrypted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_master_key_id: Option<String>,
    /// Its subscriptions (every protocol; only Lambda ones are drawn).
    #[serde(default)]
    pub subscriptions: Vec<LiveSubscription>,
}

/// One subscription of a topic, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LiveSubscription {
    /// The subscription ARN (`PendingConfirmation` while unconfirmed).
    pub arn: String,
    /// `lambda`, `sqs`, `email`, `https`…
    pub protocol: String,
    /// The endpoint: for Lambda, the (possibly qualified) function ARN.
    pub endpoint: String,
}

/// A function as read from the account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LiveFunction {
    /// The unqualified function ARN.
    pub arn: String,
    /// Alias names that exist.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Published version numbers that exist.
    #[serde(default)]
    pub versions: Vec<String>,
    /// The execution role's ARN, as the function reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Resource-policy statements of the function and of each alias and
    /// version (each statement's `Resource` says which it is for).
    #[serde(default)]
    pub policy_statements: Vec<PolicyStatement>,
    /// Asynchronous invocation settings that exist, per qualifier
    /// (ListFunctionEventInvokeConfigs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_invoke_configs: Vec<LiveEventInvokeConfig>,
    /// The recursion guard (GetFunctionRecursionConfig); absent when it was
    /// not read (an endpoint that does not implement it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recursive_loop: Option<RecursiveLoop>,
    /// Who manages the function outside Bucketwire, as its tags say
    /// (docs/rules.md §12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The function's timeout in seconds, when read (a queue's visibility
    /// timeout is measured against it, docs/rules.md §16).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u32>,
}

/// One qualifier's asynchronous invocation settings, as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LiveEventInvokeConfig {
    /// The alias or version it applies to; absent for the unqualified
    /// function (`$LATEST`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// The settings.
    pub settings: AsyncInvoke,
}

/// Asynchronous invocation settings of a function (S3 always invokes
/// asynchronously; docs/rules.md §10). A field left out is Lambda's default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AsyncInvoke {
    /// Retries after a function error, 0 to 2 (Lambda's default: 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_retry_attempts: Option<u8>,
    /// How long Lambda keeps an event to retry, 60 to 21600 seconds
    /// (default: 21600, six hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_event_age_seconds: Option<u32>,
    /// Where a failed event goes: an SQS queue, SNS topic, Lambda function
    /// or EventBridge bus ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_failure: Option<String>,
}

/// What Lambda does when it detects a recursive loop (docs/rules.md §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum RecursiveLoop {
    /// Stop the loop after about 16 calls (Lambda's default).
    Terminate,
    /// Let the loop run.
    Allow,
}

impl RecursiveLoop {
    /// The API's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Terminate => "Terminate",
            Self::Allow => "Allow",
        }
    }
}

/// An execution role as read from the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LiveRole {
    /// The role ARN.
    pub arn: String,
    /// Inline and attached managed policy documents, by name.
    #[serde(default)]
    pub policies: Vec<NamedPolicy>,
}

/// An IAM policy document with its name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamedPolicy {
    /// Inline policy name or managed policy ARN.
    pub name: String,
    /// The policy document (`{"Version": ..., "Statement": [...]}`).
    pub document: PolicyDocument,
}

/// One notification configuration's event types and key filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Filter {
    /// Stable node id.
    pub id: NodeId,
    /// The configuration `Id` S3 stores (names the entry in errors and events).
    pub configuration_id: String,
    /// Event types, e.g. `s3:ObjectCreated:*`. Kept as written so that an
    /// invalid one is reported by validation instead of failing the read.
    pub events: Vec<String>,
    /// Key prefix rule; absent means every key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Key suffix rule; absent means every key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
}

/// A Lambda function (optionally a version or alias of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Function {
    /// Stable node id.
    pub id: NodeId,
    /// The unqualified function ARN.
    pub arn: String,
    /// A version number or alias name, when the notification targets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// The execution role's ARN, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Asynchronous invocation settings for this function and qualifier,
    /// when the document manages them; absent leaves the account's as
    /// they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub async_invoke: Option<AsyncInvoke>,
    /// The function's recursion guard, when the document manages it
    /// (function-wide: every qualifier shares it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recursive_loop: Option<RecursiveLoop>,
}

impl Function {
    /// The function's name, taken from its ARN (`...:function:NAME`), or the
    /// whole ARN when it does not have that shape.
    pub fn name(&self) -> &str {
        match self.arn.split_once(":function:") {
            Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
            None => &self.arn,
        }
    }

    /// The function's region, taken from its ARN, when the ARN has one.
    pub fn region(&self) -> Option<&str> {
        crate::model::permission::arn_region(&self.arn)
    }

    /// The account the function belongs to, taken from its ARN, when the
    /// ARN has one.
    pub fn account(&self) -> Option<&str> {
        crate::model::permission::arn_account(&self.arn)
    }
}

/// A directed edge between two nodes, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Edge {
    /// The upstream node (a bucket or a filter).
    pub from: NodeId,
    /// The downstream node (a filter or a function).
    pub to: NodeId,
}

/// A node's top-left corner on the canvas, in canvas units.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// Horizontal position; grows to the right.
    pub x: f64,
    /// Vertical position; grows downwards.
    pub y: f64,
}

impl LiveFacts {
    /// Live facts `old` updated by `new`: a function, role, topic, queue,
    /// key (by ARN) or bucket's encryption (by bucket) `new` holds replaces
    /// the one `old` held; the others are kept. Sorted by ARN or name.
    pub fn combined(old: Option<&LiveFacts>, new: &LiveFacts) -> LiveFacts {
        let mut functions: BTreeMap<&str, _> = BTreeMap::new();
        let mut roles: BTreeMap<&str, _> = BTreeMap::new();
        let mut topics: BTreeMap<&str, _> = BTreeMap::new();
        let mut queues: BTreeMap<&str, _> = BTreeMap::new();
        let mut bucket_encryption: BTreeMap<&str, _> = BTreeMap::new();
        let mut keys: BTreeMap<&str, _> = BTreeMap::new();
        for facts in old.into_iter().chain([new]) {
            for e in &facts.bucket_encryption {
                bucket_encryption.insert(e.bucket.as_str(), e.clone());
            }
            for k in &facts.keys {
                keys.insert(k.arn.as_str(), k.clone());
            }
            for t in &facts.topics {
                topics.insert(t.arn.as_str(), t.clone());
            }
            for q in &facts.queues {
                queues.insert(q.arn.as_str(), q.clone());
            }
            for f in &facts.functions {
                functions.insert(f.arn.as_str(), f.clone());
            }
            for r in &facts.roles {
                roles.insert(r.arn.as_str(), r.clone());
            }
        }
        LiveFacts {
            functions: functions.into_values().collect(),
            roles: roles.into_values().collect(),
            topics: topics.into_values().collect(),
            queues: queues.into_values().collect(),
            bucket_encryption: bucket_encryption.into_values().collect(),
            keys: keys.into_values().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn function(arn: &str) -> Function {
        Function {
            id: NodeId::new("f"),
            arn: arn.into(),
            qualifier: None,
            role: None,
            async_invoke: None,
            recursive_loop: None,
        }
    }

    #[test]
    fn function_name_and_region_come_from_the_arn() {
        let f = function("arn:aws:lambda:eu-west-1:123456789012:function:thumbs");
        assert_eq!(f.name(), "thumbs");
        assert_eq!(f.region(), Some("eu-west-1"));
    }

    #[test]
    fn a_malformed_arn_names_itself_and_has_no_region() {
        let f = function("thumbs");
        assert_eq!(f.name(), "thumbs");
        assert_eq!(f.region(), None);
    }
}

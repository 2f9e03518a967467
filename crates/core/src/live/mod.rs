//! Live state: what the account holds right now, in the shape the account
//! adapter reads it. The planner compares a document against this.
//!
//! Layer 1: uses `model` only (the live facts a document keeps are model
//! types, so an import and a plan read the same shapes).

use crate::model::document::{LiveFunction, LiveQueue, LiveRole, LiveTopic};
use serde::{Deserialize, Serialize};

/// Everything the planner needs to know about the account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveState {
    /// Buckets that were read (at least every bucket of the document).
    #[serde(default)]
    pub buckets: Vec<LiveBucket>,
    /// Functions that were read, with their resource-policy statements.
    #[serde(default)]
    pub functions: Vec<LiveFunction>,
    /// Execution roles that were read, with their policies.
    #[serde(default)]
    pub roles: Vec<LiveRole>,
    /// The document's EventBridge rules as found on their regions' default
    /// buses (a rule not found is absent), with their targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<LiveRule>,
    /// The document's SNS topics as found (a topic not found is absent),
    /// with their policies and subscriptions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<LiveTopic>,
    /// The document's SQS queues as found (a queue not found is absent),
    /// with their attributes and event source mappings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<LiveQueue>,
    /// The default encryption of the buckets read, when they have one
    /// (docs/rules.md §18).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bucket_encryption: Vec<crate::model::document::BucketEncryption>,
    /// The KMS keys the buckets, topics and queues name, as far as they
    /// could be read (§18).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<crate::model::document::LiveKey>,
}

impl LiveState {
    /// The bucket with this name.
    pub fn bucket(&self, name: &str) -> Option<&LiveBucket> {
        self.buckets.iter().find(|b| b.name == name)
    }

    /// The function with this unqualified ARN.
    pub fn function(&self, arn: &str) -> Option<&LiveFunction> {
        self.functions.iter().find(|f| f.arn == arn)
    }

    /// The role with this ARN.
    pub fn role(&self, arn: &str) -> Option<&LiveRole> {
        self.roles.iter().find(|r| r.arn == arn)
    }
}

/// An EventBridge rule as read from its region's default bus
/// (docs/rules.md §14).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveRule {
    /// The rule's name.
    pub name: String,
    /// Its region.
    pub region: String,
    /// Its ARN.
    pub arn: String,
    /// Its event pattern (`None`: a scheduled rule, without one).
    pub pattern: Option<serde_json::Value>,
    /// `ENABLED`, `DISABLED` or `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
    pub state: String,
    /// Its targets.
    #[serde(default)]
    pub targets: Vec<LiveTarget>,
}

/// One target of a rule as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveTarget {
    /// Its id on the rule.
    pub id: String,
    /// What it invokes.
    pub arn: String,
}

/// A bucket as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveBucket {
    /// The bucket name.
    pub name: String,
    /// Its region (`us-east-1` for the empty location S3 reports there).
    pub region: String,
    /// Its whole notification configuration.
    pub notification: NotificationConfiguration,
    /// Who manages it outside Bucketwire, as its tags say
    /// (docs/rules.md §12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// A bucket's whole notification configuration (what the PUT replaces).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationConfiguration {
    /// `LambdaFunctionConfigurations`.
    #[serde(default)]
    pub lambda: Vec<NotificationEntry>,
    /// `QueueConfigurations`.
    #[serde(default)]
    pub queues: Vec<NotificationEntry>,
    /// `TopicConfigurations`.
    #[serde(default)]
    pub topics: Vec<NotificationEntry>,
    /// Whether `EventBridgeConfiguration` is present.
    #[serde(default)]
    pub event_bridge: bool,
    /// What the read held that these fields cannot say, one sentence each
    /// naming the entry and what was kept (a second prefix rule, a rule
    /// name S3 does not define). A bucket with any is never written: the
    /// planner blocks it, since writing it back would change it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unrepresented: Vec<String>,
}

/// One configuration entry, with filter rule names already normalised to
/// lower case (S3 returns `Prefix`/`Suffix`, docs/rules.md §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationEntry {
    /// The entry's `Id`.
    pub id: String,
    /// Destination ARN (function, qualified if so; queue; topic).
    pub arn: String,
    /// Event types, as stored.
    pub events: Vec<String>,
    /// Prefix rule value, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Suffix rule value, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suffix: Option<String>,
}

impl NotificationEntry {
    /// Whether two entries configure the same thing: same Id, destination,
    /// event set (order and duplicates ignored) and key rules (absent and
    /// empty are the same).
    pub fn same_as(&self, other: &NotificationEntry) -> bool {
        self.same_as_parts(
            &other.id,
            &other.arn,
            &other.events,
            other.prefix.as_deref(),
            other.suffix.as_deref(),
        )
    }

    /// [`Self::same_as`] against an entry given by its parts, so a caller
    /// can compare without building a `NotificationEntry`.
    pub fn same_as_parts(
        &self,
        id: &str,
        arn: &str,
        events: &[String],
        prefix: Option<&str>,
        suffix: Option<&str>,
    ) -> bool {
        fn set(e: &[String]) -> Vec<&str> {
            let mut v: Vec<&str> = e.iter().map(String::as_str).collect();
            v.sort_unstable();
            v.dedup();
            v
        }
        fn rule(r: Option<&str>) -> Option<&str> {
            r.filter(|v| !v.is_empty())
        }
        self.id == id
            && self.arn == arn
            && (self.events == events || set(&self.events) == set(events))
            && rule(self.prefix.as_deref()) == rule(prefix)
            && rule(self.suffix.as_deref()) == rule(suffix)
    }
}

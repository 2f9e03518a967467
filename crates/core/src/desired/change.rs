//! One change to the account, the vocabulary plans and fixes share: each
//! carries what it replaces, so an apply can undo it and a reviewer can see
//! it, and says itself in the plan's words.

use crate::live::{LiveRule, LiveTarget, NotificationConfiguration, NotificationEntry};
use crate::model::document::{AsyncInvoke, RecursiveLoop};
use serde::Serialize;
use serde_json::Value;

/// One change to the account. Each carries what it replaces, so an apply
/// can undo it and a reviewer can see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Change {
    /// Create or replace the managed inline policy of a role.
    #[serde(rename_all = "camelCase")]
    PutRolePolicy {
        /// The role ARN.
        role_arn: String,
        /// Always [`ROLE_POLICY_NAME`].
        policy_name: String,
        /// The new policy document.
        document: Value,
        /// The policy it replaces, if any (boxed, as the other large
        /// fields of a change are: a change is as large as its largest
        /// variant, and a large account's fixes hold tens of thousands).
        previous: Option<Box<Value>>,
    },
    /// Delete the managed inline policy of a role that no longer needs it.
    #[serde(rename_all = "camelCase")]
    DeleteRolePolicy {
        /// The role ARN.
        role_arn: String,
        /// Always [`ROLE_POLICY_NAME`].
        policy_name: String,
        /// The policy deleted (for undo).
        previous: Value,
    },
    /// Add a statement to a function's (or alias's) resource policy.
    #[serde(rename_all = "camelCase")]
    AddPermission {
        /// The ARN the statement is for (qualified for an alias/version).
        function_arn: String,
        /// The statement id (starts with [`SID_PREFIX`]).
        statement_id: String,
        /// The statement (compact: a fix per missing permission holds one,
        /// tens of thousands on a large account).
        statement: crate::model::policy::compact::PolicyStatement,
    },
    /// Remove a statement Bucketwire created earlier.
    #[serde(rename_all = "camelCase")]
    RemovePermission {
        /// The ARN the statement is on.
        function_arn: String,
        /// The statement id.
        statement_id: String,
        /// The statement removed (for undo).
        statement: crate::model::policy::compact::PolicyStatement,
    },
    /// Replace a bucket's whole notification configuration.
    #[serde(rename_all = "camelCase")]
    PutBucketNotification {
        /// The bucket name.
        bucket: String,
        /// Its region.
        region: String,
        /// The configuration to write.
        configuration: Box<NotificationConfiguration>,
        /// The configuration read before planning (for drift checks and undo).
        previous: Box<NotificationConfiguration>,
        /// Lambda entries added.
        added: Vec<NotificationEntry>,
        /// Lambda entries changed.
        changed: Vec<EntryChange>,
        /// Lambda entries removed.
        removed: Vec<NotificationEntry>,
        /// Entries written back untouched (`queue "x"`, `EventBridge`, ...).
        kept: Vec<String>,
        /// Who manages the bucket outside Bucketwire, as its tags say: its
        /// next deploy reverts this write (docs/rules.md §12).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
    },
    /// Set the asynchronous invocation settings of a function or of one of
    /// its aliases or versions (PutFunctionEventInvokeConfig).
    #[serde(rename_all = "camelCase")]
    PutEventInvokeConfig {
        /// The unqualified function ARN.
        function_arn: String,
        /// The alias or version, if the settings are for one.
        qualifier: Option<String>,
        /// The settings to write (fields left out are Lambda's defaults).
        settings: AsyncInvoke,
        /// The settings read before planning; `None` when there were none
        /// (undo then deletes them).
        previous: Option<AsyncInvoke>,
    },
    /// Create or update an EventBridge rule on its region's default bus
    /// (PutRule, docs/rules.md §14).
    #[serde(rename_all = "camelCase")]
    PutRule {
        /// The rule's name.
        name: String,
        /// Its region.
        region: String,
        /// The ARN it has, or will have.
        arn: String,
        /// The event pattern to write.
        pattern: Value,
        /// `ENABLED` or `DISABLED`.
        state: String,
        /// The rule as read; `None` when it does not exist (undo deletes it).
        previous: Option<Box<LiveRule>>,
    },
    /// Set targets of a rule by id (PutTargets).
    #[serde(rename_all = "camelCase")]
    PutTargets {
        /// The rule's name.
        rule: String,
        /// Its region.
        region: String,
        /// The targets to set.
        targets: Vec<LiveTarget>,
        /// The targets with those ids as read (undo puts them back; the
        /// others are removed).
        previous: Vec<LiveTarget>,
    },
    /// Remove targets Bucketwire set that the document no longer has
    /// (RemoveTargets).
    #[serde(rename_all = "camelCase")]
    RemoveTargets {
        /// The rule's name.
        rule: String,
        /// Its region.
        region: String,
        /// The targets removed (undo puts them back).
        targets: Vec<LiveTarget>,
    },
    /// Create an SNS topic, or set its access policy and key
    /// (CreateTopic, SetTopicAttributes; docs/rules.md §15).
    #[serde(rename_all = "camelCase")]
    PutTopic {
        /// The topic ARN.
        arn: String,
        /// Its region.
        region: String,
        /// The access policy to set; `None` leaves it as it is.
        policy: Option<Value>,
        /// The `KmsMasterKeyId` to set; `None` leaves it as it is.
        kms_master_key_id: Option<String>,
        /// The topic as read; `None` when it does not exist (apply creates
        /// it, and undo deletes it).
        previous: Option<Box<crate::model::document::LiveTopic>>,
    },
    /// Subscribe a function to a topic (Subscribe, protocol `lambda`).
    #[serde(rename_all = "camelCase")]
    Subscribe {
        /// The topic ARN.
        topic_arn: String,
        /// The function ARN (qualified for an alias or version).
        endpoint: String,
    },
    /// Remove a Lambda subscription the document no longer has
    /// (Unsubscribe).
    #[serde(rename_all = "camelCase")]
    Unsubscribe {
        /// The topic ARN.
        topic_arn: String,
        /// The subscription ARN.
        subscription_arn: String,
        /// The function ARN it delivered to (undo subscribes it again).
        endpoint: String,
    },
    /// Create an SQS queue, or set its attributes (CreateQueue,
    /// SetQueueAttributes; docs/rules.md §16).
    #[serde(rename_all = "camelCase")]
    PutQueue {
        /// The queue ARN.
        arn: String,
        /// Its region.
        region: String,
        /// The attributes to set (`Policy`, `VisibilityTimeout`,
        /// `RedrivePolicy`, `KmsMasterKeyId`), by name.
        attributes: std::collections::BTreeMap<String, String>,
        /// The queue as read; `None` when it does not exist (apply creates
        /// it, and undo deletes it).
        previous: Option<Box<crate::model::document::LiveQueue>>,
    },
    /// Create or update the event source mapping Lambda polls a queue with
    /// for a function (CreateEventSourceMapping, UpdateEventSourceMapping).
    #[serde(rename_all = "camelCase")]
    PutMapping {
        /// The queue ARN.
        queue_arn: String,
        /// The function ARN (qualified for an alias or version).
        function_arn: String,
        /// The mapping's UUID; `None` when it does not exist (apply
        /// creates it, and undo deletes it).
        uuid: Option<String>,
        /// The settings to write, Lambda's defaults spelt out.
        settings: crate::model::document::QueueMapping,
        /// The settings as read.
        previous: Option<crate::model::document::QueueMapping>,
    },
    /// Delete a mapping of a queue to a function the document no longer
    /// draws (DeleteEventSourceMapping).
    #[serde(rename_all = "camelCase")]
    DeleteMapping {
        /// The queue ARN.
        queue_arn: String,
        /// The function it invoked.
        function_arn: String,
        /// Its UUID.
        uuid: String,
        /// Its settings (undo makes it again).
        settings: crate::model::document::QueueMapping,
    },
    /// Set a function's recursion guard (PutFunctionRecursionConfig).
    #[serde(rename_all = "camelCase")]
    PutRecursionConfig {
        /// The unqualified function ARN.
        function_arn: String,
        /// What Lambda should do on a detected loop.
        recursive_loop: RecursiveLoop,
        /// The guard read before planning; `None` when it could not be read.
        previous: Option<RecursiveLoop>,
    },
}

/// A Lambda entry before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryChange {
    /// As live.
    pub before: NotificationEntry,
    /// As planned.
    pub after: NotificationEntry,
}

/// Changes a fix offers, shared by every finding that offers the same
/// ones: a role's read policy is the fix of each finding about that role,
/// so it is held once, not copied into each (an account replicating the
/// seeded shape to 100,000 buckets has 32,000 such findings over 400
/// policies; copies took 70% of `validate`, bench/cli.sh).
#[derive(Debug, Clone, PartialEq)]
pub struct Changes(std::sync::Arc<[Change]>);

impl Changes {
    /// The changes, in order.
    pub fn as_slice(&self) -> &[Change] {
        &self.0
    }

    /// The set's identity, as a number to key a map by: equal for clones of
    /// one set (which share it), different for sets merely equal; valid
    /// while the set lives. What lets an output write a set held by many
    /// findings once.
    pub fn identity(&self) -> usize {
        std::sync::Arc::as_ptr(&self.0).cast::<Change>() as usize
    }
}

impl std::ops::Deref for Changes {
    type Target = [Change];

    fn deref(&self) -> &[Change] {
        &self.0
    }
}

impl From<Vec<Change>> for Changes {
    fn from(changes: Vec<Change>) -> Self {
        Self(changes.into())
    }
}

impl<'a> IntoIterator for &'a Changes {
    type Item = &'a Change;
    type IntoIter = std::slice::Iter<'a, Change>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl FromIterator<Change> for Changes {
    fn from_iter<I: IntoIterator<Item = Change>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl Serialize for Changes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter())
    }
}

/// A role's inline policy named `name` as read (what a [`Change::PutRolePolicy`]
/// of it replaces), and the role's other policies (what already grants,
/// without it). Both empty for a role not read.
pub(crate) fn role_policies_apart<'r>(
    live_role: Option<&'r crate::model::document::LiveRole>,
    name: &str,
) -> (
    Option<Value>,
    Vec<&'r crate::model::policy::compact::PolicyDocument>,
) {
    let Some(role) = live_role else {
        return (None, Vec::new());
    };
    let ours = role
        .policies
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.document.to_value());
    let others = role
        .policies
        .iter()
        .filter(|p| p.name != name)
        .map(|p| &p.document)
        .collect();
    (ours, others)
}

//! What encryption asks of the account (docs/rules.md §18): the key a
//! bucket, topic or queue names, resolved against the keys that were read,
//! and the exact statements that let a role or S3 use it — the role's
//! `kms:Decrypt` (scoped to the key and, through `kms:ViaService`, to the
//! service that decrypts for it), and a key-policy statement for a key
//! whose policy ignores IAM or does not let S3 in.

use crate::desired::change::{role_policies_apart, Change};
use crate::desired::context::Context;
use crate::desired::queues::DesiredQueue;
use crate::desired::topics::DesiredTopic;
use crate::model::document::{BucketEncryption, KeyManager, LiveKey, LiveRole};
use crate::model::policy::compact::PolicyDocument;
use crate::model::policy::evaluate::evaluate;
use crate::model::policy::key_policy::{key_allows, Caller, KeyAccess, Refusal};
use rustc_hash::FxHashMap;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The inline policy Bucketwire writes on a role that must decrypt with a
/// key whose policy leaves that to IAM.
pub const DECRYPT_POLICY_NAME: &str = "bucketwire-kms-decrypt";

/// The Sid of the key-policy statement that lets S3 use a topic's or
/// queue's key.
pub const S3_KEY_SID: &str = "bucketwire-s3-use-key";

/// How a bucket, topic or queue is encrypted, as far as a reader or S3
/// must be let use the key.
#[derive(Debug, Clone, Copy)]
pub enum KeyUse<'a> {
    /// Not with a KMS key (unencrypted, SSE-S3, SSE-SQS): nothing to grant.
    None,
    /// An AWS-managed key: its policy lets the account's principals use it
    /// through the service, and can let no service such as S3 in.
    AwsManaged(&'a str),
    /// A customer-managed key, as read.
    Customer(&'a LiveKey),
    /// A key named but not read (or read only in part): checks that needed
    /// it cannot answer.
    Unread(&'a str, Option<&'a LiveKey>),
}

/// The key `reference` names among the keys read.
pub fn key_named<'a>(keys: &'a [LiveKey], reference: &str) -> Option<&'a LiveKey> {
    keys.iter().find(|k| k.is_named_by(reference))
}

/// What using the key `reference` (a key ARN, id, alias name or alias ARN)
/// takes, from the keys read. `aws_alias` is the service's AWS-managed
/// alias (`aws/s3`, `aws/sns`, `aws/sqs`), recognised by name even unread.
pub fn key_use<'a>(keys: &'a [LiveKey], reference: &'a str, aws_alias: &str) -> KeyUse<'a> {
    let by_name = reference.trim_start_matches("alias/") == aws_alias
        || reference.ends_with(&format!(":alias/{aws_alias}"));
    match key_named(keys, reference) {
        Some(key) if key.manager == Some(KeyManager::Aws) => KeyUse::AwsManaged(reference),
        _ if by_name => KeyUse::AwsManaged(reference),
        Some(key) if key.manager == Some(KeyManager::Customer) && key.policy.is_some() => {
            KeyUse::Customer(key)
        }
        found => KeyUse::Unread(reference, found),
    }
}

/// What a bucket's default encryption asks of a reader: nothing for
/// SSE-S3; with SSE-KMS, its key (S3's AWS-managed `aws/s3` when none is
/// named).
pub fn bucket_key_use<'a>(keys: &'a [LiveKey], encryption: &'a BucketEncryption) -> KeyUse<'a> {
    if !encryption.uses_kms() {
        return KeyUse::None;
    }
    match encryption.kms_key.as_deref() {
        None => KeyUse::AwsManaged("aws/s3"),
        Some(reference) => key_use(keys, reference, "aws/s3"),
    }
}

/// The default encryption read, by bucket name: made once, so a check or
/// plan over every bucket of a large account looks each up in constant
/// time (a real account reads one for every bucket).
pub fn encryption_by_bucket(read: &[BucketEncryption]) -> FxHashMap<&str, &BucketEncryption> {
    read.iter().map(|e| (e.bucket.as_str(), e)).collect()
}

/// The key a topic is encrypted with: the document's, else as read.
pub fn topic_key<'a>(ctx: &Context<'a>, topic: &DesiredTopic<'a>) -> Option<&'a str> {
    topic.topic.kms_master_key_id.as_deref().or_else(|| {
        ctx.live_topic(&topic.topic.arn)
            .and_then(|l| l.kms_master_key_id.as_deref())
    })
}

/// The key a queue is encrypted with: the document's, else as read.
pub fn queue_key<'a>(ctx: &Context<'a>, queue: &DesiredQueue<'a>) -> Option<&'a str> {
    queue.queue.kms_master_key_id.as_deref().or_else(|| {
        ctx.live_queue(queue.arn())
            .and_then(|l| l.kms_master_key_id.as_deref())
    })
}

/// A queue's region, from its ARN.
pub fn queue_region<'q>(queue: &DesiredQueue<'q>) -> &'q str {
    queue.queue.arn.split(':').nth(3).unwrap_or_default()
}

/// A key a role must be let decrypt with, through a service (`s3`: the
/// objects of a bucket; `sqs`: the messages of a queue Lambda polls) in a
/// region.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DecryptNeed {
    /// The key's ARN.
    pub key_arn: String,
    /// `s3` or `sqs`.
    pub service: &'static str,
    /// The region of the bucket or queue.
    pub region: String,
}

/// For each role of a function that reads a bucket encrypted with a
/// customer-managed key (directly, through a topic or a queue), or polls a
/// queue encrypted with one: the keys it must decrypt with. Only buckets
/// for which `include` holds count (a plan's scope). `keys` and
/// `encryption` are what was read.
pub fn role_decrypt_needs<'a>(
    ctx: &Context<'a>,
    keys: &[LiveKey],
    encryption: &[BucketEncryption],
    include: &dyn Fn(&str) -> bool,
) -> BTreeMap<&'a str, BTreeSet<DecryptNeed>> {
    let mut needs: BTreeMap<&'a str, BTreeSet<DecryptNeed>> = BTreeMap::new();
    if keys.is_empty() {
        return needs;
    }
    let encryption = encryption_by_bucket(encryption);
    for (config, _, function, _) in ctx.deliveries() {
        let Some(role) = function.role.as_deref() else {
            continue;
        };
        if !config.reads_objects() || !include(&config.bucket.name) {
            continue;
        }
        let Some(e) = encryption.get(config.bucket.name.as_str()) else {
            continue;
        };
        if let KeyUse::Customer(key) = bucket_key_use(keys, e) {
            needs.entry(role).or_default().insert(DecryptNeed {
                key_arn: key.arn.clone(),
                service: "s3",
                region: config.bucket.region.clone(),
            });
        }
    }
    for queue in crate::desired::queues::queues(ctx) {
        let Some((function, _)) = &queue.consumer else {
            continue;
        };
        let (Some(role), true) = (
            function.role.as_deref(),
            queue.buckets.iter().any(|b| include(b)),
        ) else {
            continue;
        };
        let Some(reference) = queue_key(ctx, &queue) else {
            continue;
        };
        if let KeyUse::Customer(key) = key_use(keys, reference, "aws/sqs") {
            needs.entry(role).or_default().insert(DecryptNeed {
                key_arn: key.arn.clone(),
                service: "sqs",
                region: queue_region(&queue).to_string(),
            });
        }
    }
    needs
}

/// Whether the role `role_arn`, with `policies`, may `kms:Decrypt` with
/// `key` (its key policy and grants as read); `None` when the key policy
/// was not read.
pub fn role_decrypt_access<'p>(
    key: &LiveKey,
    role_arn: &str,
    policies: impl IntoIterator<Item = &'p PolicyDocument>,
) -> Option<KeyAccess> {
    let policy = key.policy.as_ref()?.to_value();
    let identity = evaluate(policies, "kms:Decrypt", &key.arn);
    Some(key_allows(
        &policy,
        &key.grants,
        &key.arn,
        Caller::Role {
            arn: role_arn,
            identity: &identity,
        },
        "kms:Decrypt",
    ))
}

/// The change to the role's [`DECRYPT_POLICY_NAME`] policy that lets it
/// decrypt with every key of `needs` that its other policies do not
/// already let it use, where the key policy leaves that to IAM; `None`
/// when nothing is missing or the policy already says it. A key whose
/// policy ignores IAM, or denies the role, is not helped by the role's
/// policy: its finding asks for the key-policy statement instead.
pub fn decrypt_policy_change(
    role_arn: &str,
    needs: &BTreeSet<DecryptNeed>,
    keys: &[LiveKey],
    live_role: Option<&LiveRole>,
) -> Option<Change> {
    let (previous, others) = role_policies_apart(live_role, DECRYPT_POLICY_NAME);
    let statements: Vec<Value> = needs
        .iter()
        .filter(|need| {
            let access = keys
                .iter()
                .find(|k| k.arn == need.key_arn)
                .and_then(|key| role_decrypt_access(key, role_arn, others.iter().copied()));
            matches!(
                access.and_then(|a| a.refusal),
                Some(Refusal::IdentityDoesNotAllow | Refusal::NotAllowed)
            )
        })
        .map(|need| role_decrypt_statement(&need.key_arn, need.service, &need.region))
        .collect();
    if statements.is_empty() {
        return None;
    }
    let document = json!({"Version": "2012-10-17", "Statement": statements});
    if previous.as_ref() == Some(&document) {
        return None;
    }
    Some(Change::PutRolePolicy {
        role_arn: role_arn.to_string(),
        policy_name: DECRYPT_POLICY_NAME.into(),
        document,
        previous: previous.map(Box::new),
    })
}

/// The identity-policy statement that lets a role decrypt with `key_arn`
/// through `service` in `region` (`s3`: the objects of a bucket; `sqs`:
/// the messages of a queue Lambda polls for it).
pub fn role_decrypt_statement(key_arn: &str, service: &str, region: &str) -> Value {
    json!({
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": key_arn,
        "Condition": {"StringEquals": {"kms:ViaService": format!("{service}.{region}.amazonaws.com")}}
    })
}

/// The key-policy statement that lets `role_arn` decrypt with the key
/// itself (for a key policy that does not enable IAM policies).
pub fn key_statement_for_role(role_arn: &str) -> Value {
    let name = role_arn.rsplit('/').next().unwrap_or(role_arn);
    json!({
        "Sid": format!("bucketwire-decrypt-{name}"),
        "Effect": "Allow",
        "Principal": {"AWS": role_arn},
        "Action": "kms:Decrypt",
        "Resource": "*"
    })
}

/// The key-policy statement that lets S3 encrypt what it delivers to a
/// topic or queue for `buckets` of `accounts` (`kms:GenerateDataKey`,
/// `kms:Decrypt`), scoped by `aws:SourceArn` and `aws:SourceAccount`.
pub fn key_statement_for_s3(buckets: &[&str], accounts: &[&str]) -> Value {
    let arns: Vec<String> = buckets
        .iter()
        .map(|b| crate::model::permission::bucket_arn(b))
        .collect();
    let mut condition = serde_json::Map::new();
    condition.insert(
        "ArnLike".into(),
        json!({"aws:SourceArn": one_or_list(arns)}),
    );
    if !accounts.is_empty() {
        let accounts: Vec<String> = accounts.iter().map(|a| a.to_string()).collect();
        condition.insert(
            "StringEquals".into(),
            json!({"aws:SourceAccount": one_or_list(accounts)}),
        );
    }
    json!({
        "Sid": S3_KEY_SID,
        "Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"},
        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
        "Resource": "*",
        "Condition": Value::Object(condition)
    })
}

fn one_or_list(mut items: Vec<String>) -> Value {
    if items.len() == 1 {
        Value::String(items.remove(0))
    } else {
        json!(items)
    }
}

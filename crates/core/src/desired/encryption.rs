//! What encryption asks of the account (docs/rules.md §18): the key a
//! bucket, topic or queue names, resolved against the keys that were read,
//! and the exact statements that let a role or S3 use it — the role's
//! `kms:Decrypt` (scoped to the key and, through `kms:ViaService`, to the
//! service that decrypts for it), and a key-policy statement for a key
//! whose policy ignores IAM or does not let S3 in.

use crate::model::document::{BucketEncryption, KeyManager, LiveFacts, LiveKey};
use serde_json::{json, Value};

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
pub fn key_named<'a>(live: &'a LiveFacts, reference: &str) -> Option<&'a LiveKey> {
    live.keys.iter().find(|k| k.is_named_by(reference))
}

/// What using the key `reference` (a key ARN, id, alias name or alias ARN)
/// takes, from the keys read. `aws_alias` is the service's AWS-managed
/// alias (`aws/s3`, `aws/sns`, `aws/sqs`), recognised by name even unread.
pub fn key_use<'a>(live: &'a LiveFacts, reference: &'a str, aws_alias: &str) -> KeyUse<'a> {
    let by_name = reference.trim_start_matches("alias/") == aws_alias
        || reference.ends_with(&format!(":alias/{aws_alias}"));
    match key_named(live, reference) {
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
pub fn bucket_key_use<'a>(live: &'a LiveFacts, encryption: &'a BucketEncryption) -> KeyUse<'a> {
    if !encryption.uses_kms() {
        return KeyUse::None;
    }
    match encryption.kms_key.as_deref() {
        None => KeyUse::AwsManaged("aws/s3"),
        Some(reference) => key_use(live, reference, "aws/s3"),
    }
}

/// The default encryption read for `bucket`, if it was read.
pub fn bucket_encryption<'a>(live: &'a LiveFacts, bucket: &str) -> Option<&'a BucketEncryption> {
    live.bucket_encryption.iter().find(|e| e.bucket == bucket)
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

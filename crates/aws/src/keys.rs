//! Encryption as the checks need it (docs/rules.md §18): each bucket's
//! default encryption (GetBucketEncryption) and each KMS key a bucket,
//! topic or queue names (DescribeKey, GetKeyPolicy, ListAliases,
//! ListGrants).
//!
//! A key that cannot be read is never an error of the import: it is kept
//! with what was read and why the rest was not (`unreadable`), so the
//! checks that needed it say so instead of passing.

use crate::account::Account;
use crate::error::{resource_error, ResourceError};
use bucketwire_core::model::document::{BucketEncryption, KeyGrant, KeyManager, LiveKey};
use bucketwire_core::model::policy::compact::PolicyDocument;
use serde_json::Value;

/// The default encryption of `bucket` (in `region`); `None` when it has
/// none (an endpoint that answers ServerSideEncryptionConfigurationNotFound).
///
/// # Errors
/// A read that failed otherwise, naming the bucket.
pub async fn read_bucket_encryption(
    account: &Account,
    bucket: &str,
    region: &str,
) -> Result<Option<BucketEncryption>, ResourceError> {
    let answer = account
        .s3(region)
        .get_bucket_encryption()
        .bucket(bucket)
        .send()
        .await;
    let out = match answer {
        Ok(out) => out,
        Err(e)
            if e.as_service_error()
                .and_then(aws_sdk_s3::error::ProvideErrorMetadata::code)
                == Some("ServerSideEncryptionConfigurationNotFoundError") =>
        {
            return Ok(None)
        }
        Err(e) => {
            return Err(resource_error(
                format!("bucket {bucket}"),
                "GetBucketEncryption",
                &e,
            ))
        }
    };
    let rule = out
        .server_side_encryption_configuration()
        .and_then(|c| c.rules().first());
    let Some(default) = rule.and_then(|r| r.apply_server_side_encryption_by_default()) else {
        return Ok(None);
    };
    Ok(Some(BucketEncryption {
        bucket: bucket.to_string(),
        algorithm: default.sse_algorithm().as_str().to_string(),
        kms_key: default
            .kms_master_key_id()
            .filter(|k| !k.is_empty())
            .map(str::to_string),
        bucket_key: rule.and_then(|r| r.bucket_key_enabled()).unwrap_or(false),
    }))
}

/// The region a key reference is in: an ARN's own, else `default` (the
/// region of the bucket, topic or queue naming it).
pub fn key_region<'a>(reference: &'a str, default: &'a str) -> &'a str {
    match reference.split(':').nth(3) {
        Some(region) if reference.starts_with("arn:") && !region.is_empty() => region,
        _ => default,
    }
}

/// The key `reference` (a key ARN, id, alias name or alias ARN) names, in
/// `region`: what could be read of it, and why the rest could not.
pub async fn read_key(account: &Account, reference: &str, region: &str) -> LiveKey {
    let kms = account.kms(key_region(reference, region));
    let mut key = LiveKey {
        arn: reference.to_string(),
        aliases: Vec::new(),
        manager: None,
        state: None,
        policy: None,
        grants: Vec::new(),
        unreadable: None,
    };
    let mut problems: Vec<String> = Vec::new();
    let resource = format!("key {reference}");
    match kms.describe_key().key_id(reference).send().await {
        Ok(out) => {
            if let Some(meta) = out.key_metadata() {
                if let Some(arn) = meta.arn() {
                    key.arn = arn.to_string();
                }
                key.manager = meta.key_manager().map(|m| match m.as_str() {
                    "AWS" => KeyManager::Aws,
                    _ => KeyManager::Customer,
                });
                key.state = meta.key_state().map(|s| s.as_str().to_string());
            }
        }
        Err(e) => {
            key.unreadable = Some(resource_error(&resource, "DescribeKey", &e).to_string());
            return key;
        }
    }
    // An alias names the key, so the alias the reference used is one.
    if let Some(alias) = reference
        .split_once(":alias/")
        .map(|(_, a)| format!("alias/{a}"))
        .or_else(|| {
            reference
                .starts_with("alias/")
                .then(|| reference.to_string())
        })
    {
        key.aliases.push(alias);
    }
    match kms.list_aliases().key_id(&key.arn).send().await {
        Ok(out) => {
            for alias in out.aliases().iter().filter_map(|a| a.alias_name()) {
                if !key.aliases.iter().any(|a| a == alias) {
                    key.aliases.push(alias.to_string());
                }
            }
        }
        Err(e) => problems.push(resource_error(&resource, "ListAliases", &e).to_string()),
    }
    if key.manager == Some(KeyManager::Customer) {
        match kms
            .get_key_policy()
            .key_id(&key.arn)
            .policy_name("default")
            .send()
            .await
        {
            Ok(out) => {
                key.policy = out
                    .policy()
                    .and_then(|p| serde_json::from_str::<Value>(p).ok())
                    .map(|p| PolicyDocument::from(&p));
                if key.policy.is_none() {
                    problems.push(format!("{resource}: GetKeyPolicy answered no policy"));
                }
            }
            Err(e) => problems.push(resource_error(&resource, "GetKeyPolicy", &e).to_string()),
        }
        match kms.list_grants().key_id(&key.arn).send().await {
            Ok(out) => {
                key.grants = out
                    .grants()
                    .iter()
                    .filter_map(|g| {
                        Some(KeyGrant {
                            grantee: g.grantee_principal()?.to_string(),
                            operations: g
                                .operations()
                                .iter()
                                .map(|o| o.as_str().to_string())
                                .collect(),
                        })
                    })
                    .collect();
            }
            Err(e) => problems.push(resource_error(&resource, "ListGrants", &e).to_string()),
        }
    }
    if !problems.is_empty() {
        key.unreadable = Some(problems.join("; "));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_read_in_its_arns_region_else_in_the_namers() {
        assert_eq!(
            key_region("arn:aws:kms:eu-west-1:123456789012:key/abc", "us-east-1"),
            "eu-west-1"
        );
        assert_eq!(key_region("alias/photos", "us-east-1"), "us-east-1");
        assert_eq!(key_region("1234abcd-12ab", "ap-south-1"), "ap-south-1");
    }
}

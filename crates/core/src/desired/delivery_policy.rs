//! What a topic's and a queue's access policy share (docs/rules.md §15,
//! §16): the statement Bucketwire writes to let S3 deliver for exactly the
//! document's buckets and their accounts, how it goes into the policy as
//! read (every other statement kept, its own replaced), and whether the
//! policy as read must change.

use crate::model::permission::bucket_arn;
use crate::model::policy::compact::{PolicyDocument, StatementView};
use serde_json::{json, Value};

/// Adds `bucket` to the senders of a topic or queue owned by
/// `destination_account`: its name, and the account it sends from (its
/// own when the document knows it, else the destination's).
pub fn add_sender<'a>(
    buckets: &mut Vec<&'a str>,
    accounts: &mut Vec<&'a str>,
    bucket: &'a crate::model::document::Bucket,
    destination_account: Option<&'a str>,
) {
    buckets.push(&bucket.name);
    accounts.extend(bucket.account.as_deref().or(destination_account));
}

/// Sorts the senders [`add_sender`] gathered and drops repeats, as
/// [`s3_statement`] names them.
pub fn settle_senders(buckets: &mut Vec<&str>, accounts: &mut Vec<&str>) {
    buckets.sort_unstable();
    buckets.dedup();
    accounts.sort_unstable();
    accounts.dedup();
}

/// The statement `sid`: S3 may do `action` on `resource` for exactly
/// `buckets`, of `accounts` (when known).
pub fn s3_statement(
    sid: &str,
    action: &str,
    resource: &str,
    buckets: &[&str],
    accounts: &[&str],
) -> Value {
    let arns: Vec<String> = buckets.iter().map(|b| bucket_arn(b)).collect();
    let mut condition = json!({ "ArnLike": { "aws:SourceArn": one_or_many(arns) } });
    if !accounts.is_empty() {
        condition["StringEquals"] = json!({ "aws:SourceAccount": one_or_many(accounts.to_vec()) });
    }
    json!({
        "Sid": sid,
        "Effect": "Allow",
        "Principal": { "Service": "s3.amazonaws.com" },
        "Action": action,
        "Resource": resource,
        "Condition": condition,
    })
}

/// `current` (or `default` when the resource has no policy) with `ours`
/// in place of any statement of its Sid, written in the current policy
/// language (`2012-10-17`).
pub fn with_statement(current: Option<&Value>, default: Value, ours: Value) -> Value {
    // A policy that is not a JSON object (a template can say anything) is
    // replaced, as IAM would refuse it anyway.
    let mut policy = current
        .filter(|p| p.is_object())
        .cloned()
        .unwrap_or(default);
    if let Value::Object(map) = &mut policy {
        let rest = std::mem::take(map);
        map.insert("Version".into(), json!("2012-10-17"));
        map.extend(rest.into_iter().filter(|(k, _)| k != "Version"));
    }
    let sid = ours.get("Sid").cloned();
    match policy.get_mut("Statement") {
        Some(Value::Array(list)) => {
            list.retain(|st| st.get("Sid") != sid.as_ref());
            list.push(ours);
        }
        Some(other) => *other = json!([other.take(), ours]),
        None => policy["Statement"] = json!([ours]),
    }
    policy
}

/// Whether the policy as read must change: Bucketwire's statement (`sid`)
/// is there but says other than `wanted`, or it is not and some of
/// `buckets` may not deliver (`grants`, for a bucket of `account`).
pub fn policy_needed(
    policy: Option<&PolicyDocument>,
    sid: &str,
    wanted: &Value,
    buckets: &[&str],
    account: Option<&str>,
    grants: &dyn Fn(&StatementView<'_>, &str, Option<&str>) -> bool,
) -> bool {
    let value = policy.map(PolicyDocument::to_value);
    let ours = value
        .as_ref()
        .and_then(|p| p.get("Statement"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|st| st.get("Sid").and_then(Value::as_str) == Some(sid));
    if let Some(ours) = ours {
        return ours != wanted;
    }
    !buckets.iter().all(|bucket| {
        policy
            .iter()
            .flat_map(|p| p.statements())
            .any(|st| grants(&st, bucket, account))
    })
}

/// `[x]` as `x`, as AWS writes a one-element list.
fn one_or_many<T: serde::Serialize>(mut list: Vec<T>) -> Value {
    if list.len() == 1 {
        json!(list.remove(0))
    } else {
        json!(list)
    }
}

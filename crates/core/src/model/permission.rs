//! The invoke permission S3 needs (docs/rules.md §6): how Bucketwire names
//! and writes the statements it creates, and how it reads existing ones.

use crate::model::policy::compact::{PolicyStatement, StatementView};
use crate::model::policy::wildcard::wildcard_match;
use serde_json::{json, Value};
use std::borrow::Cow;

/// Every statement Bucketwire creates has a `Sid` starting with this, so it
/// can tell its own statements from everybody else's and remove only those.
pub const SID_PREFIX: &str = "bucketwire-";

/// Lambda's limit for a function's whole resource policy, in bytes (§6).
pub const POLICY_LIMIT_BYTES: usize = 20 * 1024;

/// The statement id for the permission that lets `bucket` invoke through
/// configuration `configuration_id`: `bucketwire-<bucket>-<id>`, with
/// characters Lambda refuses in a Sid replaced by `-`, at most 100 chars.
pub fn statement_id(bucket: &str, configuration_id: &str) -> String {
    clean_id(&format!("{SID_PREFIX}{bucket}-{configuration_id}"), 100)
}

/// `raw` as an id AWS takes (a statement id, a target id): every character
/// but letters, digits, `-` and `_` replaced by `-`, and when longer than
/// `max`, cut with a short stable hash of the whole that keeps it unique.
pub(crate) fn clean_id(raw: &str, max: usize) -> String {
    let clean: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if clean.len() <= max {
        return clean;
    }
    let hash = raw.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{}-{hash:016x}", &clean[..max - 17])
}

/// The region of a Lambda ARN (`arn:aws:lambda:REGION:...`), when it has
/// one.
pub fn arn_region(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("arn"), Some(_partition), Some("lambda"), Some(region)) if !region.is_empty() => {
            Some(region)
        }
        _ => None,
    }
}

/// The account id of a Lambda function ARN
/// (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`), when it has one.
pub fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    match (parts.next(), parts.nth(1), parts.nth(1)) {
        (Some("arn"), Some("lambda"), Some(account)) if !account.is_empty() => Some(account),
        _ => None,
    }
}

/// `arn:aws:s3:::BUCKET`.
pub fn bucket_arn(bucket: &str) -> String {
    format!("arn:aws:s3:::{bucket}")
}

/// The function ARN a notification targets: with `:QUALIFIER` when one is
/// set (borrowed, without allocating, when there is none).
pub fn target_arn<'a>(function_arn: &'a str, qualifier: Option<&str>) -> Cow<'a, str> {
    match qualifier {
        Some(q) if !q.is_empty() => Cow::Owned(format!("{function_arn}:{q}")),
        _ => Cow::Borrowed(function_arn),
    }
}

/// The statement Bucketwire writes: S3 may invoke `target` for `bucket`,
/// scoped by both `SourceArn` and (when known) `SourceAccount`.
pub fn invoke_statement(target: &str, bucket: &str, account: Option<&str>, sid: &str) -> Value {
    let mut condition = json!({ "ArnLike": { "AWS:SourceArn": bucket_arn(bucket) } });
    if let Some(account) = account {
        condition["StringEquals"] = json!({ "AWS:SourceAccount": account });
    }
    json!({
        "Sid": sid,
        "Effect": "Allow",
        "Principal": { "Service": "s3.amazonaws.com" },
        "Action": "lambda:InvokeFunction",
        "Resource": target,
        "Condition": condition,
    })
}

/// How an existing statement relates to "S3 may invoke TARGET for BUCKET".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeGrant<'a> {
    /// The statement's `Sid` (empty when it has none).
    pub sid: &'a str,
    /// Whether it names a `SourceArn`.
    pub has_source_arn: bool,
    /// Whether it names a `SourceAccount`.
    pub has_source_account: bool,
}

/// Reads a resource-policy statement: `Some` when it lets S3 invoke `target`
/// on behalf of `bucket` (owned by `account`, when known). Allocates
/// nothing: it runs once per statement per configuration when planning.
pub fn grants_s3_invoke<'a>(
    statement: &'a PolicyStatement,
    target: &str,
    bucket: &str,
    account: Option<&str>,
) -> Option<InvokeGrant<'a>> {
    let st = statement.view()?;
    if !st.allow() || !st.principal_is_s3() {
        return None;
    }
    if !st.applies_to("lambda:InvokeFunction", target) {
        return None;
    }
    s3_source_scope(&st, bucket, account)
}

/// Whether a resource-policy statement of a topic or queue lets S3 do
/// `action` (`sns:Publish`, `sqs:SendMessage`) on `resource` for `bucket`
/// (of `account`): `Some` with whether it is scoped by `SourceArn` and
/// `SourceAccount`. A statement letting in anyone counts only without
/// other conditions: SNS's default statement (anyone, on the condition of
/// `AWS:SourceOwner`) does not let S3 publish (docs/rules.md §15, §16).
pub fn grants_s3_delivery<'s>(
    st: &StatementView<'s>,
    action: &str,
    resource: &str,
    bucket: &str,
    account: Option<&str>,
) -> Option<InvokeGrant<'s>> {
    if !st.allow() || !st.principal_is_s3() || !st.applies_to(action, resource) {
        return None;
    }
    if !st.names_s3() && st.has_other_conditions() {
        return None;
    }
    s3_source_scope(st, bucket, account)
}

/// The part of reading a statement that lets S3 in that is the same for a
/// function and a topic: `Some` when its `aws:SourceArn` and
/// `aws:SourceAccount` conditions, where it has them, admit `bucket` of
/// `account` (with which of the two it has).
pub(crate) fn s3_source_scope<'a>(
    st: &StatementView<'a>,
    bucket: &str,
    account: Option<&str>,
) -> Option<InvokeGrant<'a>> {
    let has_source_arn = st.source_arns().is_some();
    let arn_ok = st
        .source_arns()
        .is_some_and(|mut p| p.any(|p| wildcard_bucket_arn(p, bucket)));
    let has_source_account = st.source_accounts().is_some();
    let account_ok = st
        .source_accounts()
        .is_some_and(|mut p| account.is_none_or(|a| p.any(|p| wildcard_match(p, a))));
    if (has_source_arn && !arn_ok) || (has_source_account && !account_ok) {
        return None;
    }
    Some(InvokeGrant {
        sid: st.sid().unwrap_or_default(),
        has_source_arn,
        has_source_account,
    })
}

/// An AWS service that invokes a function on a route Bucketwire draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invoker {
    /// EventBridge, for a rule (docs/rules.md §14).
    Events,
    /// SNS, for a topic the function is subscribed to (§15).
    Sns,
}

impl Invoker {
    /// The service principal (`events.amazonaws.com`).
    pub fn principal(self) -> &'static str {
        match self {
            Self::Events => "events.amazonaws.com",
            Self::Sns => "sns.amazonaws.com",
        }
    }
}

/// Whether `statement` lets `invoker` invoke `target` (the qualified
/// function ARN) on behalf of `source_arn` (the rule or topic): it allows
/// `lambda:InvokeFunction` on the target to the service (or anyone), and
/// its `aws:SourceArn` condition, when it has one, matches the source.
/// Read as [`grants_s3_invoke`] reads a statement for S3.
pub fn grants_service_invoke(
    statement: &PolicyStatement,
    invoker: Invoker,
    target: &str,
    source_arn: &str,
) -> bool {
    statement.view().is_some_and(|st| {
        let principal = match invoker {
            Invoker::Events => st.principal_is_events(),
            Invoker::Sns => st.principal_is_sns(),
        };
        st.allow()
            && principal
            && st.applies_to("lambda:InvokeFunction", target)
            && st
                .source_arns()
                .is_none_or(|mut p| p.any(|p| wildcard_match(p, source_arn)))
    })
}

/// `pattern` (an `aws:SourceArn` condition's) against
/// `arn:aws:s3:::BUCKET`, without building the ARN when the pattern spells
/// the prefix out.
pub fn wildcard_bucket_arn(pattern: &str, bucket: &str) -> bool {
    match pattern.strip_prefix("arn:aws:s3:::") {
        Some(rest) => wildcard_match(rest, bucket),
        None => wildcard_match(pattern, &bucket_arn(bucket)),
    }
}

/// The size Lambda counts for a policy holding these statements.
pub fn policy_size(statements: &[&PolicyStatement]) -> usize {
    // {"Version":"2012-10-17","Id":"default","Statement":[A,B]}
    let frame = r#"{"Version":"2012-10-17","Id":"default","Statement":[]}"#.len();
    let commas = statements.len().saturating_sub(1);
    frame + commas + statements.iter().map(|s| s.as_str().len()).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FN: &str = "arn:aws:lambda:us-east-1:123456789012:function:thumbs";

    #[test]
    fn region_and_account_come_from_a_function_arn_only() {
        assert_eq!(arn_region(FN), Some("us-east-1"));
        assert_eq!(arn_account(FN), Some("123456789012"));
        assert_eq!(arn_account(&format!("{FN}:live")), Some("123456789012"));
        assert_eq!(arn_account("arn:aws:sqs:us-east-1:123456789012:q"), None);
        assert_eq!(arn_account("arn:aws:lambda:us-east-1::function:x"), None);
        assert_eq!(arn_account("thumbs"), None);
    }

    #[test]
    fn our_statement_grants_exactly_its_bucket() {
        let st = invoke_statement(FN, "photos", Some("123456789012"), "bucketwire-photos-t").into();
        let grant = grants_s3_invoke(&st, FN, "photos", Some("123456789012")).expect("grants");
        assert!(grant.has_source_arn && grant.has_source_account);
        assert_eq!(
            grants_s3_invoke(&st, FN, "other", Some("123456789012")),
            None
        );
        assert_eq!(
            grants_s3_invoke(&st, FN, "photos", Some("999999999999")),
            None
        );
        // §6: a permission on the function does not cover an alias.
        assert_eq!(
            grants_s3_invoke(&st, &format!("{FN}:prod"), "photos", None),
            None
        );
    }

    #[test]
    fn a_sam_style_statement_is_broad() {
        // aws/serverless-application-model#2405: only SourceAccount.
        let st = serde_json::json!({"Sid": "s", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "lambda:InvokeFunction", "Resource": FN,
            "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"}}})
        .into();
        let grant = grants_s3_invoke(&st, FN, "anything", Some("123456789012")).expect("grants");
        assert!(!grant.has_source_arn && grant.has_source_account);
    }

    #[test]
    fn statement_ids_are_valid_and_bounded() {
        assert_eq!(
            statement_id("my.photos", "thumbs 1"),
            "bucketwire-my-photos-thumbs-1"
        );
        let long = statement_id(&"b".repeat(63), &"c".repeat(200));
        assert_eq!(long.len(), 100);
        assert_ne!(
            long,
            statement_id(&"b".repeat(63), &format!("{}d", "c".repeat(199)))
        );
    }

    #[test]
    fn only_an_events_grant_for_this_rule_or_any_rule_counts() {
        const RULE: &str = "arn:aws:events:us-east-1:123456789012:rule/images";
        let grant = |principal: Value, condition: Option<Value>| {
            let mut st = json!({"Effect": "Allow", "Principal": {"Service": principal},
                "Action": "lambda:InvokeFunction", "Resource": FN});
            if let Some(c) = condition {
                st["Condition"] = c;
            }
            grants_service_invoke(&PolicyStatement::from(st), Invoker::Events, FN, RULE)
        };
        assert!(grant(
            json!("events.amazonaws.com"),
            Some(json!({"ArnLike": {"AWS:SourceArn": RULE}}))
        ));
        assert!(grant(
            json!(["events.amazonaws.com"]),
            Some(json!({"ArnEquals": {"aws:SourceArn": RULE}}))
        ));
        assert!(
            grant(json!("events.amazonaws.com"), None),
            "no condition: any rule may invoke"
        );
        // ArnLike's wildcards, as IAM reads them.
        assert!(grant(
            json!("events.amazonaws.com"),
            Some(
                json!({"ArnLike": {"AWS:SourceArn": "arn:aws:events:us-east-1:123456789012:rule/*"}})
            )
        ));
        assert!(!grant(
            json!("events.amazonaws.com"),
            Some(
                json!({"ArnLike": {"AWS:SourceArn": "arn:aws:events:us-east-1:123456789012:rule/other"}})
            )
        ));
        assert!(!grant(
            json!("s3.amazonaws.com"),
            Some(json!({"ArnLike": {"AWS:SourceArn": RULE}}))
        ));
        let denied = json!({"Effect": "Deny", "Principal": {"Service": "events.amazonaws.com"},
            "Action": "lambda:InvokeFunction", "Resource": "x"});
        assert!(!grants_service_invoke(
            &PolicyStatement::from(denied),
            Invoker::Events,
            FN,
            RULE
        ));
        // Another function's statement grants nothing here.
        let other = json!({"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
            "Action": "lambda:InvokeFunction", "Resource": format!("{FN}-other")});
        assert!(!grants_service_invoke(
            &PolicyStatement::from(other),
            Invoker::Events,
            FN,
            RULE
        ));
    }
}

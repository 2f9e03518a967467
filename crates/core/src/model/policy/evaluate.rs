//! A small IAM policy evaluator: enough to answer "may this role do ACTION
//! on RESOURCE?" from identity policies, and to read resource-policy
//! statements (docs/rules.md §6, §7, §8).
//!
//! Supported: `Effect` Allow/Deny (an explicit Deny wins), `Action` and
//! `NotAction` (case-insensitive, `*` and `?` wildcards), `Resource` and
//! `NotResource` (case-sensitive, wildcards), single values or arrays.
//! Not evaluated: `Condition` blocks. A statement with a condition counts as
//! if its condition held, and the result says conditions were skipped so a
//! finding can say so. Policy variables (`${aws:username}`) are compared as
//! written.

use crate::model::policy::compact::PolicyDocument;
use serde_json::Value;

/// The outcome of evaluating policies for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// What IAM would decide.
    pub decision: Decision,
    /// True when a statement that decided the outcome had a `Condition`
    /// that was not evaluated.
    pub conditions_skipped: bool,
}

/// IAM's decision for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// At least one statement allows and none denies.
    Allowed,
    /// A statement denies explicitly.
    Denied,
    /// No statement allows (implicit deny).
    NotAllowed,
}

impl Evaluation {
    /// Whether the request is allowed.
    pub fn allowed(&self) -> bool {
        self.decision == Decision::Allowed
    }
}

/// Strings from a JSON value that may be one string or an array of them.
pub fn string_or_list(value: Option<&Value>) -> Vec<String> {
    strs(value).into_iter().map(str::to_string).collect()
}

/// Like [`string_or_list`], borrowing.
pub fn strs(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The raw statements of a policy document (`Statement` may be one object
/// or a list).
pub fn statements_raw(document: &Value) -> &[Value] {
    match document.get("Statement") {
        Some(Value::Array(items)) => items,
        Some(one @ Value::Object(_)) => std::slice::from_ref(one),
        _ => &[],
    }
}

/// Evaluates identity policies for one action on one resource.
pub fn evaluate<'a>(
    documents: impl IntoIterator<Item = &'a PolicyDocument>,
    action: &str,
    resource: &str,
) -> Evaluation {
    let mut allowed = false;
    let mut allow_conditional = true;
    let mut deny: Option<bool> = None;
    for doc in documents {
        for st in doc.statements() {
            if !st.applies_to(action, resource) {
                continue;
            }
            if st.allow() {
                // An unconditional allow settles it; remember if only
                // conditional ones allowed.
                allow_conditional &= st.has_condition();
                allowed = true;
            } else {
                let conditional = st.has_condition();
                deny = Some(deny.map_or(conditional, |c| c && conditional));
            }
        }
    }
    match (deny, allowed) {
        (Some(conditional), _) => Evaluation {
            decision: Decision::Denied,
            conditions_skipped: conditional,
        },
        (None, true) => Evaluation {
            decision: Decision::Allowed,
            conditions_skipped: allow_conditional,
        },
        (None, false) => Evaluation {
            decision: Decision::NotAllowed,
            conditions_skipped: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policy::wildcard::{wildcard_match, wildcard_match_with};
    use serde_json::json;

    fn check(policy: Value, action: &str, resource: &str, expected: Decision) {
        let policy = PolicyDocument::from(policy);
        assert_eq!(evaluate([&policy], action, resource).decision, expected);
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match(
            "arn:aws:s3:::photos/*",
            "arn:aws:s3:::photos/a/b.jpg"
        ));
        assert!(wildcard_match("s3:Get*", "s3:GetObject"));
        assert!(wildcard_match(
            "arn:aws:s3:::photo?/*",
            "arn:aws:s3:::photos/x"
        ));
        assert!(!wildcard_match(
            "arn:aws:s3:::photos/*",
            "arn:aws:s3:::photos"
        ));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("a*b", "acbd"));
        assert!(wildcard_match("arn:aws:s3:::café/?", "arn:aws:s3:::café/é"));
        assert!(wildcard_match_with("S3:GET*", "s3:getobject", true));
        assert!(!wildcard_match("S3:GET*", "s3:getobject"));
    }

    #[test]
    fn allow_deny_and_implicit_deny() {
        let read = json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/*"}]});
        check(
            read.clone(),
            "s3:GetObject",
            "arn:aws:s3:::photos/a.jpg",
            Decision::Allowed,
        );
        check(
            read.clone(),
            "s3:getobject",
            "arn:aws:s3:::photos/a.jpg",
            Decision::Allowed,
        );
        check(
            read.clone(),
            "s3:GetObject",
            "arn:aws:s3:::Photos/a.jpg",
            Decision::NotAllowed,
        );
        check(
            read,
            "s3:PutObject",
            "arn:aws:s3:::photos/a.jpg",
            Decision::NotAllowed,
        );
        let with_deny = json!({"Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::photos/private/*"]}
        ]});
        check(
            with_deny.clone(),
            "s3:GetObject",
            "arn:aws:s3:::photos/private/x",
            Decision::Denied,
        );
        check(
            with_deny,
            "s3:GetObject",
            "arn:aws:s3:::photos/public/x",
            Decision::Allowed,
        );
    }

    #[test]
    fn not_action_and_not_resource() {
        let p = json!({"Statement": {"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}});
        check(
            p.clone(),
            "s3:GetObject",
            "arn:aws:s3:::photos/a",
            Decision::Allowed,
        );
        check(
            p.clone(),
            "iam:PassRole",
            "arn:aws:s3:::photos/a",
            Decision::NotAllowed,
        );
        check(
            p,
            "s3:GetObject",
            "arn:aws:s3:::secret/a",
            Decision::NotAllowed,
        );
    }

    #[test]
    fn conditions_are_reported_not_evaluated() {
        let p = json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}}]});
        let e = evaluate(
            [&PolicyDocument::from(p)],
            "s3:GetObject",
            "arn:aws:s3:::b/k",
        );
        assert_eq!(
            e,
            Evaluation {
                decision: Decision::Allowed,
                conditions_skipped: true
            }
        );
    }

    #[test]
    fn malformed_statements_are_skipped() {
        let p = json!({"Statement": [{"Action": "s3:*", "Resource": "*"}, 5, {"Effect": "Maybe"}]});
        check(p, "s3:GetObject", "arn:aws:s3:::b/k", Decision::NotAllowed);
    }
}

//! Whether a KMS key lets a caller use it (docs/rules.md §18), the key
//! policy and the caller's identity policies together, as KMS evaluates
//! them:
//! - an explicit `Deny` in the key policy or in the identity policies wins;
//! - a key policy statement naming the caller (its role ARN, `*`, or the
//!   service such as `s3.amazonaws.com`) lets it in by itself (a role of
//!   another account needs its identity policies to allow it too);
//! - a statement naming the caller's *account* (`arn:aws:iam::ACCOUNT:root`
//!   or `ACCOUNT`: the default key policy's "Enable IAM User Permissions")
//!   hands the decision to IAM: the role is let in only when its identity
//!   policies allow the action on the key. Without such a statement the
//!   role's own `kms:Decrypt` does nothing;
//! - a grant to the caller for the operation lets it in.
//!
//! `Condition` blocks are not evaluated: a statement with one counts as if
//! it held, and the answer says so (`conditions_skipped`), as
//! [`evaluate`](crate::model::policy::evaluate) does.

use crate::model::document::KeyGrant;
use crate::model::policy::evaluate::{strs, Decision, Evaluation};
use crate::model::policy::wildcard::{action_matches, wildcard_match};
use serde_json::Value;

/// Who asks to use the key.
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    /// A role, with what its identity policies say about the action on the
    /// key.
    Role {
        /// The role ARN (`arn:aws:iam::ACCOUNT:role/NAME`).
        arn: &'a str,
        /// Its identity policies, evaluated for the action on the key.
        identity: &'a Evaluation,
    },
    /// An AWS service principal (`s3.amazonaws.com`).
    Service(&'a str),
}

/// Why a key does not let the caller in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A `Deny` statement of the key policy names the caller.
    DeniedByKeyPolicy,
    /// The role's identity policies deny the action explicitly.
    DeniedByIdentity,
    /// The key policy hands the decision to IAM, but the role's identity
    /// policies do not allow the action on the key.
    IdentityDoesNotAllow,
    /// The role's identity policies allow the action, but the key policy
    /// neither names the role nor enables IAM policies for its account, so
    /// they do nothing.
    KeyPolicyIgnoresIam,
    /// Neither the key policy nor the caller's policies let it in.
    NotAllowed,
}

/// The answer for one caller and action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyAccess {
    /// `None` when the caller is let in, else why not.
    pub refusal: Option<Refusal>,
    /// Whether a statement that decided had a `Condition` not evaluated.
    pub conditions_skipped: bool,
}

impl KeyAccess {
    /// Whether the caller may use the key for the action.
    pub fn allowed(&self) -> bool {
        self.refusal.is_none()
    }
}

/// What a statement's `Principal` names, as far as KMS asks.
#[derive(Debug, Default)]
struct Named {
    anyone: bool,
    accounts: Vec<String>,
    arns: Vec<String>,
    services: Vec<String>,
}

fn principals(statement: &Value) -> Named {
    let mut named = Named::default();
    match statement.get("Principal") {
        Some(Value::String(s)) if s == "*" => named.anyone = true,
        Some(Value::Object(map)) => {
            for aws in strs(map.get("AWS")) {
                if aws == "*" {
                    named.anyone = true;
                } else if let Some(account) = account_root(aws) {
                    named.accounts.push(account.to_string());
                } else {
                    named.arns.push(aws.to_string());
                }
            }
            named.services = strs(map.get("Service"))
                .into_iter()
                .map(str::to_string)
                .collect();
        }
        _ => {}
    }
    named
}

/// `ACCOUNT` of `arn:aws:iam::ACCOUNT:root`, or a bare 12-digit account id.
fn account_root(principal: &str) -> Option<&str> {
    if principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()) {
        return Some(principal);
    }
    let rest = principal.strip_prefix("arn:")?;
    let (_partition, rest) = rest.split_once(':')?;
    let account = rest.strip_prefix("iam::")?.strip_suffix(":root")?;
    Some(account)
}

/// The account of an IAM ARN (`arn:aws:iam::ACCOUNT:role/NAME`).
pub fn iam_account(arn: &str) -> Option<&str> {
    match arn.splitn(6, ':').collect::<Vec<_>>().as_slice() {
        ["arn", _, "iam" | "sts", "", account, _] if !account.is_empty() => Some(account),
        _ => None,
    }
}

fn is_about(statement: &Value, action: &str, key_arn: &str) -> bool {
    let actions = match (statement.get("Action"), statement.get("NotAction")) {
        (Some(a), _) => strs(Some(a)).iter().any(|p| action_matches(p, action)),
        (None, Some(not)) => !strs(Some(not)).iter().any(|p| action_matches(p, action)),
        (None, None) => false,
    };
    let resources = match (statement.get("Resource"), statement.get("NotResource")) {
        (Some(r), _) => strs(Some(r)).iter().any(|p| wildcard_match(p, key_arn)),
        (None, Some(not)) => !strs(Some(not)).iter().any(|p| wildcard_match(p, key_arn)),
        // A key policy's statements are about the key they are on.
        (None, None) => true,
    };
    actions && resources
}

/// The KMS operation a grant names for an action (`kms:Decrypt` →
/// `Decrypt`).
fn grant_allows(grant: &KeyGrant, action: &str) -> bool {
    let operation = action.strip_prefix("kms:").unwrap_or(action);
    grant
        .operations
        .iter()
        .any(|o| o.eq_ignore_ascii_case(operation))
}

/// Whether `policy` (the key policy, as JSON) and `grants` let `caller` do
/// `action` (`kms:Decrypt`, `kms:GenerateDataKey`) with the key `key_arn`
/// (`arn:aws:kms:REGION:ACCOUNT:key/ID`).
pub fn key_allows(
    policy: &Value,
    grants: &[KeyGrant],
    key_arn: &str,
    caller: Caller<'_>,
    action: &str,
) -> KeyAccess {
    let key_account = key_arn.split(':').nth(4).unwrap_or_default();
    let (caller_arn, caller_account) = match caller {
        Caller::Role { arn, .. } => (arn, iam_account(arn).unwrap_or_default()),
        Caller::Service(service) => (service, ""),
    };
    let mut denied = false;
    let mut direct = false;
    let mut via_iam = false;
    let mut conditions_skipped = false;
    for statement in crate::model::policy::evaluate::statements_raw(policy) {
        if !is_about(statement, action, key_arn) {
            continue;
        }
        let named = principals(statement);
        let names_caller = named.anyone
            || match caller {
                Caller::Role { arn, .. } => named.arns.iter().any(|a| a == arn),
                Caller::Service(service) => named.services.iter().any(|s| s == service),
            };
        let names_account = matches!(caller, Caller::Role { .. })
            && named.accounts.iter().any(|a| a == caller_account);
        if !names_caller && !names_account {
            continue;
        }
        let conditional = statement.get("Condition").is_some();
        match statement.get("Effect").and_then(Value::as_str) {
            Some("Deny") => {
                denied = true;
                conditions_skipped |= conditional;
            }
            Some("Allow") => {
                conditions_skipped |= conditional;
                if names_caller {
                    direct = true;
                } else {
                    via_iam = true;
                }
            }
            _ => {}
        }
    }
    let granted = grants
        .iter()
        .any(|g| g.grantee == caller_arn && grant_allows(g, action));
    let refusal = match caller {
        _ if denied => Some(Refusal::DeniedByKeyPolicy),
        Caller::Role { identity, .. } if identity.decision == Decision::Denied => {
            Some(Refusal::DeniedByIdentity)
        }
        _ if granted => None,
        Caller::Role { identity, .. } => {
            let same_account = caller_account == key_account;
            match (direct, via_iam, identity.allowed()) {
                // The key names the role: enough in its own account; another
                // account's role needs its identity policies as well.
                (true, _, _) if same_account => None,
                (true, _, true) | (false, true, true) => None,
                (true, _, false) | (false, true, false) => Some(Refusal::IdentityDoesNotAllow),
                (false, false, true) => Some(Refusal::KeyPolicyIgnoresIam),
                (false, false, false) => Some(Refusal::NotAllowed),
            }
        }
        Caller::Service(_) if direct => None,
        Caller::Service(_) => Some(Refusal::NotAllowed),
    };
    KeyAccess {
        refusal,
        conditions_skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEY: &str = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const ROLE: &str = "arn:aws:iam::111122223333:role/thumbs";

    fn enable_iam() -> Value {
        json!({"Sid": "Enable IAM User Permissions", "Effect": "Allow",
               "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
               "Action": "kms:*", "Resource": "*"})
    }

    fn policy(statements: Vec<Value>) -> Value {
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    fn identity(decision: Decision) -> Evaluation {
        Evaluation {
            decision,
            conditions_skipped: false,
        }
    }

    fn role(policy: &Value, decision: Decision) -> KeyAccess {
        let identity = identity(decision);
        key_allows(
            policy,
            &[],
            KEY,
            Caller::Role {
                arn: ROLE,
                identity: &identity,
            },
            "kms:Decrypt",
        )
    }

    #[test]
    fn the_default_key_policy_hands_the_decision_to_the_roles_own_policies() {
        let p = policy(vec![enable_iam()]);
        assert!(role(&p, Decision::Allowed).allowed());
        assert_eq!(
            role(&p, Decision::NotAllowed).refusal,
            Some(Refusal::IdentityDoesNotAllow)
        );
    }

    #[test]
    fn without_the_root_statement_the_roles_own_decrypt_does_nothing() {
        let admin_only = json!({"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/admin"},
            "Action": "kms:*", "Resource": "*"});
        let p = policy(vec![admin_only]);
        assert_eq!(
            role(&p, Decision::Allowed).refusal,
            Some(Refusal::KeyPolicyIgnoresIam)
        );
        assert_eq!(
            role(&p, Decision::NotAllowed).refusal,
            Some(Refusal::NotAllowed)
        );
    }

    #[test]
    fn a_key_policy_naming_the_role_is_enough_in_its_own_account() {
        let p = policy(vec![json!({"Effect": "Allow", "Principal": {"AWS": ROLE},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"})]);
        assert!(role(&p, Decision::NotAllowed).allowed());
        // Not for another action.
        let identity = identity(Decision::NotAllowed);
        let encrypt = key_allows(
            &p,
            &[],
            KEY,
            Caller::Role {
                arn: ROLE,
                identity: &identity,
            },
            "kms:Encrypt",
        );
        assert!(!encrypt.allowed());
    }

    #[test]
    fn another_accounts_role_needs_both_the_key_policy_and_its_own_policies() {
        let other = "arn:aws:iam::444455556666:role/reader";
        let p = policy(vec![
            enable_iam(),
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                   "Action": "kms:Decrypt", "Resource": "*"}),
        ]);
        let allows = identity(Decision::Allowed);
        let silent = identity(Decision::NotAllowed);
        let ask = |identity: &Evaluation| {
            key_allows(
                &p,
                &[],
                KEY,
                Caller::Role {
                    arn: other,
                    identity,
                },
                "kms:Decrypt",
            )
        };
        assert!(ask(&allows).allowed());
        assert_eq!(ask(&silent).refusal, Some(Refusal::IdentityDoesNotAllow));
    }

    #[test]
    fn an_explicit_deny_wins_over_every_allow() {
        let p = policy(vec![
            enable_iam(),
            json!({"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
                   "Condition": {"StringNotEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}}),
        ]);
        let access = role(&p, Decision::Allowed);
        assert_eq!(access.refusal, Some(Refusal::DeniedByKeyPolicy));
        assert!(access.conditions_skipped);
        let p = policy(vec![enable_iam()]);
        assert_eq!(
            role(&p, Decision::Denied).refusal,
            Some(Refusal::DeniedByIdentity)
        );
    }

    #[test]
    fn a_grant_lets_the_role_in_for_its_operations() {
        let p = policy(vec![]);
        let grants = [KeyGrant {
            grantee: ROLE.into(),
            operations: vec!["Decrypt".into()],
        }];
        let identity = identity(Decision::NotAllowed);
        let ask = |action| {
            key_allows(
                &p,
                &grants,
                KEY,
                Caller::Role {
                    arn: ROLE,
                    identity: &identity,
                },
                action,
            )
        };
        assert!(ask("kms:Decrypt").allowed());
        assert!(!ask("kms:GenerateDataKey").allowed());
    }

    #[test]
    fn s3_is_let_in_only_by_a_statement_naming_it() {
        let p = policy(vec![enable_iam()]);
        let s3 = |p: &Value, action| {
            key_allows(p, &[], KEY, Caller::Service("s3.amazonaws.com"), action)
        };
        assert!(
            !s3(&p, "kms:GenerateDataKey").allowed(),
            "the root statement is for IAM principals"
        );
        let p = policy(vec![
            enable_iam(),
            json!({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                   "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*",
                   "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}),
        ]);
        let access = s3(&p, "kms:GenerateDataKey");
        assert!(access.allowed());
        assert!(
            access.conditions_skipped,
            "the SourceAccount condition is said, not evaluated"
        );
    }

    #[test]
    fn reads_an_account_root_in_either_spelling() {
        assert_eq!(
            account_root("arn:aws:iam::111122223333:root"),
            Some("111122223333")
        );
        assert_eq!(account_root("111122223333"), Some("111122223333"));
        assert_eq!(account_root("arn:aws:iam::111122223333:role/x"), None);
        assert_eq!(iam_account(ROLE), Some("111122223333"));
        assert_eq!(iam_account("not-an-arn"), None);
    }
}

//! IAM policies as the checks read them: wildcard matching, the compact
//! form the live facts hold, a small evaluator, and KMS's key policies
//! evaluated with a role's own. `wildcard` ← `compact` ← `evaluate` ←
//! `key_policy`: each uses only the ones before it.

pub mod compact;
pub mod evaluate;
pub mod key_policy;
pub mod wildcard;

//! IAM policies as the checks read them: wildcard matching, the compact
//! form the live facts hold, and a small evaluator. `wildcard` ← `compact`
//! ← `evaluate`: each uses only the ones before it.

pub mod compact;
pub mod evaluate;
pub mod wildcard;

//! Findings: what validation reports. Data, not failures.

use crate::document::NodeId;
use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing will fail.
    Info,
    /// Works, but is risky or will surprise at run time.
    Warning,
    /// AWS will reject it, or it cannot work.
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One thing validation found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable rule name (`overlapping-configurations`).
    pub rule: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// Plain-language explanation naming both sides of a conflict.
    pub message: String,
    /// Bucket names, configuration ids and ARNs the finding is about.
    pub subjects: Vec<String>,
    /// Canvas nodes to highlight.
    pub nodes: Vec<NodeId>,
    /// Where the rule comes from (`AWS-RULES.md §1`).
    pub source: &'static str,
    /// A mechanical fix, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// A change that resolves a finding, applied by the user with one click.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Fix {
    /// Add this statement to the function's resource policy.
    #[serde(rename_all = "camelCase")]
    AddPermission {
        /// The (qualified) function ARN the statement belongs to.
        function_arn: String,
        /// The statement, as `aws lambda add-permission` would create it.
        statement: serde_json::Value,
    },
    /// Replace a too-broad statement by a scoped one.
    #[serde(rename_all = "camelCase")]
    ScopePermission {
        /// The (qualified) function ARN.
        function_arn: String,
        /// The `Sid` of the statement to remove.
        remove_sid: String,
        /// The statement to add instead.
        statement: serde_json::Value,
    },
    /// Add a policy to the execution role.
    #[serde(rename_all = "camelCase")]
    AddRolePolicy {
        /// The role ARN.
        role_arn: String,
        /// The policy document to add as an inline policy.
        policy: serde_json::Value,
    },
    /// Set a filter's key rules.
    #[serde(rename_all = "camelCase")]
    SetKeyFilter {
        /// The filter node.
        filter: NodeId,
        /// The new prefix (absent: none).
        prefix: Option<String>,
        /// The new suffix (absent: none).
        suffix: Option<String>,
    },
    /// Set a filter's event types.
    #[serde(rename_all = "camelCase")]
    SetEvents {
        /// The filter node.
        filter: NodeId,
        /// The new event types.
        events: Vec<String>,
    },
}

impl Fix {
    /// The document edits that make this fix, for fixes that change the
    /// document (a filter's key rules or events); `None` for fixes made in
    /// the account (permissions, role policies: Apply makes those) or when
    /// the filter no longer exists.
    pub fn document_edits(&self, wiring: &crate::graph::Wiring) -> Option<Vec<crate::graph::Edit>> {
        use crate::graph::{Edit, Node};
        let filter = match self {
            Fix::SetKeyFilter { filter, .. } | Fix::SetEvents { filter, .. } => filter,
            _ => return None,
        };
        let Some(Node::Filter(current)) = wiring.node(filter) else {
            return None;
        };
        let mut updated = current.clone();
        match self {
            Fix::SetKeyFilter { prefix, suffix, .. } => {
                updated.prefix.clone_from(prefix);
                updated.suffix.clone_from(suffix);
            }
            Fix::SetEvents { events, .. } => updated.events.clone_from(events),
            _ => return None,
        }
        Some(vec![Edit::Update(Node::Filter(updated))])
    }

    /// The fix in one plain sentence, for text output.
    pub fn summary(&self) -> String {
        match self {
            Fix::AddPermission {
                function_arn,
                statement,
            } => format!(
                "add statement {} to the resource policy of {function_arn} (S3 may invoke it for {} only)",
                statement["Sid"].as_str().unwrap_or("?"),
                statement["Condition"]["ArnLike"]["AWS:SourceArn"]
                    .as_str()
                    .unwrap_or("this bucket")
            ),
            Fix::ScopePermission {
                function_arn,
                remove_sid,
                statement,
            } => format!(
                "replace statement \"{remove_sid}\" on {function_arn} by {}, scoped to one bucket and account",
                statement["Sid"].as_str().unwrap_or("?")
            ),
            Fix::AddRolePolicy { role_arn, policy } => format!(
                "add an inline policy to {role_arn} allowing s3:GetObject on {}",
                policy["Statement"][0]["Resource"].as_str().unwrap_or("the objects")
            ),
            Fix::SetKeyFilter {
                filter,
                prefix,
                suffix,
            } => format!(
                "set filter {filter} to prefix \"{}\" and suffix \"{}\"",
                prefix.as_deref().unwrap_or(""),
                suffix.as_deref().unwrap_or("")
            ),
            Fix::SetEvents { filter, events } => {
                format!("set the events of filter {filter} to {}", events.join(", "))
            }
        }
    }
}

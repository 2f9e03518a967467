//! Findings: what validation reports. Data, not failures.

use crate::model::document::NodeId;
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
    /// Where the rule comes from (`docs/rules.md §1`).
    pub source: &'static str,
    /// A mechanical fix, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// A change that resolves a finding, applied by the user with one click.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Fix {
    /// Changes Apply makes in the account: exactly the planner's own
    /// changes for what the finding reports (one source, so a finding never
    /// promises what the plan does not do).
    #[serde(rename_all = "camelCase")]
    Apply {
        /// The plan's changes.
        changes: crate::desired::change::Changes,
    },
    /// A too-broad statement only its owner removes (Bucketwire removes
    /// only statements it created); once it is gone, Apply adds `then`.
    #[serde(rename_all = "camelCase")]
    RemoveByHand {
        /// The (qualified) function ARN the statement is on.
        function_arn: String,
        /// The statement's `Sid`.
        statement_id: String,
        /// What the plan adds once the statement is gone.
        then: Box<crate::desired::change::Change>,
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
    /// Turn a bucket's EventBridge switch on (docs/rules.md §14).
    #[serde(rename_all = "camelCase")]
    TurnOnEventBridge {
        /// The bucket node.
        bucket: NodeId,
    },
    /// Move overlapping configurations to EventBridge (docs/rules.md §1,
    /// §14): each filter becomes a rule on its bucket's region's default
    /// bus with the same events and key filter, drawn from the bucket to
    /// the same function, and the bucket's switch is turned on. Every
    /// matching rule fires, so there the overlap is allowed.
    #[serde(rename_all = "camelCase")]
    MoveToEventBridge {
        /// The filter nodes moved.
        filters: Vec<NodeId>,
    },
    /// Take a function the account does not have out of the document: the
    /// filters that invoke it directly are removed (S3 can then write their
    /// buckets), and so are its cards (with them, a topic's subscription or
    /// a queue's poller that points at it).
    #[serde(rename_all = "camelCase")]
    RemoveMissingFunction {
        /// The function's cards.
        functions: Vec<NodeId>,
        /// The filters wired straight to one of them.
        filters: Vec<NodeId>,
    },
}

impl Fix {
    /// The document edits that make this fix, for fixes that change the
    /// document (a filter's key rules or events); `None` for fixes made in
    /// the account (permissions, role policies: Apply makes those) or when
    /// the filter no longer exists.
    pub fn document_edits(
        &self,
        wiring: &crate::model::graph::Wiring,
    ) -> Option<Vec<crate::model::graph::Edit>> {
        use crate::model::graph::{Edit, Node};
        if let Fix::MoveToEventBridge { filters } = self {
            return move_to_eventbridge(wiring, filters);
        }
        if let Fix::RemoveMissingFunction { functions, filters } = self {
            let edits: Vec<Edit> = filters
                .iter()
                .chain(functions)
                .filter(|id| wiring.node(id).is_some())
                .map(|id| Edit::Remove(id.clone()))
                .collect();
            return (!edits.is_empty()).then_some(edits);
        }
        if let Fix::TurnOnEventBridge { bucket } = self {
            let Some(Node::Bucket(current)) = wiring.node(bucket) else {
                return None;
            };
            let mut updated = current.clone();
            updated.event_bridge = true;
            return Some(vec![Edit::Update(Node::Bucket(updated))]);
        }
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

    /// The fix in one plain sentence, for text output and the findings
    /// panel. An account-side fix quotes the plan's own lines.
    pub fn summary(&self) -> String {
        match self {
            Fix::Apply { changes } => format!("Apply will make: {}", describe_changes(changes)),
            Fix::RemoveByHand {
                function_arn,
                statement_id,
                then,
            } => format!(
                "remove statement \"{statement_id}\" from {function_arn} yourself (Bucketwire removes only statements it created): aws lambda remove-permission --function-name {function_arn} --statement-id {statement_id}; then Apply will make: {}",
                describe_changes(std::slice::from_ref(&**then))
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
            Fix::TurnOnEventBridge { bucket } => {
                format!("turn the EventBridge switch of bucket {bucket} on")
            }
            Fix::RemoveMissingFunction { functions, filters } => {
                let cards = match functions.as_slice() {
                    [one] => format!("card {one}"),
                    many => format!("cards {}", join_ids(many)),
                };
                match filters.as_slice() {
                    [] => format!("remove the function's {cards}"),
                    [one] => format!("remove filter {one}, which invokes it, and the function's {cards}"),
                    many => format!(
                        "remove filters {}, which invoke it, and the function's {cards}",
                        join_ids(many)
                    ),
                }
            }
            Fix::MoveToEventBridge { filters } => format!(
                "move filters {} to EventBridge rules with the same events and keys (every matching rule fires), and turn the bucket's EventBridge switch on",
                filters
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        }
    }
}

/// Node ids as "a, b and c".
fn join_ids(ids: &[NodeId]) -> String {
    let names: Vec<String> = ids.iter().map(ToString::to_string).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// The edits of [`Fix::MoveToEventBridge`]: per filter, the filter removed
/// and a rule put in its place, from its bucket to its function, and the
/// bucket's switch on. `None` when a filter is gone, not wired to a bucket
/// and a function, or its events cannot be said as a pattern.
fn move_to_eventbridge(
    wiring: &crate::model::graph::Wiring,
    filters: &[NodeId],
) -> Option<Vec<crate::model::graph::Edit>> {
    use crate::model::graph::{Edit, Node};
    let mut edits = Vec::new();
    let mut switched = Vec::new();
    let mut taken: Vec<String> = wiring.rules().map(|r| r.name.clone()).collect();
    for id in filters {
        let Some(Node::Filter(filter)) = wiring.node(id) else {
            return None;
        };
        let bucket = wiring.bucket_of(id)?;
        let function = wiring.function_of(id)?;
        let pattern = crate::model::eventbridge::pattern_of_filter(
            &filter.events,
            filter.prefix.as_deref(),
            filter.suffix.as_deref(),
        )?;
        if !bucket.event_bridge && !switched.contains(&bucket.id) {
            let mut on = bucket.clone();
            on.event_bridge = true;
            edits.push(Edit::Update(Node::Bucket(on)));
            switched.push(bucket.id.clone());
        }
        let base = crate::model::permission::clean_id(
            &format!("{}-{}", bucket.name, filter.configuration_id),
            60,
        );
        let name = numbered(&base, |n| !taken.iter().any(|t| t == n));
        taken.push(name.clone());
        let rule_id = NodeId::new(numbered(&format!("{id}-rule"), |r| {
            wiring.node(&NodeId::new(r)).is_none()
        }));
        edits.push(Edit::Remove(id.clone()));
        edits.push(Edit::Add(Node::Rule(crate::model::document::Rule {
            id: rule_id.clone(),
            name,
            region: bucket.region.clone(),
            account: bucket.account.clone(),
            pattern,
            enabled: true,
        })));
        if let Some(at) = wiring.layout().get(id) {
            edits.push(Edit::Move {
                id: rule_id.clone(),
                position: *at,
            });
        }
        edits.push(Edit::Connect {
            from: bucket.id.clone(),
            to: rule_id.clone(),
        });
        edits.push(Edit::Connect {
            from: rule_id,
            to: function.id.clone(),
        });
    }
    Some(edits)
}

/// `base` when `free` says so, else `base-2`, `base-3`, ...
fn numbered(base: &str, free: impl Fn(&str) -> bool) -> String {
    std::iter::once(base.to_string())
        .chain((2u32..).map(|n| format!("{base}-{n}")))
        .find(|c| free(c))
        .unwrap_or_else(|| base.to_string())
}

/// How many of a role policy's resources a fix names (the plan names all).
const FIX_RESOURCES: usize = 3;

/// `function thumbs: + permission …; role r: ~ inline policy …`: the plan's
/// text for `changes`, on one line, naming at most [`FIX_RESOURCES`] of a
/// role policy's resources.
fn describe_changes(changes: &[crate::desired::change::Change]) -> String {
    changes
        .iter()
        .map(|c| {
            let (title, lines) = c.describe_brief(FIX_RESOURCES);
            format!("{title}: {}", lines.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

//! The plan's part for SQS queues (docs/rules.md §16): for each queue of
//! the document, as [`crate::desired::queues`] gives it, the consume policy
//! of its function's role, the queue itself (created when missing; its
//! policy letting S3 send for its buckets; its visibility timeout,
//! dead-letter queue and key as the document sets them), then the event
//! source mapping Lambda polls it with; a dead-letter queue it names is
//! made when missing. The document is the truth for a
//! queue's Lambda mappings, as it is for a bucket's Lambda entries: a
//! mapping to a function the document does not draw is deleted. Statements
//! of the queue's policy Bucketwire did not write are kept. Queues the
//! document does not have are never touched.

use crate::desired::change::Change;
use crate::desired::queues::{consume_policy_change, queue_change};
use crate::desired::queues::{
    role_consume_resources, with_defaults, DesiredQueue, CONSUME_POLICY_NAME,
};
use crate::live::LiveState;
use crate::model::document::{LiveMapping, LiveQueue, LiveRole};
use rustc_hash::FxHashMap;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What the plan does for the document's queues, by place in the safe
/// order.
#[derive(Default)]
pub(crate) struct QueueChanges {
    /// The consume policies of the functions' roles (with the role
    /// policies, first: Lambda checks the role when a mapping is made).
    pub roles: Vec<Change>,
    /// The queues (before the buckets send to them), then their mappings.
    pub queues: Vec<Change>,
    /// Mappings the document dropped (with the other removals).
    pub removals: Vec<Change>,
}

/// Plans the document's queues against `live`: those with a bucket this
/// plan writes (`planned`) sending to them. With `every_role` (a plan of
/// the whole document), the consume policy of a role among `roles` that
/// no longer polls any of the document's queues is deleted.
pub(crate) fn queue_changes(
    queues: &[DesiredQueue<'_>],
    live: &LiveState,
    planned: &dyn Fn(&str) -> bool,
    every_role: Option<&BTreeSet<&str>>,
) -> QueueChanges {
    let mut out = QueueChanges::default();
    let live_queues: FxHashMap<&str, &LiveQueue> =
        live.queues.iter().map(|q| (q.arn.as_str(), q)).collect();
    let roles: FxHashMap<&str, &LiveRole> =
        live.roles.iter().map(|r| (r.arn.as_str(), r)).collect();
    let written: Vec<DesiredQueue<'_>> = queues
        .iter()
        .filter(|q| q.buckets.iter().any(|b| planned(b)))
        .cloned()
        .collect();
    for (role, arns) in role_consume_resources(&written) {
        out.roles
            .extend(consume_policy_change(role, &arns, roles.get(role).copied()));
    }
    // A role that polls none of the document's queues any more loses its
    // consume policy, after the mappings are gone (with the removals).
    let mut unused = Vec::new();
    if let Some(document_roles) = every_role {
        let polling: BTreeSet<&str> = role_consume_resources(queues)
            .into_iter()
            .map(|(role, _)| role)
            .collect();
        for role in document_roles.iter().filter(|r| !polling.contains(*r)) {
            let ours = roles
                .get(role)
                .and_then(|r| r.policies.iter().find(|p| p.name == CONSUME_POLICY_NAME));
            if let Some(policy) = ours {
                unused.push(Change::DeleteRolePolicy {
                    role_arn: role.to_string(),
                    policy_name: CONSUME_POLICY_NAME.into(),
                    previous: policy.document.to_value(),
                });
            }
        }
    }
    for desired in &written {
        // A dead-letter queue the document names is made when missing,
        // before the queue that names it (SQS refuses a redrive policy to
        // a queue that does not exist).
        if let Some(dlq) = &desired.queue.dead_letter {
            let made = out
                .queues
                .iter()
                .any(|c| matches!(c, Change::PutQueue { arn, .. } if *arn == dlq.arn));
            if !live_queues.contains_key(dlq.arn.as_str()) && !made {
                out.queues.push(Change::PutQueue {
                    arn: dlq.arn.clone(),
                    region: crate::model::document::arn_parts(&dlq.arn, "sqs")
                        .map_or_else(String::new, |(r, _, _)| r.to_string()),
                    attributes: BTreeMap::new(),
                    previous: None,
                });
            }
        }
        let found = live_queues.get(desired.arn()).copied();
        if let Some(change) = queue_change(desired, found) {
            out.queues.push(change);
        }
        let have: &[LiveMapping] = found.map_or(&[], |q| q.mappings.as_slice());
        if let Some((_, endpoint)) = &desired.consumer {
            let wanted = with_defaults(desired.mapping());
            let current = have.iter().find(|m| m.function_arn == endpoint.as_ref());
            if current.is_none_or(|m| with_defaults(&m.settings) != wanted) {
                out.queues.push(Change::PutMapping {
                    queue_arn: desired.arn().to_string(),
                    function_arn: endpoint.to_string(),
                    uuid: current.map(|m| m.uuid.clone()),
                    settings: wanted,
                    previous: current.map(|m| m.settings.clone()),
                });
            }
        }
        for stale in have.iter().filter(|m| {
            desired
                .consumer
                .as_ref()
                .is_none_or(|(_, e)| e.as_ref() != m.function_arn)
        }) {
            out.removals.push(Change::DeleteMapping {
                queue_arn: desired.arn().to_string(),
                function_arn: stale.function_arn.clone(),
                uuid: stale.uuid.clone(),
                settings: stale.settings.clone(),
            });
        }
    }
    out.removals.extend(unused);
    out
}

/// The account after the queue changes run (the planner's model of
/// apply).
pub(crate) fn apply_queue_change(next: &mut LiveState, change: &Change) {
    let queue = |next: &mut LiveState, arn: &str| -> usize {
        match next.queues.iter().position(|q| q.arn == arn) {
            Some(i) => i,
            None => {
                next.queues.push(LiveQueue {
                    arn: arn.to_string(),
                    url: String::new(),
                    policy: None,
                    visibility_timeout_seconds: None,
                    dead_letter: None,
                    kms_master_key_id: None,
                    mappings: Vec::new(),
                });
                next.queues.len() - 1
            }
        }
    };
    match change {
        Change::PutQueue {
            arn, attributes, ..
        } => {
            let i = queue(next, arn);
            let q = &mut next.queues[i];
            for (name, value) in attributes {
                match name.as_str() {
                    "Policy" => {
                        q.policy = serde_json::from_str::<Value>(value)
                            .ok()
                            .map(|v| crate::model::policy::compact::PolicyDocument::from(&v));
                    }
                    "VisibilityTimeout" => q.visibility_timeout_seconds = value.parse().ok(),
                    "RedrivePolicy" => q.dead_letter = crate::desired::queues::parse_redrive(value),
                    "KmsMasterKeyId" => q.kms_master_key_id = Some(value.clone()),
                    _ => {}
                }
            }
        }
        Change::PutMapping {
            queue_arn,
            function_arn,
            uuid,
            settings,
            ..
        } => {
            let i = queue(next, queue_arn);
            let q = &mut next.queues[i];
            q.mappings.retain(|m| Some(&m.uuid) != uuid.as_ref());
            q.mappings.push(LiveMapping {
                uuid: uuid
                    .clone()
                    .unwrap_or_else(|| format!("{queue_arn}:planned")),
                function_arn: function_arn.clone(),
                settings: settings.clone(),
            });
        }
        Change::DeleteMapping {
            queue_arn, uuid, ..
        } => {
            if let Some(q) = next.queues.iter_mut().find(|q| &q.arn == queue_arn) {
                q.mappings.retain(|m| &m.uuid != uuid);
            }
        }
        _ => {}
    }
}

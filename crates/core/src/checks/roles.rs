//! The execution role (checked when the document carries the role's live
//! policies):
//! - `role-cannot-read-objects` (docs/rules.md §7): a function told about a
//!   new object usually reads it; the role must allow `s3:GetObject` there;
//! - `recursive-trigger` (§8): the role may write (`s3:PutObject`) to keys
//!   its own trigger matches, so each write invokes it again.

use super::source_of;
use crate::checks::finding::{Finding, Fix, Severity};
use crate::desired::change::Changes;
use crate::desired::context::{Configuration, Context};
use crate::desired::lambda::role_policy_change;
use crate::model::document::{Filter, Function};
use crate::model::permission::bucket_arn;
use crate::model::policy::evaluate::evaluate;
use rustc_hash::FxHashMap;

const READ: &str = "role-cannot-read-objects";
const RECURSIVE: &str = "recursive-trigger";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    // What the planner does to each role's managed read policy, worked
    // out the first time a role cannot read.
    // Each role's change is made once and shared by its findings.
    let mut planned: Option<FxHashMap<&str, Option<Changes>>> = None;
    let mut role_change = |role_arn: &str| -> Option<Changes> {
        let map = planned.get_or_insert_with(|| {
            crate::desired::lambda::role_read_resources(ctx)
                .into_iter()
                .map(|(role, resources)| {
                    (
                        role,
                        role_policy_change(role, resources, ctx.live_role(role), &|_| false)
                            .map(|c| Changes::from(vec![c])),
                    )
                })
                .collect()
        });
        map.get(role_arn).cloned().flatten()
    };
    // Directly or through a topic: the function reads what it is told about
    // either way, and its writes trigger it either way (§15).
    for (config, filter, function, _) in ctx.deliveries() {
        let Some(role_arn) = function.role.as_deref() else {
            continue;
        };
        let Some(role) = ctx.live_role(role_arn) else {
            continue;
        };
        let docs: Vec<_> = role.policies.iter().map(|p| &p.document).collect();
        let creates = config.events.iter().any(|e| e.family() == "ObjectCreated");
        let reads_objects = config.reads_objects();
        let key = config.keys.example_key();
        let object = format!("{}/{key}", bucket_arn(&config.bucket.name));
        if reads_objects {
            let read = evaluate(docs.iter().copied(), "s3:GetObject", &object);
            if !read.allowed() {
                let fix = role_change(role_arn).map(|changes| Fix::Apply { changes });
                out.push(cannot_read(config, filter, function, role_arn, &key, fix));
            }
        }
        if creates {
            let write = evaluate(docs.iter().copied(), "s3:PutObject", &object);
            if write.allowed() {
                let note = if write.conditions_skipped {
                    " (a Condition on that permission was not evaluated)"
                } else {
                    ""
                };
                out.push(Finding {
                    rule: RECURSIVE,
                    severity: Severity::Warning,
                    message: format!(
                        "function \"{}\" may write to bucket \"{}\" at keys its own filter \"{}\" matches (e.g. {key}){note}: each such write invokes it again. Write results to another bucket, or to a prefix the filter does not match",
                        function.name(), config.bucket.name, filter.configuration_id
                    ),
                    subjects: vec![config.bucket.name.clone(), filter.configuration_id.clone(), function.arn.clone()],
                    nodes: vec![config.bucket.id.clone(), filter.id.clone(), function.id.clone()],
                    source: source_of(RECURSIVE),
                    fix: None,
                });
            }
        }
    }
    // EventBridge rules: each target reads the objects of its rule's
    // buckets (§14).
    for rule in crate::desired::event_rules::rules(ctx.wiring) {
        if !rule.delivers_objects() {
            continue;
        }
        let key = format!("{}example", rule.key_prefix());
        for target in &rule.targets {
            let function = target.function;
            let Some(role_arn) = function.role.as_deref() else {
                continue;
            };
            let Some(role) = ctx.live_role(role_arn) else {
                continue;
            };
            let docs: Vec<_> = role.policies.iter().map(|p| &p.document).collect();
            for bucket in &rule.buckets {
                let object = format!("{}/{key}", bucket_arn(bucket));
                if evaluate(docs.iter().copied(), "s3:GetObject", &object).allowed() {
                    continue;
                }
                let fix = role_change(role_arn).map(|changes| Fix::Apply { changes });
                out.push(Finding {
                    rule: READ,
                    severity: Severity::Warning,
                    message: format!(
                        "the role of function \"{}\" cannot read the objects EventBridge rule \"{}\" tells it about: s3:GetObject on {}/… (e.g. {key}) is not allowed",
                        function.name(),
                        rule.rule.name,
                        bucket_arn(bucket)
                    ),
                    subjects: vec![bucket.to_string(), rule.rule.name.clone(), role_arn.to_string()],
                    nodes: vec![rule.rule.id.clone(), function.id.clone()],
                    source: source_of(READ),
                    fix,
                });
            }
        }
    }
}

fn cannot_read(
    config: &Configuration<'_>,
    filter: &Filter,
    function: &Function,
    role_arn: &str,
    key: &str,
    fix: Option<Fix>,
) -> Finding {
    Finding {
        rule: READ,
        severity: Severity::Warning,
        message: format!(
            "the role of function \"{}\" cannot read the objects filter \"{}\" tells it about: s3:GetObject on {} (e.g. {key}) is not allowed",
            function.name(),
            filter.configuration_id,
            bucket_arn(&config.bucket.name) + "/…"
        ),
        subjects: vec![config.bucket.name.clone(), filter.configuration_id.clone(), role_arn.to_string()],
        nodes: vec![filter.id.clone(), function.id.clone()],
        source: source_of(READ),
        fix,
    }
}

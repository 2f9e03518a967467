//! A function's asynchronous invocation settings and recursion guard, when
//! the document manages them:
//! - `invalid-async-settings` (docs/rules.md §10): Lambda accepts 0 to 2
//!   retry attempts, a maximum event age of 60 to 21600 seconds, and an
//!   on-failure destination that is an SQS queue, SNS topic, Lambda
//!   function or EventBridge bus;
//! - `conflicting-function-settings` (§8, §10): two nodes of one function
//!   ask for different recursion guards (the guard is function-wide), or
//!   two nodes of one function and qualifier for different async settings
//!   — only one can be written.

use super::source_of;
use crate::checks::finding::{Finding, Severity};
use crate::desired::context::Context;
use crate::model::document::{AsyncInvoke, Function};
use std::collections::BTreeMap;

const INVALID: &str = "invalid-async-settings";
const CONFLICT: &str = "conflicting-function-settings";

/// Retry attempts Lambda accepts.
pub const MAX_RETRY_ATTEMPTS: u8 = 2;
/// Maximum event age bounds, in seconds.
pub const EVENT_AGE_SECONDS: std::ops::RangeInclusive<u32> = 60..=21_600;

/// What is wrong with `settings`, one phrase each.
pub fn problems(settings: &AsyncInvoke) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = settings.maximum_retry_attempts {
        if n > MAX_RETRY_ATTEMPTS {
            out.push(format!(
                "{n} retry attempts (Lambda allows 0 to {MAX_RETRY_ATTEMPTS})"
            ));
        }
    }
    if let Some(age) = settings.maximum_event_age_seconds {
        if !EVENT_AGE_SECONDS.contains(&age) {
            out.push(format!(
                "a maximum event age of {age} s (Lambda allows {} to {} s)",
                EVENT_AGE_SECONDS.start(),
                EVENT_AGE_SECONDS.end()
            ));
        }
    }
    if let Some(arn) = &settings.on_failure {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let service_ok = parts.len() == 6
            && parts[0] == "arn"
            && matches!(parts[2], "sqs" | "sns" | "lambda" | "events")
            && !parts[5].is_empty();
        if !service_ok {
            out.push(format!(
                "an on-failure destination \"{arn}\" that is not an SQS queue, SNS topic, Lambda function or EventBridge bus ARN"
            ));
        }
    }
    out
}

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut guards: BTreeMap<&str, Vec<&Function>> = BTreeMap::new();
    let mut settings: BTreeMap<(&str, Option<&str>), Vec<&Function>> = BTreeMap::new();
    for function in ctx.wiring.functions() {
        if let Some(async_invoke) = &function.async_invoke {
            let found = problems(async_invoke);
            if !found.is_empty() {
                out.push(Finding {
                    rule: INVALID,
                    severity: Severity::Error,
                    message: format!(
                        "function \"{}\" asks for {}",
                        label(function),
                        found.join(", and ")
                    ),
                    subjects: vec![function.arn.clone()],
                    nodes: vec![function.id.clone()],
                    source: source_of(INVALID),
                    fix: None,
                });
            }
            settings
                .entry((function.arn.as_str(), function.qualifier.as_deref()))
                .or_default()
                .push(function);
        }
        if function.recursive_loop.is_some() {
            guards
                .entry(function.arn.as_str())
                .or_default()
                .push(function);
        }
    }
    for nodes in guards.values() {
        let first = nodes[0].recursive_loop;
        if nodes.iter().any(|f| f.recursive_loop != first) {
            let choices: Vec<String> = nodes
                .iter()
                .map(|f| {
                    format!(
                        "\"{}\" says {}",
                        f.id,
                        f.recursive_loop.map_or("", |r| r.as_str())
                    )
                })
                .collect();
            out.push(conflict(
                nodes,
                format!(
                    "function \"{}\" has one recursion guard for all its versions and aliases, but {}",
                    nodes[0].name(),
                    choices.join(" and ")
                ),
            ));
        }
    }
    for nodes in settings.values() {
        let first = &nodes[0].async_invoke;
        if nodes.iter().any(|f| &f.async_invoke != first) {
            out.push(conflict(
                nodes,
                format!(
                    "function \"{}\" is on the canvas {} times with different asynchronous invocation settings; only one can be written",
                    label(nodes[0]),
                    nodes.len()
                ),
            ));
        }
    }
}

fn conflict(nodes: &[&Function], message: String) -> Finding {
    Finding {
        rule: CONFLICT,
        severity: Severity::Error,
        message,
        subjects: vec![nodes[0].arn.clone()],
        nodes: nodes.iter().map(|f| f.id.clone()).collect(),
        source: source_of(CONFLICT),
        fix: None,
    }
}

fn label(function: &Function) -> String {
    match &function.qualifier {
        Some(q) => format!("{}:{q}", function.name()),
        None => function.name().to_string(),
    }
}

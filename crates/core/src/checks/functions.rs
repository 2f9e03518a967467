//! The function side of a configuration:
//! - `invalid-function-arn` (docs/rules.md §4): S3 rejects a malformed ARN;
//! - `region-mismatch` (§4): the function must be in the bucket's region;
//! - `function-not-found` (§2): S3 cannot validate a destination that does
//!   not exist (and it then blocks every later update of the bucket).
//!   Checked only against live facts (an import's, or the planner's read).
//!   One finding per function and qualifier, however many cards draw it,
//!   naming every bucket and configuration that points at it.

use super::source_of;
use crate::checks::finding::{Finding, Fix, Severity};
use crate::desired::context::Context;
use crate::model::document::{Function, NodeId};
use rustc_hash::{FxHashMap, FxHashSet};

const INVALID_ARN: &str = "invalid-function-arn";
const REGION: &str = "region-mismatch";
const NOT_FOUND: &str = "function-not-found";

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut looked_up: FxHashSet<(&str, Option<&str>)> = FxHashSet::default();
    let mut missing = Vec::new();
    for function in ctx.wiring.functions() {
        if let Some(problem) = arn_problem(function) {
            out.push(Finding {
                rule: INVALID_ARN,
                severity: Severity::Error,
                message: format!(
                    "function \"{}\": {problem} (expected arn:aws:lambda:REGION:ACCOUNT:function:NAME)",
                    function.arn
                ),
                subjects: vec![function.arn.clone()],
                nodes: vec![function.id.clone()],
                source: source_of(INVALID_ARN),
                fix: None,
            });
            continue;
        }
        if ctx.has_live() && looked_up.insert((&function.arn, function.qualifier.as_deref())) {
            missing.extend(problem_of(ctx, function).map(|p| (function, p)));
        }
    }
    not_found(ctx, missing, out);
    for (config, filter, function) in ctx.invocations() {
        let Some(region) = function.region() else {
            continue;
        };
        if region != config.bucket.region {
            out.push(Finding {
                rule: REGION,
                severity: Severity::Error,
                message: format!(
                    "bucket \"{}\" is in {} but function \"{}\" (filter \"{}\") is in {region}; S3 only invokes functions in the bucket's own region",
                    config.bucket.name,
                    config.bucket.region,
                    function.name(),
                    filter.configuration_id
                ),
                subjects: vec![config.bucket.name.clone(), filter.configuration_id.clone(), function.arn.clone()],
                nodes: vec![config.bucket.id.clone(), function.id.clone()],
                source: source_of(REGION),
                fix: None,
            });
        }
    }
}

/// Why the live facts do not hold `function` (with its qualifier), if
/// they do not.
fn problem_of(ctx: &Context<'_>, function: &Function) -> Option<String> {
    let qualifier = function.qualifier.as_deref();
    match ctx.live_function(&function.arn) {
        None => Some(format!(
            "function \"{}\" was not found in the account",
            function.arn
        )),
        Some(live) => match qualifier {
            Some(q)
                if q != "$LATEST"
                    && !live.aliases.iter().any(|a| a == q)
                    && !live.versions.iter().any(|v| v == q) =>
            {
                Some(format!(
                    "function \"{}\" has no alias or version \"{q}\" (aliases: {}; versions: {})",
                    function.name(),
                    list_or_none(&live.aliases),
                    list_or_none(&live.versions)
                ))
            }
            _ => None,
        },
    }
}

/// One missing function and qualifier: its cards, and the configurations
/// pointing at one of them.
struct Missing<'a> {
    problem: String,
    nodes: Vec<NodeId>,
    subjects: Vec<String>,
    pointing: Vec<String>,
    buckets: Vec<&'a str>,
    /// The filters wired straight to one of its cards (not through a topic
    /// or a queue), each once (a filter has one destination): what its fix
    /// removes.
    direct: Vec<NodeId>,
    /// How many of `nodes`, from the start, are its own cards.
    cards: usize,
}

/// `function-not-found` for each of `missing`, naming every card of the
/// function and qualifier and every configuration that points at one of
/// them. One pass over the cards and one over the deliveries serve them
/// all: a pass each made an account with a missing function in every few
/// hundred buckets quadratic (bench/cli.sh, the seeded shape).
fn not_found<'a>(ctx: &Context<'a>, missing: Vec<(&'a Function, String)>, out: &mut Vec<Finding>) {
    if missing.is_empty() {
        return;
    }
    let mut index: FxHashMap<(&str, Option<&str>), usize> = FxHashMap::default();
    let mut all: Vec<Missing<'a>> = Vec::with_capacity(missing.len());
    for (function, problem) in missing {
        index.insert((&function.arn, function.qualifier.as_deref()), all.len());
        all.push(Missing {
            problem,
            nodes: Vec::new(),
            subjects: vec![function.arn.clone()],
            pointing: Vec::new(),
            buckets: Vec::new(),
            direct: Vec::new(),
            cards: 0,
        });
    }
    for f in ctx.wiring.functions() {
        if let Some(&i) = index.get(&(f.arn.as_str(), f.qualifier.as_deref())) {
            all[i].nodes.push(f.id.clone());
            all[i].cards += 1;
        }
    }
    // Directly, or through a topic or queue (docs/rules.md §15, §16).
    for (config, filter, f, _) in ctx.deliveries() {
        let Some(&i) = index.get(&(f.arn.as_str(), f.qualifier.as_deref())) else {
            continue;
        };
        let m = &mut all[i];
        m.pointing.push(format!(
            "\"{}\" on bucket \"{}\"",
            filter.configuration_id, config.bucket.name
        ));
        if !m.buckets.contains(&config.bucket.name.as_str()) {
            m.buckets.push(&config.bucket.name);
            m.subjects.push(config.bucket.name.clone());
        }
        m.subjects.push(filter.configuration_id.clone());
        m.nodes.push(config.bucket.id.clone());
        m.nodes.push(filter.id.clone());
        if ctx
            .wiring
            .function_of(&filter.id)
            .is_some_and(|d| d.id == f.id)
        {
            m.direct.push(filter.id.clone());
        }
    }
    for m in all {
        let Missing {
            problem,
            mut nodes,
            subjects,
            pointing,
            buckets,
            direct,
            cards,
        } = m;
        let functions: Vec<NodeId> = nodes[..cards].to_vec();
        let mut seen = FxHashSet::default();
        nodes.retain(|n| seen.insert(n.clone()));
        // A card nothing points at stops no bucket from being written.
        let severity = if buckets.is_empty() {
            Severity::Warning
        } else {
            Severity::Error
        };
        let consequence = match buckets.as_slice() {
            [] => "no configuration points at it, so it stops nothing from being written; remove the card".to_string(),
            [one] => format!(
                "configuration {} points at it; S3 cannot validate a destination that does not exist, so bucket \"{one}\" cannot be written until it is fixed",
                pointing.join(", ")
            ),
            many => format!(
                "configurations {} point at it; S3 cannot validate a destination that does not exist, so buckets {} cannot be written until it is fixed",
                pointing.join(", "),
                many.iter().map(|b| format!("\"{b}\"")).collect::<Vec<_>>().join(", ")
            ),
        };
        out.push(Finding {
            rule: NOT_FOUND,
            severity,
            message: if buckets.is_empty() {
                format!("{problem}: {consequence}")
            } else {
                format!(
                    "{problem}: {consequence}. Create it, point the filters at a function that exists, or remove them"
                )
            },
            subjects,
            nodes,
            source: source_of(NOT_FOUND),
            fix: Some(Fix::RemoveMissingFunction {
                functions,
                filters: direct,
            }),
        });
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

/// What is wrong with a function's ARN and qualifier, if anything.
fn arn_problem(function: &Function) -> Option<String> {
    let parts: Vec<&str> = function.arn.split(':').collect();
    if parts.len() == 8 {
        return Some(format!(
            "the ARN carries the qualifier \"{}\"; put it in the function's qualifier field instead",
            parts[7]
        ));
    }
    if parts.len() != 7 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" {
        return Some("not a Lambda function ARN".into());
    }
    if !matches!(parts[1], "aws" | "aws-cn" | "aws-us-gov") {
        return Some(format!("unknown partition \"{}\"", parts[1]));
    }
    if parts[3].is_empty() {
        return Some("the region is empty".into());
    }
    if parts[4].len() != 12 || !parts[4].bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("the account \"{}\" is not 12 digits", parts[4]));
    }
    let name = parts[6];
    if crate::model::placeholder::is_placeholder(name) {
        // A template's function CloudFormation names itself: a name, not
        // a malformed one (docs/templates.md).
    } else if name.is_empty()
        || name.len() > 64
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Some(format!(
            "the name \"{name}\" must be 1–64 letters, digits, hyphens or underscores"
        ));
    }
    if let Some(q) = function.qualifier.as_deref() {
        let ok = q == "$LATEST"
            || (!q.is_empty()
                && q.len() <= 128
                && q.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        if !ok {
            return Some(format!(
                "the qualifier \"{q}\" must be $LATEST, a version number or an alias name"
            ));
        }
    }
    None
}

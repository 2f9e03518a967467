//! The findings only a template can have (docs/rules.md §17), each placed
//! at the resource or property it is about:
//! - `circular-dependency` (error): CloudFormation refuses a template whose
//!   resources refer to each other in a circle;
//! - `notification-before-destination` (warning): the bucket's
//!   notification does not depend on the permission, queue policy or topic
//!   policy S3 checks when it saves it, so the first deploy can fail;
//! - `rule-matches-every-bucket` (warning): an EventBridge rule on S3's
//!   events that names no bucket runs for every bucket of the account;
//! - `unreadable-managed-policy` (info): a role attaches a policy the
//!   template does not hold and Bucketwire does not know; its checks were
//!   skipped.

use crate::checks::finding::Severity;
use crate::model::document::NodeId;
use crate::sources::cloudformation::intrinsics::{Reference, ReferenceKind, Resolver};
use crate::sources::cloudformation::template::Resource;
use crate::sources::cloudformation::wiring::{unqualified, Built};
use crate::sources::yaml::Span;
use std::collections::{BTreeMap, BTreeSet};

use crate::sources::cloudformation::template::Placed;

/// Every template finding of `template`.
pub fn check(resolver: &Resolver<'_>, built: &Built, active: &[&Resource]) -> Vec<Placed> {
    let mut out = Vec::new();
    let refs: BTreeMap<&str, Vec<Reference>> = active
        .iter()
        .map(|r| {
            let mut list = Vec::new();
            resolver.references(&r.properties, &mut list);
            list.extend(r.depends_on.iter().map(|(to, span)| Reference {
                to: to.clone(),
                kind: ReferenceKind::DependsOn,
                span: *span,
                text: format!("DependsOn {to}"),
            }));
            list.retain(|x| active.iter().any(|a| a.id == x.to));
            (r.id.as_str(), list)
        })
        .collect();
    let kinds: BTreeMap<&str, &str> = active
        .iter()
        .map(|r| (r.id.as_str(), r.kind.as_str()))
        .collect();
    circles(&refs, &kinds, &mut out);
    destinations_first(resolver, built, active, &refs, &mut out);
    every_bucket_rules(resolver, active, &mut out);
    for (role, policy, span) in &built.unread {
        let id = active
            .iter()
            .find(|r| {
                r.kind == "AWS::IAM::Role"
                    && role.ends_with(&format!("/{}", resolver.physical_name(r)))
            })
            .map_or_else(String::new, |r| r.id.clone());
        out.push((
            crate::checks::finding(
"unreadable-managed-policy",
Severity::Info,
format!("role {id} attaches {policy}, which the template does not declare and Bucketwire does not know; the checks of what this role may do were skipped"),
Vec::new(),
vec![role.clone(), policy.clone()],
),
            vec![(id, *span)],
        ));
    }
    out
}

/// The strongly connected parts of the reference graph with more than one
/// resource (or a resource naming itself): what CloudFormation reports as
/// one circular dependency each.
fn components<'a>(refs: &'a BTreeMap<&'a str, Vec<Reference>>) -> Vec<BTreeSet<&'a str>> {
    // Tarjan's algorithm, iterative over the (small) resource graph.
    struct State<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<BTreeSet<&'a str>>,
    }
    fn visit<'a>(v: &'a str, refs: &'a BTreeMap<&'a str, Vec<Reference>>, st: &mut State<'a>) {
        st.index.insert(v, st.next);
        st.low.insert(v, st.next);
        st.next += 1;
        st.stack.push(v);
        st.on_stack.insert(v);
        for r in refs.get(v).into_iter().flatten() {
            let w = r.to.as_str();
            if !st.index.contains_key(w) {
                visit(w, refs, st);
                let lw = st.low[w];
                let lv = st.low[v];
                st.low.insert(v, lv.min(lw));
            } else if st.on_stack.contains(w) {
                let iw = st.index[w];
                let lv = st.low[v];
                st.low.insert(v, lv.min(iw));
            }
        }
        if st.low[v] == st.index[v] {
            let mut part = BTreeSet::new();
            while let Some(w) = st.stack.pop() {
                st.on_stack.remove(w);
                part.insert(w);
                if w == v {
                    break;
                }
            }
            let self_loop = refs.get(v).into_iter().flatten().any(|r| r.to == v);
            if part.len() > 1 || self_loop {
                st.out.push(part);
            }
        }
    }
    let mut st = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for &v in refs.keys() {
        if !st.index.contains_key(v) {
            visit(v, refs, &mut st);
        }
    }
    st.out
}

/// The shortest circle from `start` back to it inside `part`.
fn circle_through<'a>(
    refs: &'a BTreeMap<&'a str, Vec<Reference>>,
    part: &BTreeSet<&str>,
    start: &'a str,
) -> Vec<(&'a str, &'a Reference)> {
    let mut previous: BTreeMap<&str, (&str, &Reference)> = BTreeMap::new();
    let mut queue: std::collections::VecDeque<&str> = [start].into();
    while let Some(at) = queue.pop_front() {
        for r in refs
            .get(at)
            .into_iter()
            .flatten()
            .filter(|r| part.contains(r.to.as_str()))
        {
            if r.to == start {
                let mut path = vec![(at, r)];
                let mut here = at;
                while here != start {
                    let (from, via) = previous[here];
                    path.push((from, via));
                    here = from;
                }
                path.reverse();
                return path;
            }
            if !previous.contains_key(r.to.as_str()) {
                previous.insert(r.to.as_str(), (at, r));
                queue.push_back(r.to.as_str());
            }
        }
    }
    Vec::new()
}

/// `circular-dependency`: one finding per circle CloudFormation would
/// report, naming its resources, a circle through the bucket (when one is
/// in it) with each reference and its line, and where to break it: the
/// reference to the bucket.
fn circles(
    refs: &BTreeMap<&str, Vec<Reference>>,
    kinds: &BTreeMap<&str, &str>,
    out: &mut Vec<Placed>,
) {
    for part in components(refs) {
        let bucket = part
            .iter()
            .copied()
            .find(|id| kinds.get(id) == Some(&"AWS::S3::Bucket"));
        let start = bucket.unwrap_or_else(|| part.iter().next().copied().unwrap_or_default());
        let path = circle_through(refs, &part, start);
        let names: Vec<&str> = part.iter().copied().collect();
        let steps: Vec<String> = path
            .iter()
            .map(|(from, r)| format!("{from} → {} ({} at line {})", r.to, r.text, r.span.line))
            .collect();
        let closing = path
            .iter()
            .find(|(_, r)| Some(r.to.as_str()) == bucket && r.kind != ReferenceKind::DependsOn);
        let advice = match (closing, bucket) {
            (Some((from, r)), Some(b)) => format!(
                "break it where {from} refers to the bucket ({}): give {b} a name from a parameter or a literal (BucketName: !Sub '${{AWS::StackName}}-{}') and write its ARN as text there (!Sub 'arn:${{AWS::Partition}}:s3:::${{AWS::StackName}}-{}') instead of referring to {b}",
                r.text,
                b.to_ascii_lowercase(),
                b.to_ascii_lowercase()
            ),
            _ => "break one of these references (a name from a parameter or a literal instead of a reference to the resource)".into(),
        };
        let mut places: Vec<(String, Span)> = path
            .iter()
            .map(|(from, r)| (from.to_string(), r.span))
            .collect();
        if let Some(i) = closing.and_then(|c| path.iter().position(|p| std::ptr::eq(p.1, c.1))) {
            let first = places.remove(i);
            places.insert(0, first);
        }
        out.push((
            crate::checks::finding(
"circular-dependency",
Severity::Error,
format!("CloudFormation refuses this template: circular dependency between resources [{}]: {}; {advice}", names.join(", "), steps.join(", ")),
names.iter().map(|n| NodeId::new(*n)).collect(),
names.iter().map(|n| n.to_string()).collect(),
),
            places,
        ));
    }
}

/// Whether `from` depends on `to` through references or `DependsOn`.
fn depends(refs: &BTreeMap<&str, Vec<Reference>>, from: &str, to: &str) -> bool {
    let mut stack = vec![from];
    let mut seen = BTreeSet::new();
    while let Some(at) = stack.pop() {
        if !seen.insert(at) {
            continue;
        }
        for r in refs.get(at).into_iter().flatten() {
            if r.to == to {
                return true;
            }
            stack.push(r.to.as_str());
        }
    }
    false
}

/// `notification-before-destination`: a bucket whose notification names a
/// destination the template grants S3 access to (a Lambda permission, a
/// queue or topic policy) without the bucket depending on that grant.
fn destinations_first(
    resolver: &Resolver<'_>,
    built: &Built,
    active: &[&Resource],
    refs: &BTreeMap<&str, Vec<Reference>>,
    out: &mut Vec<Placed>,
) {
    let text =
        |n: Option<&crate::sources::yaml::Spanned>| n.and_then(|n| resolver.text(n).ok().flatten());
    // The template's S3 permissions by the function they are for (once,
    // not per entry), each with the bucket ARN pattern it is limited to.
    let mut permissions: std::collections::HashMap<String, Vec<(&Resource, Option<String>)>> =
        std::collections::HashMap::new();
    for p in active
        .iter()
        .filter(|r| r.kind == "AWS::Lambda::Permission")
    {
        let Some(fp) = p
            .property("FunctionName")
            .and_then(|n| resolver.function_arn_of(n))
        else {
            continue;
        };
        if text(p.property("Principal")).as_deref() == Some("s3.amazonaws.com") {
            permissions
                .entry(unqualified(&fp))
                .or_default()
                .push((p, text(p.property("SourceArn"))));
        }
    }
    // A bucket's own notification, or a resource that writes a bucket's
    // (CDK's custom resource, Terraform's aws_s3_bucket_notification), in
    // the S3 API's shape.
    for bucket in active.iter().filter(|r| {
        matches!(
            r.kind.as_str(),
            "AWS::S3::Bucket" | "Custom::S3BucketNotifications"
        )
    }) {
        let Some(config) = bucket.property("NotificationConfiguration") else {
            continue;
        };
        let api = bucket.kind != "AWS::S3::Bucket";
        let (lambda_list, lambda_field, queue_list, queue_field, topic_list, topic_field) = if api {
            (
                "LambdaFunctionConfigurations",
                "LambdaFunctionArn",
                "QueueConfigurations",
                "QueueArn",
                "TopicConfigurations",
                "TopicArn",
            )
        } else {
            (
                "LambdaConfigurations",
                "Function",
                "QueueConfigurations",
                "Queue",
                "TopicConfigurations",
                "Topic",
            )
        };
        let name = if api {
            bucket
                .property("BucketName")
                .and_then(|n| resolver.text(n).ok().flatten())
                .unwrap_or_default()
        } else {
            resolver.physical_name(bucket)
        };
        let bucket_arn = format!("arn:aws:s3:::{name}");
        let mut grants: Vec<(&Resource, String, Span)> = Vec::new();
        for c in config
            .get(lambda_list)
            .map(|l| l.items())
            .unwrap_or_default()
        {
            let Some(target) = text(c.get(lambda_field)) else {
                continue;
            };
            // A permission limited to another bucket is not this one's.
            let for_bucket = permissions
                .get(&unqualified(&target))
                .into_iter()
                .flatten()
                .filter(|(_, source)| {
                    source.as_deref().is_none_or(|pattern| {
                        crate::model::policy::wildcard::wildcard_match(pattern, &bucket_arn)
                    })
                });
            for (p, _) in for_bucket {
                grants.push((
                    p,
                    format!("the permission {} of function {target}", p.id),
                    c.span,
                ));
            }
        }
        for (list, field, kind, items) in [
            (queue_list, queue_field, "AWS::SQS::QueuePolicy", "Queues"),
            (topic_list, topic_field, "AWS::SNS::TopicPolicy", "Topics"),
        ] {
            for c in config.get(list).map(|l| l.items()).unwrap_or_default() {
                let Some(target) = text(c.get(field)) else {
                    continue;
                };
                let live_url = built
                    .document
                    .live
                    .as_ref()
                    .and_then(|l| l.queues.iter().find(|q| q.arn == target))
                    .map(|q| q.url.clone());
                for p in active.iter().filter(|r| r.kind == kind) {
                    let named = p
                        .property(items)
                        .map(|l| l.items())
                        .unwrap_or_default()
                        .iter()
                        .any(|i| {
                            let t = resolver.text(i).ok().flatten();
                            t.as_deref() == Some(target.as_str()) || t.is_some() && t == live_url
                        });
                    if named {
                        grants.push((p, format!("the policy {} of {target}", p.id), c.span));
                    }
                }
            }
        }
        for (grant, what, span) in grants {
            if depends(refs, &bucket.id, &grant.id) {
                continue;
            }
            out.push((
                crate::checks::finding(
"notification-before-destination",
Severity::Warning,
format!(
                        "{} {} does not depend on {what}: it may be created first, and S3 then refuses the notification (\"Unable to validate the following destination configurations\"); {}",
                        if api { "notification" } else { "bucket" },
                        bucket.id,
                        if bucket.id.contains('.') {
                            format!("add depends_on = [{}] to {}", grant.id, bucket.id)
                        } else {
                            format!("add DependsOn: {} to {}", grant.id, bucket.id)
                        }
                    ),
vec![NodeId::new(&bucket.id)],
vec![bucket.id.clone(), grant.id.clone()],
),
                vec![(bucket.id.clone(), span), (grant.id.clone(), grant.span)],
            ));
        }
    }
}

/// `rule-matches-every-bucket`.
fn every_bucket_rules(resolver: &Resolver<'_>, active: &[&Resource], out: &mut Vec<Placed>) {
    for r in active.iter().filter(|r| r.kind == "AWS::Events::Rule") {
        let Some(pattern) = r
            .property("EventPattern")
            .and_then(|p| resolver.value(p).ok())
        else {
            continue;
        };
        let pattern = match pattern {
            serde_json::Value::String(s) => serde_json::from_str(&s).unwrap_or_default(),
            v => v,
        };
        let from_s3 = pattern["source"]
            .as_array()
            .is_some_and(|s| s.iter().any(|v| v == "aws.s3"));
        if from_s3 && pattern.pointer("/detail/bucket/name").is_none() {
            out.push((
                crate::checks::finding(
"rule-matches-every-bucket",
Severity::Warning,
format!("rule {} matches S3's events of every bucket in the account that sends events to EventBridge, not only this template's; name the buckets in detail.bucket.name", r.id),
vec![NodeId::new(&r.id)],
vec![r.id.clone()],
),
                vec![(r.id.clone(), r.span_of("EventPattern"))],
            ));
        }
    }
}

//! CloudFormation (and SAM) YAML: `AWS::IAM::RolePolicy`,
//! `AWS::Lambda::Permission` with `SourceArn` and `SourceAccount`,
//! `AWS::Lambda::EventInvokeConfig` for async settings, EventBridge rules,
//! SNS topics with their policies and subscriptions, and each bucket's
//! `NotificationConfiguration`, with `DependsOn` in the safe order
//! (docs/rules.md §2). A recursion guard belongs to the function's own
//! `AWS::Lambda::Function` (`RecursiveLoop`), which this template does not
//! own: it is written as a comment to copy there. Buckets carry `DeletionPolicy: Retain`: an existing
//! bucket is brought into a stack with resource import, never recreated.
//!
//! A template is regional, so there is one per region ([`templates`]), each
//! with that region's buckets, permissions and function settings, and only
//! the buckets the document manages or those chosen ([`Selection`]). IAM is
//! global: a role's read policy goes into the template of its functions'
//! first region, and the other regions' templates say so.

use crate::desired::context::{BucketGroup, Context, DestinationKind};
use crate::desired::lambda::{self, ROLE_POLICY_NAME};
use crate::export::identifiers::Identifiers;
use crate::export::selection::{Dependencies, ExportError, Selection};
use crate::export::{may_need_escaping, write_escape, Text};
use crate::model::graph::Wiring;
use crate::model::permission::arn_region;
use std::collections::BTreeSet;
use std::fmt::{self, Write};

/// One template per region, `(region, template)` sorted by region, for
/// every managed bucket or the buckets `only` names.
///
/// # Errors
/// [`ExportError::UnknownBucket`] when `only` names a bucket the document
/// does not have.
pub fn templates(wiring: &Wiring, only: &[String]) -> Result<Vec<(String, String)>, ExportError> {
    let mut names = Vec::new();
    let texts = write_templates(wiring, only, |regions| {
        names = regions.iter().map(|r| (*r).to_string()).collect();
        Ok::<_, ExportError>(vec![String::new(); regions.len()])
    })?;
    Ok(names.into_iter().zip(texts).collect())
}

/// [`templates`], each written into its own sink as it is made, in one
/// pass over the wiring for every region. `open` is given the regions
/// (sorted; `us-east-1` alone when there is nothing to write, for an empty
/// but valid template) and answers one sink per region, in that order;
/// the sinks are handed back once written.
///
/// # Errors
/// As [`templates`], or what `open` answers; nothing is written then.
pub fn write_templates<W: fmt::Write, E: From<ExportError>>(
    wiring: &Wiring,
    only: &[String],
    open: impl FnOnce(&[&str]) -> Result<Vec<W>, E>,
) -> Result<Vec<W>, E> {
    let ctx = Context::new(wiring);
    let selection = Selection::new(&ctx, only)?;
    let mut regions: Vec<&str> = selection.regions().into_iter().collect();
    if regions.is_empty() {
        regions.push("us-east-1");
    }
    let mut sinks = open(&regions)?;
    let mut templates: Vec<Template<'_, '_>> = regions
        .iter()
        .zip(sinks.iter_mut())
        .map(|(region, sink)| Template {
            region,
            out: Text::new(sink),
            ids: Identifiers::pascal(),
            deps: Dependencies::default(),
            resources: 0,
        })
        .collect();
    write_all(&selection, &mut templates);
    drop(templates);
    Ok(sinks)
}

/// One region's template while it is written.
struct Template<'k, 'w> {
    region: &'k str,
    out: Text<'w>,
    ids: Identifiers,
    deps: Dependencies<'k>,
    /// How many resources were written (recursion-guard comments are not).
    resources: usize,
}

/// The template of `region` among `templates` (sorted by region).
fn template_of<'t, 'r, 'w>(
    templates: &'t mut [Template<'r, 'w>],
    region: &str,
) -> Option<&'t mut Template<'r, 'w>> {
    let i = templates.binary_search_by(|t| t.region.cmp(region)).ok()?;
    templates.get_mut(i)
}

/// Every region's template, in one pass over what the selection writes.
fn write_all<'a>(selection: &Selection<'_, 'a>, templates: &mut [Template<'a, '_>]) {
    let ctx = selection.ctx;
    let bucket_region = |name: &str| {
        ctx.bucket_named(name)
            .map_or("", |g| g.bucket.region.as_str())
    };
    let names: Vec<&str> = templates.iter().map(|t| t.region).collect();
    // A role's read policy goes into the template of its functions' first
    // region that has one (IAM is global); the other templates say where.
    let role_regions = selection.role_regions();
    let policies: Vec<(&str, BTreeSet<String>, usize)> = selection
        .role_reads()
        .into_iter()
        .map(|(role_arn, resources)| {
            let home = role_regions
                .get(role_arn)
                .and_then(|r| r.iter().find_map(|region| names.binary_search(region).ok()))
                .unwrap_or(0);
            (role_arn, resources, home)
        })
        .collect();
    for (i, t) in templates.iter_mut().enumerate() {
        let _ = write!(
            t.out,
            "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: \"S3 to Lambda wiring generated by Bucketwire ({})\"\n",
            t.region
        );
        for (role_arn, _, home) in &policies {
            if *home != i {
                let _ = writeln!(
                    t.out,
                    "# The read policy of role {} is in the {} template (IAM is global): deploy that one first.",
                    role_name(role_arn),
                    names[*home]
                );
            }
        }
        t.out.push_str("Resources:\n");
    }
    for (role_arn, resources, home) in &policies {
        let t = &mut templates[*home];
        let role = role_name(role_arn);
        let id = t.ids.make(&format!("read-policy-{role}"));
        t.deps.role_policy(role_arn, id.clone());
        t.resources += 1;
        let _ = write!(
            t.out,
            "  {id}:\n    Type: AWS::IAM::RolePolicy\n    Properties:\n      RoleName: {}\n      PolicyName: {}\n      PolicyDocument: {}\n",
            q(role),
            q(ROLE_POLICY_NAME),
            lambda::role_policy_document(resources)
        );
    }
    drop(policies);
    for p in selection.permissions() {
        let region = arn_region(p.function_arn).unwrap_or(bucket_region(p.bucket));
        let Some(t) = template_of(templates, region) else {
            continue;
        };
        let id = t.ids.make(&format!(
            "permission-{}",
            p.statement_id().replacen("bucketwire-", "", 1)
        ));
        t.deps.permission(p.bucket, id.clone());
        t.resources += 1;
        let _ = write!(
            t.out,
            "  {id}:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: {}\n      Action: \"lambda:InvokeFunction\"\n      Principal: \"s3.amazonaws.com\"\n      SourceArn: {}\n",
            q(&p.target),
            q(&crate::model::permission::bucket_arn(p.bucket)),
        );
        if let Some(account) = &p.account {
            let _ = writeln!(t.out, "      SourceAccount: {}", q(account));
        }
    }
    for (function, s) in selection.async_settings() {
        let Some(t) = function.region().and_then(|r| template_of(templates, r)) else {
            continue;
        };
        let id = t.ids.make(&format!(
            "async-{}-{}",
            function.name(),
            function.qualifier.as_deref().unwrap_or("latest")
        ));
        t.deps.async_settings(function, id.clone());
        t.resources += 1;
        let _ = write!(
            t.out,
            "  {id}:\n    Type: AWS::Lambda::EventInvokeConfig\n    Properties:\n      FunctionName: {}\n      Qualifier: {}\n",
            q(&function.arn),
            q(function.qualifier.as_deref().unwrap_or("$LATEST"))
        );
        if let Some(n) = s.maximum_retry_attempts {
            let _ = writeln!(t.out, "      MaximumRetryAttempts: {n}");
        }
        if let Some(age) = s.maximum_event_age_seconds {
            let _ = writeln!(t.out, "      MaximumEventAgeInSeconds: {age}");
        }
        if let Some(d) = &s.on_failure {
            let _ = writeln!(
                t.out,
                "      DestinationConfig:\n        OnFailure:\n          Destination: {}",
                q(d)
            );
        }
    }
    for (function, guard) in selection.recursion_guards() {
        let Some(t) = function.region().and_then(|r| template_of(templates, r)) else {
            continue;
        };
        let _ = writeln!(
            t.out,
            "  # Recursion guard of {}: set `RecursiveLoop: {}` on its AWS::Lambda::Function.",
            function.name(),
            guard.as_str()
        );
    }
    // EventBridge rules on each region's default bus (docs/rules.md §14):
    // the rule with its targets, and each target's permission for it.
    for r in selection.rules() {
        let Some(t) = template_of(templates, &r.rule.region) else {
            continue;
        };
        let id = t.ids.make(&format!("rule-{}", r.rule.name));
        t.resources += 1;
        let _ = write!(
            t.out,
            "  {id}:\n    Type: AWS::Events::Rule\n    Properties:\n      Name: {}\n      State: {}\n      EventPattern: {}\n",
            q(&r.rule.name),
            q(r.state()),
            r.pattern()
        );
        if !r.targets.is_empty() {
            t.out.push_str("      Targets:\n");
            for target in &r.targets {
                let _ = write!(
                    t.out,
                    "        - Id: {}\n          Arn: {}\n",
                    q(&target.id()),
                    q(&target.arn)
                );
            }
        }
        for target in &r.targets {
            let permission = t.ids.make(&format!(
                "permission-rule-{}-{}",
                r.rule.name,
                target.id().replacen("bucketwire-", "", 1)
            ));
            let _ = write!(
                t.out,
                "  {permission}:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: {}\n      Action: \"lambda:InvokeFunction\"\n      Principal: \"{}\"\n      SourceArn: !GetAtt {id}.Arn\n",
                q(&target.arn),
                crate::desired::event_rules::EVENTS_PRINCIPAL
            );
        }
    }
    // SNS topics (docs/rules.md §15): the topic (retained: an existing one
    // is brought in by resource import), its policy letting S3 publish
    // for its buckets, each subscriber's permission, then its
    // subscriptions. Its buckets depend on its policy.
    for topic in selection.topics() {
        let Some(t) = topic.topic.region().and_then(|r| template_of(templates, r)) else {
            continue;
        };
        let name = topic.topic.name();
        let id = t.ids.make(&format!("topic-{name}"));
        let policy = t.ids.make(&format!("topic-policy-{name}"));
        t.deps.delivery_policy(&topic.topic.arn, policy.clone());
        t.resources += 1;
        let _ = write!(
            t.out,
            "  {id}:\n    Type: AWS::SNS::Topic\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      TopicName: {}\n",
            q(name)
        );
        if let Some(key) = &topic.topic.kms_master_key_id {
            let _ = writeln!(t.out, "      KmsMasterKeyId: {}", q(key));
        }
        // The policy lets S3 publish last: after the subscriptions and what
        // each subscriber needs (its read policy, its settings).
        let mut waits: Vec<String> = Vec::new();
        for sub in &topic.subscribers {
            let stem = format!("{name}-{}", sub.function.name());
            let permission = t.ids.make(&format!("permission-sns-{stem}"));
            let _ = write!(
                t.out,
                "  {permission}:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: {}\n      Action: \"lambda:InvokeFunction\"\n      Principal: \"{}\"\n      SourceArn: !Ref {id}\n",
                q(&sub.endpoint),
                crate::desired::topics::SNS_PRINCIPAL
            );
            let subscription = t.ids.make(&format!("subscription-{stem}"));
            let _ = write!(
                t.out,
                "  {subscription}:\n    Type: AWS::SNS::Subscription\n    DependsOn: [{permission}]\n    Properties:\n      TopicArn: !Ref {id}\n      Protocol: lambda\n      Endpoint: {}\n",
                q(&sub.endpoint)
            );
            for id in t.deps.of_subscriber(sub.function) {
                if !waits.iter().any(|w| w == id) {
                    waits.push(id.to_string());
                }
            }
            waits.push(subscription);
        }
        let _ = write!(t.out, "  {policy}:\n    Type: AWS::SNS::TopicPolicy\n");
        if !waits.is_empty() {
            let _ = writeln!(t.out, "    DependsOn: [{}]", waits.join(", "));
        }
        let _ = write!(
            t.out,
            "    Properties:\n      Topics: [!Ref {id}]\n      PolicyDocument: {}\n",
            selection.topic_policy(topic)
        );
    }
    // SQS queues (docs/rules.md §16): the dead-letter queue and the queue
    // (retained), the consume policy of the polling function's role, the
    // mapping, and the queue's policy letting S3 send, after them. Its
    // buckets depend on its policy.
    let consumes = selection.role_consumes();
    for queue in selection.queues() {
        let Some(t) = queue.queue.region().and_then(|r| template_of(templates, r)) else {
            continue;
        };
        let name = queue.queue.name();
        let id = t.ids.make(&format!("queue-{name}"));
        let policy = t.ids.make(&format!("queue-policy-{name}"));
        t.deps.delivery_policy(&queue.queue.arn, policy.clone());
        t.resources += 1;
        let mut dead_letter = None;
        if let Some(dlq) = &queue.queue.dead_letter {
            let dlq_name = dlq.arn.rsplit(':').next().unwrap_or(&dlq.arn);
            let dlq_id = t.ids.make(&format!("queue-{dlq_name}"));
            let _ = write!(
                t.out,
                "  {dlq_id}:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      QueueName: {}\n",
                q(dlq_name)
            );
            dead_letter = Some((dlq_id, dlq.max_receive_count));
        }
        let _ = write!(
            t.out,
            "  {id}:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      QueueName: {}\n",
            q(name)
        );
        if let Some(v) = queue.queue.visibility_timeout_seconds {
            let _ = writeln!(t.out, "      VisibilityTimeout: {v}");
        }
        if let Some((dlq_id, count)) = &dead_letter {
            let _ = write!(
                t.out,
                "      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt {dlq_id}.Arn\n        maxReceiveCount: {count}\n"
            );
        }
        if let Some(key) = &queue.queue.kms_master_key_id {
            let _ = writeln!(t.out, "      KmsMasterKeyId: {}", q(key));
        }
        let mut waits: Vec<String> = Vec::new();
        if let Some((function, endpoint)) = &queue.consumer {
            // The role's consume policy, once per role, beside its first
            // queue.
            let mut consume = None;
            if let Some(role) = function.role.as_deref() {
                if let Some((_, arns)) = consumes
                    .iter()
                    .find(|(r, a)| *r == role && a.first() == Some(&queue.arn()))
                {
                    let cid = t.ids.make(&format!("consume-policy-{}", role_name(role)));
                    let _ = write!(
                        t.out,
                        "  {cid}:\n    Type: AWS::IAM::RolePolicy\n    Properties:\n      RoleName: {}\n      PolicyName: {}\n      PolicyDocument: {}\n",
                        q(role_name(role)),
                        q(crate::desired::queues::CONSUME_POLICY_NAME),
                        crate::desired::queues::consume_policy_document(arns)
                    );
                    consume = Some(cid);
                }
            }
            let m = crate::desired::queues::with_defaults(queue.mapping());
            let mapping = t.ids.make(&format!("mapping-{name}-{}", function.name()));
            let mut needs: Vec<String> = t
                .deps
                .of_subscriber(function)
                .into_iter()
                .map(str::to_string)
                .collect();
            needs.extend(consume);
            let _ = write!(
                t.out,
                "  {mapping}:\n    Type: AWS::Lambda::EventSourceMapping\n"
            );
            if !needs.is_empty() {
                let _ = writeln!(t.out, "    DependsOn: [{}]", needs.join(", "));
            }
            let _ = write!(
                t.out,
                "    Properties:\n      EventSourceArn: !GetAtt {id}.Arn\n      FunctionName: {}\n      BatchSize: {}\n      MaximumBatchingWindowInSeconds: {}\n      Enabled: {}\n",
                q(endpoint),
                m.batch_size.unwrap_or(10),
                m.maximum_batching_window_seconds.unwrap_or(0),
                m.enabled
            );
            if m.report_batch_item_failures {
                t.out
                    .push_str("      FunctionResponseTypes: [ReportBatchItemFailures]\n");
            }
            if let Some(c) = m.maximum_concurrency {
                let _ = write!(
                    t.out,
                    "      ScalingConfig:\n        MaximumConcurrency: {c}\n"
                );
            }
            waits.push(mapping);
        }
        let _ = write!(t.out, "  {policy}:\n    Type: AWS::SQS::QueuePolicy\n");
        if !waits.is_empty() {
            let _ = writeln!(t.out, "    DependsOn: [{}]", waits.join(", "));
        }
        let _ = write!(
            t.out,
            "    Properties:\n      Queues: [!Ref {id}]\n      PolicyDocument: {}\n",
            selection.queue_policy(queue)
        );
    }
    for group in selection.buckets() {
        let Some(t) = template_of(templates, &group.bucket.region) else {
            continue;
        };
        write_bucket(t, group);
    }
    for t in templates.iter_mut() {
        if t.resources == 0 {
            // A template needs a resource: a harmless wait condition handle
            // stands in when this document has nothing for the region.
            t.out
                .push_str("  Nothing:\n    Type: AWS::CloudFormation::WaitConditionHandle\n");
        }
    }
}

/// One bucket with its whole `NotificationConfiguration`, retained.
fn write_bucket<'a>(t: &mut Template<'a, '_>, group: &BucketGroup<'a>) {
    let (bucket, configs) = (&group.bucket, &group.configs);
    let id = t.ids.make(&format!("bucket-{}", bucket.name));
    t.resources += 1;
    let out = &mut t.out;
    let needs = t.deps.of(&bucket.name, configs);
    let _ = writeln!(
        out,
        "  {id}:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain"
    );
    if !needs.is_empty() {
        let _ = writeln!(out, "    DependsOn: [{}]", needs.join(", "));
    }
    let _ = writeln!(
        out,
        "    Properties:\n      BucketName: {}\n      NotificationConfiguration:",
        q(&bucket.name)
    );
    for (name, kind, key) in [
        ("LambdaConfigurations", DestinationKind::Lambda, "Function"),
        ("QueueConfigurations", DestinationKind::Queue, "Queue"),
        ("TopicConfigurations", DestinationKind::Topic, "Topic"),
    ] {
        let mut entries = configs
            .iter()
            .filter_map(|c| c.written())
            .filter(|e| e.kind == kind)
            .peekable();
        if entries.peek().is_some() {
            let _ = writeln!(out, "        {name}:");
        }
        for e in entries {
            // CloudFormation takes one event per entry.
            for event in e.events {
                let _ = write!(
                    out,
                    "          - Event: {}\n            {key}: {}\n",
                    q(event),
                    q(&e.arn)
                );
                if e.prefix.is_some() || e.suffix.is_some() {
                    out.push_str(
                        "            Filter:\n              S3Key:\n                Rules:\n",
                    );
                }
                for (n, v) in [("prefix", e.prefix), ("suffix", e.suffix)] {
                    if let Some(v) = v {
                        let _ = write!(
                            out,
                            "                  - Name: {n}\n                    Value: {}\n",
                            q(v)
                        );
                    }
                }
            }
        }
    }
    if bucket.event_bridge {
        out.push_str("        EventBridgeConfiguration:\n          EventBridgeEnabled: true\n");
    }
}

/// The name of a role from its ARN.
fn role_name(role_arn: &str) -> &str {
    role_arn.rsplit('/').next().unwrap_or(role_arn)
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML),
/// written as it is displayed.
fn q(value: &str) -> Quoted<'_> {
    Quoted(value)
}

/// See [`q`].
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.0;
        f.write_char('"')?;
        if may_need_escaping(value, b"") {
            for c in value.chars() {
                if !write_escape(f, c)? {
                    f.write_char(c)?;
                }
            }
        } else {
            f.write_str(value)?;
        }
        f.write_char('"')
    }
}

#[cfg(test)]
mod tests {
    use super::q;

    #[test]
    fn quoting_reads_back_as_the_same_string() {
        for value in [
            "plain",
            "say \"hi\"",
            r"back\slash",
            "line\nbreak\ttab\r",
            "bell\u{7}",
            "ünïcode ✓",
            "",
        ] {
            let quoted = q(value).to_string();
            let read: String = serde_json::from_str(&quoted).expect("JSON string");
            assert_eq!(read, value, "{quoted}");
        }
    }
}

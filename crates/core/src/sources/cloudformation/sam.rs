//! SAM's transform (`Transform: AWS::Serverless-2016-10-31`), as far as the
//! wiring goes: each `AWS::Serverless::Function` becomes the resources SAM
//! generates for it — the function, its role (unless it names one) with
//! the `Policies` it lists (managed policy names, documents, and SAM's
//! policy templates, [`policy_template`]), and per event: `S3` the entry in
//! the bucket's notification, the permission (principal S3, `SourceAccount`,
//! no `SourceArn`) and the bucket's `DependsOn` on it; `SQS` the event
//! source mapping; `SNS` the subscription and permission; `EventBridgeRule`
//! the rule, its target and permission. `Globals.Function` applies to every
//! function. Generated resources keep the place of what made them, so a
//! finding about one points at the SAM line a person wrote.
//!
//! The test suite checks this against SAM's own translator
//! (`aws-sam-translator`): the same wiring either way.

use crate::checks::finding::{Finding, Severity};
use crate::sources::cloudformation::template::{Placed, Resource, Template, TemplateError, ORIGIN};
use crate::sources::yaml::{
    intrinsic_node as intrinsic, list_node as list, map_node as map, string_node as s, Node, Span,
    Spanned,
};

fn get_att(resource: &str, attribute: &str, span: Span) -> Spanned {
    intrinsic(
        "Fn::GetAtt",
        list(vec![s(resource, span), s(attribute, span)], span),
        span,
    )
}

fn reference(name: &str, span: Span) -> Spanned {
    intrinsic("Ref", s(name, span), span)
}

/// `Fn::Sub` of `text` with one variable `var` bound to `value`.
fn sub(text: &str, var: &str, value: Spanned, span: Span) -> Spanned {
    intrinsic(
        "Fn::Sub",
        list(vec![s(text, span), map(vec![(var, value)], span)], span),
        span,
    )
}

/// The statements SAM's policy template `name` grants, with its parameter
/// values (`BucketName: !Ref Uploads`) as written, from the AWS SAM
/// documentation's policy template table. `None` for a template Bucketwire
/// does not know.
pub fn policy_template(name: &str, params: &Spanned, span: Span) -> Option<Vec<Spanned>> {
    let param = |p: &str| params.get(p).cloned().unwrap_or_else(|| s("", span));
    let statement = |actions: &[&str], resources: Vec<Spanned>| {
        map(
            vec![
                ("Effect", s("Allow", span)),
                (
                    "Action",
                    list(actions.iter().map(|a| s(a, span)).collect(), span),
                ),
                ("Resource", list(resources, span)),
            ],
            span,
        )
    };
    let bucket = || {
        sub(
            "arn:${AWS::Partition}:s3:::${bucketName}",
            "bucketName",
            param("BucketName"),
            span,
        )
    };
    let objects = || {
        sub(
            "arn:${AWS::Partition}:s3:::${bucketName}/*",
            "bucketName",
            param("BucketName"),
            span,
        )
    };
    let queue = || {
        sub(
            "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}",
            "queueName",
            param("QueueName"),
            span,
        )
    };
    let topic = || {
        sub(
            "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${topicName}",
            "topicName",
            param("TopicName"),
            span,
        )
    };
    let function = || {
        sub("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionName}*", "functionName", param("FunctionName"), span)
    };
    Some(match name {
        "S3ReadPolicy" => vec![statement(
            &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:GetLifecycleConfiguration",
            ],
            vec![bucket(), objects()],
        )],
        "S3WritePolicy" => vec![statement(
            &[
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:PutLifecycleConfiguration",
            ],
            vec![bucket(), objects()],
        )],
        "S3CrudPolicy" => vec![statement(
            &[
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketLocation",
                "s3:GetObjectVersion",
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:GetLifecycleConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:DeleteObject",
            ],
            vec![bucket(), objects()],
        )],
        "S3FullAccessPolicy" => vec![
            statement(
                &[
                    "s3:GetObject",
                    "s3:GetObjectAcl",
                    "s3:GetObjectVersion",
                    "s3:PutObject",
                    "s3:PutObjectAcl",
                    "s3:DeleteObject",
                    "s3:DeleteObjectTagging",
                    "s3:DeleteObjectVersionTagging",
                    "s3:GetObjectTagging",
                    "s3:GetObjectVersionTagging",
                    "s3:PutObjectTagging",
                    "s3:PutObjectVersionTagging",
                ],
                vec![objects()],
            ),
            statement(
                &[
                    "s3:ListBucket",
                    "s3:GetBucketLocation",
                    "s3:GetLifecycleConfiguration",
                    "s3:PutLifecycleConfiguration",
                ],
                vec![bucket()],
            ),
        ],
        "SQSPollerPolicy" => vec![statement(
            &[
                "sqs:ChangeMessageVisibility",
                "sqs:ChangeMessageVisibilityBatch",
                "sqs:DeleteMessage",
                "sqs:DeleteMessageBatch",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
            ],
            vec![queue()],
        )],
        "SQSSendMessagePolicy" => vec![statement(&["sqs:SendMessage*"], vec![queue()])],
        "SNSPublishMessagePolicy" => vec![statement(&["sns:Publish"], vec![topic()])],
        "SNSCrudPolicy" => vec![statement(
            &[
                "sns:ListSubscriptionsByTopic",
                "sns:CreateTopic",
                "sns:SetTopicAttributes",
                "sns:Subscribe",
                "sns:Publish",
            ],
            vec![topic()],
        )],
        "LambdaInvokePolicy" => vec![statement(&["lambda:InvokeFunction"], vec![function()])],
        "CloudWatchPutMetricPolicy" => {
            vec![statement(&["cloudwatch:PutMetricData"], vec![s("*", span)])]
        }
        "KMSDecryptPolicy" => vec![statement(
            &["kms:Decrypt"],
            vec![sub(
                "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}",
                "keyId",
                param("KeyId"),
                span,
            )],
        )],
        _ => return None,
    })
}

/// Properties of `own` over `globals`: a mapping property is merged key by
/// key (the function's own keys win), anything else is the function's.
fn with_globals(own: &Spanned, globals: Option<&Spanned>) -> Spanned {
    let Some(globals) = globals else {
        return own.clone();
    };
    let mut entries: Vec<(Spanned, Spanned)> = globals.entries().to_vec();
    for (k, v) in own.entries() {
        match entries.iter_mut().find(|(gk, _)| gk.as_str() == k.as_str()) {
            Some((_, gv)) if matches!((&gv.node, &v.node), (Node::Map(_), Node::Map(_))) => {
                *gv = with_globals(v, Some(gv));
            }
            Some(slot) => *slot = (k.clone(), v.clone()),
            None => entries.push((k.clone(), v.clone())),
        }
    }
    Spanned {
        node: Node::Map(entries),
        span: own.span,
    }
}

fn resource(id: String, kind: &str, properties: Spanned, span: Span) -> Resource {
    Resource {
        id,
        kind: kind.into(),
        span,
        properties,
        depends_on: Vec::new(),
        condition: None,
    }
}

/// Expands SAM's functions in place; answers the findings SAM itself would
/// refuse the template for (`sam-bucket-not-in-template`).
///
/// # Errors
/// [`TemplateError`] for an event without a `Type`.
pub fn expand(template: &mut Template) -> Result<Vec<Placed>, TemplateError> {
    let mut findings = Vec::new();
    let globals = template.globals.get("Function").cloned();
    let functions: Vec<usize> = (0..template.resources.len())
        .filter(|&i| template.resources[i].kind == "AWS::Serverless::Function")
        .collect();
    let mut added: Vec<Resource> = Vec::new();
    // (bucket logical id, configuration, permission id)
    let mut bucket_entries: Vec<(String, Spanned, String)> = Vec::new();
    for i in functions {
        let f = template.resources[i].clone();
        let span = f.span;
        let props = with_globals(&f.properties, globals.as_ref());
        let mut function_props: Vec<(Spanned, Spanned)> = props
            .entries()
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    Some(
                        "Events"
                            | "Policies"
                            | "Role"
                            | "AutoPublishAlias"
                            | "CodeUri"
                            | "InlineCode"
                    )
                )
            })
            .cloned()
            .collect();
        let role_id = format!("{}Role", f.id);
        let role_value = match props.get("Role") {
            Some(r) => r.clone(),
            None => get_att(&role_id, "Arn", span),
        };
        function_props.push((s("Role", span), role_value));
        let mut managed = vec![s(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            span,
        )];
        let mut inline: Vec<Spanned> = Vec::new();
        let policies = props.get("Policies");
        let policy_items: Vec<Spanned> = match policies.map(|p| &p.node) {
            Some(Node::List(items)) => items.clone(),
            Some(_) => policies.cloned().into_iter().collect(),
            None => Vec::new(),
        };
        for p in &policy_items {
            match &p.node {
                Node::String(name) => managed.push(if name.starts_with("arn:") {
                    p.clone()
                } else {
                    s(&format!("arn:aws:iam::aws:policy/{name}"), p.span)
                }),
                Node::Map(_) if p.get("Statement").is_some() => inline.push(p.clone()),
                Node::Map(entries) => {
                    for (k, v) in entries {
                        let name = k.as_str().unwrap_or_default();
                        match policy_template(name, v, k.span) {
                            Some(statements) => inline.push(map(
                                vec![
                                    ("Version", s("2012-10-17", k.span)),
                                    ("Statement", list(statements, k.span)),
                                ],
                                k.span,
                            )),
                            // Ref/GetAtt of a managed policy, or a template Bucketwire does not know.
                            None if name == "Ref" || name.starts_with("Fn::") => {
                                managed.push(p.clone())
                            }
                            None => managed.push(s(
                                &format!("arn:aws:iam::aws:policy/sam-policy-template/{name}"),
                                k.span,
                            )),
                        }
                    }
                }
                _ => {}
            }
        }
        let mut events = Vec::new();
        for (name, event) in props
            .get("Events")
            .map(Spanned::entries)
            .unwrap_or_default()
        {
            let event_name = name.as_str().unwrap_or_default().to_string();
            let kind =
                event
                    .get("Type")
                    .and_then(Spanned::as_str)
                    .ok_or_else(|| TemplateError {
                        span: name.span,
                        message: format!("event {event_name} of {} has no Type", f.id),
                    })?;
            let ep = event
                .get("Properties")
                .cloned()
                .unwrap_or_else(|| map(Vec::new(), name.span));
            events.push((event_name, kind.to_string(), ep, name.span));
        }
        for (event, kind, ep, at) in events {
            let id = format!("{}{event}", f.id);
            let permission = format!("{id}Permission");
            match kind.as_str() {
                "S3" => {
                    let bucket = ep
                        .get("Bucket")
                        .and_then(|b| b.get("Ref"))
                        .and_then(Spanned::as_str)
                        .map(String::from);
                    let declared = bucket
                        .as_deref()
                        .and_then(|b| template.resource(b))
                        .is_some_and(|r| r.kind == "AWS::S3::Bucket");
                    let Some(bucket) = bucket.filter(|_| declared) else {
                        findings.push((
                            Finding {
                                rule: "sam-bucket-not-in-template",
                                severity: Severity::Error,
                                message: format!("SAM refuses event {event} of function {}: \"S3 events must reference an S3 bucket in the same template\"; declare the bucket as an AWS::S3::Bucket here and write Bucket: !Ref IT, or, for a bucket that exists already, configure its notification outside SAM (a custom resource, or Bucketwire)", f.id),
                                subjects: vec![f.id.clone(), event.clone()],
                                nodes: Vec::new(),
                                source: crate::checks::source_of("sam-bucket-not-in-template"),
                                fix: None,
                            },
                            vec![(f.id.clone(), ep.entry("Bucket").map_or(at, |(k, _)| k.span))],
                        ));
                        continue;
                    };
                    let kinds: Vec<Spanned> = match ep.get("Events").map(|e| &e.node) {
                        Some(Node::List(items)) => items.clone(),
                        Some(_) => ep.get("Events").cloned().into_iter().collect(),
                        None => Vec::new(),
                    };
                    for e in kinds {
                        let mut entry = vec![
                            ("Event", e),
                            ("Function", get_att(&f.id, "Arn", at)),
                            (ORIGIN, s(&f.id, at)),
                        ];
                        if let Some(filter) = ep.get("Filter") {
                            entry.push(("Filter", filter.clone()));
                        }
                        bucket_entries.push((bucket.clone(), map(entry, at), permission.clone()));
                    }
                    added.push(resource(
                        permission,
                        "AWS::Lambda::Permission",
                        map(
                            vec![
                                ("Action", s("lambda:InvokeFunction", at)),
                                ("FunctionName", reference(&f.id, at)),
                                ("Principal", s("s3.amazonaws.com", at)),
                                ("SourceAccount", reference("AWS::AccountId", at)),
                            ],
                            at,
                        ),
                        at,
                    ));
                }
                "SQS" => {
                    let mut m = vec![("FunctionName", reference(&f.id, at))];
                    for (k, v) in ep.entries() {
                        match k.as_str() {
                            Some("Queue") => m.push(("EventSourceArn", v.clone())),
                            Some(
                                key @ ("BatchSize"
                                | "Enabled"
                                | "MaximumBatchingWindowInSeconds"
                                | "FunctionResponseTypes"
                                | "ScalingConfig"),
                            ) => m.push((key, v.clone())),
                            _ => {}
                        }
                    }
                    added.push(resource(
                        id,
                        "AWS::Lambda::EventSourceMapping",
                        map(m, at),
                        at,
                    ));
                    managed.push(s(
                        "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
                        at,
                    ));
                }
                "SNS" => {
                    let topic = ep.get("Topic").cloned().unwrap_or_else(|| s("", at));
                    added.push(resource(
                        id,
                        "AWS::SNS::Subscription",
                        map(
                            vec![
                                ("Protocol", s("lambda", at)),
                                ("Endpoint", get_att(&f.id, "Arn", at)),
                                ("TopicArn", topic.clone()),
                            ],
                            at,
                        ),
                        at,
                    ));
                    added.push(resource(
                        permission,
                        "AWS::Lambda::Permission",
                        map(
                            vec![
                                ("Action", s("lambda:InvokeFunction", at)),
                                ("FunctionName", reference(&f.id, at)),
                                ("Principal", s("sns.amazonaws.com", at)),
                                ("SourceArn", topic),
                            ],
                            at,
                        ),
                        at,
                    ));
                }
                "EventBridgeRule" | "CloudWatchEvent" => {
                    let mut rule = vec![
                        (
                            "EventPattern",
                            ep.get("Pattern")
                                .cloned()
                                .unwrap_or_else(|| map(Vec::new(), at)),
                        ),
                        (
                            "Targets",
                            list(
                                vec![map(
                                    vec![
                                        ("Arn", get_att(&f.id, "Arn", at)),
                                        ("Id", s(&format!("{id}LambdaTarget"), at)),
                                    ],
                                    at,
                                )],
                                at,
                            ),
                        ),
                    ];
                    if let Some(state) = ep.get("State") {
                        rule.push(("State", state.clone()));
                    }
                    added.push(resource(id.clone(), "AWS::Events::Rule", map(rule, at), at));
                    added.push(resource(
                        permission,
                        "AWS::Lambda::Permission",
                        map(
                            vec![
                                ("Action", s("lambda:InvokeFunction", at)),
                                ("FunctionName", reference(&f.id, at)),
                                ("Principal", s("events.amazonaws.com", at)),
                                ("SourceArn", get_att(&id, "Arn", at)),
                            ],
                            at,
                        ),
                        at,
                    ));
                }
                _ => {}
            }
        }
        if props.get("Role").is_none() {
            let inline_policies: Vec<Spanned> = inline
                .into_iter()
                .enumerate()
                .map(|(n, d)| {
                    map(
                        vec![
                            ("PolicyName", s(&format!("{}RolePolicy{n}", f.id), d.span)),
                            ("PolicyDocument", d),
                        ],
                        span,
                    )
                })
                .collect();
            added.push(resource(
                role_id,
                "AWS::IAM::Role",
                map(
                    vec![
                        ("ManagedPolicyArns", list(managed, span)),
                        ("Policies", list(inline_policies, span)),
                    ],
                    span,
                ),
                span,
            ));
        }
        let r = &mut template.resources[i];
        r.kind = "AWS::Lambda::Function".into();
        r.properties = Spanned {
            node: Node::Map(function_props),
            span: f.properties.span,
        };
    }
    for (bucket, entry, permission) in bucket_entries {
        let Some(b) = template.resources.iter_mut().find(|r| r.id == bucket) else {
            continue;
        };
        let at = entry.span;
        add_lambda_configuration(&mut b.properties, entry, at);
        if !b.depends_on.iter().any(|(d, _)| *d == permission) {
            b.depends_on.push((permission, at));
        }
    }
    template.resources.extend(added);
    template.reindex();
    template.sam = false;
    Ok(findings)
}

/// Appends `entry` to `properties.NotificationConfiguration.LambdaConfigurations`.
fn add_lambda_configuration(properties: &mut Spanned, entry: Spanned, at: Span) {
    if let Some(config) =
        properties.entry_or_insert("NotificationConfiguration", || map(Vec::new(), at))
    {
        config.push_to("LambdaConfigurations", entry);
    }
}

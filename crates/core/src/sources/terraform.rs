//! Terraform: a module's `.tf` files read into the same template model a
//! CloudFormation template makes ([`Template`]), so the wiring, the
//! document checks and the template checks are the ones CloudFormation's
//! get. Each `aws_*` resource of the wiring becomes the CloudFormation
//! resource it stands for (`aws_s3_bucket` an `AWS::S3::Bucket`,
//! `aws_lambda_permission` an `AWS::Lambda::Permission`…), named by its
//! address (`aws_lambda_function.resize`); a reference
//! (`aws_lambda_function.resize.arn`) becomes the `Fn::GetAtt` or `Ref` it
//! means, `var.NAME` a parameter with the variable's default, `local.NAME`
//! the local's value, `jsonencode(…)`, a heredoc or a string of JSON the
//! document it holds, `data.aws_iam_policy_document.NAME.json` the policy
//! document its `statement` blocks make. `aws_s3_bucket_notification` is
//! the bucket's notification in the S3 API's shape (as CDK's custom
//! resource is), and two of them for one bucket are
//! `duplicate-bucket-notification`: Terraform keeps only one.
//!
//! What Terraform computes at apply (a `count` or `for_each` instance, a
//! function other than those above, a conditional) stays a placeholder.

use crate::checks::finding::Severity;
use crate::model::placeholder::placeholder;
use crate::sources::cloudformation::template::{Placed, Resource, Template};
use crate::sources::yaml::{
    intrinsic_node as intrinsic, list_node as list, map_node as map, string_node as s, Node, Span,
    Spanned,
};
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, BlockLabel};
use hcl_edit::template::Element;
use hcl_edit::Span as _;
use std::collections::BTreeMap;

/// Why a `.tf` file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct HclError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

/// Byte offsets to line and column, for one file.
struct Lines {
    starts: Vec<usize>,
    file: u16,
}

impl Lines {
    fn new(text: &str, file: u16) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts, file }
    }

    fn at(&self, offset: usize, text: &str) -> Span {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = text.get(start..offset).map_or(1, |t| t.chars().count() + 1);
        Span {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            file: self.file,
        }
    }
}

/// The CloudFormation type each Terraform resource type of the wiring
/// stands for.
fn cfn_type(tf: &str) -> Option<&'static str> {
    Some(match tf {
        "aws_s3_bucket" => "AWS::S3::Bucket",
        "aws_s3_bucket_notification" => "Custom::S3BucketNotifications",
        "aws_lambda_function" => "AWS::Lambda::Function",
        "aws_lambda_alias" => "AWS::Lambda::Alias",
        "aws_lambda_permission" => "AWS::Lambda::Permission",
        "aws_iam_role" => "AWS::IAM::Role",
        "aws_iam_role_policy" => "AWS::IAM::Policy",
        "aws_iam_policy" => "AWS::IAM::ManagedPolicy",
        "aws_sqs_queue" => "AWS::SQS::Queue",
        "aws_sqs_queue_policy" => "AWS::SQS::QueuePolicy",
        "aws_sns_topic" => "AWS::SNS::Topic",
        "aws_sns_topic_policy" => "AWS::SNS::TopicPolicy",
        "aws_sns_topic_subscription" => "AWS::SNS::Subscription",
        "aws_lambda_event_source_mapping" => "AWS::Lambda::EventSourceMapping",
        "aws_cloudwatch_event_rule" => "AWS::Events::Rule",
        _ => return None,
    })
}

/// How `TYPE.NAME.ATTRIBUTE` reads in CloudFormation's terms: `Some(attr)`
/// for `Fn::GetAtt`, `None` for `Ref`.
fn attribute(tf_type: &str, attr: &str) -> Option<&'static str> {
    match (tf_type, attr) {
        (_, "arn") => Some("Arn"),
        ("aws_sqs_queue", "url" | "id") | ("aws_sns_topic", "id") => None,
        ("aws_sqs_queue", "name") => Some("QueueName"),
        ("aws_sns_topic", "name") => Some("TopicName"),
        _ => None,
    }
}

/// Attributes whose value is a policy document written as JSON text.
const POLICY_ATTRIBUTES: &[&str] = &[
    "policy",
    "assume_role_policy",
    "event_pattern",
    "redrive_policy",
];

/// One module: its files' resources, variables, locals and policy
/// documents, read into a [`Template`].
struct Module {
    variables: BTreeMap<String, Option<Spanned>>,
    locals: BTreeMap<String, Spanned>,
    documents: BTreeMap<String, Spanned>,
    /// Address → Terraform type, for references.
    types: BTreeMap<String, String>,
}

/// Reads a module (its `.tf` files, by name and text) into a template,
/// with the findings only Terraform has (`duplicate-bucket-notification`).
///
/// # Errors
/// [`HclError`] with the file, line and column of text that is not HCL.
pub fn read_module(files: &[(String, String)]) -> Result<(Template, Vec<Placed>), HclError> {
    let mut bodies = Vec::new();
    for (i, (name, text)) in files.iter().enumerate() {
        let body = hcl_edit::parser::parse_body(text).map_err(|e| HclError {
            file: name.clone(),
            line: u32::try_from(e.location().line()).unwrap_or(u32::MAX),
            column: u32::try_from(e.location().column()).unwrap_or(u32::MAX),
            message: e.message().to_string(),
        })?;
        bodies.push((
            body,
            Lines::new(text, u16::try_from(i).unwrap_or(u16::MAX)),
            text.as_str(),
        ));
    }
    let mut m = Module {
        variables: BTreeMap::new(),
        locals: BTreeMap::new(),
        documents: BTreeMap::new(),
        types: BTreeMap::new(),
    };
    // Names first: variables, locals, the resources' types, documents.
    for (body, lines, text) in &bodies {
        for block in body.blocks() {
            let labels = labels(block);
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    let default = block
                        .body
                        .get_attribute("default")
                        .map(|a| m.expr(&a.value, lines, text));
                    m.variables.insert(format!("var.{name}"), default);
                }
                ("resource", [kind, name]) => {
                    m.types.insert(format!("{kind}.{name}"), kind.clone());
                }
                _ => {}
            }
        }
    }
    for (body, lines, text) in &bodies {
        for block in body.blocks().filter(|b| b.ident.as_str() == "locals") {
            for a in block.body.attributes() {
                let value = m.expr(&a.value, lines, text);
                m.locals.insert(a.key.as_str().to_string(), value);
            }
        }
        for block in body.blocks().filter(|b| b.ident.as_str() == "data") {
            if let [kind, name] = labels(block).as_slice() {
                if kind == "aws_iam_policy_document" {
                    let doc = m.policy_document(block, lines, text);
                    m.documents.insert(format!("data.{kind}.{name}.json"), doc);
                }
            }
        }
    }
    let mut resources = Vec::new();
    let mut targets: Vec<(String, Spanned)> = Vec::new(); // rule address, target
    let mut attachments: Vec<(Spanned, Spanned)> = Vec::new(); // role, policy ARN
    for (body, lines, text) in &bodies {
        for block in body.blocks().filter(|b| b.ident.as_str() == "resource") {
            let block_labels = labels(block);
            let [kind, name] = block_labels.as_slice() else {
                continue;
            };
            let at = lines.at(block.span().map_or(0, |r| r.start), text);
            let id = format!("{kind}.{name}");
            let attr = |key: &str| {
                block.body.get_attribute(key).map(|a| {
                    (
                        m.expr_for(key, &a.value, lines, text),
                        lines.at(a.key.span().map_or(0, |r| r.start), text),
                    )
                })
            };
            let depends_on: Vec<(String, Span)> = block
                .body
                .get_attribute("depends_on")
                .map(|a| match &a.value {
                    Expression::Array(items) => items
                        .iter()
                        .filter_map(|e| {
                            traversal_address(e)
                                .map(|addr| (addr, lines.at(e.span().map_or(0, |r| r.start), text)))
                        })
                        .collect(),
                    _ => Vec::new(),
                })
                .unwrap_or_default();
            let mut props: Vec<(&str, Spanned)> = Vec::new();
            let put = |cfn: &'static str, tf: &str, props: &mut Vec<(&str, Spanned)>| {
                if let Some((v, _)) = attr(tf) {
                    props.push((cfn, v));
                }
            };
            match kind.as_str() {
                "aws_s3_bucket" => put("BucketName", "bucket", &mut props),
                "aws_lambda_function" => {
                    put("FunctionName", "function_name", &mut props);
                    put("Role", "role", &mut props);
                    put("Timeout", "timeout", &mut props);
                }
                "aws_lambda_alias" => {
                    put("FunctionName", "function_name", &mut props);
                    put("Name", "name", &mut props);
                }
                "aws_lambda_permission" => {
                    put("Action", "action", &mut props);
                    put("FunctionName", "function_name", &mut props);
                    put("Principal", "principal", &mut props);
                    put("SourceArn", "source_arn", &mut props);
                    put("SourceAccount", "source_account", &mut props);
                }
                "aws_iam_role" => {
                    put("RoleName", "name", &mut props);
                    put("ManagedPolicyArns", "managed_policy_arns", &mut props);
                    let inline: Vec<Spanned> = block
                        .body
                        .get_blocks("inline_policy")
                        .filter_map(|b| {
                            let policy = b.body.get_attribute("policy")?;
                            let name = b
                                .body
                                .get_attribute("name")
                                .map_or_else(|| s("inline", at), |a| m.expr(&a.value, lines, text));
                            Some(map(
                                vec![
                                    ("PolicyName", name),
                                    (
                                        "PolicyDocument",
                                        m.expr_for("policy", &policy.value, lines, text),
                                    ),
                                ],
                                at,
                            ))
                        })
                        .collect();
                    props.push(("Policies", list(inline, at)));
                }
                "aws_iam_role_policy" => {
                    put("PolicyName", "name", &mut props);
                    put("PolicyDocument", "policy", &mut props);
                    if let Some((role, _)) = attr("role") {
                        props.push(("Roles", list(vec![role], at)));
                    }
                }
                "aws_iam_policy" => {
                    put("ManagedPolicyName", "name", &mut props);
                    put("PolicyDocument", "policy", &mut props);
                }
                "aws_iam_role_policy_attachment" => {
                    if let (Some((role, _)), Some((policy, _))) = (attr("role"), attr("policy_arn"))
                    {
                        attachments.push((role, policy));
                    }
                    continue;
                }
                "aws_sqs_queue" => {
                    put("QueueName", "name", &mut props);
                    put(
                        "VisibilityTimeout",
                        "visibility_timeout_seconds",
                        &mut props,
                    );
                    put("RedrivePolicy", "redrive_policy", &mut props);
                    put("KmsMasterKeyId", "kms_master_key_id", &mut props);
                }
                "aws_sqs_queue_policy" => {
                    put("PolicyDocument", "policy", &mut props);
                    if let Some((q, _)) = attr("queue_url") {
                        props.push(("Queues", list(vec![q], at)));
                    }
                }
                "aws_sns_topic" => {
                    put("TopicName", "name", &mut props);
                    put("KmsMasterKeyId", "kms_master_key_id", &mut props);
                }
                "aws_sns_topic_policy" => {
                    put("PolicyDocument", "policy", &mut props);
                    if let Some((t, _)) = attr("arn") {
                        props.push(("Topics", list(vec![t], at)));
                    }
                }
                "aws_sns_topic_subscription" => {
                    put("TopicArn", "topic_arn", &mut props);
                    put("Protocol", "protocol", &mut props);
                    put("Endpoint", "endpoint", &mut props);
                }
                "aws_lambda_event_source_mapping" => {
                    put("EventSourceArn", "event_source_arn", &mut props);
                    put("FunctionName", "function_name", &mut props);
                    put("BatchSize", "batch_size", &mut props);
                    put(
                        "MaximumBatchingWindowInSeconds",
                        "maximum_batching_window_in_seconds",
                        &mut props,
                    );
                    put(
                        "FunctionResponseTypes",
                        "function_response_types",
                        &mut props,
                    );
                    put("Enabled", "enabled", &mut props);
                    if let Some(c) = block.body.get_blocks("scaling_config").next() {
                        if let Some(a) = c.body.get_attribute("maximum_concurrency") {
                            props.push((
                                "ScalingConfig",
                                map(
                                    vec![("MaximumConcurrency", m.expr(&a.value, lines, text))],
                                    at,
                                ),
                            ));
                        }
                    }
                }
                "aws_cloudwatch_event_rule" => {
                    put("Name", "name", &mut props);
                    put("EventPattern", "event_pattern", &mut props);
                    if let Some(a) = block.body.get_attribute("state") {
                        props.push(("State", m.expr(&a.value, lines, text)));
                    } else if let Some(Expression::Bool(b)) =
                        block.body.get_attribute("is_enabled").map(|a| &a.value)
                    {
                        props.push((
                            "State",
                            s(if *b.value() { "ENABLED" } else { "DISABLED" }, at),
                        ));
                    }
                }
                "aws_cloudwatch_event_target" => {
                    if let (Some(rule), Some((arn, _))) =
                        (block.body.get_attribute("rule"), attr("arn"))
                    {
                        let rule = traversal_address(&rule.value).unwrap_or_default();
                        targets.push((rule, map(vec![("Arn", arn), ("Id", s(name, at))], at)));
                    }
                    continue;
                }
                "aws_s3_bucket_notification" => {
                    put("BucketName", "bucket", &mut props);
                    props.push((
                        "NotificationConfiguration",
                        m.notification(block, lines, text, at),
                    ));
                }
                _ => {}
            }
            let Some(cfn) = cfn_type(kind) else { continue };
            resources.push(Resource {
                id,
                kind: cfn.into(),
                span: at,
                properties: map(props, at),
                depends_on,
                condition: None,
            });
        }
    }
    // Targets into their rules, attachments into their roles.
    for (rule, target) in targets {
        if let Some(r) = resources.iter_mut().find(|r| r.id == rule) {
            r.properties.push_to("Targets", target);
        }
    }
    for (role, policy) in attachments {
        let role_address = reference_target(&role);
        if let Some(r) = resources
            .iter_mut()
            .find(|r| Some(r.id.as_str()) == role_address.as_deref())
        {
            r.properties.push_to("ManagedPolicyArns", policy);
        }
    }
    let findings = duplicate_notifications(&resources);
    let mut template = Template::from_resources(m.variables_as_parameters(), resources);
    template.reindex();
    Ok((template, findings))
}

/// `duplicate-bucket-notification`: two `aws_s3_bucket_notification`
/// resources for one bucket.
fn duplicate_notifications(resources: &[Resource]) -> Vec<Placed> {
    let mut by_bucket: BTreeMap<String, Vec<&Resource>> = BTreeMap::new();
    for r in resources
        .iter()
        .filter(|r| r.kind == "Custom::S3BucketNotifications")
    {
        let key = r
            .property("BucketName")
            .map(|b| reference_target(b).unwrap_or_else(|| format!("{:?}", b.to_json())))
            .unwrap_or_default();
        by_bucket.entry(key).or_default().push(r);
    }
    by_bucket
        .into_iter()
        .filter(|(_, list)| list.len() > 1)
        .map(|(bucket, list)| {
            let names: Vec<&str> = list.iter().map(|r| r.id.as_str()).collect();
            (
                crate::checks::finding(
                    "duplicate-bucket-notification",
                    Severity::Error,
                    format!(
                        "{} all write the notification configuration of bucket {bucket}: a bucket has one, so each apply replaces what the other wrote and the plan never settles; merge them into one aws_s3_bucket_notification",
                        names.join(" and ")
                    ),
                    Vec::new(),
                    names.iter().map(|n| n.to_string()).collect(),
                ),
                list.iter().map(|r| (r.id.clone(), r.span)).collect(),
            )
        })
        .collect()
}

/// The resource a `Ref` or `Fn::GetAtt` node names.
fn reference_target(node: &Spanned) -> Option<String> {
    let (k, v) = node.entries().first()?;
    match k.as_str()? {
        "Ref" => v.as_str().map(String::from),
        "Fn::GetAtt" => v
            .items()
            .first()
            .and_then(Spanned::as_str)
            .map(String::from),
        _ => None,
    }
}

fn labels(block: &Block) -> Vec<String> {
    block
        .labels
        .iter()
        .map(|l| match l {
            BlockLabel::Ident(i) => i.as_str().to_string(),
            BlockLabel::String(s) => s.value().to_string(),
        })
        .collect()
}

/// `TYPE.NAME` of a reference (`aws_lambda_permission.allow`).
fn traversal_address(e: &Expression) -> Option<String> {
    let Expression::Traversal(t) = e else {
        return None;
    };
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    match t.operators.first().map(|o| o.value()) {
        Some(TraversalOperator::GetAttr(name)) => {
            Some(format!("{}.{}", root.as_str(), name.as_str()))
        }
        _ => None,
    }
}

impl Module {
    fn variables_as_parameters(&self) -> BTreeMap<String, Option<Spanned>> {
        let mut p = self.variables.clone();
        for (k, v) in &self.locals {
            p.insert(format!("local.{k}"), Some(v.clone()));
        }
        for (k, v) in &self.documents {
            p.insert(
                k.clone(),
                Some(intrinsic("Fn::ToJsonString", v.clone(), v.span)),
            );
        }
        p
    }

    /// An attribute's value; for a policy attribute, the document its JSON
    /// text (or `jsonencode`) holds.
    fn expr_for(&self, key: &str, e: &Expression, lines: &Lines, text: &str) -> Spanned {
        let v = self.expr(e, lines, text);
        if !POLICY_ATTRIBUTES.contains(&key) {
            return v;
        }
        match &v.node {
            Node::String(json) => match serde_json::from_str::<serde_json::Value>(json) {
                Ok(doc) => from_json(&doc, v.span),
                Err(_) => v,
            },
            _ => match reference_target(&v) {
                // data.aws_iam_policy_document.X.json: the document itself.
                Some(address) if self.documents.contains_key(&address) => {
                    self.documents[&address].clone()
                }
                _ => v,
            },
        }
    }

    /// An HCL expression as a template node with CloudFormation's
    /// intrinsics.
    fn expr(&self, e: &Expression, lines: &Lines, text: &str) -> Spanned {
        let at = lines.at(e.span().map_or(0, |r| r.start), text);
        match e {
            Expression::Null(_) => Spanned {
                node: Node::Null,
                span: at,
            },
            Expression::Bool(b) => Spanned {
                node: Node::Bool(*b.value()),
                span: at,
            },
            Expression::Number(n) => Spanned {
                node: Node::Number(n.value().to_string()),
                span: at,
            },
            Expression::String(v) => s(v.value(), at),
            Expression::Array(items) => list(
                items.iter().map(|i| self.expr(i, lines, text)).collect(),
                at,
            ),
            Expression::Object(obj) => Spanned {
                node: Node::Map(
                    obj.iter()
                        .map(|(k, v)| {
                            let key = match k {
                                ObjectKey::Ident(i) => i.as_str().to_string(),
                                ObjectKey::Expression(Expression::String(s)) => {
                                    s.value().to_string()
                                }
                                ObjectKey::Expression(other) => other.to_string(),
                            };
                            (s(&key, at), self.expr(v.expr(), lines, text))
                        })
                        .collect(),
                ),
                span: at,
            },
            Expression::StringTemplate(t) => self.template(t.iter(), at, lines, text),
            Expression::HeredocTemplate(h) => self.template(h.template.iter(), at, lines, text),
            Expression::Parenthesis(p) => self.expr(p.inner(), lines, text),
            Expression::Traversal(t) => self.traversal(t, at),
            Expression::Variable(v) => s(&placeholder(v.as_str()), at),
            Expression::FuncCall(f) => {
                let name = f.name.name.as_str();
                let args: Vec<&Expression> = f.args.iter().collect();
                match (name, args.as_slice()) {
                    ("jsonencode", [arg]) => self.expr(arg, lines, text),
                    _ => s(&placeholder(&format!("{name}()")), at),
                }
            }
            _ => s(&placeholder("expression"), at),
        }
    }

    fn template<'e>(
        &self,
        elements: impl Iterator<Item = &'e Element>,
        at: Span,
        lines: &Lines,
        text: &str,
    ) -> Spanned {
        let mut parts = Vec::new();
        for el in elements {
            match el {
                Element::Literal(l) => parts.push(s(l.value(), at)),
                Element::Interpolation(i) => parts.push(self.expr(&i.expr, lines, text)),
                Element::Directive(_) => parts.push(s(&placeholder("directive"), at)),
            }
        }
        match parts.as_slice() {
            [one] if matches!(one.node, Node::String(_)) => one.clone(),
            _ => intrinsic("Fn::Join", list(vec![s("", at), list(parts, at)], at), at),
        }
    }

    /// `var.X`, `local.X`, `data.aws_iam_policy_document.X.json`,
    /// `TYPE.NAME.ATTRIBUTE`.
    fn traversal(&self, t: &hcl_edit::expr::Traversal, at: Span) -> Spanned {
        let Expression::Variable(root) = &t.expr else {
            return s(&placeholder("expression"), at);
        };
        let names: Vec<&str> = t
            .operators
            .iter()
            .map_while(|o| match o.value() {
                TraversalOperator::GetAttr(n) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        let root = root.as_str();
        match (root, names.as_slice()) {
            ("var" | "local", [name, ..]) => intrinsic("Ref", s(&format!("{root}.{name}"), at), at),
            ("data", [kind, name, "json"]) => {
                intrinsic("Ref", s(&format!("data.{kind}.{name}.json"), at), at)
            }
            (kind, [name, attr, ..]) if self.types.contains_key(&format!("{kind}.{name}")) => {
                let address = format!("{kind}.{name}");
                match attribute(kind, attr) {
                    Some(a) => {
                        intrinsic("Fn::GetAtt", list(vec![s(&address, at), s(a, at)], at), at)
                    }
                    None => intrinsic("Ref", s(&address, at), at),
                }
            }
            _ => s(&placeholder(&format!("{root}.{}", names.join("."))), at),
        }
    }

    /// A `data "aws_iam_policy_document"` block's policy document.
    fn policy_document(&self, block: &Block, lines: &Lines, text: &str) -> Spanned {
        let at = lines.at(block.span().map_or(0, |r| r.start), text);
        let mut statements = Vec::new();
        for st in block.body.get_blocks("statement") {
            let get = |k: &str| {
                st.body
                    .get_attribute(k)
                    .map(|a| self.expr(&a.value, lines, text))
            };
            let mut entries = vec![("Effect", get("effect").unwrap_or_else(|| s("Allow", at)))];
            entries.extend(get("sid").map(|v| ("Sid", v)));
            entries.extend(get("actions").map(|v| ("Action", v)));
            entries.extend(get("resources").map(|v| ("Resource", v)));
            if let Some(p) = st.body.get_blocks("principals").next() {
                let kind = p
                    .body
                    .get_attribute("type")
                    .map(|a| self.expr(&a.value, lines, text));
                let ids = p
                    .body
                    .get_attribute("identifiers")
                    .map(|a| self.expr(&a.value, lines, text));
                if let (Some(kind), Some(ids)) = (kind, ids) {
                    let key = kind.as_str().unwrap_or("AWS").to_string();
                    entries.push((
                        "Principal",
                        Spanned {
                            node: Node::Map(vec![(s(&key, at), ids)]),
                            span: at,
                        },
                    ));
                }
            }
            let mut conditions: BTreeMap<String, Vec<(Spanned, Spanned)>> = BTreeMap::new();
            for c in st.body.get_blocks("condition") {
                let test = c
                    .body
                    .get_attribute("test")
                    .map(|a| self.expr(&a.value, lines, text));
                let variable = c
                    .body
                    .get_attribute("variable")
                    .map(|a| self.expr(&a.value, lines, text));
                let values = c
                    .body
                    .get_attribute("values")
                    .map(|a| self.expr(&a.value, lines, text));
                if let (Some(test), Some(variable), Some(values)) = (test, variable, values) {
                    conditions
                        .entry(test.as_str().unwrap_or_default().to_string())
                        .or_default()
                        .push((s(variable.as_str().unwrap_or_default(), at), values));
                }
            }
            if !conditions.is_empty() {
                let node = Node::Map(
                    conditions
                        .into_iter()
                        .map(|(k, v)| {
                            (
                                s(&k, at),
                                Spanned {
                                    node: Node::Map(v),
                                    span: at,
                                },
                            )
                        })
                        .collect(),
                );
                entries.push(("Condition", Spanned { node, span: at }));
            }
            statements.push(map(entries, at));
        }
        map(
            vec![
                ("Version", s("2012-10-17", at)),
                ("Statement", list(statements, at)),
            ],
            at,
        )
    }

    /// An `aws_s3_bucket_notification`'s blocks as the S3 API's
    /// NotificationConfiguration.
    fn notification(&self, block: &Block, lines: &Lines, text: &str, at: Span) -> Spanned {
        let mut out = Vec::new();
        for (tf, api, arn_key, arn_field) in [
            (
                "lambda_function",
                "LambdaFunctionConfigurations",
                "lambda_function_arn",
                "LambdaFunctionArn",
            ),
            ("queue", "QueueConfigurations", "queue_arn", "QueueArn"),
            ("topic", "TopicConfigurations", "topic_arn", "TopicArn"),
        ] {
            let mut entries = Vec::new();
            for b in block.body.get_blocks(tf) {
                let bat = lines.at(b.span().map_or(0, |r| r.start), text);
                let get = |k: &str| {
                    b.body
                        .get_attribute(k)
                        .map(|a| self.expr(&a.value, lines, text))
                };
                let mut e = Vec::new();
                e.extend(get("id").map(|v| ("Id", v)));
                e.extend(get("events").map(|v| ("Events", v)));
                e.extend(get(arn_key).map(|v| (arn_field, v)));
                let mut rules = Vec::new();
                for (key, name) in [("filter_prefix", "prefix"), ("filter_suffix", "suffix")] {
                    if let Some(v) = get(key) {
                        rules.push(map(vec![("Name", s(name, bat)), ("Value", v)], bat));
                    }
                }
                if !rules.is_empty() {
                    e.push((
                        "Filter",
                        map(
                            vec![("Key", map(vec![("FilterRules", list(rules, bat))], bat))],
                            bat,
                        ),
                    ));
                }
                entries.push(map(e, bat));
            }
            if !entries.is_empty() {
                out.push((api, list(entries, at)));
            }
        }
        if let Some(Expression::Bool(b)) = block.body.get_attribute("eventbridge").map(|a| &a.value)
        {
            if *b.value() {
                out.push((
                    "EventBridgeConfiguration",
                    map(
                        vec![(
                            "EventBridgeEnabled",
                            Spanned {
                                node: Node::Bool(true),
                                span: at,
                            },
                        )],
                        at,
                    ),
                ));
            }
        }
        map(out, at)
    }
}

/// A JSON value as a template node, every node at `at`.
fn from_json(v: &serde_json::Value, at: Span) -> Spanned {
    use serde_json::Value;
    let node = match v {
        Value::Null => Node::Null,
        Value::Bool(b) => Node::Bool(*b),
        Value::Number(n) => Node::Number(n.to_string()),
        Value::String(t) => Node::String(t.clone()),
        Value::Array(items) => Node::List(items.iter().map(|i| from_json(i, at)).collect()),
        Value::Object(m) => Node::Map(
            m.iter()
                .map(|(k, v)| (s(k, at), from_json(v, at)))
                .collect(),
        ),
    };
    Spanned { node, span: at }
}

/// Whether a module's files hold any resource of the wiring (a folder of
/// unrelated Terraform is passed over).
pub fn has_wiring(text: &str) -> bool {
    text.contains("resource") && text.contains("\"aws_")
}

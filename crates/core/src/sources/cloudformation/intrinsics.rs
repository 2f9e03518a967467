//! CloudFormation's intrinsic functions evaluated before deploy, as far as
//! a template alone can: a parameter's `Default`, the pseudo parameters of
//! the [`Target`], a resource's name or ARN when the template names it,
//! `Fn::Sub`, `Fn::Join`, `Fn::If` (conditions on defaults), `Fn::Select`,
//! `Fn::Split`, `Fn::FindInMap`. What only a deploy knows (a generated
//! name, an imported value, a parameter without a default) becomes a named
//! placeholder, `${LogicalId}` or `${LogicalId.Attribute}`
//! ([`crate::model::placeholder`]), never an invented value.

use crate::model::placeholder::placeholder;
use crate::sources::cloudformation::template::{Resource, Template};
use crate::sources::yaml::{Node, Span, Spanned};
use serde_json::{json, Map, Value};

/// The account and region a template is checked for: what `AWS::Region`
/// and `AWS::AccountId` stand for (a template deploys anywhere; the lint
/// says which it assumed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `AWS::Region`.
    pub region: String,
    /// `AWS::AccountId` (12 digits).
    pub account: String,
}

impl Default for Target {
    fn default() -> Self {
        Self {
            region: "us-east-1".into(),
            account: "123456789012".into(),
        }
    }
}

/// An intrinsic the template misuses (unknown, wrong arguments).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {}, column {}: {message}", span.line, span.column)]
pub struct IntrinsicError {
    /// Where.
    pub span: Span,
    /// What is wrong.
    pub message: String,
}

/// How deep intrinsics may call each other (a condition naming itself).
const MAX_DEPTH: usize = 64;

/// Evaluates values of one template for one target.
pub struct Resolver<'t> {
    template: &'t Template,
    target: &'t Target,
}

/// How a reference names another resource (for the dependency graph).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceKind {
    /// `Ref`.
    Ref,
    /// `Fn::GetAtt`.
    GetAtt,
    /// `${…}` inside `Fn::Sub`.
    Sub,
    /// `DependsOn`.
    DependsOn,
}

/// One reference of a resource to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The resource referred to.
    pub to: String,
    /// How.
    pub kind: ReferenceKind,
    /// Where it is written.
    pub span: Span,
    /// As written (`!GetAtt Bucket.Arn`), for messages.
    pub text: String,
}

fn err(span: Span, message: impl Into<String>) -> IntrinsicError {
    IntrinsicError {
        span,
        message: message.into(),
    }
}

/// The property that names a resource of each type, where it has one.
fn name_property(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "AWS::S3::Bucket" => "BucketName",
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => "FunctionName",
        "AWS::IAM::Role" => "RoleName",
        "AWS::SQS::Queue" => "QueueName",
        "AWS::SNS::Topic" => "TopicName",
        "AWS::Events::Rule" => "Name",
        "AWS::IAM::ManagedPolicy" => "ManagedPolicyName",
        "AWS::Lambda::Alias" => "Name",
        _ => return None,
    })
}

impl<'t> Resolver<'t> {
    /// A resolver over `template` for `target`.
    pub fn new(template: &'t Template, target: &'t Target) -> Self {
        Self { template, target }
    }

    /// The target.
    pub fn target(&self) -> &Target {
        self.target
    }

    /// `node` with every intrinsic evaluated; `AWS::NoValue` removes the
    /// entry or item it stands for.
    ///
    /// # Errors
    /// [`IntrinsicError`] for an unknown intrinsic or one with arguments of
    /// the wrong shape.
    pub fn value(&self, node: &Spanned) -> Result<Value, IntrinsicError> {
        self.eval(node, 0).map(|v| v.unwrap_or(Value::Null))
    }

    /// The text `node` resolves to (a string or number), if it is one.
    ///
    /// # Errors
    /// As [`Resolver::value`].
    pub fn text(&self, node: &Spanned) -> Result<Option<String>, IntrinsicError> {
        Ok(match self.value(node)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    }

    /// The name a resource will have: its name property when the template
    /// sets one, else the placeholder `${Id}` (CloudFormation generates it).
    pub fn physical_name(&self, r: &Resource) -> String {
        name_property(&r.kind)
            .and_then(|p| r.property(p))
            .and_then(|n| self.text(n).ok().flatten())
            .unwrap_or_else(|| placeholder(&r.id))
    }

    fn arn(&self, service: &str, rest: &str) -> String {
        format!(
            "arn:aws:{service}:{}:{}:{rest}",
            self.target.region, self.target.account
        )
    }

    /// What `Ref` of a resource answers.
    fn ref_resource(&self, r: &Resource) -> Value {
        let name = self.physical_name(r);
        Value::String(match r.kind.as_str() {
            "AWS::SQS::Queue" => format!(
                "https://sqs.{}.amazonaws.com/{}/{name}",
                self.target.region, self.target.account
            ),
            "AWS::SNS::Topic" => self.arn("sns", &name),
            "AWS::IAM::ManagedPolicy" => {
                format!("arn:aws:iam::{}:policy/{name}", self.target.account)
            }
            "AWS::KMS::Alias" => match r
                .property("AliasName")
                .and_then(|n| self.text(n).ok().flatten())
            {
                Some(alias) => alias,
                None => placeholder(&r.id),
            },
            "AWS::Lambda::Alias" => match r
                .property("FunctionName")
                .and_then(|f| self.function_arn_of(f))
            {
                Some(function) => format!("{function}:{name}"),
                None => placeholder(&r.id),
            },
            "AWS::S3::Bucket"
            | "AWS::Lambda::Function"
            | "AWS::Serverless::Function"
            | "AWS::IAM::Role"
            | "AWS::Events::Rule" => name,
            _ => placeholder(&r.id),
        })
    }

    /// A function's ARN from a `FunctionName` property (a name, an ARN or
    /// a reference to either).
    pub fn function_arn_of(&self, node: &Spanned) -> Option<String> {
        let text = self.text(node).ok().flatten()?;
        Some(if text.starts_with("arn:") {
            text
        } else {
            self.arn("lambda", &format!("function:{text}"))
        })
    }

    /// What `Fn::GetAtt` of a resource's attribute answers.
    pub fn get_att(&self, r: &Resource, attribute: &str) -> Value {
        let name = || self.physical_name(r);
        let s = match (r.kind.as_str(), attribute) {
            ("AWS::S3::Bucket", "Arn") => format!("arn:aws:s3:::{}", name()),
            ("AWS::Lambda::Function" | "AWS::Serverless::Function", "Arn") => {
                self.arn("lambda", &format!("function:{}", name()))
            }
            ("AWS::IAM::Role", "Arn") => {
                format!("arn:aws:iam::{}:role/{}", self.target.account, name())
            }
            ("AWS::SQS::Queue", "Arn") => self.arn("sqs", &name()),
            ("AWS::SQS::Queue", "QueueName") | ("AWS::SNS::Topic", "TopicName") => name(),
            ("AWS::SQS::Queue", "QueueUrl") => return self.ref_resource(r),
            ("AWS::SNS::Topic", "TopicArn") => self.arn("sns", &name()),
            ("AWS::Events::Rule", "Arn") => self.arn("events", &format!("rule/{}", name())),
            // A key's id is only known once it exists: its ARN ends with
            // the placeholder `Ref` answers, so either names the key.
            ("AWS::KMS::Key", "Arn") => self.arn("kms", &format!("key/{}", placeholder(&r.id))),
            ("AWS::KMS::Key", "KeyId") => placeholder(&r.id),
            _ => placeholder(&format!("{}.{attribute}", r.id)),
        };
        Value::String(s)
    }

    fn pseudo(&self, name: &str) -> Option<Value> {
        Some(Value::String(match name {
            "AWS::Region" => self.target.region.clone(),
            "AWS::AccountId" => self.target.account.clone(),
            "AWS::Partition" => "aws".into(),
            "AWS::URLSuffix" => "amazonaws.com".into(),
            "AWS::StackName" => placeholder("AWS.StackName"),
            "AWS::StackId" => placeholder("AWS.StackId"),
            "AWS::NotificationARNs" => return Some(json!([])),
            _ => return None,
        }))
    }

    /// `Ref NAME`: a parameter (its default), a pseudo parameter, a
    /// resource; `None` for `AWS::NoValue`.
    fn reference(&self, name: &str, span: Span) -> Result<Option<Value>, IntrinsicError> {
        if name == "AWS::NoValue" {
            return Ok(None);
        }
        if let Some(v) = self.pseudo(name) {
            return Ok(Some(v));
        }
        if let Some(default) = self.template.parameters.get(name) {
            return Ok(Some(match default {
                Some(d) => self.eval(d, 1)?.unwrap_or(Value::Null),
                None => Value::String(placeholder(name)),
            }));
        }
        match self.template.resource(name) {
            Some(r) => Ok(Some(self.ref_resource(r))),
            None => Err(err(
                span,
                format!("Ref {name}: no parameter or resource of that name"),
            )),
        }
    }

    /// Whether condition `name` holds (on the parameters' defaults).
    ///
    /// # Errors
    /// An unknown condition, or one that is not a condition function.
    pub fn condition(&self, name: &str, span: Span) -> Result<bool, IntrinsicError> {
        self.condition_at(name, span, 0)
    }

    fn condition_at(&self, name: &str, span: Span, depth: usize) -> Result<bool, IntrinsicError> {
        let Some(c) = self.template.conditions.get(name) else {
            return Err(err(span, format!("condition {name} is not in Conditions")));
        };
        self.truth(c, depth + 1)
    }

    fn truth(&self, node: &Spanned, depth: usize) -> Result<bool, IntrinsicError> {
        if depth > MAX_DEPTH {
            return Err(err(node.span, "conditions refer to each other in a circle"));
        }
        let [(key, arg)] = node.entries() else {
            return match &node.node {
                Node::Bool(b) => Ok(*b),
                _ => Err(err(
                    node.span,
                    "a condition is Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition",
                )),
            };
        };
        let args = arg.items();
        match key.as_str().unwrap_or_default() {
            "Fn::Equals" if args.len() == 2 => {
                Ok(self.eval(&args[0], depth)? == self.eval(&args[1], depth)?)
            }
            "Fn::Not" if args.len() == 1 => Ok(!self.truth(&args[0], depth + 1)?),
            "Fn::And" => args
                .iter()
                .try_fold(true, |acc, a| Ok(acc && self.truth(a, depth + 1)?)),
            "Fn::Or" => args
                .iter()
                .try_fold(false, |acc, a| Ok(acc || self.truth(a, depth + 1)?)),
            "Condition" => self.condition_at(arg.as_str().unwrap_or_default(), arg.span, depth),
            other => Err(err(
                key.span,
                format!("{other} is not a condition function (or its arguments are wrong)"),
            )),
        }
    }

    fn eval(&self, node: &Spanned, depth: usize) -> Result<Option<Value>, IntrinsicError> {
        if depth > MAX_DEPTH {
            return Err(err(
                node.span,
                format!("intrinsics nested more than {MAX_DEPTH} deep"),
            ));
        }
        Ok(Some(match &node.node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => n
                .parse::<serde_json::Number>()
                .map_or_else(|_| Value::String(n.clone()), Value::Number),
            Node::String(s) => Value::String(s.clone()),
            Node::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.extend(self.eval(i, depth + 1)?);
                }
                Value::Array(out)
            }
            Node::Map(entries) => {
                if let [(key, arg)] = entries.as_slice() {
                    let k = key.as_str().unwrap_or_default();
                    if k == "Ref" || k == "Condition" || k.starts_with("Fn::") {
                        return self.intrinsic(k, arg, key.span, depth);
                    }
                }
                let mut out = Map::new();
                for (k, v) in entries {
                    if let Some(v) = self.eval(v, depth + 1)? {
                        out.insert(k.as_str().unwrap_or_default().to_string(), v);
                    }
                }
                Value::Object(out)
            }
        }))
    }

    fn intrinsic(
        &self,
        name: &str,
        arg: &Spanned,
        span: Span,
        depth: usize,
    ) -> Result<Option<Value>, IntrinsicError> {
        let d = depth + 1;
        let args = arg.items();
        let wrong = |what: &str| err(span, format!("{name}: {what}"));
        Ok(Some(match name {
            "Ref" => {
                let target = arg.as_str().ok_or_else(|| wrong("takes a name"))?;
                return self.reference(target, span);
            }
            "Condition" => Value::Bool(self.condition_at(arg.as_str().unwrap_or_default(), span, d)?),
            "Fn::GetAtt" => {
                let (resource, attribute) = match (&arg.node, args) {
                    (Node::String(s), _) => s.split_once('.').ok_or_else(|| wrong("write RESOURCE.ATTRIBUTE"))?,
                    (_, [r, a]) => (
                        r.as_str().ok_or_else(|| wrong("the resource is a logical id"))?,
                        a.as_str().ok_or_else(|| wrong("the attribute is a name"))?,
                    ),
                    _ => return Err(wrong("takes [RESOURCE, ATTRIBUTE]")),
                };
                let r = self
                    .template
                    .resource(resource)
                    .ok_or_else(|| wrong(&format!("no resource {resource}")))?;
                self.get_att(r, attribute)
            }
            "Fn::Sub" => {
                let (text, vars) = match (&arg.node, args) {
                    (Node::String(s), _) => (s.as_str(), None),
                    (_, [t, v]) => (t.as_str().ok_or_else(|| wrong("the first argument is text"))?, Some(v)),
                    _ => return Err(wrong("takes TEXT or [TEXT, {VARIABLES}]")),
                };
                Value::String(self.sub(text, vars, span, d)?)
            }
            "Fn::Join" => {
                let [delimiter, list] = args else {
                    return Err(wrong("takes [DELIMITER, [VALUES]]"));
                };
                let delimiter = delimiter.as_str().unwrap_or_default().to_string();
                let items = match self.eval(list, d)? {
                    Some(Value::Array(items)) => items,
                    _ => return Err(wrong("the second argument is a list")),
                };
                Value::String(items.iter().map(as_text).collect::<Vec<_>>().join(&delimiter))
            }
            "Fn::If" => {
                let [c, yes, no] = args else {
                    return Err(wrong("takes [CONDITION, IF_TRUE, IF_FALSE]"));
                };
                let holds = self.condition_at(c.as_str().unwrap_or_default(), c.span, d)?;
                return self.eval(if holds { yes } else { no }, d);
            }
            "Fn::Select" => {
                let [index, list] = args else {
                    return Err(wrong("takes [INDEX, [VALUES]]"));
                };
                let i = self
                    .eval(index, d)?
                    .and_then(|v| as_text(&v).parse::<usize>().ok())
                    .ok_or_else(|| wrong("the index is a number"))?;
                match self.eval(list, d)? {
                    Some(Value::Array(items)) => items
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| Value::String(placeholder(&format!("Select.{i}")))),
                    _ => Value::String(placeholder(&format!("Select.{i}"))),
                }
            }
            "Fn::Split" => {
                let [delimiter, text] = args else {
                    return Err(wrong("takes [DELIMITER, TEXT]"));
                };
                let delimiter = delimiter.as_str().unwrap_or_default();
                let text = self.eval(text, d)?.map(|v| as_text(&v)).unwrap_or_default();
                if delimiter.is_empty() {
                    return Err(wrong("the delimiter is empty"));
                }
                Value::Array(text.split(delimiter).map(|s| Value::String(s.into())).collect())
            }
            "Fn::FindInMap" => {
                let [map, first, second, ..] = args else {
                    return Err(wrong("takes [MAP, KEY, KEY]"));
                };
                let keys: Vec<String> = [map, first, second]
                    .iter()
                    .map(|k| self.eval(k, d).map(|v| v.map(|v| as_text(&v)).unwrap_or_default()))
                    .collect::<Result<_, _>>()?;
                match self
                    .template
                    .mappings
                    .get(&keys[0])
                    .and_then(|m| m.get(&keys[1]))
                    .and_then(|m| m.get(&keys[2]))
                {
                    Some(v) => return self.eval(v, d),
                    None => Value::String(placeholder(&keys.join("."))),
                }
            }
            "Fn::ImportValue" => {
                let name = self.eval(arg, d)?.map(|v| as_text(&v)).unwrap_or_default();
                Value::String(placeholder(&format!("Import.{}", sanitize(&name))))
            }
            "Fn::GetAZs" => json!([placeholder("AZ.0"), placeholder("AZ.1"), placeholder("AZ.2")]),
            "Fn::Base64" => return self.eval(arg, d),
            "Fn::Cidr" => json!([placeholder("Cidr")]),
            "Fn::ToJsonString" => Value::String(self.eval(arg, d)?.unwrap_or(Value::Null).to_string()),
            "Fn::Length" => match self.eval(arg, d)? {
                Some(Value::Array(items)) => Value::from(items.len()),
                _ => return Err(wrong("takes a list")),
            },
            "Fn::Transform" => Value::String(placeholder("Transform")),
            "Fn::Equals" | "Fn::Not" | "Fn::And" | "Fn::Or" => {
                let node = Spanned {
                    node: Node::Map(vec![(
                        Spanned { node: Node::String(name.into()), span },
                        arg.clone(),
                    )]),
                    span,
                };
                Value::Bool(self.truth(&node, d)?)
            }
            other => {
                return Err(err(
                    span,
                    format!("unknown intrinsic function {other} (CloudFormation has Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::If, Fn::Select, Fn::Split, Fn::FindInMap, Fn::ImportValue, Fn::GetAZs, Fn::Base64, Fn::Cidr and the condition functions)"),
                ))
            }
        }))
    }

    fn sub(
        &self,
        text: &str,
        vars: Option<&Spanned>,
        span: Span,
        depth: usize,
    ) -> Result<String, IntrinsicError> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return Ok(out);
            };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else if let Some(v) = vars.and_then(|v| v.get(name)) {
                out.push_str(
                    &self
                        .eval(v, depth + 1)?
                        .map(|v| as_text(&v))
                        .unwrap_or_default(),
                );
            } else if let Some((resource, attribute)) = name.split_once('.') {
                let r = self
                    .template
                    .resource(resource)
                    .ok_or_else(|| err(span, format!("Fn::Sub: ${{{name}}} names no resource")))?;
                out.push_str(&as_text(&self.get_att(r, attribute)));
            } else {
                let v = self.reference(name, span)?.unwrap_or(Value::Null);
                out.push_str(&as_text(&v));
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Every reference `node` makes to another resource (`Ref`,
    /// `Fn::GetAtt`, `${…}` in `Fn::Sub`), in both branches of an `Fn::If`.
    pub fn references(&self, node: &Spanned, out: &mut Vec<Reference>) {
        match &node.node {
            Node::List(items) => items.iter().for_each(|i| self.references(i, out)),
            Node::Map(entries) => {
                if let [(key, arg)] = entries.as_slice() {
                    let resource = |name: &str| self.template.resource(name).is_some();
                    match key.as_str().unwrap_or_default() {
                        "Ref" => {
                            if let Some(n) = arg.as_str().filter(|n| resource(n)) {
                                out.push(Reference {
                                    to: n.into(),
                                    kind: ReferenceKind::Ref,
                                    span: key.span,
                                    text: format!("!Ref {n}"),
                                });
                            }
                            return;
                        }
                        "Fn::GetAtt" => {
                            let r = match (&arg.node, arg.items()) {
                                (Node::String(s), _) => s
                                    .split_once('.')
                                    .map(|(r, a)| (r.to_string(), a.to_string())),
                                (_, [r, a]) => Some((
                                    r.as_str().unwrap_or_default().into(),
                                    a.as_str().unwrap_or_default().into(),
                                )),
                                _ => None,
                            };
                            if let Some((r, a)) = r.filter(|(r, _)| resource(r)) {
                                out.push(Reference {
                                    text: format!("!GetAtt {r}.{a}"),
                                    to: r,
                                    kind: ReferenceKind::GetAtt,
                                    span: key.span,
                                });
                            }
                            return;
                        }
                        "Fn::Sub" => {
                            let (text, vars) = match (&arg.node, arg.items()) {
                                (Node::String(s), _) => (s.as_str(), None),
                                (_, [t, v]) => (t.as_str().unwrap_or_default(), Some(v)),
                                _ => ("", None),
                            };
                            for name in sub_names(text) {
                                let base = name.split('.').next().unwrap_or(name);
                                if vars.and_then(|v| v.get(name)).is_none() && resource(base) {
                                    out.push(Reference {
                                        to: base.into(),
                                        kind: ReferenceKind::Sub,
                                        span: key.span,
                                        text: format!("!Sub ${{{name}}}"),
                                    });
                                }
                            }
                            if let Some(v) = vars {
                                self.references(v, out);
                            }
                            return;
                        }
                        _ => {}
                    }
                }
                entries.iter().for_each(|(_, v)| self.references(v, out));
            }
            _ => {}
        }
    }
}

/// The `${NAME}` variables of an `Fn::Sub` text (not `${!literal}`).
fn sub_names(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.starts_with('!') {
            out.push(name);
        }
        rest = &after[end + 1..];
    }
    out
}

/// A value as text (lists and maps as JSON).
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '.' })
        .collect()
}

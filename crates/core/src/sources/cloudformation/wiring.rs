//! A template's resources → the document Bucketwire checks, with the live
//! facts the template itself declares (its functions with the permissions
//! it grants them, its roles with the policies it gives them, its topics'
//! and queues' policies): the same checks then run as on an account.
//!
//! Only what the template declares is a live fact. A function or role the
//! template only names by ARN is unknown (its checks do not run, and its
//! absence is not `function-not-found`); a role attaching a managed policy
//! Bucketwire cannot read is left out of the facts too ([`Built::unread`]).

use crate::model::document::{
    Bucket, BucketEncryption, DeadLetter, Document, Edge, Filter, ForeignConfiguration,
    ForeignKind, Function, KeyManager, LiveFacts, LiveFunction, LiveKey, LiveMapping, LiveQueue,
    LiveRole, LiveSubscription, LiveTopic, NamedPolicy, NodeId, Queue, QueueMapping, Rule, Topic,
};
use crate::model::policy::compact::{PolicyDocument, PolicyStatement};
use crate::sources::cloudformation::intrinsics::{IntrinsicError, Resolver};
use crate::sources::cloudformation::managed_policies::aws_managed;
use crate::sources::cloudformation::template::{Resource, Template};
use crate::sources::yaml::{intrinsic_node, list_node, string_node, Span, Spanned};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Where a card of the document comes from in the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The resource's logical id.
    pub resource: String,
    /// Where the card's part of it is written.
    pub span: Span,
}

/// A template read as a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    /// The wiring, with the template's own resources as live facts.
    pub document: Document,
    /// Each card's resource and place.
    pub origins: BTreeMap<NodeId, Origin>,
    /// Each filter's notification entry as read (SAM's generated ones with
    /// the spans of what the person wrote): where an edit is written back.
    pub entries: BTreeMap<NodeId, Spanned>,
    /// The function ARNs (unqualified) the template declares.
    pub declared_functions: BTreeSet<String>,
    /// Roles whose policies could not all be read, each with the policy
    /// that could not (their checks are skipped).
    pub unread: Vec<(String, String, Span)>,
}

/// Whether a resource exists in this deploy (its `Condition` holds).
///
/// # Errors
/// An unknown condition.
pub fn active(resolver: &Resolver<'_>, r: &Resource) -> Result<bool, IntrinsicError> {
    match &r.condition {
        Some(c) => resolver.condition(c, r.span),
        None => Ok(true),
    }
}

/// How a notification configuration is written: CloudFormation's
/// `AWS::S3::Bucket` property, or the S3 API's shape (CDK's custom resource).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    CloudFormation,
    Api,
}

struct Builder<'t> {
    template: &'t Template,
    r: &'t Resolver<'t>,
    doc: Document,
    origins: BTreeMap<NodeId, Origin>,
    entries: BTreeMap<NodeId, Spanned>,
    functions: BTreeMap<(String, Option<String>), NodeId>,
    /// Each declared function's role ARN.
    roles: BTreeMap<String, String>,
    /// The template's functions, queues and topics by ARN (an index into
    /// its resources: a lookup per entry, not a scan).
    by_arn: std::collections::HashMap<String, usize>,
}

/// Reads the template's wiring from `live_resources`, the resources that
/// deploy (those whose [`active`] condition holds, in file order).
///
/// # Errors
/// [`IntrinsicError`] for an intrinsic the template misuses.
pub fn build(
    template: &Template,
    resolver: &Resolver<'_>,
    live_resources: &[&Resource],
) -> Result<Built, IntrinsicError> {
    let mut b = Builder {
        template,
        r: resolver,
        doc: Document::empty(),
        origins: BTreeMap::new(),
        entries: BTreeMap::new(),
        functions: BTreeMap::new(),
        roles: BTreeMap::new(),
        by_arn: std::collections::HashMap::new(),
    };
    b.by_arn = template
        .resources
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let arn = match r.kind.as_str() {
                "AWS::Lambda::Function" => b.arn_of(r),
                "AWS::SQS::Queue" => b.queue_arn(r),
                "AWS::SNS::Topic" => b.topic_arn(r),
                _ => return None,
            };
            Some((arn, i))
        })
        .collect();
    let of = |kind: &'static str| {
        live_resources
            .iter()
            .copied()
            .filter(move |r| r.kind == kind)
    };
    let mut facts = LiveFacts::default();
    let mut declared_functions = BTreeSet::new();
    // Functions, their aliases and the permissions the template grants.
    for f in of("AWS::Lambda::Function") {
        let arn = b.arn_of(f);
        declared_functions.insert(arn.clone());
        facts.functions.push(LiveFunction {
            arn,
            role: f.property("Role").map(|n| b.text(n)).transpose()?.flatten(),
            timeout_seconds: f
                .property("Timeout")
                .map(|n| b.text(n))
                .transpose()?
                .flatten()
                .and_then(|t| t.parse().ok())
                .or(Some(3)),
            ..LiveFunction::default()
        });
    }
    for a in of("AWS::Lambda::Alias") {
        let function = a
            .property("FunctionName")
            .and_then(|n| resolver.function_arn_of(n));
        let name = a.property("Name").map(|n| b.text(n)).transpose()?.flatten();
        if let (Some(function), Some(name)) = (function, name) {
            if let Some(live) = facts.functions.iter_mut().find(|l| l.arn == function) {
                live.aliases.push(name);
            }
        }
    }
    for p in of("AWS::Lambda::Permission") {
        let Some(target) = p
            .property("FunctionName")
            .and_then(|n| resolver.function_arn_of(n))
        else {
            continue;
        };
        let statement = b.permission_statement(p, &target)?;
        let unqualified = unqualified(&target);
        if let Some(live) = facts.functions.iter_mut().find(|l| l.arn == unqualified) {
            live.policy_statements
                .push(PolicyStatement::from(statement));
        }
    }
    // Roles and the policies attached to them.
    let mut unread = Vec::new();
    let mut roles: Vec<(String, String, LiveRole, bool)> = Vec::new(); // name, logical id, role, complete
    for role in of("AWS::IAM::Role") {
        let name = resolver.physical_name(role);
        let arn = format!("arn:aws:iam::{}:role/{name}", resolver.target().account);
        let mut policies = Vec::new();
        for p in role
            .property("Policies")
            .map(Spanned::items)
            .unwrap_or_default()
        {
            let pname = p
                .get("PolicyName")
                .map(|n| b.text(n))
                .transpose()?
                .flatten()
                .unwrap_or_default();
            if let Some(d) = p.get("PolicyDocument") {
                policies.push(NamedPolicy {
                    name: pname,
                    document: PolicyDocument::from(as_document(b.value(d)?)),
                });
            }
        }
        let mut complete = true;
        for m in role
            .property("ManagedPolicyArns")
            .map(Spanned::items)
            .unwrap_or_default()
        {
            let Some(policy_arn) = b.text(m)? else {
                continue;
            };
            if let Some(d) = aws_managed(&policy_arn) {
                policies.push(NamedPolicy {
                    name: policy_arn,
                    document: PolicyDocument::from(d),
                });
            } else if let Some(declared) = live_resources.iter().find(|r| {
                r.kind == "AWS::IAM::ManagedPolicy"
                    && resolver
                        .value(&ref_node(&r.id))
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .as_deref()
                        == Some(policy_arn.as_str())
            }) {
                if let Some(d) = declared.property("PolicyDocument") {
                    policies.push(NamedPolicy {
                        name: declared.id.clone(),
                        document: PolicyDocument::from(as_document(b.value(d)?)),
                    });
                }
            } else {
                complete = false;
                unread.push((arn.clone(), policy_arn, m.span));
            }
        }
        roles.push((name, role.id.clone(), LiveRole { arn, policies }, complete));
    }
    for p in of("AWS::IAM::Policy").chain(of("AWS::IAM::ManagedPolicy")) {
        let Some(d) = p.property("PolicyDocument") else {
            continue;
        };
        let document = as_document(b.value(d)?);
        let pname = p
            .property("PolicyName")
            .map(|n| b.text(n))
            .transpose()?
            .flatten()
            .unwrap_or_else(|| p.id.clone());
        for role_name in p.property("Roles").map(Spanned::items).unwrap_or_default() {
            let Some(role_name) = b.text(role_name)? else {
                continue;
            };
            if let Some(entry) = roles.iter_mut().find(|(n, ..)| *n == role_name) {
                entry.2.policies.push(NamedPolicy {
                    name: pname.clone(),
                    document: PolicyDocument::from(document.clone()),
                });
            }
        }
    }
    facts.roles = roles
        .into_iter()
        .filter(|(.., complete)| *complete)
        .map(|(_, _, r, _)| r)
        .collect();
    // Encryption (docs/rules.md §18): the keys the template declares, with
    // their aliases, and each bucket's default encryption.
    for k in of("AWS::KMS::Key") {
        // As `Fn::GetAtt KEY.Arn` answers, so every reference names it.
        let arn = resolver
            .get_att(k, "Arn")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let enabled = k
            .property("Enabled")
            .map(|n| b.value(n))
            .transpose()?
            .is_none_or(|v| v != Value::Bool(false) && v != json!("false"));
        facts.keys.push(LiveKey {
            arn,
            aliases: Vec::new(),
            manager: Some(KeyManager::Customer),
            state: Some(if enabled { "Enabled" } else { "Disabled" }.into()),
            policy: k
                .property("KeyPolicy")
                .map(|d| b.value(d))
                .transpose()?
                .map(|d| PolicyDocument::from(as_document(d))),
            grants: Vec::new(),
            unreadable: None,
        });
    }
    for a in of("AWS::KMS::Alias") {
        let (Some(alias), Some(key)) = (
            a.property("AliasName")
                .map(|n| b.text(n))
                .transpose()?
                .flatten(),
            a.property("TargetKeyId")
                .map(|n| b.text(n))
                .transpose()?
                .flatten(),
        ) else {
            continue;
        };
        if let Some(k) = facts.keys.iter_mut().find(|k| k.is_named_by(&key)) {
            k.aliases.push(alias);
        }
    }
    for bucket in of("AWS::S3::Bucket") {
        let rule = bucket
            .property("BucketEncryption")
            .and_then(|e| e.get("ServerSideEncryptionConfiguration"))
            .and_then(|c| c.items().first());
        let Some(default) = rule.and_then(|r| r.get("ServerSideEncryptionByDefault")) else {
            continue;
        };
        let Some(algorithm) = default
            .get("SSEAlgorithm")
            .map(|n| b.text(n))
            .transpose()?
            .flatten()
        else {
            continue;
        };
        facts.bucket_encryption.push(BucketEncryption {
            bucket: resolver.physical_name(bucket),
            algorithm,
            kms_key: default
                .get("KMSMasterKeyID")
                .map(|n| b.text(n))
                .transpose()?
                .flatten(),
            bucket_key: rule
                .and_then(|r| r.get("BucketKeyEnabled"))
                .map(|n| b.value(n))
                .transpose()?
                .is_some_and(|v| v == Value::Bool(true) || v == json!("true")),
        });
    }
    // Topics and queues with their policies, subscriptions and mappings.
    for t in of("AWS::SNS::Topic") {
        let arn = b.topic_arn(t);
        let mut subscriptions: Vec<LiveSubscription> = Vec::new();
        for s in t
            .property("Subscription")
            .map(Spanned::items)
            .unwrap_or_default()
        {
            subscriptions.extend(b.subscription(s.get("Protocol"), s.get("Endpoint"), &t.id)?);
        }
        facts.topics.push(LiveTopic {
            arn,
            policy: None,
            kms_master_key_id: t
                .property("KmsMasterKeyId")
                .map(|n| b.text(n))
                .transpose()?
                .flatten(),
            subscriptions,
        });
    }
    for s in of("AWS::SNS::Subscription") {
        let topic = s
            .property("TopicArn")
            .map(|n| b.text(n))
            .transpose()?
            .flatten();
        let sub = b.subscription(s.property("Protocol"), s.property("Endpoint"), &s.id)?;
        if let Some(t) = facts
            .topics
            .iter_mut()
            .find(|t| Some(&t.arn) == topic.as_ref())
        {
            t.subscriptions.extend(sub);
        }
    }
    for p in of("AWS::SNS::TopicPolicy") {
        let Some(d) = p.property("PolicyDocument") else {
            continue;
        };
        let document = as_document(b.value(d)?);
        for topic in p.property("Topics").map(Spanned::items).unwrap_or_default() {
            let Some(arn) = b.text(topic)? else { continue };
            if let Some(t) = facts.topics.iter_mut().find(|t| t.arn == arn) {
                t.policy = Some(PolicyDocument::from(document.clone()));
            }
        }
    }
    for q in of("AWS::SQS::Queue") {
        let arn = b.queue_arn(q);
        let url = resolver
            .value(&ref_node(&q.id))?
            .as_str()
            .unwrap_or_default()
            .to_string();
        facts.queues.push(LiveQueue {
            arn,
            url,
            policy: None,
            visibility_timeout_seconds: q
                .property("VisibilityTimeout")
                .map(|n| b.text(n))
                .transpose()?
                .flatten()
                .and_then(|v| v.parse().ok())
                .or(Some(30)),
            dead_letter: b.dead_letter(q)?,
            kms_master_key_id: q
                .property("KmsMasterKeyId")
                .map(|n| b.text(n))
                .transpose()?
                .flatten(),
            mappings: Vec::new(),
        });
    }
    for p in of("AWS::SQS::QueuePolicy") {
        let Some(d) = p.property("PolicyDocument") else {
            continue;
        };
        let document = as_document(b.value(d)?);
        for queue in p.property("Queues").map(Spanned::items).unwrap_or_default() {
            let Some(url) = b.text(queue)? else { continue };
            if let Some(q) = facts
                .queues
                .iter_mut()
                .find(|q| q.url == url || q.arn == url)
            {
                q.policy = Some(PolicyDocument::from(document.clone()));
            }
        }
    }
    for m in of("AWS::Lambda::EventSourceMapping") {
        let Some(source) = m
            .property("EventSourceArn")
            .map(|n| b.text(n))
            .transpose()?
            .flatten()
        else {
            continue;
        };
        let Some(function) = m
            .property("FunctionName")
            .and_then(|n| resolver.function_arn_of(n))
        else {
            continue;
        };
        let settings = b.mapping_settings(m)?;
        if let Some(q) = facts.queues.iter_mut().find(|q| q.arn == source) {
            q.mappings.push(LiveMapping {
                uuid: crate::model::placeholder::placeholder(&m.id),
                function_arn: function,
                settings,
            });
        }
    }
    // Buckets and their notification configurations.
    b.roles = facts
        .functions
        .iter()
        .filter_map(|f| f.role.clone().map(|r| (f.arn.clone(), r)))
        .collect();
    for bucket in of("AWS::S3::Bucket") {
        b.bucket(bucket, &facts)?;
    }
    for custom in of("Custom::S3BucketNotifications") {
        b.custom_notifications(custom, &facts)?;
    }
    for rule in of("AWS::Events::Rule") {
        b.rule(rule)?;
    }
    let has_facts = !(facts.functions.is_empty()
        && facts.roles.is_empty()
        && facts.topics.is_empty()
        && facts.queues.is_empty());
    b.doc.live = has_facts.then_some(facts);
    b.doc.version = b.doc.lowest_version();
    Ok(Built {
        document: b.doc,
        origins: b.origins,
        entries: b.entries,
        declared_functions,
        unread,
    })
}

/// A policy document as the template holds it: an object, or JSON text
/// (Terraform's heredoc or string with references in it resolves to text).
fn as_document(v: Value) -> Value {
    match v {
        Value::String(text) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
        other => other,
    }
}

/// `{"Ref": id}` as a node, to ask the resolver what a `Ref` answers.
fn ref_node(id: &str) -> Spanned {
    let at = Span::default();
    intrinsic_node("Ref", string_node(id, at), at)
}

/// `arn:…:function:NAME` of a possibly qualified function ARN.
pub fn unqualified(arn: &str) -> String {
    let parts: Vec<&str> = arn.split(':').collect();
    if parts.len() > 7 {
        parts[..7].join(":")
    } else {
        arn.to_string()
    }
}

impl<'t> Builder<'t> {
    fn text(&self, n: &Spanned) -> Result<Option<String>, IntrinsicError> {
        self.r.text(n)
    }

    fn value(&self, n: &Spanned) -> Result<Value, IntrinsicError> {
        self.r.value(n)
    }

    fn arn_of(&self, f: &Resource) -> String {
        let at = f.span;
        // [ID, "Arn"]: a Terraform address holds dots, so not "ID.Arn".
        let id_and_attribute = list_node(vec![string_node(&f.id, at), string_node("Arn", at)], at);
        self.r
            .value(&intrinsic_node("Fn::GetAtt", id_and_attribute, at))
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }

    fn topic_arn(&self, t: &Resource) -> String {
        self.r
            .value(&ref_node(&t.id))
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }

    fn queue_arn(&self, q: &Resource) -> String {
        format!(
            "arn:aws:sqs:{}:{}:{}",
            self.r.target().region,
            self.r.target().account,
            self.r.physical_name(q)
        )
    }

    /// The statement an `AWS::Lambda::Permission` adds to its function's
    /// policy, as Lambda writes it.
    fn permission_statement(&self, p: &Resource, target: &str) -> Result<Value, IntrinsicError> {
        let principal = p
            .property("Principal")
            .map(|n| self.text(n))
            .transpose()?
            .flatten()
            .unwrap_or_default();
        let action = p
            .property("Action")
            .map(|n| self.text(n))
            .transpose()?
            .flatten()
            .unwrap_or_else(|| "lambda:InvokeFunction".into());
        let principal = if principal.ends_with(".amazonaws.com") {
            json!({"Service": principal})
        } else {
            json!({"AWS": principal})
        };
        let mut condition = serde_json::Map::new();
        if let Some(arn) = p
            .property("SourceArn")
            .map(|n| self.text(n))
            .transpose()?
            .flatten()
        {
            condition.insert("ArnLike".into(), json!({"AWS:SourceArn": arn}));
        }
        if let Some(account) = p
            .property("SourceAccount")
            .map(|n| self.text(n))
            .transpose()?
            .flatten()
        {
            condition.insert("StringEquals".into(), json!({"AWS:SourceAccount": account}));
        }
        let mut st = json!({"Sid": p.id, "Effect": "Allow", "Principal": principal, "Action": action, "Resource": target});
        if !condition.is_empty() {
            st["Condition"] = Value::Object(condition);
        }
        Ok(st)
    }

    fn subscription(
        &self,
        protocol: Option<&Spanned>,
        endpoint: Option<&Spanned>,
        id: &str,
    ) -> Result<Option<LiveSubscription>, IntrinsicError> {
        let protocol = protocol
            .map(|n| self.text(n))
            .transpose()?
            .flatten()
            .unwrap_or_default();
        let Some(endpoint) = endpoint.map(|n| self.text(n)).transpose()?.flatten() else {
            return Ok(None);
        };
        Ok(Some(LiveSubscription {
            arn: crate::model::placeholder::placeholder(id),
            protocol,
            endpoint,
        }))
    }

    fn dead_letter(&self, q: &Resource) -> Result<Option<DeadLetter>, IntrinsicError> {
        let Some(r) = q.property("RedrivePolicy") else {
            return Ok(None);
        };
        let v = self.value(r)?;
        let v = match v {
            Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::Null),
            other => other,
        };
        let arn = v["deadLetterTargetArn"].as_str().map(String::from);
        let count = v["maxReceiveCount"]
            .as_u64()
            .or_else(|| v["maxReceiveCount"].as_str().and_then(|s| s.parse().ok()));
        Ok(arn.map(|arn| DeadLetter {
            arn,
            max_receive_count: count.and_then(|c| u32::try_from(c).ok()).unwrap_or(10),
        }))
    }

    fn mapping_settings(&self, m: &Resource) -> Result<QueueMapping, IntrinsicError> {
        let number = |name: &str| -> Result<Option<u32>, IntrinsicError> {
            Ok(m.property(name)
                .map(|n| self.text(n))
                .transpose()?
                .flatten()
                .and_then(|v| v.parse().ok()))
        };
        let types = m
            .property("FunctionResponseTypes")
            .map(|n| self.value(n))
            .transpose()?
            .unwrap_or(Value::Null);
        Ok(QueueMapping {
            batch_size: number("BatchSize")?.or(Some(10)),
            maximum_batching_window_seconds: number("MaximumBatchingWindowInSeconds")?.or(Some(0)),
            report_batch_item_failures: types
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t == "ReportBatchItemFailures")),
            maximum_concurrency: m
                .property("ScalingConfig")
                .and_then(|s| s.get("MaximumConcurrency"))
                .map(|n| self.text(n))
                .transpose()?
                .flatten()
                .and_then(|v| v.parse().ok()),
            enabled: m
                .property("Enabled")
                .map(|n| self.value(n))
                .transpose()?
                .is_none_or(|v| v != Value::Bool(false) && v != "false"),
        })
    }

    /// The resource of type `kind` the template declares with `arn`.
    fn declared(&self, arn: &str, kind: &str) -> Option<&'t Resource> {
        let template: &'t Template = self.template;
        self.by_arn
            .get(arn)
            .map(|&i| &template.resources[i])
            .filter(|r| r.kind == kind)
    }

    /// The function card for `arn` (qualified or not), made once.
    fn function(&mut self, arn: &str, span: Span, resource: &str) -> NodeId {
        let base = unqualified(arn);
        let qualifier = (base.len() < arn.len()).then(|| arn[base.len() + 1..].to_string());
        if let Some(id) = self.functions.get(&(base.clone(), qualifier.clone())) {
            return id.clone();
        }
        let declared = self.declared(&base, "AWS::Lambda::Function");
        let name = base.rsplit(':').next().unwrap_or(&base).to_string();
        let stem = declared.map_or(name, |r| r.id.clone());
        let id = NodeId::new(match &qualifier {
            Some(q) => format!("{stem}:{q}"),
            None => stem,
        });
        let role = self.roles.get(&base).cloned();
        let origin = declared.map_or((resource.to_string(), span), |r| (r.id.clone(), r.span));
        self.origins.insert(
            id.clone(),
            Origin {
                resource: origin.0,
                span: origin.1,
            },
        );
        self.doc.functions.push(Function {
            id: id.clone(),
            arn: base.clone(),
            qualifier: qualifier.clone(),
            role,
            async_invoke: None,
            recursive_loop: None,
        });
        self.functions.insert((base, qualifier), id.clone());
        id
    }

    fn filter_rules(
        &self,
        config: &Spanned,
        shape: Shape,
    ) -> Result<(Option<String>, Option<String>), IntrinsicError> {
        let mut prefix = None;
        let mut suffix = None;
        let rules = match shape {
            Shape::CloudFormation => config
                .get("Filter")
                .and_then(|f| f.get("S3Key"))
                .and_then(|k| k.get("Rules")),
            Shape::Api => config
                .get("Filter")
                .and_then(|f| f.get("Key"))
                .and_then(|k| k.get("FilterRules")),
        };
        for rule in rules.map(Spanned::items).unwrap_or_default() {
            let name = rule
                .get("Name")
                .map(|n| self.text(n))
                .transpose()?
                .flatten()
                .unwrap_or_default();
            let value = rule
                .get("Value")
                .map(|n| self.text(n))
                .transpose()?
                .flatten();
            match name.to_ascii_lowercase().as_str() {
                "prefix" => prefix = value,
                "suffix" => suffix = value,
                _ => {}
            }
        }
        Ok((prefix, suffix))
    }

    fn bucket(&mut self, r: &Resource, facts: &LiveFacts) -> Result<(), IntrinsicError> {
        let name = self.r.physical_name(r);
        let id = NodeId::new(&r.id);
        let mut bucket = Bucket {
            id: id.clone(),
            name,
            region: self.r.target().region.clone(),
            account: Some(self.r.target().account.clone()),
            foreign: Vec::new(),
            event_bridge: false,
            owner: None,
        };
        self.origins.insert(
            id.clone(),
            Origin {
                resource: r.id.clone(),
                span: r.span,
            },
        );
        if let Some(config) = r.property("NotificationConfiguration") {
            self.entries(&mut bucket, config, Shape::CloudFormation, &r.id, facts)?;
        }
        self.doc.buckets.push(bucket);
        Ok(())
    }

    /// A `Custom::S3BucketNotifications` resource (CDK's notification
    /// handler): its entries, in the S3 API's shape, go to the bucket it
    /// names (a bucket card of its own when the template does not declare
    /// it: an imported bucket).
    fn custom_notifications(
        &mut self,
        r: &Resource,
        facts: &LiveFacts,
    ) -> Result<(), IntrinsicError> {
        let Some(name) = r
            .property("BucketName")
            .map(|n| self.text(n))
            .transpose()?
            .flatten()
        else {
            return Ok(());
        };
        let Some(config) = r.property("NotificationConfiguration") else {
            return Ok(());
        };
        let index = match self.doc.buckets.iter().position(|b| b.name == name) {
            Some(i) => i,
            None => {
                let id = NodeId::new(format!("{}.bucket", r.id));
                self.origins.insert(
                    id.clone(),
                    Origin {
                        resource: r.id.clone(),
                        span: r.span,
                    },
                );
                self.doc.buckets.push(Bucket {
                    id,
                    name,
                    region: self.r.target().region.clone(),
                    account: Some(self.r.target().account.clone()),
                    foreign: Vec::new(),
                    event_bridge: false,
                    owner: None,
                });
                self.doc.buckets.len() - 1
            }
        };
        let mut bucket = self.doc.buckets[index].clone();
        self.entries(&mut bucket, config, Shape::Api, &r.id, facts)?;
        self.doc.buckets[index] = bucket;
        Ok(())
    }

    /// A notification configuration's entries as filters (and their
    /// edges), or entries kept as written on `bucket`.
    fn entries(
        &mut self,
        bucket: &mut Bucket,
        config: &Spanned,
        shape: Shape,
        resource: &str,
        facts: &LiveFacts,
    ) -> Result<(), IntrinsicError> {
        if let Some(eb) = config.get("EventBridgeConfiguration") {
            let enabled = eb
                .get("EventBridgeEnabled")
                .map(|n| self.value(n))
                .transpose()?;
            bucket.event_bridge = enabled.is_none_or(|v| v == Value::Bool(true) || v == "true");
        }
        let lists = match shape {
            Shape::CloudFormation => [
                ("LambdaConfigurations", "Function"),
                ("QueueConfigurations", "Queue"),
                ("TopicConfigurations", "Topic"),
            ],
            Shape::Api => [
                ("LambdaFunctionConfigurations", "LambdaFunctionArn"),
                ("QueueConfigurations", "QueueArn"),
                ("TopicConfigurations", "TopicArn"),
            ],
        };
        for (list, field) in lists {
            for (i, c) in config
                .get(list)
                .map(Spanned::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let events: Vec<String> = match shape {
                    Shape::CloudFormation => c
                        .get("Event")
                        .map(|n| self.text(n))
                        .transpose()?
                        .flatten()
                        .into_iter()
                        .collect(),
                    Shape::Api => c
                        .get("Events")
                        .map(|n| self.value(n))
                        .transpose()?
                        .and_then(|v| v.as_array().cloned())
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect(),
                };
                let (prefix, suffix) = self.filter_rules(c, shape)?;
                let Some(destination) = c.get(field).map(|n| self.text(n)).transpose()?.flatten()
                else {
                    continue;
                };
                let kind = if field.starts_with("Queue") {
                    "queue"
                } else if field.starts_with("Topic") {
                    "topic"
                } else {
                    "function"
                };
                let configuration_id =
                    match c.get("Id").map(|n| self.text(n)).transpose()?.flatten() {
                        Some(id) => id,
                        None => format!("{}-{kind}-{i}", bucket.id),
                    };
                let filter_id = NodeId::new(format!("{}/{configuration_id}", bucket.id));
                let filter = Filter {
                    id: filter_id.clone(),
                    configuration_id: configuration_id.clone(),
                    events: events.clone(),
                    prefix: prefix.clone(),
                    suffix: suffix.clone(),
                };
                let to = match kind {
                    "function" => Some(self.function(&destination, c.span, resource)),
                    "queue" => self.queue_card(&destination, facts, c.span),
                    _ => self.topic_card(&destination, facts, c.span),
                };
                match to {
                    Some(to) => {
                        let written_in = c
                            .get(crate::sources::cloudformation::template::ORIGIN)
                            .and_then(Spanned::as_str)
                            .unwrap_or(resource);
                        self.origins.insert(
                            filter_id.clone(),
                            Origin {
                                resource: written_in.to_string(),
                                span: c.span,
                            },
                        );
                        self.entries.insert(filter_id.clone(), c.clone());
                        self.doc.filters.push(filter);
                        self.doc.edges.push(Edge {
                            from: bucket.id.clone(),
                            to: filter_id.clone(),
                        });
                        self.doc.edges.push(Edge {
                            from: filter_id,
                            to,
                        });
                    }
                    None => bucket.foreign.push(ForeignConfiguration {
                        kind: if kind == "queue" {
                            ForeignKind::Sqs
                        } else {
                            ForeignKind::Sns
                        },
                        configuration_id,
                        arn: destination,
                        events,
                        prefix,
                        suffix,
                    }),
                }
            }
        }
        Ok(())
    }

    /// The card of the template's `kind` resource with `arn` (a queue or
    /// topic the notification delivers to), named by its logical id, and
    /// whether it is drawn for the first time (its place recorded then).
    /// `None` when the template does not declare it.
    fn destination_card(&mut self, arn: &str, kind: &str) -> Option<(NodeId, bool)> {
        let declared = self.declared(arn, kind)?;
        let id = NodeId::new(&declared.id);
        let new = !self.origins.contains_key(&id);
        if new {
            self.origins.insert(
                id.clone(),
                Origin {
                    resource: declared.id.clone(),
                    span: declared.span,
                },
            );
        }
        Some((id, new))
    }

    /// The queue card for `arn` when the template declares the queue (with
    /// the function its mapping polls it with, if any); else `None`: an
    /// entry kept as written, the queue being the account's.
    fn queue_card(&mut self, arn: &str, facts: &LiveFacts, span: Span) -> Option<NodeId> {
        let live = facts.queues.iter().find(|q| q.arn == arn)?;
        let mapping = live.mappings.first();
        let (id, new) = self.destination_card(arn, "AWS::SQS::Queue")?;
        if new {
            self.doc.queues.push(Queue {
                id: id.clone(),
                arn: arn.to_string(),
                visibility_timeout_seconds: live.visibility_timeout_seconds,
                dead_letter: live.dead_letter.clone(),
                kms_master_key_id: live.kms_master_key_id.clone(),
                mapping: mapping.map(|m| m.settings.clone()).unwrap_or_default(),
            });
            if let Some(mapping) = mapping {
                let function = self.function(&mapping.function_arn, span, &id.0);
                self.doc.edges.push(Edge {
                    from: id.clone(),
                    to: function,
                });
            }
        }
        Some(id)
    }

    /// The topic card for `arn` when the template declares the topic (with
    /// the functions subscribed to it); else `None`, the topic being the
    /// account's.
    fn topic_card(&mut self, arn: &str, facts: &LiveFacts, span: Span) -> Option<NodeId> {
        let live = facts.topics.iter().find(|t| t.arn == arn)?;
        let subscribers: Vec<String> = live
            .subscriptions
            .iter()
            .filter(|s| s.protocol == "lambda")
            .map(|s| s.endpoint.clone())
            .collect();
        let (id, new) = self.destination_card(arn, "AWS::SNS::Topic")?;
        if new {
            self.doc.topics.push(Topic {
                id: id.clone(),
                arn: arn.to_string(),
                kms_master_key_id: live.kms_master_key_id.clone(),
            });
            for s in subscribers {
                let function = self.function(&s, span, &id.0);
                self.doc.edges.push(Edge {
                    from: id.clone(),
                    to: function,
                });
            }
        }
        Some(id)
    }

    /// An EventBridge rule on S3's events: its buckets become edges from
    /// the buckets its pattern names (the document's pattern never names a
    /// bucket), its Lambda targets edges to their functions.
    fn rule(&mut self, r: &Resource) -> Result<(), IntrinsicError> {
        let Some(pattern) = r.property("EventPattern") else {
            return Ok(());
        };
        let mut pattern = match self.value(pattern)? {
            Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::Null),
            v => v,
        };
        let from_s3 = pattern["source"]
            .as_array()
            .is_some_and(|s| s.iter().any(|v| v == "aws.s3"));
        if !from_s3 {
            return Ok(());
        }
        let names: Vec<String> = pattern
            .pointer("/detail/bucket/name")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(bucket) = pattern
            .pointer_mut("/detail/bucket")
            .and_then(Value::as_object_mut)
        {
            bucket.remove("name");
            if bucket.is_empty() {
                if let Some(detail) = pattern.get_mut("detail").and_then(Value::as_object_mut) {
                    detail.remove("bucket");
                }
            }
        }
        if pattern
            .get("detail")
            .and_then(Value::as_object)
            .is_some_and(serde_json::Map::is_empty)
        {
            if let Some(p) = pattern.as_object_mut() {
                p.remove("detail");
            }
        }
        let id = NodeId::new(&r.id);
        let state = r
            .property("State")
            .map(|n| self.text(n))
            .transpose()?
            .flatten();
        self.origins.insert(
            id.clone(),
            Origin {
                resource: r.id.clone(),
                span: r.span,
            },
        );
        self.doc.rules.push(Rule {
            id: id.clone(),
            name: self.r.physical_name(r),
            region: self.r.target().region.clone(),
            account: Some(self.r.target().account.clone()),
            pattern,
            enabled: state.as_deref() != Some("DISABLED"),
        });
        for name in names {
            let bucket = self
                .doc
                .buckets
                .iter()
                .find(|b| b.name == name)
                .map(|b| b.id.clone());
            if let Some(bucket) = bucket {
                self.doc.edges.push(Edge {
                    from: bucket,
                    to: id.clone(),
                });
            }
        }
        for t in r
            .property("Targets")
            .map(Spanned::items)
            .unwrap_or_default()
        {
            let Some(arn) = t.get("Arn").map(|n| self.text(n)).transpose()?.flatten() else {
                continue;
            };
            if arn.starts_with("arn:aws:lambda:") {
                let function = self.function(&arn, t.span, &r.id);
                self.doc.edges.push(Edge {
                    from: id.clone(),
                    to: function,
                });
            }
        }
        Ok(())
    }
}

//! A CloudFormation template as read: its parameters, mappings, conditions
//! and resources (each with its logical id, type, `DependsOn`, `Condition`
//! and where it starts), over the spanned tree of [`crate::sources::yaml`].

use crate::sources::yaml::{Node, Span, Spanned};
use std::collections::BTreeMap;

/// A template finding and where it is, as (logical id, span) pairs.
pub type Placed = (crate::checks::finding::Finding, Vec<(String, Span)>);

/// The key SAM's generated notification entries carry their function's
/// logical id under ([`crate::sources::cloudformation::sam`]), so a finding
/// about one points at the function a person wrote (the wiring reads it;
/// CloudFormation never sees it).
pub const ORIGIN: &str = "Bucketwire::Origin";

/// Why a file is not a template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {}, column {}: {message}", span.line, span.column)]
pub struct TemplateError {
    /// Where.
    pub span: Span,
    /// What is wrong.
    pub message: String,
}

/// One resource of `Resources`.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Its logical id.
    pub id: String,
    /// Its `Type` (`AWS::S3::Bucket`).
    pub kind: String,
    /// Where its logical id is written.
    pub span: Span,
    /// Its `Properties` (an empty mapping when it has none).
    pub properties: Spanned,
    /// Its `DependsOn`, each with where it is written.
    pub depends_on: Vec<(String, Span)>,
    /// Its `Condition`, when it has one.
    pub condition: Option<String>,
}

impl Resource {
    /// The property `name`, when set.
    pub fn property(&self, name: &str) -> Option<&Spanned> {
        self.properties.get(name)
    }

    /// Where the property `name` is written, else where the resource is.
    pub fn span_of(&self, name: &str) -> Span {
        self.properties
            .entry(name)
            .map_or(self.span, |(k, _)| k.span)
    }
}

/// A template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Parameters by name, each with its `Default` when it has one.
    pub parameters: BTreeMap<String, Option<Spanned>>,
    /// `Mappings` (empty mapping when absent).
    pub mappings: Spanned,
    /// `Conditions` by name.
    pub conditions: BTreeMap<String, Spanned>,
    /// `Resources`, in file order (after [`Template::reindex`] when
    /// changed: [`Template::resource`] looks ids up in an index).
    pub resources: Vec<Resource>,
    /// Each resource's position in `resources`, by logical id.
    index: std::collections::HashMap<String, usize>,
    /// Whether the template asks for SAM's transform.
    pub sam: bool,
    /// SAM's `Globals` (empty mapping when absent).
    pub globals: Spanned,
}

fn empty(span: Span) -> Spanned {
    Spanned {
        node: Node::Map(Vec::new()),
        span,
    }
}

impl Template {
    /// Reads a template from its tree.
    ///
    /// # Errors
    /// [`TemplateError`] when the tree is not a mapping with a `Resources`
    /// mapping, or a resource has no `Type`.
    pub fn from_tree(mut root: Spanned) -> Result<Self, TemplateError> {
        let Node::Map(_) = root.node else {
            return Err(TemplateError {
                span: root.span,
                message: "a template is a mapping with Resources; this file is not one".into(),
            });
        };
        let Some((rkey, resources)) = root.entry("Resources") else {
            return Err(TemplateError {
                span: root.span,
                message: "no Resources section: not a CloudFormation template".into(),
            });
        };
        if !matches!(resources.node, Node::Map(_)) {
            return Err(TemplateError {
                span: rkey.span,
                message: "Resources must be a mapping of logical ids to resources".into(),
            });
        }
        let sam = match root.get("Transform") {
            Some(t) => t
                .as_str()
                .map(|s| vec![s])
                .unwrap_or_else(|| t.items().iter().filter_map(Spanned::as_str).collect())
                .iter()
                .any(|s| s.starts_with("AWS::Serverless")),
            None => false,
        };
        // The resources' properties are taken out of the tree, not copied
        // (a CDK template's tree is most of the reading's memory).
        let rkey_span = rkey.span;
        let mut resources = match take(&mut root, "Resources") {
            Some(r) => r,
            None => {
                return Err(TemplateError {
                    span: rkey_span,
                    message: "no Resources section".into(),
                })
            }
        };
        let mut list = Vec::new();
        for (key, value) in resources_entries(&mut resources) {
            let mut value = value;
            let properties = take(&mut value, "Properties");
            let id = key.as_str().unwrap_or_default().to_string();
            let kind = value
                .get("Type")
                .and_then(Spanned::as_str)
                .ok_or_else(|| TemplateError {
                    span: key.span,
                    message: format!("resource {id} has no Type"),
                })?
                .to_string();
            let depends_on = match value.get("DependsOn") {
                Some(d) => match &d.node {
                    Node::String(s) => vec![(s.clone(), d.span)],
                    Node::List(items) => items
                        .iter()
                        .filter_map(|i| i.as_str().map(|s| (s.to_string(), i.span)))
                        .collect(),
                    _ => Vec::new(),
                },
                None => Vec::new(),
            };
            list.push(Resource {
                properties: properties.unwrap_or_else(|| empty(key.span)),
                condition: value
                    .get("Condition")
                    .and_then(Spanned::as_str)
                    .map(String::from),
                id,
                kind,
                span: key.span,
                depends_on,
            });
        }
        let parameters = root
            .get("Parameters")
            .map(|p| {
                p.entries()
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().unwrap_or_default().to_string(),
                            v.get("Default").cloned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let conditions = root
            .get("Conditions")
            .map(|c| {
                c.entries()
                    .iter()
                    .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            parameters,
            mappings: root
                .get("Mappings")
                .cloned()
                .unwrap_or_else(|| empty(root.span)),
            conditions,
            index: list
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.clone(), i))
                .collect(),
            resources: list,
            sam,
            globals: root
                .get("Globals")
                .cloned()
                .unwrap_or_else(|| empty(root.span)),
        })
    }
}

/// The value of `key` taken out of a mapping.
fn take(map: &mut Spanned, key: &str) -> Option<Spanned> {
    let Node::Map(entries) = &mut map.node else {
        return None;
    };
    let i = entries.iter().position(|(k, _)| k.as_str() == Some(key))?;
    Some(entries.remove(i).1)
}

/// A mapping's entries, taken out of it.
fn resources_entries(map: &mut Spanned) -> Vec<(Spanned, Spanned)> {
    match &mut map.node {
        Node::Map(entries) => std::mem::take(entries),
        _ => Vec::new(),
    }
}

impl Template {
    /// A template of `resources` with `parameters` and nothing else (what
    /// another source, Terraform, reads into).
    pub fn from_resources(
        parameters: BTreeMap<String, Option<Spanned>>,
        resources: Vec<Resource>,
    ) -> Self {
        let none = empty(Span::default());
        let mut t = Self {
            parameters,
            mappings: none.clone(),
            conditions: BTreeMap::new(),
            index: std::collections::HashMap::new(),
            resources,
            sam: false,
            globals: none,
        };
        t.reindex();
        t
    }

    /// The resource with logical id `id`.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.index.get(id).map(|&i| &self.resources[i])
    }

    /// Rebuilds the index after `resources` changed (SAM's expansion).
    pub fn reindex(&mut self) {
        self.index = self
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
    }

    /// Every resource of type `kind`.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.kind == kind)
    }
}

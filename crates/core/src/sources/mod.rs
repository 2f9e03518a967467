//! Where the wiring is written: CloudFormation, SAM and CDK templates read
//! into the same document an account's import makes, with the live facts
//! the template itself declares, so the same checks run on it; plus the
//! findings only a template can have, each placed at the file, line and
//! column of the resource or property it is about (`bucketwire lint`).
//!
//! Layer 5, a peer of `simulate`, `export` and `import`: uses `model`,
//! `desired` and `checks`. Pure like the rest of the core: the caller
//! reads the files and hands over their text.

pub mod cloudformation;
pub mod fixes;
pub mod terraform;
pub mod write_back;
pub mod yaml;

use crate::checks::finding::Finding;
use crate::model::document::{Document, NodeId};
use cloudformation::intrinsics::{Resolver, Target};
use cloudformation::template::Template;
use std::collections::{BTreeMap, BTreeSet};

/// Templates larger than this are refused before they are parsed
/// (CloudFormation itself takes at most 1 MB from S3).
pub const MAX_TEMPLATE_BYTES: usize = 10 * 1024 * 1024;

/// A place in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, as the caller named it.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The resource's logical id (empty when the place is not in one).
    pub resource: String,
}

/// A finding with the places it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct LintFinding {
    /// The finding, as `validate` reports it.
    pub finding: Finding,
    /// Where, most relevant first (may be empty when no card has a place).
    pub locations: Vec<Location>,
    /// What to change in the file, when the change is the usual one
    /// ([`fixes::template_fix`]; a template-only finding says it in its
    /// message).
    pub fix: Option<&'static str>,
}

/// Why a file cannot be read as a template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// Not YAML or JSON, or beyond the reader's limits.
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong.
        message: String,
    },
    /// Larger than [`MAX_TEMPLATE_BYTES`].
    #[error("{file}: {bytes} bytes is larger than a template can be (Bucketwire reads up to {MAX_TEMPLATE_BYTES}; CloudFormation takes 1 MB)")]
    TooLarge {
        /// The file.
        file: String,
        /// Its size.
        bytes: usize,
    },
}

/// A template read as a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The file, as the caller named it.
    pub file: String,
    /// Its wiring (with the template's resources as live facts).
    pub document: Document,
    /// Where each card comes from.
    pub origins: BTreeMap<NodeId, Location>,
    /// Each filter's notification entry as read, with the spans of what
    /// the file says ([`write_back`] edits there).
    pub entries: BTreeMap<NodeId, yaml::Spanned>,
    /// The findings only a template can have.
    pub template_findings: Vec<LintFinding>,
    /// The function ARNs the template declares (others are unknown).
    pub declared_functions: BTreeSet<String>,
    /// Whether SAM's transform was expanded.
    pub sam: bool,
}

/// Whether `text` looks like a CloudFormation template, cheaply (a
/// directory search reads many files that are not).
pub fn looks_like_template(text: &str) -> bool {
    text.contains("Resources")
        && (text.contains("AWSTemplateFormatVersion")
            || text.contains("AWS::")
            || text.contains("Transform"))
}

fn syntax(file: &str, line: u32, column: u32, message: String) -> SourceError {
    SourceError::Syntax {
        file: file.into(),
        line,
        column,
        message,
    }
}

/// Reads one template.
///
/// # Errors
/// [`SourceError`] with the file, line and column: not YAML or JSON, not a
/// template, an intrinsic misused, too large, nested too deep.
pub fn read(file: &str, text: &str, target: &Target) -> Result<Reading, SourceError> {
    if text.len() > MAX_TEMPLATE_BYTES {
        return Err(SourceError::TooLarge {
            file: file.into(),
            bytes: text.len(),
        });
    }
    let tree = yaml::parse(text).map_err(|e| syntax(file, e.line, e.column, e.message))?;
    let mut template = Template::from_tree(tree)
        .map_err(|e| syntax(file, e.span.line, e.span.column, e.message))?;
    let mut sam_findings = Vec::new();
    let sam = template.sam;
    if sam {
        sam_findings = cloudformation::sam::expand(&mut template)
            .map_err(|e| syntax(file, e.span.line, e.span.column, e.message))?;
    }
    finish(
        file,
        &[file.to_string()],
        &template,
        sam_findings,
        target,
        sam,
    )
}

/// Reads a Terraform module: its `.tf` files, by name and text (docs
/// /templates.md). `module` names it (its folder) in the reading.
///
/// # Errors
/// [`SourceError`] with the file, line and column: not HCL, an expression
/// misused, a file too large.
pub fn read_terraform(
    module: &str,
    files: &[(String, String)],
    target: &Target,
) -> Result<Reading, SourceError> {
    if let Some((file, text)) = files.iter().find(|(_, t)| t.len() > MAX_TEMPLATE_BYTES) {
        return Err(SourceError::TooLarge {
            file: file.clone(),
            bytes: text.len(),
        });
    }
    let (template, findings) =
        terraform::read_module(files).map_err(|e| syntax(&e.file, e.line, e.column, e.message))?;
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    finish(module, &names, &template, findings, target, false)
}

/// A template read into its document, findings and places.
fn finish(
    name: &str,
    files: &[String],
    template: &Template,
    own_findings: Vec<cloudformation::template::Placed>,
    target: &Target,
    sam: bool,
) -> Result<Reading, SourceError> {
    let file_of = |span: yaml::Span| {
        files
            .get(usize::from(span.file))
            .map_or(name, String::as_str)
            .to_string()
    };
    let resolver = Resolver::new(template, target);
    let intrinsic = |e: cloudformation::intrinsics::IntrinsicError| {
        syntax(&file_of(e.span), e.span.line, e.span.column, e.message)
    };
    let mut active = Vec::new();
    for r in &template.resources {
        if cloudformation::wiring::active(&resolver, r).map_err(intrinsic)? {
            // Every intrinsic of a resource that deploys is evaluated once
            // here, so a misused one is an error at its place, not a
            // placeholder further on.
            resolver.value(&r.properties).map_err(intrinsic)?;
            active.push(r);
        }
    }
    let built = cloudformation::wiring::build(template, &resolver, &active).map_err(intrinsic)?;
    let place = |(resource, span): (String, yaml::Span)| Location {
        file: file_of(span),
        line: span.line,
        column: span.column,
        resource,
    };
    let template_findings = own_findings
        .into_iter()
        .chain(cloudformation::checks::check(&resolver, &built, &active))
        .map(|(finding, places)| LintFinding {
            finding,
            locations: places.into_iter().map(place).collect(),
            fix: None,
        })
        .collect();
    let origins = built
        .origins
        .iter()
        .map(|(id, o)| (id.clone(), place((o.resource.clone(), o.span))))
        .collect();
    let mut document = built.document;
    lay_out(&mut document);
    Ok(Reading {
        file: name.into(),
        document,
        origins,
        entries: built.entries,
        template_findings,
        declared_functions: built.declared_functions,
        sam,
    })
}

/// Places a template's cards left to right as an import does — each
/// bucket, its filters, what they deliver to (topic, queue, rule), the
/// functions — a bucket's row below the last, a function beside the first
/// filter that reaches it. Positions only: nothing else changes.
pub fn lay_out(doc: &mut Document) {
    use crate::model::document::Position;
    const COLUMN: f64 = 360.0;
    const ROW: f64 = 140.0;
    let mut next: BTreeMap<&NodeId, Vec<&NodeId>> = BTreeMap::new();
    for e in &doc.edges {
        next.entry(&e.from).or_default().push(&e.to);
    }
    let mut layout: BTreeMap<NodeId, Position> = BTreeMap::new();
    let mut row = 0.0_f64;
    let place = |layout: &mut BTreeMap<NodeId, Position>, id: &NodeId, column: f64, y: f64| {
        layout.entry(id.clone()).or_insert(Position {
            x: column * COLUMN,
            y,
        });
    };
    for bucket in &doc.buckets {
        let top = row;
        place(&mut layout, &bucket.id, 0.0, top);
        let mut y = top;
        for filter_or_rule in next.get(&bucket.id).into_iter().flatten() {
            place(&mut layout, filter_or_rule, 1.0, y);
            for hop in next.get(filter_or_rule).into_iter().flatten() {
                place(&mut layout, hop, 2.0, y);
                for function in next.get(hop).into_iter().flatten() {
                    place(&mut layout, function, 3.0, y);
                }
            }
            y += ROW;
        }
        row = y.max(top + ROW);
    }
    // Whatever no bucket reaches (a rule naming none, a lone function).
    for id in doc
        .rules
        .iter()
        .map(|r| &r.id)
        .chain(doc.topics.iter().map(|t| &t.id))
        .chain(doc.queues.iter().map(|q| &q.id))
        .chain(doc.functions.iter().map(|f| &f.id))
    {
        if !layout.contains_key(id) {
            place(&mut layout, id, 2.0, row);
            for to in next.get(id).into_iter().flatten() {
                place(&mut layout, to, 3.0, row);
            }
            row += ROW;
        }
    }
    doc.layout = layout;
}

/// The findings of a template: every check of the document (placed at the
/// cards they name) and the template's own, most severe first. A function
/// the template only names is not `function-not-found` (only the account
/// knows whether it exists).
///
/// # Errors
/// A [`crate::model::graph::GraphError`] when the document the template
/// makes is not a valid wiring (a reader bug, reported as such).
pub fn lint(reading: &Reading) -> Result<Vec<LintFinding>, crate::model::graph::GraphError> {
    let wiring = crate::model::graph::Wiring::from_document(&reading.document)?;
    let d = &reading.document;
    let rank: BTreeMap<&NodeId, u8> = d
        .filters
        .iter()
        .map(|f| (&f.id, 0))
        .chain(d.topics.iter().map(|t| (&t.id, 1)))
        .chain(d.queues.iter().map(|q| (&q.id, 1)))
        .chain(d.rules.iter().map(|r| (&r.id, 1)))
        .chain(d.buckets.iter().map(|b| (&b.id, 2)))
        .chain(d.functions.iter().map(|f| (&f.id, 3)))
        .collect();
    let mut out: Vec<LintFinding> = crate::checks::validate(&wiring)
        .into_iter()
        .filter(|f| {
            f.rule != "function-not-found"
                || f.subjects
                    .first()
                    .is_some_and(|arn| reading.declared_functions.contains(arn))
        })
        .map(|finding| {
            let mut nodes: Vec<&NodeId> = finding.nodes.iter().collect();
            // The entry first (where a notification is written), then a
            // topic, queue or rule, the bucket, the function.
            nodes.sort_by_key(|n| rank.get(*n).copied().unwrap_or(4));
            let mut locations: Vec<Location> = Vec::new();
            for l in nodes.into_iter().filter_map(|n| reading.origins.get(n)) {
                if !locations.contains(l) {
                    locations.push(l.clone());
                }
            }
            let fix = fixes::template_fix(finding.rule);
            LintFinding {
                finding,
                locations,
                fix,
            }
        })
        .collect();
    out.extend(reading.template_findings.iter().cloned());
    out.sort_by(|a, b| {
        b.finding
            .severity
            .cmp(&a.finding.severity)
            .then_with(|| a.locations.first().cmp(&b.locations.first()))
            .then_with(|| a.finding.rule.cmp(b.finding.rule))
    });
    Ok(out)
}

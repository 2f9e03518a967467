//! Transport types for the UI: what the canvas draws. They are built from
//! core documents and carry no logic of their own.

use crate::node_update::NodeUpdate;
use bucketwire_core::{Document, Finding, Session, Severity};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The kind of a canvas node; each kind has one shape and one accent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum NodeKind {
    /// An S3 bucket.
    Bucket,
    /// An event filter (one notification configuration).
    Filter,
    /// A Lambda function.
    Function,
    /// An EventBridge rule over S3's events.
    Rule,
    /// An SNS topic the document manages.
    Topic,
    /// An SQS queue the document manages.
    Queue,
    /// An SQS, SNS or EventBridge destination read from the account:
    /// shown, counted in overlap checks, never edited.
    Foreign,
}

/// A node as the canvas shows it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NodeView {
    /// The document's stable node id.
    pub id: String,
    /// Which card to draw.
    pub kind: NodeKind,
    /// The main line: bucket name, configuration id or function name.
    pub title: String,
    /// Secondary lines: region and account, events and key filter, role.
    pub details: Vec<String>,
    /// Canvas position (top-left corner).
    pub x: f64,
    /// Canvas position (top-left corner).
    pub y: f64,
    /// The editable properties, as the inspector shows and sends them;
    /// `None` for read-only (foreign) nodes.
    pub props: Option<NodeUpdate>,
    /// The worst finding about this node, with how many there are.
    pub badge: Option<Badge>,
    /// Who manages the bucket or function outside Bucketwire, as its tags
    /// said (`CloudFormation stack photos-prod`): the inspector warns that
    /// its next deploy reverts what Apply writes.
    pub owner: Option<String>,
    /// The region the card belongs to (a bucket's; a filter's and a
    /// destination's bucket's; a function's from its ARN), for laying an
    /// account out in one lane per region; `None` when unknown.
    pub region: Option<String>,
    /// The account the card belongs to (a bucket's as drawn; a filter's and
    /// a destination's bucket's; a function's from its ARN), for grouping an
    /// organisation's accounts; `None` when unknown.
    pub account: Option<String>,
    /// What a read-only destination is (its card's icon); `None` for the
    /// nodes a user edits.
    pub destination: Option<DestinationKind>,
}

/// What a read-only destination an account holds is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum DestinationKind {
    /// An SQS queue.
    Queue,
    /// An SNS topic.
    Topic,
    /// The bucket's EventBridge delivery (every event of the bucket).
    EventBridge,
}

/// A rule's pattern in one line for its card: its detail types and key
/// conditions (`Object Created · key uploads/*.jpg, uploads/*.png`), or
/// its JSON cut short.
fn pattern_summary(pattern: &serde_json::Value) -> String {
    let list = |v: Option<&serde_json::Value>| -> Vec<String> {
        v.and_then(serde_json::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|i| match i {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Object(op) => op
                            .iter()
                            .map(|(k, v)| match v {
                                serde_json::Value::String(s) if k == "wildcard" => s.clone(),
                                serde_json::Value::String(s) => format!("{k} {s}"),
                                other => format!("{k} {other}"),
                            })
                            .collect::<Vec<_>>()
                            .join(" "),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let types = list(pattern.get("detail-type"));
    let keys = list(pattern.pointer("/detail/object/key"));
    let mut parts = Vec::new();
    if !types.is_empty() {
        parts.push(types.join(", "));
    }
    if !keys.is_empty() {
        parts.push(format!("key {}", keys.join(", ")));
    }
    if parts.is_empty() {
        let text = pattern.to_string();
        return match text.char_indices().nth(60) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        };
    }
    parts.join(" · ")
}

/// A queue's mapping in one line for its card (`batch 100 · window 5 s ·
/// visibility 180 s`).
pub(crate) fn mapping_summary(q: &bucketwire_core::Queue) -> String {
    let m = &q.mapping;
    let mut parts = vec![format!("batch {}", m.batch_size.unwrap_or(10))];
    if let Some(w) = m.maximum_batching_window_seconds.filter(|w| *w > 0) {
        parts.push(format!("window {w} s"));
    }
    if let Some(v) = q.visibility_timeout_seconds {
        parts.push(format!("visibility {v} s"));
    }
    if !m.enabled {
        parts.push("disabled".into());
    }
    parts.join(" · ")
}

/// A node's finding badge: the highest severity and the count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Badge {
    /// The highest severity among the node's findings.
    pub severity: SeverityView,
    /// How many findings concern the node.
    pub count: u32,
}

/// A finding's severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SeverityView {
    /// Worth knowing; nothing will fail.
    Info,
    /// Works, but is risky or will surprise at run time.
    Warning,
    /// AWS will reject it, or it cannot work.
    Error,
}

impl From<Severity> for SeverityView {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Info => Self::Info,
            Severity::Warning => Self::Warning,
            Severity::Error => Self::Error,
        }
    }
}

/// A finding as the findings panel lists it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FindingView {
    /// Stable rule name (`overlapping-configurations`).
    pub rule: String,
    /// How bad it is.
    pub severity: SeverityView,
    /// The plain-language explanation.
    pub message: String,
    /// Canvas nodes it concerns (select and centre these).
    pub nodes: Vec<String>,
    /// Where the rule comes from (`docs/rules.md §4`).
    pub source: String,
    /// The fix in one sentence, when there is one.
    pub fix: Option<String>,
    /// Whether the fix changes the document (a "Fix" button); other fixes
    /// are made in the account by Apply.
    pub fixable: bool,
}

/// A family of events, as the inspector's checkboxes group them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EventFamilyView {
    /// The family name (`ObjectCreated`).
    pub name: String,
    /// `s3:ObjectCreated:*` when the family has a wildcard covering every
    /// member.
    pub wildcard: Option<String>,
    /// The concrete events.
    pub members: Vec<String>,
}

/// A template as the start screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TemplateView {
    /// Stable id to open it with.
    pub id: String,
    /// What it is called.
    pub title: String,
    /// One sentence on what it does.
    pub description: String,
}

/// What a selected node is connected to: the path the canvas lights, and
/// what the inspector lists (core `relations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RelationsView {
    /// Node ids on the selection's paths (itself included).
    pub lit: Vec<String>,
    /// For a filter: the bucket it is on.
    pub bucket: Option<NodeRefView>,
    /// For a function: each configuration that triggers it.
    pub triggered_by: Vec<TriggerView>,
    /// What the node could be connected to next (a filter: functions of
    /// its bucket's region only).
    pub candidates: Vec<NodeRefView>,
}

/// A node named for a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NodeRefView {
    /// The node id.
    pub id: String,
    /// How to name it (`acme-photos (us-east-1)`, `thumbs:live`).
    pub label: String,
}

/// One configuration that triggers a function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TriggerView {
    /// The bucket node.
    pub bucket_id: String,
    /// `acme-photos (us-east-1)`.
    pub bucket: String,
    /// The filter node.
    pub filter_id: String,
    /// Its configuration id.
    pub configuration_id: String,
    /// Its events and key rules, as the filter card shows them.
    pub detail: String,
}

/// The outline beside the canvas (core `model::outline`): buckets with
/// notifications by account and region, each with its paths, and every
/// function with the buckets that trigger it. Ids only; the UI names them
/// from the document's nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OutlineView {
    /// Account-and-region groups, in order.
    pub groups: Vec<OutlineGroupView>,
    /// Every function, by name.
    pub functions: Vec<OutlineFunctionView>,
}

/// One account and region of the outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OutlineGroupView {
    /// The account, when the document says.
    pub account: Option<String>,
    /// The region.
    pub region: String,
    /// Its buckets, by name.
    pub buckets: Vec<OutlineBucketView>,
}

/// A bucket of the outline and its paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OutlineBucketView {
    /// The bucket's node id.
    pub id: String,
    /// Its paths: each the nodes it goes through (a filter and its topic
    /// or queue, or a rule) and the functions at its end.
    pub paths: Vec<OutlinePathView>,
}

/// One path out of a bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OutlinePathView {
    /// The filter (then its topic or queue), or the rule.
    pub through: Vec<String>,
    /// The functions at the end.
    pub functions: Vec<String>,
}

/// A function of the outline and what triggers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OutlineFunctionView {
    /// The function's node id.
    pub id: String,
    /// The buckets whose paths end at it.
    pub triggered_by: Vec<String>,
}

impl From<bucketwire_core::model::outline::Outline> for OutlineView {
    fn from(o: bucketwire_core::model::outline::Outline) -> Self {
        let ids = |ids: Vec<bucketwire_core::model::document::NodeId>| {
            ids.into_iter().map(|id| id.0).collect()
        };
        Self {
            groups: o
                .groups
                .into_iter()
                .map(|g| OutlineGroupView {
                    account: g.account,
                    region: g.region,
                    buckets: g
                        .buckets
                        .into_iter()
                        .map(|b| OutlineBucketView {
                            id: b.id.0,
                            paths: b
                                .paths
                                .into_iter()
                                .map(|p| OutlinePathView {
                                    through: ids(p.through),
                                    functions: ids(p.functions),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            functions: o
                .functions
                .into_iter()
                .map(|f| OutlineFunctionView {
                    id: f.id.0,
                    triggered_by: ids(f.triggered_by),
                })
                .collect(),
        }
    }
}

impl From<bucketwire_core::model::relations::Relations> for RelationsView {
    fn from(r: bucketwire_core::model::relations::Relations) -> Self {
        Self {
            lit: r.lit.iter().map(ToString::to_string).collect(),
            bucket: r.bucket.map(|(id, name, region)| NodeRefView {
                id: id.to_string(),
                label: format!("{name} ({region})"),
            }),
            triggered_by: r
                .triggered_by
                .into_iter()
                .map(|t| TriggerView {
                    bucket_id: t.bucket.0.to_string(),
                    bucket: format!("{} ({})", t.bucket.1, t.region),
                    filter_id: t.filter.to_string(),
                    configuration_id: t.configuration_id,
                    detail: format!(
                        "{} {}…{}",
                        t.events.join(", "),
                        t.prefix.as_deref().unwrap_or(""),
                        t.suffix.as_deref().unwrap_or("")
                    ),
                })
                .collect(),
            candidates: r
                .candidates
                .into_iter()
                .map(|c| NodeRefView {
                    id: c.id.to_string(),
                    label: c.label,
                })
                .collect(),
        }
    }
}

/// What "Try a key" found.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TryKeyView {
    /// `fires`, `noMatch` or `conflict`.
    pub outcome: TryOutcome,
    /// One plain sentence saying what happens and why.
    pub message: String,
    /// Nodes on the path that fires (bucket, filter, function), or the
    /// conflicting filters with their bucket.
    pub nodes: Vec<String>,
    /// The key as S3 writes it in the event (URL-encoded).
    pub encoded_key: String,
    /// The event JSON the function receives, pretty-printed, when one fires.
    pub event_json: Option<String>,
    /// The function invoked (ARN, qualified for an alias) when a function
    /// fires: what "Send a test event" sends to.
    pub function: Option<String>,
}

/// The three ways an event can go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum TryOutcome {
    /// Exactly one configuration matches.
    Fires,
    /// None does.
    NoMatch,
    /// Several do: S3 refuses the configuration.
    Conflict,
}

/// The formats the Export menu offers (the document itself is Save As).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    /// Each bucket's NotificationConfiguration, as
    /// `aws s3api put-bucket-notification-configuration` takes it.
    S3,
    /// A shell script of `aws` CLI calls in the safe order.
    Cli,
    /// A CloudFormation template (YAML).
    Cloudformation,
    /// Terraform configuration (HCL).
    Terraform,
}

/// The canvas picture formats of the Export menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ImageFormat {
    /// SVG text, as the UI drew it.
    Svg,
    /// PNG bytes, base64-encoded by the UI.
    Png,
}

/// Where a node was dropped after a drag.
#[derive(Debug, Clone, PartialEq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NodeMove {
    /// The node id.
    pub id: String,
    /// New position (top-left corner).
    pub x: f64,
    /// New position (top-left corner).
    pub y: f64,
}

/// The whole editor state the window shows after any command.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EditorView {
    /// The canvas.
    pub document: DocumentView,
    /// Every finding, errors first.
    pub findings: Vec<FindingView>,
    /// The file the document is saved to, if any.
    pub path: Option<String>,
    /// Whether there are changes not yet saved.
    pub dirty: bool,
    /// Whether Undo would do something.
    pub can_undo: bool,
    /// Whether Redo would do something.
    pub can_redo: bool,
    /// The CloudFormation or SAM template the document was opened from
    /// (Save writes into it), if any.
    pub template: Option<TemplateLinkView>,
}

/// The template a document was opened from, and where each card is
/// written in it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TemplateLinkView {
    /// The template's file.
    pub file: String,
    /// Each card's place, by node id.
    pub origins: Vec<TemplateOriginView>,
}

/// Where one card is written in its template.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TemplateOriginView {
    /// The card.
    pub node: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The resource's logical id.
    pub resource: String,
}

/// What opening or merging an import did.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportedView {
    /// The editor afterwards.
    pub editor: EditorView,
    /// Buckets that came in.
    pub added: Vec<String>,
    /// Imported buckets the document already had, left as drawn.
    pub kept: Vec<String>,
}

/// A card's short line for async settings: what is set, defaults left
/// out, the on-failure destination by its name
/// (`async: retries 0 · age 3600 s · on failure dlq`).
fn async_detail(settings: &bucketwire_core::AsyncInvoke) -> String {
    let mut parts = Vec::new();
    if let Some(n) = settings.maximum_retry_attempts {
        parts.push(format!("retries {n}"));
    }
    if let Some(age) = settings.maximum_event_age_seconds {
        parts.push(format!("age {age} s"));
    }
    if let Some(d) = &settings.on_failure {
        parts.push(format!(
            "on failure {}",
            d.rsplit([':', '/']).next().unwrap_or(d)
        ));
    }
    format!("async: {}", parts.join(" · "))
}

impl EditorView {
    /// The view of a session and the file it belongs to.
    pub fn new(session: &Session, path: Option<&Path>) -> Self {
        let findings = session.findings();
        let wiring = session.wiring();
        let mut document = DocumentView::from_document(&wiring.canvas_document());
        let mut badges: HashMap<&str, Badge> = HashMap::new();
        for f in findings {
            for node in &f.nodes {
                let badge = badges.entry(node.as_str()).or_insert(Badge {
                    severity: f.severity.into(),
                    count: 0,
                });
                badge.count += 1;
                badge.severity = badge.severity.max(f.severity.into());
            }
        }
        for node in &mut document.nodes {
            node.badge = badges.get(node.id.as_str()).cloned();
        }
        // An edge is marked with the worst finding naming both its ends:
        // each finding names a few nodes, so pair them once (linear in the
        // findings) instead of scanning every finding per edge.
        let mut pairs: HashMap<(&str, &str), SeverityView> = HashMap::new();
        for f in findings {
            for a in &f.nodes {
                for b in &f.nodes {
                    let worst = pairs
                        .entry((a.as_str(), b.as_str()))
                        .or_insert(f.severity.into());
                    *worst = (*worst).max(f.severity.into());
                }
            }
        }
        for edge in &mut document.edges {
            edge.severity = pairs
                .get(&(edge.source.as_str(), edge.target.as_str()))
                .copied();
        }
        Self {
            document,
            findings: findings.iter().map(|f| finding_view(f, wiring)).collect(),
            path: path.map(|p| p.display().to_string()),
            dirty: session.is_dirty(),
            can_undo: session.can_undo(),
            can_redo: session.can_redo(),
            template: None,
        }
    }
}

/// A core finding as the findings panel shows it.
pub fn finding_view(f: &Finding, wiring: &bucketwire_core::Wiring) -> FindingView {
    FindingView {
        rule: f.rule.to_string(),
        severity: f.severity.into(),
        message: f.message.clone(),
        nodes: f.nodes.iter().map(ToString::to_string).collect(),
        source: f.source.to_string(),
        fix: f.fix.as_ref().map(|fix| fix.summary()),
        fixable: f
            .fix
            .as_ref()
            .is_some_and(|fix| fix.document_edits(wiring).is_some()),
    }
}

/// An edge as the canvas shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EdgeView {
    /// Unique edge id (`from->to`).
    pub id: String,
    /// Upstream node id.
    pub source: String,
    /// Downstream node id.
    pub target: String,
    /// A foreign destination's edge: drawn dashed with a lock, not editable.
    pub locked: bool,
    /// The worst finding whose nodes include both ends (the bucket → filter
    /// edges of an overlap, for one), drawn marked.
    pub severity: Option<SeverityView>,
}

/// A whole document as the canvas shows it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DocumentView {
    /// Every node drawn as a card, buckets first, then filters, then
    /// functions (parked buckets are not among them).
    pub nodes: Vec<NodeView>,
    /// Every edge, in document order.
    pub edges: Vec<EdgeView>,
    /// Buckets without notifications and without a position, gathered per
    /// region (sorted) instead of drawn (core `relations::parked_buckets`).
    pub parked: Vec<ParkedView>,
}

/// A region's parked buckets: one collapsed entry on the canvas, from which
/// a bucket is brought onto it (given a position).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ParkedView {
    /// The region.
    pub region: String,
    /// Its parked buckets, by name.
    pub buckets: Vec<NodeRefView>,
}

/// Horizontal spacing between columns for nodes without a saved position.
const COLUMN_WIDTH: f64 = 320.0;
/// Vertical spacing between rows for nodes without a saved position.
const ROW_HEIGHT: f64 = 160.0;

impl DocumentView {
    /// Builds the canvas view of a document. Nodes without a saved position
    /// are placed in their kind's column (buckets left, functions right).
    pub fn from_document(doc: &Document) -> Self {
        let mut nodes = Vec::new();
        let parked_ids = bucketwire_core::model::relations::parked_buckets(doc);
        let mut parked: std::collections::BTreeMap<&str, Vec<NodeRefView>> =
            std::collections::BTreeMap::new();
        let place = |id: &bucketwire_core::NodeId, column: f64, row: usize| {
            doc.layout
                .get(id)
                .map_or((column * COLUMN_WIDTH, row as f64 * ROW_HEIGHT), |p| {
                    (p.x, p.y)
                })
        };
        for (row, b) in doc.buckets.iter().enumerate() {
            if parked_ids.contains(&b.id) {
                parked.entry(&b.region).or_default().push(NodeRefView {
                    id: b.id.to_string(),
                    label: b.name.clone(),
                });
                continue;
            }
            let (x, y) = place(&b.id, 0.0, row);
            let mut details = vec![b.region.clone()];
            details.extend(b.account.iter().map(|a| format!("account {a}")));
            details.extend(b.owner.iter().map(|o| format!("managed by {o}")));
            nodes.push(NodeView {
                id: b.id.to_string(),
                kind: NodeKind::Bucket,
                title: b.name.clone(),
                details,
                x,
                y,
                props: Some(NodeUpdate::Bucket {
                    name: b.name.clone(),
                    region: b.region.clone(),
                    account: b.account.clone(),
                }),
                badge: None,
                owner: b.owner.clone(),
                region: Some(b.region.clone()),
                account: b.account.clone(),
                destination: None,
            });
        }
        // A filter's region and account are its bucket's.
        let regions: std::collections::HashMap<&bucketwire_core::NodeId, (&str, Option<&str>)> =
            doc.buckets
                .iter()
                .map(|b| (&b.id, (b.region.as_str(), b.account.as_deref())))
                .collect();
        let bucket_region: std::collections::HashMap<
            &bucketwire_core::NodeId,
            (&str, Option<&str>),
        > = doc
            .edges
            .iter()
            .filter_map(|e| regions.get(&e.from).map(|r| (&e.to, *r)))
            .collect();
        for (row, f) in doc.filters.iter().enumerate() {
            let (x, y) = place(&f.id, 1.0, row);
            let keys = format!(
                "{}…{}",
                f.prefix.as_deref().unwrap_or(""),
                f.suffix.as_deref().unwrap_or("")
            );
            nodes.push(NodeView {
                id: f.id.to_string(),
                kind: NodeKind::Filter,
                title: f.configuration_id.clone(),
                details: vec![f.events.join(", "), keys],
                x,
                y,
                props: Some(NodeUpdate::Filter {
                    configuration_id: f.configuration_id.clone(),
                    events: f.events.clone(),
                    prefix: f.prefix.clone(),
                    suffix: f.suffix.clone(),
                }),
                badge: None,
                owner: None,
                region: bucket_region.get(&f.id).map(|r| r.0.to_string()),
                account: bucket_region
                    .get(&f.id)
                    .and_then(|r| r.1)
                    .map(str::to_string),
                destination: None,
            });
        }
        // Owners from the live facts, by ARN (one pass, not a search per card).
        let owners: std::collections::HashMap<&str, &str> = doc
            .live
            .iter()
            .flat_map(|l| &l.functions)
            .filter_map(|lf| lf.owner.as_deref().map(|o| (lf.arn.as_str(), o)))
            .collect();
        for (row, f) in doc.functions.iter().enumerate() {
            let (x, y) = place(&f.id, 2.0, row);
            let mut details = Vec::new();
            details.extend(f.qualifier.iter().map(|q| format!("alias {q}")));
            details.extend(f.role.iter().map(|r| format!("role {}", short_role(r))));
            let settings = f.async_invoke.as_ref();
            if let Some(s) = settings {
                details.push(async_detail(s));
            }
            if let Some(guard) = f.recursive_loop {
                details.push(format!("recursion guard {}", guard.as_str()));
            }
            let owner = owners.get(f.arn.as_str()).map(|o| o.to_string());
            details.extend(owner.iter().map(|o| format!("managed by {o}")));
            // An alias is written as AWS writes a qualified name
            // (`name:alias`), so it is never mistaken for the function.
            let title = match (f.arn.is_empty(), &f.qualifier) {
                (true, _) => "(no ARN yet)".to_string(),
                (false, Some(q)) => format!("{}:{q}", f.name()),
                (false, None) => f.name().to_string(),
            };
            nodes.push(NodeView {
                id: f.id.to_string(),
                kind: NodeKind::Function,
                title,
                details,
                x,
                y,
                props: Some(NodeUpdate::Function {
                    arn: f.arn.clone(),
                    qualifier: f.qualifier.clone(),
                    role: f.role.clone(),
                    retry_attempts: settings
                        .and_then(|s| s.maximum_retry_attempts)
                        .map(|n| n.to_string()),
                    max_event_age: settings
                        .and_then(|s| s.maximum_event_age_seconds)
                        .map(|n| n.to_string()),
                    on_failure: settings.and_then(|s| s.on_failure.clone()),
                    recursive_loop: f.recursive_loop.map(|r| r.as_str().to_string()),
                }),
                badge: None,
                region: f.region().map(str::to_string),
                account: f.account().map(str::to_string),
                owner,
                destination: None,
            });
        }
        for (row, r) in doc.rules.iter().enumerate() {
            let (x, y) = place(&r.id, 1.0, doc.filters.len() + row);
            let mut details = vec![r.region.clone(), pattern_summary(&r.pattern)];
            if !r.enabled {
                details.push("disabled".into());
            }
            nodes.push(NodeView {
                id: r.id.to_string(),
                kind: NodeKind::Rule,
                title: r.name.clone(),
                details,
                x,
                y,
                props: Some(NodeUpdate::Rule {
                    name: r.name.clone(),
                    region: r.region.clone(),
                    pattern: serde_json::to_string_pretty(&r.pattern).unwrap_or_default(),
                    enabled: r.enabled,
                }),
                badge: None,
                owner: None,
                region: Some(r.region.clone()),
                account: r.account.clone(),
                destination: None,
            });
        }
        for (row, t) in doc.topics.iter().enumerate() {
            let (x, y) = place(&t.id, 2.0, doc.functions.len() + row);
            let mut details: Vec<String> = t.region().map(str::to_string).into_iter().collect();
            details.extend(
                t.kms_master_key_id
                    .iter()
                    .map(|k| format!("encrypted with {k}")),
            );
            nodes.push(NodeView {
                id: t.id.to_string(),
                kind: NodeKind::Topic,
                title: if t.arn.is_empty() {
                    "(no ARN yet)".to_string()
                } else {
                    t.name().to_string()
                },
                details,
                x,
                y,
                props: Some(NodeUpdate::Topic {
                    arn: t.arn.clone(),
                    kms_master_key_id: t.kms_master_key_id.clone(),
                }),
                badge: None,
                owner: None,
                region: t.region().map(str::to_string),
                account: t.account().map(str::to_string),
                destination: None,
            });
        }
        for (row, q) in doc.queues.iter().enumerate() {
            let (x, y) = place(&q.id, 2.0, doc.functions.len() + doc.topics.len() + row);
            let mut details: Vec<String> = q.region().map(str::to_string).into_iter().collect();
            details.push(crate::view::mapping_summary(q));
            details.extend(q.dead_letter.iter().map(|d| {
                format!(
                    "dead letters → {}",
                    d.arn.rsplit(':').next().unwrap_or(&d.arn)
                )
            }));
            nodes.push(NodeView {
                id: q.id.to_string(),
                kind: NodeKind::Queue,
                title: if q.arn.is_empty() {
                    "(no ARN yet)".to_string()
                } else {
                    q.name().to_string()
                },
                details,
                x,
                y,
                props: Some(NodeUpdate::queue(q)),
                badge: None,
                owner: None,
                region: q.region().map(str::to_string),
                account: q.account().map(str::to_string),
                destination: None,
            });
        }
        let edges = doc
            .edges
            .iter()
            .map(|e| EdgeView {
                id: format!("{}->{}", e.from, e.to),
                source: e.from.to_string(),
                target: e.to.to_string(),
                locked: false,
                severity: None,
            })
            .collect::<Vec<_>>();
        let parked = parked
            .into_iter()
            .map(|(region, mut buckets)| {
                buckets.sort_by(|a, b| a.label.cmp(&b.label));
                ParkedView {
                    region: region.to_string(),
                    buckets,
                }
            })
            .collect();
        let mut doc_view = Self {
            nodes,
            edges,
            parked,
        };
        doc_view.add_foreign(doc);
        doc_view
    }
}

impl DocumentView {
    /// Each bucket's SQS, SNS and EventBridge destinations as read-only
    /// nodes hanging off the bucket (above it, half a column right), with
    /// locked edges. Their ids (`BUCKET/foreign/N`) are not document ids:
    /// edits to them are refused by the core.
    fn add_foreign(&mut self, doc: &Document) {
        // Where each bucket card is (one pass, not a search per bucket).
        let anchors: std::collections::HashMap<&str, (f64, f64)> = self
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Bucket)
            .map(|n| (n.id.as_str(), (n.x, n.y)))
            .collect();
        let mut added = Vec::new();
        for bucket in doc
            .buckets
            .iter()
            .filter(|b| !b.foreign.is_empty() || b.event_bridge)
        {
            let Some(&(anchor_x, anchor_y)) = anchors.get(bucket.id.as_str()) else {
                continue;
            };
            let (x, y) = (anchor_x + COLUMN_WIDTH / 2.0, anchor_y);
            let mut cards: Vec<(DestinationKind, String, Vec<String>)> = bucket
                .foreign
                .iter()
                .map(|f| {
                    let (destination, kind) = match f.kind {
                        bucketwire_core::ForeignKind::Sqs => (DestinationKind::Queue, "queue"),
                        bucketwire_core::ForeignKind::Sns => (DestinationKind::Topic, "topic"),
                    };
                    let keys = format!(
                        "{}…{}",
                        f.prefix.as_deref().unwrap_or(""),
                        f.suffix.as_deref().unwrap_or("")
                    );
                    (
                        destination,
                        format!("{kind} {}", f.arn.rsplit(':').next().unwrap_or(&f.arn)),
                        vec![
                            format!("\"{}\"", f.configuration_id),
                            f.events.join(", "),
                            keys,
                        ],
                    )
                })
                .collect();
            if bucket.event_bridge {
                cards.push((
                    DestinationKind::EventBridge,
                    "EventBridge".into(),
                    vec!["every event of the bucket".into()],
                ));
            }
            for (k, (destination, title, details)) in cards.into_iter().enumerate() {
                let id = format!("{}/foreign/{k}", bucket.id);
                self.edges.push(EdgeView {
                    id: format!("{}->{id}", bucket.id),
                    source: bucket.id.to_string(),
                    target: id.clone(),
                    locked: true,
                    severity: None,
                });
                added.push(NodeView {
                    id,
                    kind: NodeKind::Foreign,
                    title,
                    details,
                    x,
                    y: y - FOREIGN_HEIGHT * (k as f64 + 1.0),
                    props: None,
                    badge: None,
                    owner: None,
                    region: Some(bucket.region.clone()),
                    account: bucket.account.clone(),
                    destination: Some(destination),
                });
            }
        }
        self.nodes.extend(added);
    }
}

/// Vertical spacing of foreign destination cards above their bucket.
const FOREIGN_HEIGHT: f64 = 120.0;

fn short_role(arn: &str) -> &str {
    arn.rsplit_once(":role/").map_or(arn, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edges_between_the_nodes_of_a_finding_carry_its_severity() {
        // Two overlapping filters (docs/rules.md §1): the finding names the
        // bucket and both filters, so both bucket → filter edges are
        // marked as errors; the filter → function edges are not.
        let doc = bucketwire_core::read_document(
            serde_json::json!({
                "version": 1,
                "buckets": [{"id": "b", "name": "photos", "region": "us-east-1"}],
                "filters": [
                    {"id": "f1", "configurationId": "one", "events": ["s3:ObjectCreated:*"], "prefix": "up/"},
                    {"id": "f2", "configurationId": "two", "events": ["s3:ObjectCreated:Put"], "prefix": "up/img/"}
                ],
                "functions": [{"id": "fn", "arn": "arn:aws:lambda:us-east-1:123456789012:function:thumbs"}],
                "edges": [
                    {"from": "b", "to": "f1"}, {"from": "b", "to": "f2"},
                    {"from": "f1", "to": "fn"}, {"from": "f2", "to": "fn"}
                ]
            })
            .to_string()
            .as_bytes(),
        )
        .expect("document");
        let session = Session::new(bucketwire_core::Wiring::from_document(&doc).expect("wiring"));
        let view = EditorView::new(&session, None);
        let marked: Vec<(&str, &str, Option<SeverityView>)> = view
            .document
            .edges
            .iter()
            .map(|e| (e.source.as_str(), e.target.as_str(), e.severity))
            .collect();
        assert_eq!(
            marked,
            [
                ("b", "f1", Some(SeverityView::Error)),
                ("b", "f2", Some(SeverityView::Error)),
                ("f1", "fn", None),
                ("f2", "fn", None),
            ]
        );
    }

    #[test]
    fn the_sample_becomes_three_nodes_and_two_edges() {
        let view = DocumentView::from_document(&bucketwire_core::samples::thumbnails());
        let titles: Vec<_> = view.nodes.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(titles, ["acme-photos", "thumbnails", "make-thumbnail"]);
        assert_eq!(
            view.nodes[1].details,
            ["s3:ObjectCreated:*", "uploads/….jpg"]
        );
        assert_eq!(view.nodes[2].details, ["role make-thumbnail-role"]);
        assert_eq!(view.edges.len(), 2);
        assert_eq!(view.edges[0].source, "photos");
    }

    #[test]
    fn an_alias_is_titled_as_aws_writes_a_qualified_name() {
        let mut doc = bucketwire_core::samples::thumbnails();
        let mut alias = doc.functions[0].clone();
        alias.id = bucketwire_core::NodeId::new("live");
        alias.qualifier = Some("live".into());
        doc.functions.push(alias);
        let view = DocumentView::from_document(&doc);
        let titles: Vec<_> = view
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Function)
            .map(|n| (n.title.as_str(), n.details.first().map(String::as_str)))
            .collect();
        assert_eq!(
            titles,
            [
                ("make-thumbnail", Some("role make-thumbnail-role")),
                ("make-thumbnail:live", Some("alias live"))
            ]
        );
    }

    #[test]
    fn unplaced_nodes_go_to_their_kind_column() {
        let mut doc = bucketwire_core::samples::thumbnails();
        doc.layout.clear();
        let view = DocumentView::from_document(&doc);
        let xs: Vec<_> = view.nodes.iter().map(|n| n.x).collect();
        assert_eq!(xs, [0.0, COLUMN_WIDTH, 2.0 * COLUMN_WIDTH]);
    }

    #[test]
    fn foreign_destinations_hang_off_their_bucket_read_only() {
        let mut doc = bucketwire_core::samples::thumbnails();
        doc.buckets[0]
            .foreign
            .push(bucketwire_core::ForeignConfiguration {
                kind: bucketwire_core::ForeignKind::Sqs,
                configuration_id: "audit".into(),
                arn: "arn:aws:sqs:us-east-1:123456789012:audit-queue".into(),
                events: vec!["s3:ObjectCreated:*".into()],
                prefix: Some("logs/".into()),
                suffix: None,
            });
        doc.buckets[0].event_bridge = true;
        let view = DocumentView::from_document(&doc);
        let foreign: Vec<_> = view
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Foreign)
            .collect();
        let titles: Vec<&str> = foreign.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(titles, ["queue audit-queue", "EventBridge"]);
        // Each says what it is, for its icon; the nodes a user edits do not.
        let kinds: Vec<_> = foreign.iter().map(|n| n.destination).collect();
        assert_eq!(
            kinds,
            [
                Some(DestinationKind::Queue),
                Some(DestinationKind::EventBridge)
            ]
        );
        assert!(view
            .nodes
            .iter()
            .filter(|n| n.kind != NodeKind::Foreign)
            .all(|n| n.destination.is_none()));
        assert!(foreign.iter().all(|n| n.props.is_none()));
        assert_eq!(
            foreign[0].details,
            ["\"audit\"", "s3:ObjectCreated:*", "logs/…"]
        );
        let locked: Vec<_> = view.edges.iter().filter(|e| e.locked).collect();
        assert_eq!(locked.len(), 2);
        assert!(locked.iter().all(|e| e.source == "photos"));
    }
}

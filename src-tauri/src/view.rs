//! Transport types for the UI: what the canvas draws. They are built from
//! core documents and carry no logic of their own.

use bucketwire_core::Document;
use serde::Serialize;

/// The kind of a canvas node; each kind has one shape and one accent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum NodeKind {
    /// An S3 bucket.
    Bucket,
    /// An event filter (one notification configuration).
    Filter,
    /// A Lambda function.
    Function,
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
}

/// A whole document as the canvas shows it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DocumentView {
    /// Every node, buckets first, then filters, then functions.
    pub nodes: Vec<NodeView>,
    /// Every edge, in document order.
    pub edges: Vec<EdgeView>,
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
        let place = |id: &bucketwire_core::NodeId, column: f64, row: usize| {
            doc.layout
                .get(id)
                .map_or((column * COLUMN_WIDTH, row as f64 * ROW_HEIGHT), |p| {
                    (p.x, p.y)
                })
        };
        for (row, b) in doc.buckets.iter().enumerate() {
            let (x, y) = place(&b.id, 0.0, row);
            let mut details = vec![b.region.clone()];
            details.extend(b.account.iter().map(|a| format!("account {a}")));
            nodes.push(NodeView {
                id: b.id.to_string(),
                kind: NodeKind::Bucket,
                title: b.name.clone(),
                details,
                x,
                y,
            });
        }
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
            });
        }
        for (row, f) in doc.functions.iter().enumerate() {
            let (x, y) = place(&f.id, 2.0, row);
            let mut details = Vec::new();
            details.extend(f.qualifier.iter().map(|q| format!("alias {q}")));
            details.extend(f.role.iter().map(|r| format!("role {}", short_role(r))));
            nodes.push(NodeView {
                id: f.id.to_string(),
                kind: NodeKind::Function,
                title: f.name().to_string(),
                details,
                x,
                y,
            });
        }
        let edges = doc
            .edges
            .iter()
            .map(|e| EdgeView {
                id: format!("{}->{}", e.from, e.to),
                source: e.from.to_string(),
                target: e.to.to_string(),
            })
            .collect();
        Self { nodes, edges }
    }
}

fn short_role(arn: &str) -> &str {
    arn.rsplit_once(":role/").map_or(arn, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_becomes_three_nodes_and_two_edges() {
        let view = DocumentView::from_document(&bucketwire_core::sample::thumbnails());
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
    fn unplaced_nodes_go_to_their_kind_column() {
        let mut doc = bucketwire_core::sample::thumbnails();
        doc.layout.clear();
        let view = DocumentView::from_document(&doc);
        let xs: Vec<_> = view.nodes.iter().map(|n| n.x).collect();
        assert_eq!(xs, [0.0, COLUMN_WIDTH, 2.0 * COLUMN_WIDTH]);
    }
}

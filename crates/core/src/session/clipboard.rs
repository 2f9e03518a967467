//! Copy and paste of canvas nodes: a copied selection is a fragment (a
//! document holding the chosen nodes, the edges between them and their
//! positions); pasting it adds fresh copies — new ids, and names that do
//! not clash with what is there — as one batch of edits.

use crate::model::document::{Document, Edge, NodeId, Position};
use crate::model::graph::{Edit, Node, Wiring};
use rustc_hash::{FxHashMap, FxHashSet};

/// The fragment for the nodes `ids` of `wiring` (unknown ids are skipped):
/// those nodes in document order, the edges among them, their positions.
pub fn copy(wiring: &Wiring, ids: &[NodeId]) -> Document {
    let chosen: FxHashSet<&NodeId> = ids.iter().collect();
    let full = wiring.to_document();
    let mut out = Document::empty();
    out.buckets = full
        .buckets
        .into_iter()
        .filter(|b| chosen.contains(&b.id))
        .collect();
    out.filters = full
        .filters
        .into_iter()
        .filter(|f| chosen.contains(&f.id))
        .collect();
    out.functions = full
        .functions
        .into_iter()
        .filter(|f| chosen.contains(&f.id))
        .collect();
    out.rules = full
        .rules
        .into_iter()
        .filter(|r| chosen.contains(&r.id))
        .collect();
    out.topics = full
        .topics
        .into_iter()
        .filter(|t| chosen.contains(&t.id))
        .collect();
    out.queues = full
        .queues
        .into_iter()
        .filter(|q| chosen.contains(&q.id))
        .collect();
    out.version = out.lowest_version();
    out.edges = full
        .edges
        .into_iter()
        .filter(|e| chosen.contains(&e.from) && chosen.contains(&e.to))
        .collect();
    out.layout = full
        .layout
        .into_iter()
        .filter(|(id, _)| chosen.contains(id))
        .collect();
    out
}

/// The edits that paste `fragment` into `wiring`, shifted by `offset`.
/// Each node gets a fresh id; a bucket name or configuration id already in
/// use gets `-copy` (then `-copy-2`, ...). Functions keep their ARN: two
/// triggers may invoke one function.
pub fn paste(wiring: &Wiring, fragment: &Document, offset: Position) -> Vec<Edit> {
    let mut taken_ids: FxHashSet<String> = wiring.nodes().map(|n| n.id().to_string()).collect();
    let mut bucket_names: FxHashSet<String> = wiring.buckets().map(|b| b.name.clone()).collect();
    let mut config_ids: FxHashSet<String> = wiring
        .filters()
        .map(|f| f.configuration_id.clone())
        .collect();
    // Rule names are unique per region's default bus.
    let mut rule_names: FxHashSet<String> = wiring
        .rules()
        .map(|r| format!("{}/{}", r.region, r.name))
        .collect();
    let mut renamed: FxHashMap<NodeId, NodeId> = FxHashMap::default();
    let mut edits = Vec::new();
    let nodes = fragment
        .buckets
        .iter()
        .cloned()
        .map(Node::Bucket)
        .chain(fragment.filters.iter().cloned().map(Node::Filter))
        .chain(fragment.functions.iter().cloned().map(Node::Function))
        .chain(fragment.rules.iter().cloned().map(Node::Rule))
        .chain(fragment.topics.iter().cloned().map(Node::Topic))
        .chain(fragment.queues.iter().cloned().map(Node::Queue));
    for mut node in nodes {
        let old = node.id().clone();
        let id = NodeId::new(fresh(old.as_str(), &mut taken_ids));
        match &mut node {
            Node::Bucket(b) => {
                b.id = id.clone();
                b.name = fresh(&b.name, &mut bucket_names);
            }
            Node::Filter(f) => {
                f.id = id.clone();
                f.configuration_id = fresh(&f.configuration_id, &mut config_ids);
            }
            Node::Function(f) => f.id = id.clone(),
            Node::Rule(r) => {
                r.id = id.clone();
                let region = format!("{}/", r.region);
                let taken = fresh(&format!("{region}{}", r.name), &mut rule_names);
                r.name = taken[region.len()..].to_string();
            }
            // A pasted topic is the same topic: its ARN names it.
            Node::Topic(t) => t.id = id.clone(),
            Node::Queue(q) => q.id = id.clone(),
        }
        let at = fragment.layout.get(&old).copied().unwrap_or_default();
        edits.push(Edit::Add(node));
        edits.push(Edit::Move {
            id: id.clone(),
            position: Position {
                x: at.x + offset.x,
                y: at.y + offset.y,
            },
        });
        renamed.insert(old, id);
    }
    for Edge { from, to } in &fragment.edges {
        if let (Some(from), Some(to)) = (renamed.get(from), renamed.get(to)) {
            edits.push(Edit::Connect {
                from: from.clone(),
                to: to.clone(),
            });
        }
    }
    edits
}

/// `name` when free, else `name-copy`, `name-copy-2`, ...; marks it taken.
fn fresh(name: &str, taken: &mut FxHashSet<String>) -> String {
    let candidate = std::iter::once(name.to_string())
        .chain(std::iter::once(format!("{name}-copy")))
        .chain((2u32..).map(|i| format!("{name}-copy-{i}")))
        .find(|c| !taken.contains(c))
        .unwrap_or_else(|| name.to_string());
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples as sample;

    fn ids(ids: &[&str]) -> Vec<NodeId> {
        ids.iter().map(|i| NodeId::new(*i)).collect()
    }

    #[test]
    fn a_copied_path_pastes_as_a_new_path_with_fresh_names() {
        let mut wiring = Wiring::from_document(&sample::thumbnails()).expect("sample");
        let fragment = copy(&wiring, &ids(&["photos", "jpg-uploads", "make-thumbnail"]));
        assert_eq!(fragment.edges.len(), 2);
        let edits = paste(&wiring, &fragment, Position { x: 0.0, y: 200.0 });
        for edit in edits {
            wiring.apply(edit).expect("paste applies");
        }
        let doc = wiring.to_document();
        let names: Vec<&str> = doc.buckets.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["acme-photos", "acme-photos-copy"]);
        let configs: Vec<&str> = doc
            .filters
            .iter()
            .map(|f| f.configuration_id.as_str())
            .collect();
        assert_eq!(configs, ["thumbnails", "thumbnails-copy"]);
        assert_eq!(doc.functions[1].arn, doc.functions[0].arn);
        assert_eq!(doc.edges.len(), 4);
        let original = doc.layout[&NodeId::new("photos")];
        let copied = doc.layout[&NodeId::new("photos-copy")];
        assert_eq!((copied.x, copied.y), (original.x, original.y + 200.0));
        // Twice: the names keep counting.
        let again = paste(&wiring, &fragment, Position::default());
        for edit in again {
            wiring.apply(edit).expect("paste applies");
        }
        assert!(wiring.buckets().any(|b| b.name == "acme-photos-copy-2"));
    }

    #[test]
    fn edges_leaving_the_selection_are_not_copied() {
        let wiring = Wiring::from_document(&sample::thumbnails()).expect("sample");
        let fragment = copy(&wiring, &ids(&["jpg-uploads", "nope"]));
        assert_eq!(fragment.filters.len(), 1);
        assert!(fragment.edges.is_empty());
        assert!(fragment.buckets.is_empty());
    }
}

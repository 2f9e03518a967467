//! Merging an imported document into the one being edited, as one batch of
//! edits (so one undo step): buckets the document does not have yet come in
//! with their filters, functions, EventBridge rules and SNS topics, placed
//! below what is already on the
//! canvas; buckets it already has keep the document's version (the user's
//! edits win; an import never overwrites them). A function already on the
//! canvas (same ARN and qualifier), a topic (same ARN) or a rule (same name
//! and region) is reused rather than drawn twice. The
//! live facts are combined, the imported ones replacing older reads of the
//! same function or role.

use crate::model::document::{Document, LiveFacts, NodeId, Position};
use crate::model::graph::{Edit, Node, Wiring};
use std::collections::{BTreeMap, BTreeSet};

/// Vertical gap between what was on the canvas and what comes in.
const GAP: f64 = 200.0;

/// What merging an import does.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// The edits to apply, as one batch.
    pub edits: Vec<Edit>,
    /// Names of the buckets that came in.
    pub added: Vec<String>,
    /// Names of imported buckets the document already had (left as drawn).
    pub kept: Vec<String>,
}

/// The edits that merge `imported` into `wiring` (see the module docs).
/// Node ids that clash get a `-2`, `-3`… suffix.
pub fn merge(wiring: &Wiring, imported: &Document) -> Merge {
    let have: BTreeSet<&str> = wiring.buckets().map(|b| b.name.as_str()).collect();
    // Everything that comes in sits below the lowest node already placed.
    let top = wiring
        .layout()
        .values()
        .map(|p| p.y)
        .fold(None, |m: Option<f64>, y| Some(m.map_or(y, |m| m.max(y))))
        .map_or(0.0, |y| y + GAP);
    let mut m = Merger {
        imported,
        top,
        used: wiring.nodes().map(|n| n.id().0.clone()).collect(),
        functions: wiring
            .functions()
            .map(|f| ((f.arn.clone(), f.qualifier.clone()), f.id.clone()))
            .collect(),
        topics: wiring
            .topics()
            .map(|t| (t.arn.clone(), t.id.clone()))
            .collect(),
        queues: wiring
            .queues()
            .map(|q| (q.arn.clone(), q.id.clone()))
            .collect(),
        rules: wiring
            .rules()
            .map(|r| ((r.region.clone(), r.name.clone()), r.id.clone()))
            .collect(),
        edges: wiring
            .nodes()
            .flat_map(|n| {
                wiring
                    .downstream(n.id())
                    .into_iter()
                    .map(|d| (n.id().clone(), d.id().clone()))
            })
            .collect(),
        edits: Vec::new(),
    };
    let mut added = Vec::new();
    let mut kept = Vec::new();
    for bucket in &imported.buckets {
        if have.contains(bucket.name.as_str()) {
            kept.push(bucket.name.clone());
            continue;
        }
        added.push(bucket.name.clone());
        let mut node = bucket.clone();
        node.id = m.fresh(&bucket.id);
        let bucket_id = m.add(Node::Bucket(node), &bucket.id);
        for edge in imported.edges.iter().filter(|e| e.from == bucket.id) {
            if let Some(filter) = imported.filters.iter().find(|f| f.id == edge.to) {
                let mut node = filter.clone();
                node.id = m.fresh(&filter.id);
                let filter_id = m.add(Node::Filter(node), &filter.id);
                m.connect(&bucket_id, &filter_id);
                m.deliveries(&filter.id, &filter_id);
            } else if let Some(rule) = imported.rules.iter().find(|r| r.id == edge.to) {
                // A rule is the document's own when it has one of that name
                // and region; else it comes in with its targets.
                let key = (rule.region.clone(), rule.name.clone());
                let rule_id = match m.rules.get(&key) {
                    Some(id) => id.clone(),
                    None => {
                        let mut node = rule.clone();
                        node.id = m.fresh(&rule.id);
                        let id = m.add(Node::Rule(node), &rule.id);
                        m.rules.insert(key, id.clone());
                        m.deliveries(&rule.id, &id);
                        id
                    }
                };
                m.connect(&bucket_id, &rule_id);
            }
        }
    }
    let mut merge = Merge {
        edits: m.edits,
        added,
        kept,
    };
    if let Some(new) = &imported.live {
        merge
            .edits
            .push(Edit::SetLive(Some(LiveFacts::combined(wiring.live(), new))));
    }
    merge
}

/// The state of one merge: ids taken, what the document already has (by
/// ARN, name), the edges made, and the edits so far.
struct Merger<'i> {
    imported: &'i Document,
    /// Where the imported canvas starts, below the document's.
    top: f64,
    used: BTreeSet<String>,
    functions: BTreeMap<(String, Option<String>), NodeId>,
    topics: BTreeMap<String, NodeId>,
    queues: BTreeMap<String, NodeId>,
    rules: BTreeMap<(String, String), NodeId>,
    edges: BTreeSet<(NodeId, NodeId)>,
    edits: Vec<Edit>,
}

impl Merger<'_> {
    /// `wanted`, or with the first free `-N` suffix.
    fn fresh(&mut self, wanted: &NodeId) -> NodeId {
        let mut id = wanted.0.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{}-{n}", wanted.0);
            n += 1;
        }
        NodeId::new(id)
    }

    /// Adds `node` (imported as `old`), placed as the import placed it.
    fn add(&mut self, node: Node, old: &NodeId) -> NodeId {
        let id = node.id().clone();
        self.edits.push(Edit::Add(node));
        if let Some(p) = self.imported.layout.get(old) {
            self.edits.push(Edit::Move {
                id: id.clone(),
                position: Position {
                    x: p.x,
                    y: p.y + self.top,
                },
            });
        }
        id
    }

    /// Connects two nodes, once.
    fn connect(&mut self, from: &NodeId, to: &NodeId) {
        if self.edges.insert((from.clone(), to.clone())) {
            self.edits.push(Edit::Connect {
                from: from.clone(),
                to: to.clone(),
            });
        }
    }

    /// What imported node `old` (a filter, rule, topic or queue; `id` in
    /// the document) delivers to: its functions, a filter's topic with the
    /// functions subscribed to it, a filter's queue with the function
    /// polling it. A function, topic or queue the document has (same ARN)
    /// is reused, not drawn twice.
    fn deliveries(&mut self, old: &NodeId, id: &NodeId) {
        let imported = self.imported;
        for edge in imported.edges.iter().filter(|e| &e.from == old) {
            if let Some(function) = imported.functions.iter().find(|f| f.id == edge.to) {
                let key = (function.arn.clone(), function.qualifier.clone());
                let function_id = match self.functions.get(&key) {
                    Some(f) => f.clone(),
                    None => {
                        let mut node = function.clone();
                        node.id = self.fresh(&function.id);
                        let f = self.add(Node::Function(node), &function.id);
                        self.functions.insert(key, f.clone());
                        f
                    }
                };
                self.connect(id, &function_id);
            } else if let Some(topic) = imported.topics.iter().find(|t| t.id == edge.to) {
                let topic_id = match self.topics.get(&topic.arn) {
                    Some(t) => t.clone(),
                    None => {
                        let mut node = topic.clone();
                        node.id = self.fresh(&topic.id);
                        let t = self.add(Node::Topic(node), &topic.id);
                        self.topics.insert(topic.arn.clone(), t.clone());
                        t
                    }
                };
                self.connect(id, &topic_id);
                self.deliveries(&topic.id, &topic_id);
            } else if let Some(queue) = imported.queues.iter().find(|q| q.id == edge.to) {
                // A queue the document has keeps the function it draws
                // (one polls a queue).
                let (queue_id, new) = match self.queues.get(&queue.arn) {
                    Some(q) => (q.clone(), false),
                    None => {
                        let mut node = queue.clone();
                        node.id = self.fresh(&queue.id);
                        let q = self.add(Node::Queue(node), &queue.id);
                        self.queues.insert(queue.arn.clone(), q.clone());
                        (q, true)
                    }
                };
                self.connect(id, &queue_id);
                if new {
                    self.deliveries(&queue.id, &queue_id);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::document_from_live;
    use crate::live::{LiveBucket, LiveState, NotificationConfiguration, NotificationEntry};
    use crate::session::Session;

    const THUMBS: &str = "arn:aws:lambda:us-east-1:123456789012:function:thumbs";
    const INGEST: &str = "arn:aws:lambda:us-east-1:123456789012:function:ingest";

    fn bucket(name: &str, arn: &str, prefix: &str) -> LiveBucket {
        LiveBucket {
            name: name.into(),
            region: "us-east-1".into(),
            notification: NotificationConfiguration {
                lambda: vec![NotificationEntry {
                    id: format!("{name}-entry"),
                    arn: arn.into(),
                    events: vec!["s3:ObjectCreated:*".into()],
                    prefix: Some(prefix.into()),
                    suffix: None,
                }],
                ..NotificationConfiguration::default()
            },
            owner: None,
        }
    }

    fn function(arn: &str, role: &str) -> crate::model::document::LiveFunction {
        crate::model::document::LiveFunction {
            arn: arn.into(),
            aliases: vec![],
            versions: vec![],
            role: Some(role.into()),
            policy_statements: vec![],
            ..Default::default()
        }
    }

    #[test]
    fn new_buckets_come_in_existing_ones_stay_as_drawn_functions_are_reused() {
        // The open document: photos → uploads/ → thumbs, as the user drew it.
        let drawn = document_from_live(
            &LiveState {
                buckets: vec![bucket("photos", THUMBS, "uploads/")],
                functions: vec![function(THUMBS, "arn:aws:iam::123456789012:role/old")],
                roles: vec![],
                ..Default::default()
            },
            None,
        );
        let mut session = Session::new(Wiring::from_document(&drawn).expect("valid"));
        // The account: photos with another prefix, and logs on thumbs and ingest.
        let mut logs = bucket("logs", THUMBS, "a/");
        logs.notification.lambda.push(NotificationEntry {
            id: "ingest-entry".into(),
            arn: INGEST.into(),
            events: vec!["s3:ObjectCreated:Put".into()],
            prefix: Some("b/".into()),
            suffix: None,
        });
        let imported = document_from_live(
            &LiveState {
                buckets: vec![bucket("photos", THUMBS, "elsewhere/"), logs],
                functions: vec![
                    function(THUMBS, "arn:aws:iam::123456789012:role/new"),
                    function(INGEST, "arn:aws:iam::123456789012:role/ingest"),
                ],
                roles: vec![],
                ..Default::default()
            },
            Some("123456789012"),
        );

        let merge = merge(session.wiring(), &imported);
        assert_eq!(merge.added, ["logs"]);
        assert_eq!(merge.kept, ["photos"]);
        session.edit(merge.edits).expect("the merge applies");
        let w = session.wiring();

        // photos keeps the drawn prefix; logs came in with both filters.
        let prefixes: Vec<_> = w
            .filters()
            .map(|f| f.prefix.clone().expect("prefix"))
            .collect();
        assert_eq!(prefixes, ["uploads/", "a/", "b/"]);
        // thumbs is drawn once and now has two filters; ingest is new.
        let functions: Vec<_> = w.functions().map(|f| f.name().to_string()).collect();
        assert_eq!(functions, ["thumbs", "ingest"]);
        let thumbs = w.functions().next().expect("thumbs").id.clone();
        assert_eq!(w.upstream(&thumbs).len(), 2);
        // Ids that clashed were renamed, never reused.
        let ids: BTreeSet<_> = w.nodes().map(|n| n.id().clone()).collect();
        assert_eq!(ids.len(), w.nodes().count());
        // The new nodes sit below the old ones.
        let lowest_old = w.layout()[&NodeId::new("photos")].y;
        let logs_id = w
            .buckets()
            .find(|b| b.name == "logs")
            .expect("logs")
            .id
            .clone();
        assert!(w.layout()[&logs_id].y > lowest_old);
        // Live facts: the newer read of thumbs replaced the older one.
        let live = w.live().expect("live facts");
        assert_eq!(live.functions.len(), 2);
        assert_eq!(
            live.functions
                .iter()
                .find(|f| f.arn == THUMBS)
                .and_then(|f| f.role.as_deref()),
            Some("arn:aws:iam::123456789012:role/new")
        );

        // The whole merge is one undo step.
        assert!(session.undo());
        assert_eq!(session.wiring().to_document(), drawn);
    }

    #[test]
    fn merging_into_an_empty_document_is_the_import() {
        let imported = document_from_live(
            &LiveState {
                buckets: vec![bucket("photos", THUMBS, "uploads/")],
                functions: vec![],
                roles: vec![],
                ..Default::default()
            },
            None,
        );
        let mut session = Session::default();
        let m = merge(session.wiring(), &imported);
        session.edit(m.edits).expect("applies");
        assert_eq!(session.wiring().to_document(), imported);
    }
}

//! The wiring as a graph: buckets → filters → functions in a petgraph
//! `StableDiGraph`, addressed by the document's own [`NodeId`]s.
//!
//! Invariants kept by every constructor and edit:
//! - ids are unique and non-empty;
//! - edges run bucket → filter, filter → function, topic or queue, topic
//!   → function, queue → function, bucket → rule or rule → function,
//!   nothing else;
//! - a queue has at most one function (its messages are each received by
//!   one consumer, docs/rules.md §16);
//! - a filter has at most one bucket and at most one destination, a
//!   function, a topic or a queue (a filter *is* one notification configuration,
//!   which has one destination; fan-out needs SNS or EventBridge,
//!   docs/rules.md §1);
//! - an edit that would break one of these is refused and changes nothing.

use crate::model::document::{
    Bucket, Document, Edge, Filter, Function, LiveFacts, NodeId, Position, Queue, Rule, Topic,
};
use crate::model::id_index::IdIndex;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::Direction;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A node of the wiring.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// An S3 bucket.
    Bucket(Bucket),
    /// An event filter (one notification configuration).
    Filter(Filter),
    /// A Lambda function.
    Function(Function),
    /// An EventBridge rule over S3's events (docs/rules.md §14).
    Rule(Rule),
    /// An SNS topic fanning a filter's events out (docs/rules.md §15).
    Topic(Topic),
    /// An SQS queue buffering a filter's events for a function (§16).
    Queue(Queue),
}

impl Node {
    /// The node's id.
    pub fn id(&self) -> &NodeId {
        match self {
            Node::Bucket(b) => &b.id,
            Node::Filter(f) => &f.id,
            Node::Function(f) => &f.id,
            Node::Rule(r) => &r.id,
            Node::Topic(t) => &t.id,
            Node::Queue(q) => &q.id,
        }
    }

    /// `bucket`, `filter`, `function`, `rule`, `topic` or `queue`.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Bucket(_) => "bucket",
            Node::Filter(_) => "filter",
            Node::Function(_) => "function",
            Node::Rule(_) => "rule",
            Node::Topic(_) => "topic",
            Node::Queue(_) => "queue",
        }
    }

    fn label(&self) -> String {
        match self {
            Node::Bucket(b) => format!("bucket \"{}\"", b.name),
            Node::Filter(f) => format!("filter \"{}\"", f.configuration_id),
            Node::Function(f) => format!("function \"{}\"", f.name()),
            Node::Rule(r) => format!("rule \"{}\"", r.name),
            Node::Topic(t) => format!("topic \"{}\"", t.name()),
            Node::Queue(q) => format!("queue \"{}\"", q.name()),
        }
    }
}

/// Why a document cannot become a wiring, or an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// Two nodes share an id.
    #[error("id \"{id}\" is used by both {first} and {second}; ids must be unique")]
    DuplicateId {
        /// The shared id.
        id: NodeId,
        /// The node that has it already.
        first: String,
        /// The node that wanted it.
        second: String,
    },
    /// A node has an empty id.
    #[error("a {0} has an empty id")]
    EmptyId(&'static str),
    /// An edge or edit names a node that does not exist.
    #[error("{context} names \"{id}\", but no node has that id")]
    UnknownNode {
        /// The id that was not found.
        id: NodeId,
        /// Where it was named (`edge 3`, `connect`).
        context: String,
    },
    /// A connection that cannot exist in S3.
    #[error("cannot connect {from} to {to}: {reason}")]
    Refused {
        /// Upstream node label.
        from: String,
        /// Downstream node label.
        to: String,
        /// Why, in plain words.
        reason: String,
    },
    /// An update tried to change a node's kind.
    #[error("node \"{id}\" is a {was}; it cannot become a {now}")]
    KindChange {
        /// The node id.
        id: NodeId,
        /// Its kind.
        was: &'static str,
        /// The kind the update had.
        now: &'static str,
    },
    /// A document edge could not be made (wraps the reason with its path).
    #[error("at {path}: {error}")]
    At {
        /// JSON path of the edge (`edges[2]`).
        path: String,
        /// Why.
        error: Box<GraphError>,
    },
    /// The edge to remove does not exist.
    #[error("there is no edge from \"{from}\" to \"{to}\"")]
    NoSuchEdge {
        /// Upstream id.
        from: NodeId,
        /// Downstream id.
        to: NodeId,
    },
}

/// An edit the UI (or a test) makes to a wiring.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Add a node (its id must be new).
    Add(Node),
    /// Remove a node and every edge touching it.
    Remove(NodeId),
    /// Connect two nodes.
    Connect {
        /// Upstream node.
        from: NodeId,
        /// Downstream node.
        to: NodeId,
    },
    /// Remove the edge between two nodes.
    Disconnect {
        /// Upstream node.
        from: NodeId,
        /// Downstream node.
        to: NodeId,
    },
    /// Replace a node's properties (same id, same kind).
    Update(Node),
    /// Move a node on the canvas.
    Move {
        /// The node.
        id: NodeId,
        /// Its new position.
        position: Position,
    },
    /// Replace the facts read from the account (an import merged in).
    SetLive(Option<LiveFacts>),
}

/// The wiring: the graph, the canvas layout and any live facts.
#[derive(Debug, Clone)]
pub struct Wiring {
    /// Node weights carry their insertion sequence number.
    graph: StableDiGraph<(u64, Node), ()>,
    /// Id → index, holding no copy of the ids ([`IdIndex`]).
    index: IdIndex,
    /// Insertion order, so a document round-trips in the order it was written.
    order: BTreeMap<u64, NodeIndex>,
    next_seq: u64,
    layout: BTreeMap<NodeId, Position>,
    /// Shared, so cloning a wiring (every undo step) does not copy them.
    live: Option<Arc<LiveFacts>>,
}

impl Wiring {
    /// An empty wiring.
    pub fn new() -> Self {
        Self {
            graph: StableDiGraph::new(),
            index: IdIndex::default(),
            order: BTreeMap::new(),
            next_seq: 0,
            layout: BTreeMap::new(),
            live: None,
        }
    }

    /// Builds the wiring of a document.
    ///
    /// # Errors
    /// The first [`GraphError`] found: duplicate or empty ids, an edge naming
    /// an unknown node, or an edge S3 cannot have.
    pub fn from_document(doc: &Document) -> Result<Self, GraphError> {
        Self::from_owned_document(doc.clone())
    }

    /// [`Wiring::from_document`] taking the document, whose nodes, layout
    /// and live facts move into the wiring instead of being copied (a large
    /// account's document is never in memory twice).
    ///
    /// # Errors
    /// As [`Wiring::from_document`].
    pub fn from_owned_document(doc: Document) -> Result<Self, GraphError> {
        let Document {
            buckets,
            filters,
            functions,
            rules,
            topics,
            queues,
            edges,
            layout,
            live,
            ..
        } = doc;
        // Sized once: grown by doubling, a large account's nodes were
        // copied and briefly held twice.
        let count = buckets.len()
            + filters.len()
            + functions.len()
            + rules.len()
            + topics.len()
            + queues.len();
        let mut w = Self::new();
        w.graph.reserve_nodes(count);
        w.graph.reserve_edges(edges.len());
        w.index.reserve(count, |i| w.graph[i].1.id());
        let nodes = buckets
            .into_iter()
            .map(Node::Bucket)
            .chain(filters.into_iter().map(Node::Filter))
            .chain(functions.into_iter().map(Node::Function))
            .chain(rules.into_iter().map(Node::Rule))
            .chain(topics.into_iter().map(Node::Topic))
            .chain(queues.into_iter().map(Node::Queue));
        for node in nodes {
            w.add(node)?;
        }
        for (i, edge) in edges.iter().enumerate() {
            for (id, end) in [(&edge.from, "from"), (&edge.to, "to")] {
                if w.index.get(id.as_str(), |i| w.graph[i].1.id()).is_none() {
                    return Err(GraphError::UnknownNode {
                        id: id.clone(),
                        context: format!("edges[{i}].{end}"),
                    });
                }
            }
            w.connect_in(&edge.from, &edge.to, "edge")
                .map_err(|e| GraphError::At {
                    path: format!("edges[{i}]"),
                    error: Box::new(e),
                })?;
        }
        w.layout = layout;
        w.live = live.map(Arc::new);
        Ok(w)
    }

    /// The document for this wiring: nodes in insertion order, then edges.
    pub fn to_document(&self) -> Document {
        let mut doc = self.canvas_document();
        doc.live = self.live.as_deref().cloned();
        doc
    }

    /// [`Wiring::to_document`] without the live facts: what a canvas
    /// draws, without copying an import's policies.
    pub fn canvas_document(&self) -> Document {
        let mut doc = Document::empty();
        for node in self.nodes() {
            match node {
                Node::Bucket(b) => doc.buckets.push(b.clone()),
                Node::Filter(f) => doc.filters.push(f.clone()),
                Node::Function(f) => doc.functions.push(f.clone()),
                Node::Rule(r) => doc.rules.push(r.clone()),
                Node::Topic(t) => doc.topics.push(t.clone()),
                Node::Queue(q) => doc.queues.push(q.clone()),
            }
        }
        for node in self.nodes() {
            for to in self.downstream(node.id()) {
                doc.edges.push(Edge {
                    from: node.id().clone(),
                    to: to.id().clone(),
                });
            }
        }
        doc.layout = self.layout.clone();
        doc.version = doc.lowest_version();
        doc
    }

    /// Applies one edit. The graph knows nothing of findings: the session
    /// (`crate::session::Session`) validates after a batch of edits.
    ///
    /// # Errors
    /// A [`GraphError`] saying why the edit was refused; the wiring is then
    /// exactly as before.
    pub fn apply(&mut self, edit: Edit) -> Result<(), GraphError> {
        match edit {
            Edit::Add(node) => self.add(node)?,
            Edit::Remove(id) => self.remove(&id)?,
            Edit::Connect { from, to } => self.connect_in(&from, &to, "connect")?,
            Edit::Disconnect { from, to } => self.disconnect(&from, &to)?,
            Edit::Update(node) => self.update(node)?,
            Edit::Move { id, position } => {
                self.require(&id, "move")?;
                self.layout.insert(id, position);
            }
            Edit::SetLive(live) => self.live = live.map(Arc::new),
        }
        Ok(())
    }

    /// Where each placed node sits on the canvas.
    pub fn layout(&self) -> &BTreeMap<NodeId, Position> {
        &self.layout
    }

    /// The node with this id.
    pub fn node(&self, id: &NodeId) -> Option<&Node> {
        self.index_of(id).map(|i| &self.graph[i].1)
    }

    /// Every node, in insertion order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> + '_ {
        self.order.values().map(|i| &self.graph[*i].1)
    }

    /// Every bucket, in insertion order.
    pub fn buckets(&self) -> impl Iterator<Item = &Bucket> + '_ {
        self.nodes().filter_map(|n| match n {
            Node::Bucket(b) => Some(b),
            _ => None,
        })
    }

    /// Every filter, in insertion order.
    pub fn filters(&self) -> impl Iterator<Item = &Filter> + '_ {
        self.nodes().filter_map(|n| match n {
            Node::Filter(f) => Some(f),
            _ => None,
        })
    }

    /// Every function, in insertion order.
    pub fn functions(&self) -> impl Iterator<Item = &Function> + '_ {
        self.nodes().filter_map(|n| match n {
            Node::Function(f) => Some(f),
            _ => None,
        })
    }

    /// Every EventBridge rule, in insertion order.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> + '_ {
        self.nodes().filter_map(|n| match n {
            Node::Rule(r) => Some(r),
            _ => None,
        })
    }

    /// Every SNS topic, in insertion order.
    pub fn topics(&self) -> impl Iterator<Item = &Topic> + '_ {
        self.nodes().filter_map(|n| match n {
            Node::Topic(t) => Some(t),
            _ => None,
        })
    }

    /// The topic a filter publishes to, if connected.
    pub fn topic_of(&self, filter: &NodeId) -> Option<&Topic> {
        // At most one destination per filter (an invariant).
        let i = self.index_of(filter)?;
        self.graph
            .neighbors_directed(i, Direction::Outgoing)
            .find_map(|n| match &self.graph[n].1 {
                Node::Topic(t) => Some(t),
                _ => None,
            })
    }

    /// Every SQS queue, in insertion order.
    pub fn queues(&self) -> impl Iterator<Item = &Queue> + '_ {
        self.nodes().filter_map(|n| match n {
            Node::Queue(q) => Some(q),
            _ => None,
        })
    }

    /// The queue a filter sends to, if connected.
    pub fn queue_of(&self, filter: &NodeId) -> Option<&Queue> {
        // At most one destination per filter (an invariant).
        let i = self.index_of(filter)?;
        self.graph
            .neighbors_directed(i, Direction::Outgoing)
            .find_map(|n| match &self.graph[n].1 {
                Node::Queue(q) => Some(q),
                _ => None,
            })
    }

    /// The function polling a queue, if connected (at most one).
    pub fn consumer_of(&self, queue: &NodeId) -> Option<&Function> {
        self.function_of(queue)
    }

    /// The functions subscribed to a topic, in insertion order.
    pub fn subscribers_of(&self, topic: &NodeId) -> Vec<&Function> {
        self.downstream(topic)
            .into_iter()
            .filter_map(|n| match n {
                Node::Function(f) => Some(f),
                _ => None,
            })
            .collect()
    }

    /// Nodes this node points to.
    pub fn downstream(&self, id: &NodeId) -> Vec<&Node> {
        self.neighbours(id, Direction::Outgoing)
    }

    /// Nodes pointing to this node.
    pub fn upstream(&self, id: &NodeId) -> Vec<&Node> {
        self.neighbours(id, Direction::Incoming)
    }

    /// The bucket a filter belongs to, if connected.
    pub fn bucket_of(&self, filter: &NodeId) -> Option<&Bucket> {
        // At most one bucket per filter (an invariant): no ordering needed.
        let i = self.index_of(filter)?;
        self.graph
            .neighbors_directed(i, Direction::Incoming)
            .find_map(|n| match &self.graph[n].1 {
                Node::Bucket(b) => Some(b),
                _ => None,
            })
    }

    /// The function a filter invokes, if connected.
    pub fn function_of(&self, filter: &NodeId) -> Option<&Function> {
        // At most one function per filter (an invariant): no ordering needed.
        let i = self.index_of(filter)?;
        self.graph
            .neighbors_directed(i, Direction::Outgoing)
            .find_map(|n| match &self.graph[n].1 {
                Node::Function(f) => Some(f),
                _ => None,
            })
    }

    /// The filters connected to a bucket, in insertion order.
    pub fn filters_of(&self, bucket: &NodeId) -> Vec<&Filter> {
        let Some(i) = self.index_of(bucket) else {
            return Vec::new();
        };
        let mut out: Vec<(u64, &Filter)> = self
            .graph
            .neighbors_directed(i, Direction::Outgoing)
            .filter_map(|n| match &self.graph[n] {
                (seq, Node::Filter(f)) => Some((*seq, f)),
                _ => None,
            })
            .collect();
        out.sort_unstable_by_key(|(seq, _)| *seq);
        out.into_iter().map(|(_, f)| f).collect()
    }

    /// Live facts from an import, if any.
    pub fn live(&self) -> Option<&LiveFacts> {
        self.live.as_deref()
    }

    /// A Graphviz DOT dump, for debugging.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph wiring {\n  rankdir=LR;\n");
        for n in self.nodes() {
            out.push_str(&format!(
                "  \"{}\" [label=\"{}\"];\n",
                n.id(),
                n.label().replace('"', "'")
            ));
        }
        for n in self.nodes() {
            for d in self.downstream(n.id()) {
                out.push_str(&format!("  \"{}\" -> \"{}\";\n", n.id(), d.id()));
            }
        }
        out.push_str("}\n");
        out
    }

    fn neighbours(&self, id: &NodeId, dir: Direction) -> Vec<&Node> {
        let Some(i) = self.index_of(id) else {
            return Vec::new();
        };
        let mut out: Vec<&(u64, Node)> = self
            .graph
            .neighbors_directed(i, dir)
            .map(|n| &self.graph[n])
            .collect();
        out.sort_by_key(|(seq, _)| *seq);
        out.into_iter().map(|(_, node)| node).collect()
    }

    fn index_of(&self, id: &NodeId) -> Option<NodeIndex> {
        self.index.get(id.as_str(), |i| self.graph[i].1.id())
    }

    fn require(&self, id: &NodeId, context: &str) -> Result<NodeIndex, GraphError> {
        self.index_of(id).ok_or_else(|| GraphError::UnknownNode {
            id: id.clone(),
            context: context.to_string(),
        })
    }

    fn add(&mut self, node: Node) -> Result<(), GraphError> {
        let id = node.id().clone();
        if id.as_str().trim().is_empty() {
            return Err(GraphError::EmptyId(node.kind()));
        }
        if let Some(existing) = self.index_of(&id) {
            return Err(GraphError::DuplicateId {
                first: self.graph[existing].1.label(),
                second: node.label(),
                id,
            });
        }
        let i = self.graph.add_node((self.next_seq, node));
        self.index.insert(id.as_str(), i, |j| self.graph[j].1.id());
        self.order.insert(self.next_seq, i);
        self.next_seq += 1;
        Ok(())
    }

    fn remove(&mut self, id: &NodeId) -> Result<(), GraphError> {
        let i = self.require(id, "remove")?;
        self.index.remove(id.as_str(), |j| self.graph[j].1.id());
        if let Some((seq, _)) = self.graph.remove_node(i) {
            self.order.remove(&seq);
        }
        self.layout.remove(id);
        Ok(())
    }

    fn update(&mut self, node: Node) -> Result<(), GraphError> {
        let i = self.require(node.id(), "update")?;
        let was = self.graph[i].1.kind();
        if was != node.kind() {
            return Err(GraphError::KindChange {
                id: node.id().clone(),
                was,
                now: node.kind(),
            });
        }
        self.graph[i].1 = node;
        Ok(())
    }

    fn disconnect(&mut self, from: &NodeId, to: &NodeId) -> Result<(), GraphError> {
        let a = self.require(from, "disconnect")?;
        let b = self.require(to, "disconnect")?;
        let edge = self
            .graph
            .find_edge(a, b)
            .ok_or_else(|| GraphError::NoSuchEdge {
                from: from.clone(),
                to: to.clone(),
            })?;
        self.graph.remove_edge(edge);
        Ok(())
    }

    fn connect_in(&mut self, from: &NodeId, to: &NodeId, context: &str) -> Result<(), GraphError> {
        let a = self.require(from, context)?;
        let b = self.require(to, context)?;
        let (fa, fb) = (&self.graph[a].1, &self.graph[b].1);
        let refuse = |reason: &str| GraphError::Refused {
            from: fa.label(),
            to: fb.label(),
            reason: reason.to_string(),
        };
        if self.graph.find_edge(a, b).is_some() {
            return Err(refuse("they are already connected"));
        }
        match (fa, fb) {
            (Node::Bucket(_), Node::Filter(_)) => {
                if self.graph.neighbors_directed(b, Direction::Incoming).next().is_some() {
                    return Err(refuse(
                        "the filter already belongs to a bucket; a filter is one notification configuration of one bucket (add a second filter instead)",
                    ));
                }
            }
            (Node::Filter(_), Node::Function(_) | Node::Topic(_) | Node::Queue(_)) => {
                if self.graph.neighbors_directed(a, Direction::Outgoing).next().is_some() {
                    return Err(refuse(
                        "the filter already has a destination; one configuration has one destination, so fan-out needs a second filter with different events or keys, or an SNS topic or EventBridge (docs/rules.md §1)",
                    ));
                }
            }
            // A topic fans its events out to every function subscribed
            // (docs/rules.md §15).
            (Node::Topic(_), Node::Function(_)) => {}
            // A queue's messages are each received by one consumer
            // (docs/rules.md §16).
            (Node::Queue(_), Node::Function(_)) => {
                if self.graph.neighbors_directed(a, Direction::Outgoing).next().is_some() {
                    return Err(refuse(
                        "the queue already has a function polling it; each message goes to one consumer, so two functions would split the messages, not both get them (fan out through an SNS topic, docs/rules.md §16)",
                    ));
                }
            }
            (Node::Bucket(_), Node::Queue(_)) => {
                return Err(refuse(
                    "a bucket sends to a queue through a filter: connect the bucket to a filter, then the filter to the queue",
                ))
            }
            (Node::Queue(_), _) | (_, Node::Queue(_)) => {
                return Err(refuse(
                    "a queue takes a filter's events and hands them to the one function polling it: connect filter → queue → function",
                ))
            }
            (Node::Bucket(_), Node::Topic(_)) => {
                return Err(refuse(
                    "a bucket publishes to a topic through a filter: connect the bucket to a filter, then the filter to the topic",
                ))
            }
            (Node::Topic(_), _) | (_, Node::Topic(_)) => {
                return Err(refuse(
                    "a topic takes a filter's events and delivers them to the functions subscribed to it: connect filter → topic → function",
                ))
            }
            (Node::Bucket(_), Node::Function(_)) => {
                return Err(refuse(
                    "a bucket reaches a function through a filter: connect the bucket to a filter, then the filter to the function",
                ))
            }
            // A rule matches the events of the buckets drawn into it and
            // sends them to its targets (docs/rules.md §14).
            (Node::Bucket(_), Node::Rule(_)) | (Node::Rule(_), Node::Function(_)) => {}
            (Node::Filter(_), Node::Rule(_)) | (Node::Rule(_), Node::Filter(_)) => {
                return Err(refuse(
                    "a rule matches a bucket's events on EventBridge by its own pattern: connect the bucket to the rule (filters are S3's own notifications)",
                ))
            }
            (Node::Rule(_), Node::Rule(_)) => {
                return Err(refuse("rules cannot be chained; a rule connects buckets to functions"))
            }
            (Node::Function(_), _) => {
                return Err(refuse(
                    "events flow from buckets to functions, not out of a function",
                ))
            }
            (_, Node::Bucket(_)) => {
                return Err(refuse("nothing flows into a bucket; events start at the bucket"))
            }
            (Node::Filter(_), Node::Filter(_)) => {
                return Err(refuse("filters cannot be chained; a filter connects a bucket to a function"))
            }
        }
        self.graph.add_edge(a, b, ());
        Ok(())
    }
}

impl Default for Wiring {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::thumbnails;

    fn sample() -> Wiring {
        Wiring::from_document(&thumbnails()).expect("sample is valid")
    }

    fn id(s: &str) -> NodeId {
        NodeId::new(s)
    }

    fn filter(id_: &str, prefix: &str) -> Node {
        Node::Filter(Filter {
            id: id(id_),
            configuration_id: id_.into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: Some(prefix.into()),
            suffix: None,
        })
    }

    #[test]
    fn a_document_round_trips_through_the_graph() {
        assert_eq!(sample().to_document(), thumbnails());
    }

    #[test]
    fn refused_connections_say_why_and_change_nothing() {
        let mut w = sample();
        let before = w.to_document();
        let err = w
            .apply(Edit::Connect {
                from: id("make-thumbnail"),
                to: id("photos"),
            })
            .expect_err("function → bucket is refused");
        assert_eq!(
            err.to_string(),
            "cannot connect function \"make-thumbnail\" to bucket \"acme-photos\": events flow from buckets to functions, not out of a function"
        );
        let err = w
            .apply(Edit::Connect {
                from: id("photos"),
                to: id("make-thumbnail"),
            })
            .expect_err("bucket → function is refused");
        assert!(err.to_string().contains("through a filter"), "{err}");
        assert_eq!(w.to_document(), before);
    }

    #[test]
    fn a_filter_cannot_fan_out_to_two_functions() {
        // docs/rules.md §1: one filter, one destination.
        let mut w = sample();
        let mut second = w.node(&id("make-thumbnail")).cloned().expect("function");
        if let Node::Function(f) = &mut second {
            f.id = id("audit");
        }
        w.apply(Edit::Add(second)).expect("add");
        let err = w
            .apply(Edit::Connect {
                from: id("jpg-uploads"),
                to: id("audit"),
            })
            .expect_err("fan-out refused");
        assert!(err.to_string().contains("fan-out needs"), "{err}");
    }

    #[test]
    fn removing_a_node_removes_its_edges_and_position() {
        let mut w = sample();
        w.apply(Edit::Remove(id("jpg-uploads"))).expect("remove");
        let doc = w.to_document();
        assert!(doc.edges.is_empty());
        assert!(!doc.layout.contains_key(&id("jpg-uploads")));
        assert_eq!(doc.filters.len(), 0);
        // Its id is free again, and a new node keeps stable ids for the rest.
        w.apply(Edit::Add(filter("jpg-uploads", "x/")))
            .expect("re-add");
        assert!(w.node(&id("photos")).is_some());
    }

    #[test]
    fn updates_keep_the_kind_and_moves_need_a_node() {
        let mut w = sample();
        let err = w
            .apply(Edit::Update(filter("photos", "")))
            .expect_err("kind change");
        assert_eq!(
            err.to_string(),
            "node \"photos\" is a bucket; it cannot become a filter"
        );
        let err = w
            .apply(Edit::Move {
                id: id("ghost"),
                position: Position { x: 1.0, y: 2.0 },
            })
            .expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "move names \"ghost\", but no node has that id"
        );
        w.apply(Edit::Move {
            id: id("photos"),
            position: Position { x: 5.0, y: 6.0 },
        })
        .expect("move");
        assert_eq!(
            w.to_document().layout[&id("photos")],
            Position { x: 5.0, y: 6.0 }
        );
    }

    #[test]
    fn disconnect_and_duplicate_ids() {
        let mut w = sample();
        w.apply(Edit::Disconnect {
            from: id("photos"),
            to: id("jpg-uploads"),
        })
        .expect("disconnect");
        let err = w
            .apply(Edit::Disconnect {
                from: id("photos"),
                to: id("jpg-uploads"),
            })
            .expect_err("gone");
        assert_eq!(
            err.to_string(),
            "there is no edge from \"photos\" to \"jpg-uploads\""
        );
        let err = w
            .apply(Edit::Add(filter("photos", "")))
            .expect_err("duplicate");
        assert!(err.to_string().starts_with(
            "id \"photos\" is used by both bucket \"acme-photos\" and filter \"photos\""
        ));
    }

    #[test]
    fn dot_dump_lists_nodes_and_edges() {
        let dot = sample().to_dot();
        assert!(dot.contains("\"photos\" -> \"jpg-uploads\";"), "{dot}");
        assert!(
            dot.contains("\"jpg-uploads\" -> \"make-thumbnail\";"),
            "{dot}"
        );
    }
}

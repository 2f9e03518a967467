//! An open document being edited: the wiring, its undo and redo history,
//! and whether it changed since it was last saved. The desktop app keeps one
//! per window; every edit the canvas sends goes through [`Session::edit`].
//!
//! Invariants: a refused batch changes nothing (not the wiring, not the
//! history); every accepted batch is exactly one undo step, moves included;
//! a new edit clears the redo stack.
//!
//! Layer 6: an open document uses everything below it; the graph knows
//! nothing of findings, so recomputing them after an edit happens here.

pub mod clipboard;

use crate::checks::finding::Finding;
use crate::model::document::{Bucket, Filter, Function, NodeId, Position};
use crate::model::graph::{Edit, GraphError, Node, Wiring};

/// How many undo steps are kept; older ones are dropped.
pub const HISTORY_LIMIT: usize = 200;

/// What the palette can add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewNode {
    /// An S3 bucket.
    Bucket,
    /// An event filter (one notification configuration).
    Filter,
    /// A Lambda function.
    Function,
    /// An EventBridge rule over S3's events (docs/rules.md §14).
    Rule,
    /// An SNS topic fanning a filter's events out (docs/rules.md §15).
    Topic,
    /// An SQS queue buffering a filter's events (docs/rules.md §16).
    Queue,
}

/// An open document with its history.
#[derive(Debug, Clone, Default)]
pub struct Session {
    wiring: Wiring,
    /// Which state `wiring` is: every accepted edit makes a new one; undo
    /// and redo bring old ones back with their wiring.
    state: u64,
    undo: Vec<(Wiring, u64)>,
    redo: Vec<(Wiring, u64)>,
    /// The last state handed out.
    last_state: u64,
    /// The state last saved (or opened).
    saved: u64,
    /// The findings of `wiring`, validated once per state: every view of
    /// the document asks for them, and at thousands of buckets validation
    /// is the larger part of an answer. Emptied whenever `wiring` changes.
    findings: std::sync::OnceLock<Vec<Finding>>,
}

impl Session {
    /// A session over a wiring just opened (so not dirty).
    pub fn new(wiring: Wiring) -> Self {
        Self {
            wiring,
            state: 0,
            undo: Vec::new(),
            redo: Vec::new(),
            last_state: 0,
            saved: 0,
            findings: std::sync::OnceLock::new(),
        }
    }

    /// The current wiring.
    pub fn wiring(&self) -> &Wiring {
        &self.wiring
    }

    /// The findings of the current wiring (validated on the first ask
    /// after a change, then kept: a real account's findings are large to
    /// copy, so they are lent).
    pub fn findings(&self) -> &[Finding] {
        self.findings
            .get_or_init(|| crate::checks::validate(&self.wiring))
    }

    /// Replaces the wiring (the findings are validated again when asked,
    /// unless `same_findings`: only positions changed, and no finding
    /// depends on where a card is drawn); answers the one replaced.
    fn set_wiring(&mut self, wiring: Wiring, same_findings: bool) -> Wiring {
        if !same_findings {
            self.findings = std::sync::OnceLock::new();
        }
        std::mem::replace(&mut self.wiring, wiring)
    }

    /// Applies a batch of edits as one undo step and returns the findings.
    ///
    /// # Errors
    /// The first refused edit's [`GraphError`]; the session is then exactly
    /// as before (earlier edits of the batch are not kept).
    pub fn edit(&mut self, edits: Vec<Edit>) -> Result<&[Finding], GraphError> {
        let mut next = self.wiring.clone();
        let moves_only = edits.iter().all(|e| matches!(e, Edit::Move { .. }));
        for edit in edits {
            next.apply(edit)?;
        }
        self.last_state += 1;
        let before = self.set_wiring(next, moves_only);
        self.undo
            .push((before, std::mem::replace(&mut self.state, self.last_state)));
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(self.findings())
    }

    /// What the findings would be after `edits`, changing nothing: the
    /// inspector checks a field as it is typed. Answers the wiring the
    /// edits make with its findings.
    ///
    /// # Errors
    /// The first refused edit's [`GraphError`].
    pub fn findings_after(&self, edits: Vec<Edit>) -> Result<(Wiring, Vec<Finding>), GraphError> {
        let mut next = self.wiring.clone();
        for edit in edits {
            next.apply(edit)?;
        }
        let findings = crate::checks::validate(&next);
        Ok((next, findings))
    }

    /// Moves nodes as part of the last step instead of making a step of
    /// their own: the arrangement the canvas computes for what an import or
    /// a merge just drew, so Undo takes back the import and its arrangement
    /// together. The document becomes dirty (a new state) and the redo
    /// stack is cleared, as after any edit.
    ///
    /// # Errors
    /// [`GraphError::UnknownNode`] for the first id no node has; the session
    /// is then exactly as before.
    pub fn amend(&mut self, moves: Vec<(NodeId, Position)>) -> Result<&[Finding], GraphError> {
        let mut next = self.wiring.clone();
        for (id, position) in moves {
            next.apply(Edit::Move { id, position })?;
        }
        self.set_wiring(next, true);
        self.last_state += 1;
        self.state = self.last_state;
        self.redo.clear();
        Ok(self.findings())
    }

    /// Goes back one step; `false` when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some((wiring, state)) = self.undo.pop() else {
            return false;
        };
        let current = self.set_wiring(wiring, false);
        self.redo
            .push((current, std::mem::replace(&mut self.state, state)));
        true
    }

    /// Goes forward one undone step; `false` when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let Some((wiring, state)) = self.redo.pop() else {
            return false;
        };
        let current = self.set_wiring(wiring, false);
        self.undo
            .push((current, std::mem::replace(&mut self.state, state)));
        true
    }

    /// Whether [`Session::undo`] would do something.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether [`Session::redo`] would do something.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Whether the wiring differs from what was last saved or opened.
    /// Undoing back to the saved state makes it clean again.
    pub fn is_dirty(&self) -> bool {
        self.state != self.saved
    }

    /// Records that the current wiring was written to disk.
    pub fn mark_saved(&mut self) {
        self.saved = self.state;
    }

    /// A session over a wiring that was never saved where it belongs (a
    /// recovered copy): dirty until it is saved.
    pub fn unsaved(wiring: Wiring) -> Self {
        let mut s = Self::new(wiring);
        s.saved = u64::MAX;
        s
    }

    /// The edit that adds a new node of `kind` at `position`, with a fresh
    /// id and a name no other node of its kind has. Filters start with
    /// every object-created event; functions start without an ARN, which
    /// validation asks for; rules match every object created.
    pub fn new_node(&self, kind: NewNode, position: Position) -> Vec<Edit> {
        let (stem, name_taken): (&str, &dyn Fn(&str) -> bool) = match kind {
            NewNode::Bucket => ("bucket", &|n| self.wiring.buckets().any(|b| b.name == n)),
            NewNode::Filter => ("filter", &|n| {
                self.wiring.filters().any(|f| f.configuration_id == n)
            }),
            // A new function has no ARN yet, so no name to clash.
            NewNode::Function => ("function", &|_| false),
            NewNode::Rule => ("rule", &|n| self.wiring.rules().any(|r| r.name == n)),
            // A new topic or queue has no ARN yet either.
            NewNode::Topic => ("topic", &|_| false),
            NewNode::Queue => ("queue", &|_| false),
        };
        let (id, name) = (1u64..)
            .map(|i| {
                (
                    NodeId::new(format!("{stem}-{i}")),
                    format!("new-{stem}-{i}"),
                )
            })
            .find(|(id, name)| self.wiring.node(id).is_none() && !name_taken(name))
            .expect("an unbounded range always has a free number");
        let node = match kind {
            NewNode::Bucket => Node::Bucket(Bucket {
                id: id.clone(),
                name,
                region: "us-east-1".into(),
                account: None,
                foreign: Vec::new(),
                event_bridge: false,
                owner: None,
            }),
            NewNode::Filter => Node::Filter(Filter {
                id: id.clone(),
                configuration_id: name,
                events: vec!["s3:ObjectCreated:*".into()],
                prefix: None,
                suffix: None,
            }),
            NewNode::Function => Node::Function(Function {
                id: id.clone(),
                // Validation asks for the ARN of the function to invoke.
                arn: String::new(),
                qualifier: None,
                role: None,
                async_invoke: None,
                recursive_loop: None,
            }),
            // Every object created in the buckets drawn into it: the
            // pattern a user narrows (a key wildcard, a size).
            NewNode::Rule => Node::Rule(crate::model::document::Rule {
                id: id.clone(),
                name,
                region: "us-east-1".into(),
                account: None,
                pattern: serde_json::json!({"source": ["aws.s3"], "detail-type": ["Object Created"]}),
                enabled: true,
            }),
            // Validation asks for the ARN of the topic.
            NewNode::Topic => Node::Topic(crate::model::document::Topic {
                id: id.clone(),
                arn: String::new(),
                kms_master_key_id: None,
            }),
            // Lambda's defaults; validation asks for the ARN.
            NewNode::Queue => Node::Queue(crate::model::document::Queue {
                id: id.clone(),
                arn: String::new(),
                visibility_timeout_seconds: None,
                dead_letter: None,
                kms_master_key_id: None,
                mapping: crate::model::document::QueueMapping::default(),
            }),
        };
        vec![Edit::Add(node), Edit::Move { id, position }]
    }

    /// The edits that make bucket `bucket`'s read-only SNS or SQS entry
    /// `configuration_id` the document's (docs/rules.md §15, §16): the
    /// entry becomes a filter with its events and keys, drawn from the
    /// bucket into a topic or queue card for its ARN (the one the document
    /// has, else a new one beside the filter at `at`), so the destination's
    /// policy, subscriptions or mapping, and the entry, are managed from
    /// then on.
    ///
    /// # Errors
    /// [`GraphError::UnknownNode`] when there is no such bucket, or it has
    /// no such entry.
    pub fn adopt_entry(
        &self,
        bucket: &NodeId,
        configuration_id: &str,
        at: Position,
    ) -> Result<Vec<Edit>, crate::model::graph::GraphError> {
        let missing = || crate::model::graph::GraphError::UnknownNode {
            id: NodeId::new(format!("{bucket}/{configuration_id}")),
            context: "manage destination".into(),
        };
        let Some(Node::Bucket(card)) = self.wiring.node(bucket) else {
            return Err(missing());
        };
        let Some(entry) = card
            .foreign
            .iter()
            .find(|f| f.configuration_id == configuration_id)
        else {
            return Err(missing());
        };
        let fresh = |stem: &str| {
            (1u64..)
                .map(|i| NodeId::new(format!("{stem}-{i}")))
                .find(|id| self.wiring.node(id).is_none())
                .expect("an unbounded range always has a free number")
        };
        let filter = fresh("filter");
        let mut kept = card.clone();
        kept.foreign = card
            .foreign
            .iter()
            .filter(|f| !(f.kind == entry.kind && f.configuration_id == entry.configuration_id))
            .cloned()
            .collect();
        let mut edits = vec![
            Edit::Update(Node::Bucket(kept)),
            Edit::Add(Node::Filter(crate::model::document::Filter {
                id: filter.clone(),
                configuration_id: entry.configuration_id.clone(),
                events: entry.events.clone(),
                prefix: entry.prefix.clone(),
                suffix: entry.suffix.clone(),
            })),
            Edit::Move {
                id: filter.clone(),
                position: at,
            },
            Edit::Connect {
                from: bucket.clone(),
                to: filter.clone(),
            },
        ];
        let existing = match entry.kind {
            crate::model::document::ForeignKind::Sns => self
                .wiring
                .topics()
                .find(|t| t.arn == entry.arn)
                .map(|t| t.id.clone()),
            crate::model::document::ForeignKind::Sqs => self
                .wiring
                .queues()
                .find(|q| q.arn == entry.arn)
                .map(|q| q.id.clone()),
        };
        let topic = match existing {
            Some(id) => id,
            None => {
                let (id, node) = match entry.kind {
                    crate::model::document::ForeignKind::Sns => {
                        let id = fresh("topic");
                        let node = Node::Topic(crate::model::document::Topic {
                            id: id.clone(),
                            arn: entry.arn.clone(),
                            kms_master_key_id: None,
                        });
                        (id, node)
                    }
                    crate::model::document::ForeignKind::Sqs => {
                        let id = fresh("queue");
                        let node = Node::Queue(crate::model::document::Queue {
                            id: id.clone(),
                            arn: entry.arn.clone(),
                            visibility_timeout_seconds: None,
                            dead_letter: None,
                            kms_master_key_id: None,
                            mapping: crate::model::document::QueueMapping::default(),
                        });
                        (id, node)
                    }
                };
                edits.push(Edit::Add(node));
                edits.push(Edit::Move {
                    id: id.clone(),
                    position: Position {
                        x: at.x + 360.0,
                        y: at.y,
                    },
                });
                id
            }
        };
        edits.push(Edit::Connect {
            from: filter,
            to: topic,
        });
        Ok(edits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: f64, y: f64) -> Position {
        Position { x, y }
    }

    fn ids(s: &Session) -> Vec<String> {
        s.wiring().nodes().map(|n| n.id().to_string()).collect()
    }

    fn thumbnails_session() -> Session {
        Session::new(Wiring::from_document(&crate::samples::thumbnails()).expect("sample"))
    }

    fn filter(id: &str, prefix: &str) -> Node {
        Node::Filter(Filter {
            id: NodeId::new(id),
            configuration_id: id.into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: Some(prefix.into()).filter(|p: &String| !p.is_empty()),
            suffix: None,
        })
    }

    fn rules(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn edits_recompute_the_findings() {
        let mut s = thumbnails_session();
        let added = s.edit(vec![Edit::Add(filter("all", ""))]).expect("add");
        // Unconnected: a warning, not yet an overlap.
        assert_eq!(rules(added), ["incomplete-configuration"]);
        let connected = s
            .edit(vec![
                Edit::Connect {
                    from: NodeId::new("photos"),
                    to: NodeId::new("all"),
                },
                Edit::Connect {
                    from: NodeId::new("all"),
                    to: NodeId::new("make-thumbnail"),
                },
            ])
            .expect("connect");
        assert_eq!(rules(connected), ["overlapping-configurations"]);
        // Narrow the new filter to another prefix: the overlap is gone.
        let narrowed = s
            .edit(vec![Edit::Update(filter("all", "archive/"))])
            .expect("update");
        assert!(narrowed.is_empty(), "{narrowed:?}");
    }

    #[test]
    fn findings_after_edits_change_nothing() {
        let s = thumbnails_session();
        let (wiring, findings) = s
            .findings_after(vec![Edit::Add(filter("all", ""))])
            .expect("add");
        assert_eq!(rules(&findings), ["incomplete-configuration"]);
        assert!(wiring.node(&NodeId::new("all")).is_some());
        assert!(s.wiring().node(&NodeId::new("all")).is_none());
        assert!(s.findings().is_empty());
        assert!(!s.can_undo());
        let refused = s.findings_after(vec![Edit::Remove(NodeId::new("nowhere"))]);
        assert!(refused.is_err());
    }

    #[test]
    fn a_refused_batch_changes_nothing() {
        let mut s = Session::new(Wiring::new());
        let mut batch = s.new_node(NewNode::Bucket, at(0.0, 0.0));
        batch.push(Edit::Connect {
            from: NodeId::new("bucket-1"),
            to: NodeId::new("nowhere"),
        });
        assert!(s.edit(batch).is_err());
        assert!(ids(&s).is_empty());
        assert!(!s.can_undo());
        assert!(!s.is_dirty());
    }

    #[test]
    fn each_batch_is_one_undo_step_moves_included_and_a_new_edit_clears_redo() {
        let mut s = Session::new(Wiring::new());
        s.edit(s.new_node(NewNode::Bucket, at(0.0, 0.0)))
            .expect("add bucket");
        s.edit(s.new_node(NewNode::Filter, at(300.0, 0.0)))
            .expect("add filter");
        s.edit(vec![Edit::Move {
            id: NodeId::new("filter-1"),
            position: at(320.0, 40.0),
        }])
        .expect("move");
        let moved = |s: &Session| s.wiring().to_document().layout[&NodeId::new("filter-1")].x;
        assert_eq!(moved(&s), 320.0);
        assert!(s.undo());
        assert_eq!(moved(&s), 300.0);
        assert!(s.undo());
        assert_eq!(ids(&s), ["bucket-1"]);
        assert!(s.redo());
        assert_eq!(ids(&s), ["bucket-1", "filter-1"]);
        assert!(s.can_redo());
        s.edit(vec![Edit::Remove(NodeId::new("bucket-1"))])
            .expect("remove");
        assert!(!s.can_redo());
        assert!(!s.redo());
        assert_eq!(ids(&s), ["filter-1"]);
    }

    #[test]
    fn an_amendment_joins_the_last_step_and_a_refused_one_changes_nothing() {
        let mut s = Session::new(Wiring::new());
        s.edit(s.new_node(NewNode::Bucket, at(0.0, 0.0)))
            .expect("add bucket");
        let x = |s: &Session| s.wiring().to_document().layout[&NodeId::new("bucket-1")].x;
        s.amend(vec![(NodeId::new("bucket-1"), at(500.0, 0.0))])
            .expect("amend");
        assert_eq!(x(&s), 500.0);
        assert!(s.is_dirty());
        let refused = s.amend(vec![
            (NodeId::new("bucket-1"), at(900.0, 0.0)),
            (NodeId::new("nowhere"), at(0.0, 0.0)),
        ]);
        assert!(matches!(refused, Err(GraphError::UnknownNode { .. })));
        assert_eq!(x(&s), 500.0, "a refused amendment keeps the wiring");
        // One undo takes back the bucket and where it was arranged.
        assert!(s.undo());
        assert!(ids(&s).is_empty());
        assert!(!s.can_undo());
        assert!(s.redo());
        assert_eq!(x(&s), 500.0);
    }

    #[test]
    fn dirty_follows_the_saved_state_through_undo_and_redo() {
        let mut s = Session::new(Wiring::new());
        assert!(!s.is_dirty());
        s.edit(s.new_node(NewNode::Bucket, at(0.0, 0.0)))
            .expect("add");
        assert!(s.is_dirty());
        s.undo();
        assert!(!s.is_dirty(), "back to what was opened");
        s.redo();
        assert!(s.is_dirty());
        s.mark_saved();
        assert!(!s.is_dirty());
        s.undo();
        assert!(s.is_dirty(), "the saved file has the bucket");
    }

    #[test]
    fn new_nodes_get_free_ids_and_names_and_findings_guide_the_rest() {
        let mut s = Session::new(Wiring::new());
        for kind in [NewNode::Bucket, NewNode::Bucket, NewNode::Function] {
            s.edit(s.new_node(kind, at(0.0, 0.0))).expect("add");
        }
        assert_eq!(ids(&s), ["bucket-1", "bucket-2", "function-1"]);
        let names: Vec<&str> = s.wiring().buckets().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["new-bucket-1", "new-bucket-2"]);
        // Removing bucket-1 frees its id for the next bucket.
        s.edit(vec![Edit::Remove(NodeId::new("bucket-1"))])
            .expect("remove");
        s.edit(s.new_node(NewNode::Bucket, at(0.0, 0.0)))
            .expect("add");
        assert!(ids(&s).contains(&"bucket-1".to_string()));
        // The function without an ARN is reported, not refused.
        let rules: Vec<&str> = s.findings().iter().map(|f| f.rule).collect();
        assert!(rules.contains(&"invalid-function-arn"), "{rules:?}");
    }

    #[test]
    fn the_findings_are_always_those_of_the_current_wiring() {
        let mut s = Session::new(Wiring::new());
        assert!(s.findings().is_empty());
        s.edit(s.new_node(NewNode::Filter, at(0.0, 0.0)))
            .expect("add");
        let one_filter = s.findings().to_vec();
        assert!(!one_filter.is_empty(), "a lone filter is incomplete");
        // Asked again: the same answer (validated once, kept).
        assert_eq!(s.findings(), one_filter);
        assert!(s.undo());
        assert!(s.findings().is_empty(), "after undo: the empty wiring's");
        assert!(s.redo());
        assert_eq!(s.findings(), one_filter, "after redo");
        // Moves keep the findings (none depends on where a card is drawn).
        s.amend(vec![(NodeId::new("filter-1"), at(5.0, 5.0))])
            .expect("amend");
        assert_eq!(s.findings(), crate::checks::validate(s.wiring()));
        s.edit(vec![Edit::Move {
            id: NodeId::new("filter-1"),
            position: at(9.0, 9.0),
        }])
        .expect("move");
        assert_eq!(s.findings(), crate::checks::validate(s.wiring()));
        // An edit that is not a move is validated again (a function
        // without an ARN is a finding).
        s.edit(s.new_node(NewNode::Function, at(0.0, 0.0)))
            .expect("add");
        assert_eq!(s.findings(), crate::checks::validate(s.wiring()));
        assert_ne!(s.findings(), one_filter);
    }

    #[test]
    fn a_recovered_session_is_dirty_until_saved() {
        let mut s = Session::unsaved(Wiring::new());
        assert!(s.is_dirty());
        s.mark_saved();
        assert!(!s.is_dirty());
    }

    #[test]
    fn history_is_bounded() {
        let mut s = Session::new(Wiring::new());
        s.edit(s.new_node(NewNode::Bucket, at(0.0, 0.0)))
            .expect("add");
        for i in 0..HISTORY_LIMIT + 10 {
            s.edit(vec![Edit::Move {
                id: NodeId::new("bucket-1"),
                position: at(i as f64, 0.0),
            }])
            .expect("move");
        }
        let mut undone = 0;
        while s.undo() {
            undone += 1;
        }
        assert_eq!(undone, HISTORY_LIMIT);
    }

    #[test]
    fn a_read_only_entry_becomes_a_filter_into_a_topic_or_queue_card() {
        // docs/rules.md §15: the entry keeps its id, events and keys; the
        // topic is managed from then on; nothing else on the bucket moves.
        let mut s = Session::new(Wiring::new());
        s.edit(s.new_node(NewNode::Bucket, at(0.0, 0.0)))
            .expect("add");
        let bucket = NodeId::new("bucket-1");
        let Some(Node::Bucket(mut card)) = s.wiring().node(&bucket).cloned() else {
            panic!("bucket")
        };
        let entry = |kind, id: &str, arn: &str| crate::model::document::ForeignConfiguration {
            kind,
            configuration_id: id.into(),
            arn: arn.into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: Some("incoming/".into()),
            suffix: None,
        };
        let topic = "arn:aws:sns:us-east-1:123456789012:uploads";
        card.foreign = vec![
            entry(
                crate::model::document::ForeignKind::Sqs,
                "audit",
                "arn:aws:sqs:us-east-1:123456789012:q",
            ),
            entry(crate::model::document::ForeignKind::Sns, "fanout", topic),
        ];
        s.edit(vec![Edit::Update(Node::Bucket(card))])
            .expect("entries");
        assert!(s.adopt_entry(&bucket, "nope", at(0.0, 0.0)).is_err());
        let edits = s
            .adopt_entry(&bucket, "fanout", at(300.0, 0.0))
            .expect("adopt");
        s.edit(edits).expect("edit");
        let Some(Node::Bucket(card)) = s.wiring().node(&bucket) else {
            panic!("bucket")
        };
        assert_eq!(card.foreign.len(), 1, "the queue's entry stays read-only");
        // The queue's entry, managed too: a filter into a queue card.
        let edits = s
            .adopt_entry(&bucket, "audit", at(300.0, 200.0))
            .expect("adopt the queue");
        s.edit(edits).expect("edit");
        assert_eq!(s.wiring().queues().count(), 1);
        assert!(s.undo());
        let w = s.wiring();
        let filters = w.filters_of(&bucket);
        assert_eq!(filters[0].configuration_id, "fanout");
        assert_eq!(filters[0].prefix.as_deref(), Some("incoming/"));
        assert_eq!(
            w.topic_of(&filters[0].id).map(|t| t.arn.as_str()),
            Some(topic)
        );
        // One undo step puts the entry back.
        assert!(s.undo());
        assert_eq!(s.wiring().topics().count(), 0);
    }
}

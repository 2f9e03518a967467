//! What a node is connected to, for finding one's way on a large canvas:
//! the path a selection lights (a function's buckets and filters, a
//! bucket's filters and functions), the bucket a filter is on, the
//! configurations that trigger a function, and what a node could be
//! connected to next (a filter's functions: only those in its bucket's
//! region, an alias told from the unqualified function).

use crate::model::document::{Document, Function, NodeId};
use crate::model::graph::{Node, Wiring};
use petgraph::Direction;
use rustc_hash::FxHashSet;

/// One configuration that triggers a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// The bucket's node and name.
    pub bucket: (NodeId, String),
    /// The bucket's region.
    pub region: String,
    /// The filter node.
    pub filter: NodeId,
    /// Its configuration id.
    pub configuration_id: String,
    /// Its event types.
    pub events: Vec<String>,
    /// Its prefix rule.
    pub prefix: Option<String>,
    /// Its suffix rule.
    pub suffix: Option<String>,
}

/// A node this one could be connected to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The node.
    pub id: NodeId,
    /// How to name it in a list: a function with its alias or version
    /// (`thumbs:live`) or `thumbs (unqualified)` when a qualified card of it
    /// exists too, so the two are told apart.
    pub label: String,
}

/// Everything [`relations`] answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Relations {
    /// The nodes on the selection's paths, itself included.
    pub lit: Vec<NodeId>,
    /// For a filter: the bucket it is on (node, name, region).
    pub bucket: Option<(NodeId, String, String)>,
    /// For a function: every configuration that triggers it.
    pub triggered_by: Vec<Trigger>,
    /// For a bucket: filters it could feed; for a filter: functions of its
    /// bucket's region (every function when it is on no bucket) it could
    /// invoke. What it is connected to already is left out.
    pub candidates: Vec<Candidate>,
}

/// The buckets the canvas gathers per region instead of drawing as cards
/// ("parked"): without any notification (no filter, no SQS or SNS entry,
/// EventBridge off) and without a position yet. An import places only the
/// buckets it found wired; a parked bucket gets a position, and so a card,
/// when the user brings it onto the canvas. They stay in the document.
pub fn parked_buckets(doc: &Document) -> FxHashSet<&NodeId> {
    let wired: FxHashSet<&NodeId> = doc.edges.iter().map(|e| &e.from).collect();
    doc.buckets
        .iter()
        .filter(|b| {
            !wired.contains(&b.id)
                && b.foreign.is_empty()
                && !b.event_bridge
                && !doc.layout.contains_key(&b.id)
        })
        .map(|b| &b.id)
        .collect()
}

/// The relations of node `id`; empty when there is no such node.
pub fn relations(wiring: &Wiring, id: &NodeId) -> Relations {
    let Some(node) = wiring.node(id) else {
        return Relations::default();
    };
    let mut out = Relations::default();
    match node {
        Node::Bucket(_) => {
            out.lit.push(id.clone());
            for filter in wiring.filters_of(id) {
                out.lit.push(filter.id.clone());
                light_destination(wiring, &filter.id, &mut out.lit);
            }
            // Its EventBridge rules and their targets.
            light_rules(wiring, id, Direction::Outgoing, &mut out.lit);
            out.candidates = wiring
                .filters()
                .filter(|f| wiring.bucket_of(&f.id).is_none())
                .map(|f| Candidate {
                    id: f.id.clone(),
                    label: f.configuration_id.clone(),
                })
                .collect();
            // The rules of its region it is not drawn into yet.
            let Some(Node::Bucket(bucket)) = wiring.node(id) else {
                return out;
            };
            let drawn = wiring.downstream(id);
            out.candidates.extend(
                wiring
                    .rules()
                    .filter(|r| r.region == bucket.region)
                    .filter(|r| !drawn.iter().any(|n| n.id() == &r.id))
                    .map(|r| Candidate {
                        id: r.id.clone(),
                        label: format!("rule {}", r.name),
                    }),
            );
        }
        Node::Filter(_) => {
            let bucket = wiring.bucket_of(id);
            out.lit.extend(bucket.map(|b| b.id.clone()));
            out.lit.push(id.clone());
            light_destination(wiring, id, &mut out.lit);
            let function = wiring.function_of(id);
            out.bucket = bucket.map(|b| (b.id.clone(), b.name.clone(), b.region.clone()));
            let region = bucket.map(|b| b.region.as_str());
            out.candidates = function_candidates(wiring, function, region);
            // Or a topic or queue of its region, to fan out or buffer
            // (docs/rules.md §15, §16).
            let in_region = |r: Option<&str>| match (region, r) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            let topic = wiring.topic_of(id);
            out.candidates.extend(
                wiring
                    .topics()
                    .filter(|t| topic.is_none_or(|c| c.id != t.id) && in_region(t.region()))
                    .map(|t| Candidate {
                        id: t.id.clone(),
                        label: format!("topic {}", t.name()),
                    }),
            );
            let queue = wiring.queue_of(id);
            out.candidates.extend(
                wiring
                    .queues()
                    .filter(|q| queue.is_none_or(|c| c.id != q.id) && in_region(q.region()))
                    .map(|q| Candidate {
                        id: q.id.clone(),
                        label: format!("queue {}", q.name()),
                    }),
            );
        }
        Node::Function(function) => {
            // Filters that invoke it, and those publishing to a topic it
            // is subscribed to (the topic lit too).
            let mut filters = Vec::new();
            for n in wiring.upstream(id) {
                match n {
                    Node::Filter(f) => filters.push(f),
                    Node::Topic(_) | Node::Queue(_) => {
                        out.lit.push(n.id().clone());
                        filters.extend(wiring.upstream(n.id()).into_iter().filter_map(
                            |n| match n {
                                Node::Filter(f) => Some(f),
                                _ => None,
                            },
                        ));
                    }
                    _ => {}
                }
            }
            for filter in filters {
                out.lit.push(filter.id.clone());
                let Some(bucket) = wiring.bucket_of(&filter.id) else {
                    continue;
                };
                out.lit.push(bucket.id.clone());
                out.triggered_by.push(Trigger {
                    bucket: (bucket.id.clone(), bucket.name.clone()),
                    region: bucket.region.clone(),
                    filter: filter.id.clone(),
                    configuration_id: filter.configuration_id.clone(),
                    events: filter.events.clone(),
                    prefix: filter.prefix.clone(),
                    suffix: filter.suffix.clone(),
                });
            }
            // The EventBridge rules that target it, and their buckets.
            light_rules(wiring, id, Direction::Incoming, &mut out.lit);
            out.lit.push(function.id.clone());
            out.triggered_by.sort_by(|a, b| {
                (&a.bucket.1, &a.configuration_id).cmp(&(&b.bucket.1, &b.configuration_id))
            });
        }
        Node::Rule(rule) => {
            out.lit
                .extend(wiring.upstream(id).into_iter().map(|b| b.id().clone()));
            out.lit.push(id.clone());
            let targets = wiring.downstream(id);
            out.lit.extend(targets.iter().map(|f| f.id().clone()));
            // Targets to add: its region's functions it does not target yet.
            out.candidates = function_candidates(wiring, None, Some(&rule.region))
                .into_iter()
                .filter(|c| !targets.iter().any(|t| t.id() == &c.id))
                .collect();
        }
        Node::Queue(queue) => {
            for filter in wiring.upstream(id) {
                out.lit
                    .extend(wiring.bucket_of(filter.id()).map(|b| b.id.clone()));
                out.lit.push(filter.id().clone());
            }
            out.lit.push(id.clone());
            let consumer = wiring.consumer_of(id);
            out.lit.extend(consumer.map(|f| f.id.clone()));
            // A function to poll it: its region's (one at most).
            if consumer.is_none() {
                out.candidates = function_candidates(wiring, None, queue.region());
            }
        }
        Node::Topic(topic) => {
            for filter in wiring.upstream(id) {
                out.lit
                    .extend(wiring.bucket_of(filter.id()).map(|b| b.id.clone()));
                out.lit.push(filter.id().clone());
            }
            out.lit.push(id.clone());
            let subscribers = wiring.subscribers_of(id);
            out.lit.extend(subscribers.iter().map(|f| f.id.clone()));
            // Functions to subscribe: its region's, not subscribed yet.
            out.candidates = function_candidates(wiring, None, topic.region())
                .into_iter()
                .filter(|c| !subscribers.iter().any(|f| f.id == c.id))
                .collect();
        }
    }
    out
}

/// Lights what filter `filter` delivers to: its function, its topic and
/// every function subscribed to it, or its queue and the function polling
/// it.
fn light_destination(wiring: &Wiring, filter: &NodeId, lit: &mut Vec<NodeId>) {
    lit.extend(wiring.function_of(filter).map(|f| f.id.clone()));
    if let Some(topic) = wiring.topic_of(filter) {
        lit.push(topic.id.clone());
        lit.extend(
            wiring
                .subscribers_of(&topic.id)
                .iter()
                .map(|f| f.id.clone()),
        );
    }
    if let Some(queue) = wiring.queue_of(filter) {
        lit.push(queue.id.clone());
        lit.extend(wiring.consumer_of(&queue.id).map(|f| f.id.clone()));
    }
}

/// Lights the rules next to node `id` in direction `way` and, past each,
/// what is next to it the same way (a bucket's rules and their targets, a
/// function's rules and their buckets).
fn light_rules(wiring: &Wiring, id: &NodeId, way: Direction, lit: &mut Vec<NodeId>) {
    let next = |id: &NodeId| match way {
        Direction::Outgoing => wiring.downstream(id),
        Direction::Incoming => wiring.upstream(id),
    };
    for rule in next(id).into_iter().filter(|n| matches!(n, Node::Rule(_))) {
        lit.push(rule.id().clone());
        lit.extend(next(rule.id()).into_iter().map(|n| n.id().clone()));
    }
}

/// Functions a filter could invoke: those of `region` (every one when the
/// filter is on no bucket yet, and those whose ARN names no region), but
/// the one it invokes, labelled so an alias and the unqualified function
/// are told apart.
fn function_candidates(
    wiring: &Wiring,
    current: Option<&Function>,
    region: Option<&str>,
) -> Vec<Candidate> {
    let functions: Vec<&Function> = wiring.functions().collect();
    functions
        .iter()
        .filter(|f| current.is_none_or(|c| c.id != f.id))
        .filter(|f| match (region, f.region()) {
            (Some(r), Some(fr)) => r == fr,
            _ => true,
        })
        .map(|f| {
            let qualified_elsewhere = functions
                .iter()
                .any(|o| o.arn == f.arn && o.qualifier != f.qualifier);
            let label = match f.qualifier.as_deref().filter(|q| !q.is_empty()) {
                // A card just added from the palette, named as the card is.
                _ if f.arn.is_empty() => "(no ARN yet)".to_string(),
                Some(q) => format!("{}:{q}", f.name()),
                None if qualified_elsewhere => format!("{} (unqualified)", f.name()),
                None => f.name().to_string(),
            };
            Candidate {
                id: f.id.clone(),
                label,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load;

    fn wiring() -> Wiring {
        let doc = serde_json::json!({
            "version": 1,
            "buckets": [
                {"id": "photos", "name": "acme-photos", "region": "us-east-1"},
                {"id": "docs", "name": "acme-docs", "region": "us-east-1"},
                {"id": "eu", "name": "acme-eu", "region": "eu-west-1"}
            ],
            "filters": [
                {"id": "jpg", "configurationId": "thumbnails", "events": ["s3:ObjectCreated:*"], "suffix": ".jpg"},
                {"id": "pdf", "configurationId": "pdf-thumbs", "events": ["s3:ObjectCreated:Put"], "prefix": "in/"},
                {"id": "loose", "configurationId": "not-wired", "events": ["s3:ObjectCreated:*"]}
            ],
            "functions": [
                {"id": "thumbs", "arn": "arn:aws:lambda:us-east-1:123456789012:function:thumbs"},
                {"id": "thumbs-live", "arn": "arn:aws:lambda:us-east-1:123456789012:function:thumbs", "qualifier": "live"},
                {"id": "eu-fn", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:eu-fn"}
            ],
            "edges": [
                {"from": "photos", "to": "jpg"}, {"from": "jpg", "to": "thumbs"},
                {"from": "docs", "to": "pdf"}, {"from": "pdf", "to": "thumbs"}
            ]
        });
        load(doc.to_string().as_bytes()).expect("document")
    }

    fn ids(list: &[NodeId]) -> Vec<&str> {
        list.iter().map(NodeId::as_str).collect()
    }

    #[test]
    fn a_function_lights_every_bucket_and_filter_that_triggers_it() {
        let r = relations(&wiring(), &NodeId::new("thumbs"));
        let mut lit = ids(&r.lit);
        lit.sort_unstable();
        assert_eq!(lit, ["docs", "jpg", "pdf", "photos", "thumbs"]);
        let by: Vec<(&str, &str)> = r
            .triggered_by
            .iter()
            .map(|t| (t.bucket.1.as_str(), t.configuration_id.as_str()))
            .collect();
        assert_eq!(
            by,
            [("acme-docs", "pdf-thumbs"), ("acme-photos", "thumbnails")]
        );
        assert_eq!(r.triggered_by[0].prefix.as_deref(), Some("in/"));
    }

    #[test]
    fn a_bucket_lights_its_paths_and_offers_loose_filters() {
        let r = relations(&wiring(), &NodeId::new("photos"));
        assert_eq!(ids(&r.lit), ["photos", "jpg", "thumbs"]);
        let offered: Vec<&str> = r.candidates.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(offered, ["not-wired"]);
    }

    #[test]
    fn a_filter_names_its_bucket_and_offers_functions_of_its_region_only() {
        let w = wiring();
        let r = relations(&w, &NodeId::new("jpg"));
        assert_eq!(
            r.bucket,
            Some((
                NodeId::new("photos"),
                "acme-photos".into(),
                "us-east-1".into()
            ))
        );
        let offered: Vec<&str> = r.candidates.iter().map(|c| c.label.as_str()).collect();
        // Not eu-fn (another region), not thumbs (already invoked); the
        // alias is told from the unqualified function.
        assert_eq!(offered, ["thumbs:live"]);
        // On no bucket yet: every function, labelled apart.
        let r = relations(&w, &NodeId::new("loose"));
        assert_eq!(r.bucket, None);
        let offered: Vec<&str> = r.candidates.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(offered, ["thumbs (unqualified)", "thumbs:live", "eu-fn"]);
    }

    #[test]
    fn buckets_without_notifications_or_a_position_are_parked() {
        let mut doc = wiring().to_document();
        doc.layout.clear();
        let parked = |doc: &Document| -> Vec<String> {
            let mut ids: Vec<String> = parked_buckets(doc)
                .into_iter()
                .map(ToString::to_string)
                .collect();
            ids.sort();
            ids
        };
        // photos and docs have filters; eu has none and no position.
        assert_eq!(parked(&doc), ["eu"]);
        // A position (brought onto the canvas) is a card.
        doc.layout.insert(
            NodeId::new("eu"),
            crate::model::document::Position { x: 0.0, y: 0.0 },
        );
        assert!(parked(&doc).is_empty());
        // Without its filter docs would be parked, but not with EventBridge on.
        doc.edges.retain(|e| e.from.as_str() != "docs");
        assert_eq!(parked(&doc), ["docs"]);
        doc.buckets[1].event_bridge = true;
        assert!(parked(&doc).is_empty());
    }

    #[test]
    fn an_unknown_node_has_no_relations() {
        assert_eq!(
            relations(&wiring(), &NodeId::new("nope")),
            Relations::default()
        );
    }
}

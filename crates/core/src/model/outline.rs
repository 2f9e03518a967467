//! The outline of a wiring: every bucket with notifications, grouped by
//! account and region, each with its paths (a filter, the topic or queue
//! it goes through, the functions at the end; or an EventBridge rule and
//! its targets), and every function with the buckets that trigger it. It is
//! how a person finds their way in an account too large to read on the
//! canvas: the UI lists it beside the canvas, a row and its card selecting
//! each other.
//!
//! Structure only, by node id: the UI names the nodes and shows their worst
//! finding from the view it already has. Buckets without any notification
//! (the parked ones) are left out, as on the canvas.

use crate::model::document::NodeId;
use crate::model::graph::{Node, Wiring};
use rustc_hash::FxHashMap;

/// The outline of a whole wiring.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outline {
    /// Account-and-region groups, sorted by account (none first), then
    /// region.
    pub groups: Vec<OutlineGroup>,
    /// Every function, by title, with what triggers it.
    pub functions: Vec<OutlineFunction>,
}

/// The buckets of one account and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineGroup {
    /// The account (`None` when the document does not say).
    pub account: Option<String>,
    /// The region.
    pub region: String,
    /// Its buckets with notifications, by name.
    pub buckets: Vec<OutlineBucket>,
}

/// A bucket and its paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineBucket {
    /// The bucket's node.
    pub id: NodeId,
    /// Its paths, in the order of its filters (then its rules).
    pub paths: Vec<OutlinePath>,
}

/// One path out of a bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlinePath {
    /// The nodes the events go through: a filter, then the topic or queue
    /// it delivers to, if any; or an EventBridge rule.
    pub through: Vec<NodeId>,
    /// The functions at the end (none when the path ends at nothing yet).
    pub functions: Vec<NodeId>,
}

/// A function and the buckets that trigger it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineFunction {
    /// The function's node.
    pub id: NodeId,
    /// The buckets whose paths end at it, each once, in outline order.
    pub triggered_by: Vec<NodeId>,
}

/// A group's key while the outline is gathered: the account (if known) and the region.
type GroupKey = (Option<String>, String);

/// The outline of `wiring`. Linear in its nodes and edges.
pub fn outline(wiring: &Wiring) -> Outline {
    let mut groups: FxHashMap<GroupKey, Vec<(String, OutlineBucket)>> = FxHashMap::default();
    for bucket in wiring.buckets() {
        let mut paths: Vec<OutlinePath> = wiring
            .filters_of(&bucket.id)
            .into_iter()
            .map(|filter| path_of_filter(wiring, &filter.id))
            .collect();
        paths.extend(
            wiring
                .downstream(&bucket.id)
                .into_iter()
                .filter(|n| matches!(n, Node::Rule(_)))
                .map(|rule| OutlinePath {
                    through: vec![rule.id().clone()],
                    functions: functions_among(wiring.downstream(rule.id())),
                }),
        );
        if paths.is_empty() && bucket.foreign.is_empty() && !bucket.event_bridge {
            continue;
        }
        groups
            .entry((bucket.account.clone(), bucket.region.clone()))
            .or_default()
            .push((
                bucket.name.clone(),
                OutlineBucket {
                    id: bucket.id.clone(),
                    paths,
                },
            ));
    }
    let mut groups: Vec<OutlineGroup> = groups
        .into_iter()
        .map(|((account, region), mut buckets)| {
            buckets.sort_by(|a, b| (&a.0, &a.1.id).cmp(&(&b.0, &b.1.id)));
            OutlineGroup {
                account,
                region,
                buckets: buckets.into_iter().map(|(_, b)| b).collect(),
            }
        })
        .collect();
    groups.sort_by(|a, b| (&a.account, &a.region).cmp(&(&b.account, &b.region)));

    // Each function's triggers, in outline order, each bucket once.
    let mut triggers: FxHashMap<&NodeId, Vec<NodeId>> = FxHashMap::default();
    for bucket in groups.iter().flat_map(|g| &g.buckets) {
        for function in bucket.paths.iter().flat_map(|p| &p.functions) {
            let list = triggers.entry(function).or_default();
            if list.last() != Some(&bucket.id) && !list.contains(&bucket.id) {
                list.push(bucket.id.clone());
            }
        }
    }
    let mut functions: Vec<(String, OutlineFunction)> = wiring
        .functions()
        .map(|f| {
            (
                f.name().to_owned(),
                OutlineFunction {
                    id: f.id.clone(),
                    triggered_by: triggers.get(&f.id).cloned().unwrap_or_default(),
                },
            )
        })
        .collect();
    functions.sort_by(|a, b| (&a.0, &a.1.id).cmp(&(&b.0, &b.1.id)));
    Outline {
        groups,
        functions: functions.into_iter().map(|(_, f)| f).collect(),
    }
}

/// A filter's path: the filter, its topic or queue, and the functions at
/// the end.
fn path_of_filter(wiring: &Wiring, filter: &NodeId) -> OutlinePath {
    let mut through = vec![filter.clone()];
    let mut functions: Vec<NodeId> = wiring
        .function_of(filter)
        .map(|f| f.id.clone())
        .into_iter()
        .collect();
    if let Some(topic) = wiring.topic_of(filter) {
        through.push(topic.id.clone());
        functions.extend(
            wiring
                .subscribers_of(&topic.id)
                .iter()
                .map(|f| f.id.clone()),
        );
    }
    if let Some(queue) = wiring.queue_of(filter) {
        through.push(queue.id.clone());
        functions.extend(wiring.consumer_of(&queue.id).map(|f| f.id.clone()));
    }
    OutlinePath { through, functions }
}

/// The functions among `nodes`, in their order.
fn functions_among(nodes: Vec<&Node>) -> Vec<NodeId> {
    nodes
        .into_iter()
        .filter(|n| matches!(n, Node::Function(_)))
        .map(|n| n.id().clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load;

    fn id(s: &str) -> NodeId {
        NodeId::new(s)
    }

    #[test]
    fn buckets_are_grouped_by_region_and_named_in_order_with_their_paths() {
        let doc = serde_json::json!({
            "version": 1,
            "buckets": [
                {"id": "photos", "name": "acme-photos", "region": "us-east-1", "account": "123456789012"},
                {"id": "docs", "name": "acme-docs", "region": "us-east-1", "account": "123456789012"},
                {"id": "quiet", "name": "acme-quiet", "region": "us-east-1", "account": "123456789012"},
                {"id": "eu", "name": "acme-eu", "region": "eu-west-1", "account": "123456789012"}
            ],
            "filters": [
                {"id": "jpg", "configurationId": "thumbnails", "events": ["s3:ObjectCreated:*"], "suffix": ".jpg"},
                {"id": "pdf", "configurationId": "pdf-thumbs", "events": ["s3:ObjectCreated:Put"], "prefix": "in/"},
                {"id": "raw", "configurationId": "raw", "events": ["s3:ObjectCreated:*"], "prefix": "raw/"},
                {"id": "eu-all", "configurationId": "all", "events": ["s3:ObjectCreated:*"]}
            ],
            "functions": [
                {"id": "thumbs", "arn": "arn:aws:lambda:us-east-1:123456789012:function:thumbs"},
                {"id": "eu-fn", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:eu-fn"},
                {"id": "idle", "arn": "arn:aws:lambda:us-east-1:123456789012:function:idle"}
            ],
            "edges": [
                {"from": "photos", "to": "jpg"}, {"from": "jpg", "to": "thumbs"},
                {"from": "photos", "to": "raw"},
                {"from": "docs", "to": "pdf"}, {"from": "pdf", "to": "thumbs"},
                {"from": "eu", "to": "eu-all"}, {"from": "eu-all", "to": "eu-fn"}
            ]
        });
        let wiring = load(doc.to_string().as_bytes()).expect("document");
        let outline = outline(&wiring);
        let regions: Vec<&str> = outline.groups.iter().map(|g| g.region.as_str()).collect();
        assert_eq!(regions, ["eu-west-1", "us-east-1"]);
        let east = &outline.groups[1];
        assert_eq!(east.account.as_deref(), Some("123456789012"));
        // By name; the bucket without notifications is left out.
        let buckets: Vec<&NodeId> = east.buckets.iter().map(|b| &b.id).collect();
        assert_eq!(buckets, [&id("docs"), &id("photos")]);
        let photos = &east.buckets[1];
        assert_eq!(
            photos.paths,
            [
                OutlinePath {
                    through: vec![id("jpg")],
                    functions: vec![id("thumbs")]
                },
                // A filter that goes nowhere yet is still a path.
                OutlinePath {
                    through: vec![id("raw")],
                    functions: vec![]
                },
            ]
        );
        // Functions by name, each with the buckets that trigger it, once.
        let functions: Vec<(&NodeId, Vec<&NodeId>)> = outline
            .functions
            .iter()
            .map(|f| (&f.id, f.triggered_by.iter().collect()))
            .collect();
        assert_eq!(
            functions,
            [
                (&id("eu-fn"), vec![&id("eu")]),
                (&id("idle"), vec![]),
                (&id("thumbs"), vec![&id("docs"), &id("photos")]),
            ]
        );
    }

    #[test]
    fn a_path_runs_through_a_topic_a_queue_or_a_rule_to_its_functions() {
        let read = |text: &str| outline(&load(text.as_bytes()).expect("example"));
        let fanout = read(include_str!(
            "../../../../examples/sns-fanout.bucketwire.json"
        ));
        let path = &fanout.groups[0].buckets[0].paths[0];
        assert_eq!(path.through, [id("new-uploads"), id("fanout")]);
        let mut functions = path.functions.clone();
        functions.sort();
        assert_eq!(functions, [id("scan"), id("thumbnail")]);

        let buffer = read(include_str!(
            "../../../../examples/sqs-buffer.bucketwire.json"
        ));
        let path = &buffer.groups[0].buckets[0].paths[0];
        assert_eq!(path.through, [id("new-events"), id("buffer")]);
        assert_eq!(path.functions, [id("ingest")]);
        assert_eq!(buffer.functions[0].triggered_by, [id("clicks")]);

        let rules = read(include_str!(
            "../../../../examples/eventbridge-images.bucketwire.json"
        ));
        let path = &rules.groups[0].buckets[0].paths[0];
        assert_eq!(path.through, [id("images")]);
        assert_eq!(path.functions, [id("resize")]);
    }
}

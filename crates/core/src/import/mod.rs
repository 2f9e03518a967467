//! Turning what an import read into a document: one bucket node per bucket,
//! one filter per Lambda configuration, one function node per (function,
//! qualifier), a topic node for each SNS topic with a Lambda subscriber
//! (its entries become filters into it, docs/rules.md §15), a queue card
//! for each SQS queue one Lambda mapping polls (§16), other SQS/SNS
//! entries kept as foreign, and the live facts the permission and role
//! checks need.
//!
//! The layout reads left to right (bucket, its filters, their functions),
//! one lane per region side by side; a function sits beside the first
//! filter that invokes it. Buckets without any notification get no position:
//! the canvas gathers such "parked" buckets per region instead of drawing
//! hundreds of empty cards (they stay in the document, and one gets a
//! position when the user brings it onto the canvas).
//!
//! Layer 5, a peer of `simulate` and `export`: turns what a reader found
//! into a document (`merge` brings one into an open document as edits).

pub mod merge;

use crate::live::{LiveState, NotificationEntry};
use crate::model::document::{
    Bucket, Document, Edge, Filter, ForeignConfiguration, ForeignKind, Function, LiveFacts,
    LiveQueue, LiveTopic, NodeId, Position, Queue, Rule, Topic,
};
use std::collections::{BTreeMap, BTreeSet};

/// Horizontal gap between the canvas columns (buckets, filters, functions).
const COLUMN: f64 = 360.0;
/// Vertical gap between rows.
const ROW: f64 = 140.0;
/// Horizontal distance between region lanes (three columns and a gap).
const LANE: f64 = 3.0 * COLUMN + 200.0;

/// How many entries of each kind an import read: Lambda, SQS, SNS, and
/// buckets with EventBridge on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KindCounts {
    /// Lambda configurations.
    pub lambda: usize,
    /// SQS entries.
    pub queues: usize,
    /// SNS entries.
    pub topics: usize,
    /// Buckets sending every event to EventBridge.
    pub event_bridge: usize,
}

/// Every kind of notification entry the import read, counted.
pub fn kind_counts(live: &LiveState) -> KindCounts {
    let mut c = KindCounts::default();
    for b in &live.buckets {
        c.lambda += b.notification.lambda.len();
        c.queues += b.notification.queues.len();
        c.topics += b.notification.topics.len();
        c.event_bridge += usize::from(b.notification.event_bridge);
    }
    c
}

/// Every Lambda configuration that points at a function the import did
/// not find (deleted, or in an account it cannot read), one sentence each:
/// S3 refuses every later write of such a bucket (docs/rules.md §2).
pub fn dangling(live: &LiveState) -> Vec<String> {
    let mut out = Vec::new();
    for b in &live.buckets {
        for e in &b.notification.lambda {
            let (arn, _) = split_qualifier(&e.arn);
            if live.function(arn).is_none() {
                out.push(format!(
                    "configuration \"{}\" on bucket \"{}\" points at function {}, which was not found",
                    e.id, b.name, e.arn
                ));
            }
        }
    }
    out
}

/// What an import read but the document cannot represent, per resource
/// (`bucket NAME`, one sentence each saying what was kept). Such a bucket
/// is blocked in every plan, so nothing is changed by accident.
pub fn unrepresented(live: &LiveState) -> Vec<(String, String)> {
    live.buckets
        .iter()
        .flat_map(|b| {
            b.notification
                .unrepresented
                .iter()
                .map(move |note| (format!("bucket {}", b.name), note.clone()))
        })
        .collect()
}

/// The document for an imported account. `account` is the account id the
/// buckets belong to (from STS), when known.
pub fn document_from_live(live: &LiveState, account: Option<&str>) -> Document {
    let mut doc = Document::empty();
    let mut used = BTreeSet::new();
    let mut functions: BTreeMap<String, NodeId> = BTreeMap::new();
    let mut bucket_ids: BTreeMap<&str, NodeId> = BTreeMap::new();
    let mut unique = |wanted: String| {
        let mut id = wanted.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{wanted}-{n}");
            n += 1;
        }
        NodeId::new(id)
    };
    // Rows are counted per region lane; lanes stand side by side.
    let mut filter_row: usize;
    let mut row = 0usize;
    let mut lane = 0usize;
    let mut last_region: Option<&str> = None;
    let mut order: Vec<&crate::live::LiveBucket> = live.buckets.iter().collect();
    // A bucket drawn into a rule is wired too.
    let in_rules: BTreeSet<String> = live
        .rules
        .iter()
        .filter_map(|r| r.pattern.as_ref().and_then(split_bucket_names))
        .flat_map(|(names, _)| names)
        .collect();
    let wired = |b: &crate::live::LiveBucket| has_notifications(b) || in_rules.contains(&b.name);
    // Topics with a Lambda subscriber are drawn; others stay foreign.
    let drawn_topics: BTreeMap<&str, &LiveTopic> = live
        .topics
        .iter()
        .filter(|t| t.subscriptions.iter().any(|s| s.protocol == "lambda"))
        .map(|t| (t.arn.as_str(), t))
        .collect();
    let mut topic_ids: BTreeMap<&str, (NodeId, Position)> = BTreeMap::new();
    // Queues one Lambda mapping polls are drawn; others stay foreign.
    let drawn_queues: BTreeMap<&str, &LiveQueue> = live
        .queues
        .iter()
        .filter(|q| q.mappings.len() == 1)
        .map(|q| (q.arn.as_str(), q))
        .collect();
    let mut queue_ids: BTreeMap<&str, (NodeId, Position)> = BTreeMap::new();
    // Wired buckets by region, in the order read; parked ones after.
    order.sort_by_key(|b| (!wired(b), b.region.clone()));
    for b in order {
        let bucket_id = unique(b.name.clone());
        bucket_ids.insert(b.name.as_str(), bucket_id.clone());
        let foreign = |kind, entries: &[NotificationEntry]| {
            entries
                .iter()
                .map(move |e| ForeignConfiguration {
                    kind,
                    configuration_id: e.id.clone(),
                    arn: e.arn.clone(),
                    events: e.events.clone(),
                    prefix: e.prefix.clone(),
                    suffix: e.suffix.clone(),
                })
                .collect::<Vec<_>>()
        };
        let (to_drawn, to_other): (Vec<&NotificationEntry>, Vec<&NotificationEntry>) = b
            .notification
            .topics
            .iter()
            .partition(|e| drawn_topics.contains_key(e.arn.as_str()));
        let to_other: Vec<NotificationEntry> = to_other.into_iter().cloned().collect();
        let (to_queues, other_queues): (Vec<&NotificationEntry>, Vec<&NotificationEntry>) = b
            .notification
            .queues
            .iter()
            .partition(|e| drawn_queues.contains_key(e.arn.as_str()));
        let other_queues: Vec<NotificationEntry> = other_queues.into_iter().cloned().collect();
        let mut foreign_entries = foreign(ForeignKind::Sqs, &other_queues);
        foreign_entries.extend(foreign(ForeignKind::Sns, &to_other));
        doc.buckets.push(Bucket {
            id: bucket_id.clone(),
            name: b.name.clone(),
            region: b.region.clone(),
            account: account.map(str::to_string),
            foreign: foreign_entries,
            event_bridge: b.notification.event_bridge,
            owner: b.owner.clone(),
        });
        if !wired(b) {
            // Parked: no position, gathered per region on the canvas.
            continue;
        }
        if last_region.is_some_and(|r| r != b.region) {
            // The next region's lane, from the top.
            lane += 1;
            row = 0;
        }
        let x = lane as f64 * LANE;
        last_region = Some(&b.region);
        // Foreign destinations are drawn above their bucket: leave room.
        let foreign =
            other_queues.len() + to_other.len() + usize::from(b.notification.event_bridge);
        row += foreign.div_ceil(2);
        filter_row = row;
        doc.layout.insert(
            bucket_id.clone(),
            Position {
                x,
                y: row as f64 * ROW,
            },
        );
        for entry in &b.notification.lambda {
            let filter_id = unique(format!("{}/{}", b.name, entry.id));
            doc.filters.push(filter_of(&filter_id, entry));
            doc.layout.insert(
                filter_id.clone(),
                Position {
                    x: x + COLUMN,
                    y: filter_row as f64 * ROW,
                },
            );
            filter_row += 1;
            // Beside the first filter that invokes it.
            let at = Position {
                x: x + 2.0 * COLUMN,
                y: (filter_row - 1) as f64 * ROW,
            };
            let function_id =
                function_node(&mut doc, &mut functions, &mut unique, live, &entry.arn, at);
            doc.edges.push(Edge {
                from: bucket_id.clone(),
                to: filter_id.clone(),
            });
            doc.edges.push(Edge {
                from: filter_id,
                to: function_id,
            });
        }
        // Entries sending to a drawn queue or publishing to a drawn topic:
        // a filter into the queue's or topic's card (one per destination,
        // beside its first filter).
        let routed = to_queues
            .into_iter()
            .map(|e| (e, ForeignKind::Sqs))
            .chain(to_drawn.into_iter().map(|e| (e, ForeignKind::Sns)));
        for (entry, kind) in routed {
            let filter_id = unique(format!("{}/{}", b.name, entry.id));
            doc.filters.push(filter_of(&filter_id, entry));
            let at = Position {
                x: x + COLUMN,
                y: filter_row as f64 * ROW,
            };
            doc.layout.insert(filter_id.clone(), at);
            let ids = match kind {
                ForeignKind::Sqs => &mut queue_ids,
                ForeignKind::Sns => &mut topic_ids,
            };
            let (card_id, _) = ids.entry(entry.arn.as_str()).or_insert_with(|| {
                let stem = match kind {
                    ForeignKind::Sqs => "queue",
                    ForeignKind::Sns => "topic",
                };
                let id = unique(format!("{stem}/{}", short_name(&entry.arn)));
                let beside = Position {
                    x: x + 2.0 * COLUMN,
                    y: at.y,
                };
                doc.layout.insert(id.clone(), beside);
                match kind {
                    ForeignKind::Sqs => doc
                        .queues
                        .push(queue_of(&id, drawn_queues[entry.arn.as_str()])),
                    ForeignKind::Sns => doc.topics.push(Topic {
                        id: id.clone(),
                        arn: entry.arn.clone(),
                        kms_master_key_id: drawn_topics[entry.arn.as_str()]
                            .kms_master_key_id
                            .clone(),
                    }),
                }
                (id, beside)
            });
            doc.edges.push(Edge {
                from: bucket_id.clone(),
                to: filter_id.clone(),
            });
            doc.edges.push(Edge {
                from: filter_id,
                to: card_id.clone(),
            });
            filter_row += 1;
        }
        // The next bucket goes below this one and its filters.
        row = filter_row.max(row + 1);
    }
    // Each drawn topic's Lambda subscribers, beside it.
    for (arn, (topic_id, at)) in &topic_ids {
        let subscribers = drawn_topics[arn]
            .subscriptions
            .iter()
            .filter(|s| s.protocol == "lambda");
        let endpoints = subscribers.map(|s| s.endpoint.as_str());
        draw_deliveries(
            &mut doc,
            &mut functions,
            &mut unique,
            live,
            topic_id,
            *at,
            endpoints,
        );
    }
    // Each drawn queue's function, beside it.
    for (arn, (queue_id, at)) in &queue_ids {
        let consumers = drawn_queues[arn]
            .mappings
            .iter()
            .map(|m| m.function_arn.as_str());
        draw_deliveries(
            &mut doc,
            &mut functions,
            &mut unique,
            live,
            queue_id,
            *at,
            consumers,
        );
    }
    // EventBridge rules over the imported buckets (docs/rules.md §14): a
    // card per rule beside its first bucket, its buckets drawn into it
    // (their names leave the pattern: the edges say them) and its Lambda
    // targets drawn out of it.
    for rule in &live.rules {
        let Some((names, pattern)) = rule.pattern.as_ref().and_then(split_bucket_names) else {
            continue;
        };
        let Some(buckets) = names
            .iter()
            .map(|n| bucket_ids.get(n.as_str()).cloned())
            .collect::<Option<Vec<NodeId>>>()
        else {
            continue;
        };
        let first = doc
            .layout
            .get(&buckets[0])
            .copied()
            .unwrap_or(Position { x: 0.0, y: 0.0 });
        let id = unique(format!("rule/{}", rule.name));
        let at = Position {
            x: first.x + 3.0 * COLUMN,
            y: first.y,
        };
        doc.layout.insert(id.clone(), at);
        doc.rules.push(Rule {
            id: id.clone(),
            name: rule.name.clone(),
            region: rule.region.clone(),
            account: rule
                .arn
                .split(':')
                .nth(4)
                .filter(|a| !a.is_empty())
                .map(str::to_string),
            pattern,
            enabled: rule.state != "DISABLED",
        });
        for bucket in buckets {
            doc.edges.push(Edge {
                from: bucket,
                to: id.clone(),
            });
        }
        let targets = rule
            .targets
            .iter()
            .map(|t| t.arn.as_str())
            .filter(|arn| arn.starts_with("arn:aws:lambda:"));
        draw_deliveries(
            &mut doc,
            &mut functions,
            &mut unique,
            live,
            &id,
            at,
            targets,
        );
    }
    // A document with rules or topics is of format version 2 or 3 (an old
    // reader would drop them); one without stays readable by version 1.
    doc.version = doc.lowest_version();
    doc.live = Some(LiveFacts {
        functions: live.functions.clone(),
        roles: live.roles.clone(),
        topics: live.topics.clone(),
        queues: live.queues.clone(),
        bucket_encryption: live.bucket_encryption.clone(),
        keys: live.keys.clone(),
    });
    doc
}

/// Draws the functions a rule or topic (`from`, at `at`) delivers to, one
/// row each beside it, and the edges to them.
fn draw_deliveries<'a>(
    doc: &mut Document,
    functions: &mut BTreeMap<String, NodeId>,
    unique: &mut dyn FnMut(String) -> NodeId,
    live: &LiveState,
    from: &NodeId,
    at: Position,
    targets: impl Iterator<Item = &'a str>,
) {
    for (k, target) in targets.enumerate() {
        let beside = Position {
            x: at.x + COLUMN,
            y: at.y + k as f64 * ROW,
        };
        let function_id = function_node(doc, functions, unique, live, target, beside);
        doc.edges.push(Edge {
            from: from.clone(),
            to: function_id,
        });
    }
}

/// A filter for a notification entry.
fn filter_of(id: &NodeId, entry: &NotificationEntry) -> Filter {
    Filter {
        id: id.clone(),
        configuration_id: entry.id.clone(),
        events: entry.events.clone(),
        prefix: entry.prefix.clone(),
        suffix: entry.suffix.clone(),
    }
}

/// A queue card for a queue as read, with its one mapping's settings
/// (Lambda's defaults left out, as a new card has them).
fn queue_of(id: &NodeId, live: &LiveQueue) -> Queue {
    let mut mapping = live.mappings[0].settings.clone();
    mapping.batch_size = mapping.batch_size.filter(|b| *b != 10);
    mapping.maximum_batching_window_seconds =
        mapping.maximum_batching_window_seconds.filter(|w| *w != 0);
    Queue {
        id: id.clone(),
        arn: live.arn.clone(),
        visibility_timeout_seconds: live.visibility_timeout_seconds,
        dead_letter: live.dead_letter.clone(),
        kms_master_key_id: live.kms_master_key_id.clone(),
        mapping,
    }
}

/// The last part of an ARN (a topic's name).
fn short_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// The node of the function a trigger or rule target invokes (`target_arn`,
/// qualified for an alias or version): the one already made for it, else a
/// new one at `at`.
fn function_node(
    doc: &mut Document,
    functions: &mut BTreeMap<String, NodeId>,
    unique: &mut dyn FnMut(String) -> NodeId,
    live: &LiveState,
    target_arn: &str,
    at: Position,
) -> NodeId {
    if let Some(id) = functions.get(target_arn) {
        return id.clone();
    }
    let (arn, qualifier) = split_qualifier(target_arn);
    let name = arn.rsplit(':').next().unwrap_or(arn);
    let label = qualifier.map_or(name.to_string(), |q| format!("{name}:{q}"));
    let id = unique(label);
    doc.layout.insert(id.clone(), at);
    doc.functions.push(Function {
        id: id.clone(),
        arn: arn.to_string(),
        qualifier: qualifier.map(str::to_string),
        role: live.function(arn).and_then(|f| f.role.clone()),
        async_invoke: None,
        recursive_loop: None,
    });
    functions.insert(target_arn.to_string(), id.clone());
    id
}

/// A rule's pattern as read, split into the bucket names its
/// `detail.bucket.name` lists (plain names only, at least one) and the
/// pattern without them, as the document keeps it; `None` for a pattern
/// that does not name buckets that way.
pub fn split_bucket_names(pattern: &serde_json::Value) -> Option<(Vec<String>, serde_json::Value)> {
    let names: Vec<String> = pattern
        .pointer("/detail/bucket/name")?
        .as_array()?
        .iter()
        .map(|n| n.as_str().map(str::to_string))
        .collect::<Option<_>>()?;
    if names.is_empty() {
        return None;
    }
    let mut rest = pattern.clone();
    let detail = rest.get_mut("detail")?.as_object_mut()?;
    let bucket = detail.get_mut("bucket")?.as_object_mut()?;
    bucket.remove("name");
    if bucket.is_empty() {
        detail.remove("bucket");
    }
    if detail.is_empty() {
        rest.as_object_mut()?.remove("detail");
    }
    Some((names, rest))
}

/// Whether a bucket as read has any notification: a Lambda, SQS or SNS
/// entry, or EventBridge on.
fn has_notifications(b: &crate::live::LiveBucket) -> bool {
    let n = &b.notification;
    !n.lambda.is_empty() || !n.queues.is_empty() || !n.topics.is_empty() || n.event_bridge
}

/// `arn:...:function:NAME:QUALIFIER` → (`arn:...:function:NAME`, `QUALIFIER`).
pub fn split_qualifier(arn: &str) -> (&str, Option<&str>) {
    let parts: Vec<&str> = arn.splitn(8, ':').collect();
    if parts.len() == 8 {
        let cut = arn.len() - parts[7].len() - 1;
        (&arn[..cut], Some(parts[7]))
    } else {
        (arn, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::{LiveBucket, NotificationConfiguration};
    use crate::plan::plan;
    use crate::Wiring;

    #[test]
    fn wired_buckets_are_laid_out_in_region_lanes_and_the_rest_parked() {
        let f = |region: &str| format!("arn:aws:lambda:{region}:123456789012:function:f");
        let bucket = |name: &str, region: &str, wired: bool| LiveBucket {
            name: name.into(),
            region: region.into(),
            notification: NotificationConfiguration {
                lambda: if wired {
                    vec![NotificationEntry {
                        id: format!("{name}-cfg"),
                        arn: f(region),
                        events: vec!["s3:ObjectCreated:*".into()],
                        prefix: None,
                        suffix: None,
                    }]
                } else {
                    vec![]
                },
                ..Default::default()
            },
            owner: None,
        };
        let live = LiveState {
            buckets: vec![
                bucket("a", "us-east-1", true),
                bucket("quiet", "us-east-1", false),
                bucket("b", "eu-west-1", true),
                bucket("c", "us-east-1", true),
            ],
            ..Default::default()
        };
        let doc = document_from_live(&live, None);
        let at = |id: &str| doc.layout.get(&NodeId::new(id)).map(|p| (p.x, p.y));
        // eu-west-1's lane first (sorted), us-east-1's beside it.
        assert_eq!(at("b"), Some((0.0, 0.0)));
        assert_eq!(at("a"), Some((LANE, 0.0)));
        assert_eq!(at("c"), Some((LANE, ROW)));
        // Each bucket's filter beside it, each region's function beside
        // the first filter that invokes it (us-east-1's is shared by a, c).
        assert_eq!(at("c/c-cfg"), Some((LANE + COLUMN, ROW)));
        assert_eq!(at("f"), Some((2.0 * COLUMN, 0.0)));
        assert_eq!(at("f-2"), Some((LANE + 2.0 * COLUMN, 0.0)));
        // No notification: no position (parked), but in the document.
        assert_eq!(at("quiet"), None);
        assert!(doc.buckets.iter().any(|b| b.name == "quiet"));
        assert_eq!(crate::model::relations::parked_buckets(&doc).len(), 1);
    }

    #[test]
    fn splits_qualifiers() {
        let f = "arn:aws:lambda:us-east-1:123456789012:function:thumbs";
        assert_eq!(split_qualifier(f), (f, None));
        assert_eq!(split_qualifier(&format!("{f}:live")), (f, Some("live")));
    }

    #[test]
    fn an_imported_account_plans_to_nothing() {
        let f = "arn:aws:lambda:us-east-1:123456789012:function:thumbs";
        let entry = |id: &str, arn: &str| NotificationEntry {
            id: id.into(),
            arn: arn.into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: Some(format!("{id}/")),
            suffix: None,
        };
        let live = LiveState {
            buckets: vec![LiveBucket {
                name: "photos".into(),
                region: "us-east-1".into(),
                notification: NotificationConfiguration {
                    lambda: vec![entry("a", f), entry("b", &format!("{f}:live"))],
                    queues: vec![entry("q", "arn:aws:sqs:us-east-1:123456789012:q")],
                    topics: vec![],
                    event_bridge: true,
                    unrepresented: vec![],
                },
                owner: None,
            }],
            functions: vec![crate::model::document::LiveFunction {
                arn: f.into(),
                aliases: vec!["live".into()],
                versions: vec![],
                role: None,
                policy_statements: vec![
                    crate::model::permission::invoke_statement(
                        f,
                        "photos",
                        Some("123456789012"),
                        "x",
                    )
                    .into(),
                    crate::model::permission::invoke_statement(
                        &format!("{f}:live"),
                        "photos",
                        Some("123456789012"),
                        "y",
                    )
                    .into(),
                ],
                ..Default::default()
            }],
            roles: vec![],
            ..Default::default()
        };
        assert_eq!(
            kind_counts(&live),
            KindCounts {
                lambda: 2,
                queues: 1,
                topics: 0,
                event_bridge: 1
            }
        );
        assert!(dangling(&live).is_empty());
        let mut gone = live.clone();
        gone.functions.clear();
        assert_eq!(
            dangling(&gone)[0],
            "configuration \"a\" on bucket \"photos\" points at function arn:aws:lambda:us-east-1:123456789012:function:thumbs, which was not found"
        );
        let doc = document_from_live(&live, Some("123456789012"));
        assert_eq!(doc.functions.len(), 2, "one node per (function, qualifier)");
        assert_eq!(doc.functions[1].qualifier.as_deref(), Some("live"));
        assert_eq!(doc.buckets[0].foreign.len(), 1);
        let wiring = Wiring::from_document(&doc).expect("imported document is valid");
        assert!(
            crate::checks::validate(&wiring).is_empty(),
            "{:?}",
            crate::checks::validate(&wiring)
        );
        assert!(plan(&wiring, &live).expect("plan").is_empty());
    }

    #[test]
    fn a_rule_over_imported_buckets_is_drawn_with_its_lambda_targets() {
        use crate::live::{LiveRule, LiveTarget};
        let bucket = |name: &str| LiveBucket {
            name: name.into(),
            region: "us-east-1".into(),
            notification: NotificationConfiguration::default(),
            owner: None,
        };
        let rule = |name: &str, buckets: serde_json::Value| LiveRule {
            name: name.into(),
            region: "us-east-1".into(),
            arn: format!("arn:aws:events:us-east-1:123456789012:rule/{name}"),
            pattern: Some(serde_json::json!({"source": ["aws.s3"],
                "detail": {"bucket": {"name": buckets}, "object": {"key": [{"prefix": "in/"}]}}})),
            state: "DISABLED".into(),
            targets: vec![
                LiveTarget {
                    id: "by-hand".into(),
                    arn: "arn:aws:lambda:us-east-1:123456789012:function:resize:live".into(),
                },
                LiveTarget {
                    id: "audit".into(),
                    arn: "arn:aws:sqs:us-east-1:123456789012:audit".into(),
                },
            ],
        };
        let live = LiveState {
            buckets: vec![bucket("photos"), bucket("archive"), bucket("quiet")],
            rules: vec![
                rule("images", serde_json::json!(["photos", "archive"])),
                rule("elsewhere", serde_json::json!(["photos", "not-imported"])),
            ],
            ..LiveState::default()
        };
        let doc = document_from_live(&live, Some("123456789012"));
        assert_eq!(doc.version, 2);
        let [r] = doc.rules.as_slice() else {
            panic!("only the rule over imported buckets: {:?}", doc.rules)
        };
        assert_eq!(r.name, "images");
        assert!(!r.enabled);
        assert_eq!(r.account.as_deref(), Some("123456789012"));
        assert_eq!(
            r.pattern,
            serde_json::json!({"source": ["aws.s3"], "detail": {"object": {"key": [{"prefix": "in/"}]}}})
        );
        // Its buckets are wired (placed), the other one parked; the SQS
        // target is not a card.
        assert!(doc.layout.contains_key(&NodeId::new("photos")));
        assert!(doc.layout.contains_key(&NodeId::new("archive")));
        assert!(!doc.layout.contains_key(&NodeId::new("quiet")));
        assert!(doc.layout.contains_key(&r.id));
        let wiring = Wiring::from_document(&doc).expect("wiring");
        let drawn = crate::desired::event_rules::rules(&wiring);
        assert_eq!(drawn[0].buckets, ["archive", "photos"]);
        assert_eq!(drawn[0].targets.len(), 1);
        assert_eq!(drawn[0].targets[0].qualifier, Some("live"));
        // What the document writes is the pattern as read.
        assert_eq!(
            Some(drawn[0].pattern()),
            live.rules[0].pattern.as_ref().map(|p| {
                let mut p = p.clone();
                p["detail"]["bucket"]["name"] = serde_json::json!(["archive", "photos"]);
                p
            })
        );
    }

    #[test]
    fn only_plain_bucket_names_are_split_from_a_pattern() {
        let (names, rest) =
            split_bucket_names(&serde_json::json!({"detail": {"bucket": {"name": ["a"]}}}))
                .expect("names");
        assert_eq!(names, ["a"]);
        assert_eq!(rest, serde_json::json!({}));
        for pattern in [
            serde_json::json!({"detail": {"bucket": {"name": [{"prefix": "a"}]}}}),
            serde_json::json!({"detail": {"bucket": {"name": []}}}),
            serde_json::json!({"source": ["aws.s3"]}),
        ] {
            assert!(split_bucket_names(&pattern).is_none(), "{pattern}");
        }
    }
}

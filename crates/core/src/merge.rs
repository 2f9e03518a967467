//! Merging an imported document into the one being edited, as one batch of
//! edits (so one undo step): buckets the document does not have yet come in
//! with their filters and functions, placed below what is already on the
//! canvas; buckets it already has keep the document's version (the user's
//! edits win; an import never overwrites them). A function already on the
//! canvas (same ARN and qualifier) is reused rather than drawn twice. The
//! live facts are combined, the imported ones replacing older reads of the
//! same function or role.

use crate::document::{Document, LiveFacts, NodeId, Position};
use crate::graph::{Edit, Node, Wiring};
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
    let mut used: BTreeSet<String> = wiring.nodes().map(|n| n.id().0.clone()).collect();
    let mut fresh = |wanted: &NodeId| {
        let mut id = wanted.0.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{}-{n}", wanted.0);
            n += 1;
        }
        NodeId::new(id)
    };
    let mut existing_functions: BTreeMap<(&str, Option<&str>), NodeId> = wiring
        .functions()
        .map(|f| ((f.arn.as_str(), f.qualifier.as_deref()), f.id.clone()))
        .collect();
    // Everything that comes in sits below the lowest node already placed.
    let top = wiring
        .layout()
        .values()
        .map(|p| p.y)
        .fold(None, |m: Option<f64>, y| Some(m.map_or(y, |m| m.max(y))))
        .map_or(0.0, |y| y + GAP);
    let placed = |id: &NodeId| {
        imported.layout.get(id).map(|p| Position {
            x: p.x,
            y: p.y + top,
        })
    };

    let mut merge = Merge {
        edits: Vec::new(),
        added: Vec::new(),
        kept: Vec::new(),
    };
    // Imported node id → the id it has in the merged document.
    let mut renamed: BTreeMap<&NodeId, NodeId> = BTreeMap::new();
    let add = |edits: &mut Vec<Edit>, node: Node, old: &NodeId| {
        let id = node.id().clone();
        edits.push(Edit::Add(node));
        if let Some(position) = placed(old) {
            edits.push(Edit::Move { id, position });
        }
    };
    for bucket in &imported.buckets {
        if have.contains(bucket.name.as_str()) {
            merge.kept.push(bucket.name.clone());
            continue;
        }
        merge.added.push(bucket.name.clone());
        let id = fresh(&bucket.id);
        renamed.insert(&bucket.id, id.clone());
        let mut node = bucket.clone();
        node.id = id;
        add(&mut merge.edits, Node::Bucket(node), &bucket.id);
        for edge in imported.edges.iter().filter(|e| e.from == bucket.id) {
            let Some(filter) = imported.filters.iter().find(|f| f.id == edge.to) else {
                continue;
            };
            let filter_id = fresh(&filter.id);
            renamed.insert(&filter.id, filter_id.clone());
            let mut node = filter.clone();
            node.id = filter_id.clone();
            add(&mut merge.edits, Node::Filter(node), &filter.id);
            merge.edits.push(Edit::Connect {
                from: renamed[&bucket.id].clone(),
                to: filter_id.clone(),
            });
            for edge in imported.edges.iter().filter(|e| e.from == filter.id) {
                let Some(function) = imported.functions.iter().find(|f| f.id == edge.to) else {
                    continue;
                };
                let key = (function.arn.as_str(), function.qualifier.as_deref());
                let function_id = match existing_functions.get(&key) {
                    Some(id) => id.clone(),
                    None => {
                        let id = fresh(&function.id);
                        renamed.insert(&function.id, id.clone());
                        let mut node = function.clone();
                        node.id = id.clone();
                        add(&mut merge.edits, Node::Function(node), &function.id);
                        existing_functions.insert(key, id.clone());
                        id
                    }
                };
                merge.edits.push(Edit::Connect {
                    from: filter_id.clone(),
                    to: function_id,
                });
            }
        }
    }
    if let Some(new) = &imported.live {
        merge
            .edits
            .push(Edit::SetLive(Some(combined(wiring.live(), new))));
    }
    merge
}

/// Live facts `old` updated by `new`: a function, role or topic `new` holds
/// replaces the one `old` held (by ARN); the others are kept. Sorted by ARN.
pub fn combined(old: Option<&LiveFacts>, new: &LiveFacts) -> LiveFacts {
    let mut functions: BTreeMap<&str, _> = BTreeMap::new();
    let mut roles: BTreeMap<&str, _> = BTreeMap::new();
    let mut topics: BTreeMap<&str, _> = BTreeMap::new();
    for facts in old.into_iter().chain([new]) {
        for t in &facts.topics {
            topics.insert(t.arn.as_str(), t.clone());
        }
        for f in &facts.functions {
            functions.insert(f.arn.as_str(), f.clone());
        }
        for r in &facts.roles {
            roles.insert(r.arn.as_str(), r.clone());
        }
    }
    LiveFacts {
        functions: functions.into_values().collect(),
        roles: roles.into_values().collect(),
        topics: topics.into_values().collect(),
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

    fn function(arn: &str, role: &str) -> crate::document::LiveFunction {
        crate::document::LiveFunction {
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
                rules: Vec::new(),
                topics: Vec::new(),
                buckets: vec![bucket("photos", THUMBS, "uploads/")],
                functions: vec![function(THUMBS, "arn:aws:iam::123456789012:role/old")],
                roles: vec![],
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
                rules: Vec::new(),
                topics: Vec::new(),
                buckets: vec![bucket("photos", THUMBS, "elsewhere/"), logs],
                functions: vec![
                    function(THUMBS, "arn:aws:iam::123456789012:role/new"),
                    function(INGEST, "arn:aws:iam::123456789012:role/ingest"),
                ],
                roles: vec![],
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
                rules: Vec::new(),
                topics: Vec::new(),
                buckets: vec![bucket("photos", THUMBS, "uploads/")],
                functions: vec![],
                roles: vec![],
            },
            None,
        );
        let mut session = Session::default();
        let m = merge(session.wiring(), &imported);
        session.edit(m.edits).expect("applies");
        assert_eq!(session.wiring().to_document(), imported);
    }
}

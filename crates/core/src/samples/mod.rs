//! The documents Bucketwire ships or generates: the thumbnail sample from
//! the AWS Lambda tutorial (the app's first start, and tests), generated
//! documents for benchmarks, the start screen's `templates` and the
//! `account_shape` of a real account.
//!
//! Layer 7, the top: uses any layer below (an account's shape is made by
//! importing it).

pub mod account_shape;
pub mod replicate;
pub mod templates;

use crate::model::document::{Bucket, Document, Edge, Filter, Function, NodeId, Position};

/// One bucket, one filter (`.jpg` under `uploads/`) and one function.
pub fn thumbnails() -> Document {
    let bucket = NodeId::new("photos");
    let filter = NodeId::new("jpg-uploads");
    let function = NodeId::new("make-thumbnail");
    let mut doc = Document::empty();
    doc.buckets.push(Bucket {
        id: bucket.clone(),
        name: "acme-photos".into(),
        region: "us-east-1".into(),
        account: Some("123456789012".into()),
        foreign: Vec::new(),
        event_bridge: false,
        owner: None,
    });
    doc.filters.push(Filter {
        id: filter.clone(),
        configuration_id: "thumbnails".into(),
        events: vec!["s3:ObjectCreated:*".into()],
        prefix: Some("uploads/".into()),
        suffix: Some(".jpg".into()),
    });
    doc.functions.push(Function {
        id: function.clone(),
        arn: "arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail".into(),
        qualifier: None,
        role: Some("arn:aws:iam::123456789012:role/make-thumbnail-role".into()),
        async_invoke: None,
        recursive_loop: None,
    });
    doc.edges.push(Edge {
        from: bucket.clone(),
        to: filter.clone(),
    });
    doc.edges.push(Edge {
        from: filter.clone(),
        to: function.clone(),
    });
    doc.layout.insert(bucket, Position { x: 0.0, y: 0.0 });
    doc.layout.insert(filter, Position { x: 320.0, y: 0.0 });
    doc.layout.insert(function, Position { x: 640.0, y: 0.0 });
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::read::read_document;

    #[test]
    fn the_sample_round_trips_through_json() {
        let doc = thumbnails();
        let json = serde_json::to_vec_pretty(&doc).expect("a document always serialises");
        assert_eq!(read_document(&json).expect("sample reads back"), doc);
    }

    #[test]
    fn every_sample_edge_joins_nodes_that_exist() {
        let doc = thumbnails();
        let ids: Vec<_> = doc
            .buckets
            .iter()
            .map(|b| &b.id)
            .chain(doc.filters.iter().map(|f| &f.id))
            .chain(doc.functions.iter().map(|f| &f.id))
            .collect();
        for edge in &doc.edges {
            assert!(ids.contains(&&edge.from), "{} missing", edge.from);
            assert!(ids.contains(&&edge.to), "{} missing", edge.to);
        }
    }
}

#[cfg(test)]
mod example_file {
    #[test]
    fn examples_thumbnails_is_the_sample() {
        let bytes = include_bytes!("../../../../examples/thumbnails.bucketwire.json");
        let doc = crate::model::read::read_document(bytes).expect("example reads");
        assert_eq!(doc, super::thumbnails());
    }
}

/// A generated account for benchmarks and load tests: `buckets` buckets in
/// us-east-1, each with three filters (`images/` `.jpg`, `docs/` `.pdf`,
/// `logs/`) wired to three functions of their own; plus the live state
/// where every bucket exists, every function exists with a scoped
/// permission, and every role can read. The document carries the same live
/// facts, so every rule runs.
pub fn generated(buckets: usize) -> (Document, crate::live::LiveState) {
    use crate::live::{LiveBucket, LiveState, NotificationConfiguration};
    use crate::model::document::{LiveFacts, LiveFunction, LiveRole, NamedPolicy};
    const ACCOUNT: &str = "123456789012";
    let shapes = [
        ("images", "images/", Some(".jpg")),
        ("docs", "docs/", Some(".pdf")),
        ("logs", "logs/", None),
    ];
    let mut doc = Document::empty();
    let mut live = LiveState::default();
    let mut facts = LiveFacts::default();
    for i in 0..buckets {
        let name = format!("bucket-{i:05}");
        let bucket_id = NodeId::new(format!("b{i}"));
        doc.buckets.push(Bucket {
            id: bucket_id.clone(),
            name: name.clone(),
            region: "us-east-1".into(),
            account: Some(ACCOUNT.into()),
            foreign: Vec::new(),
            event_bridge: false,
            owner: None,
        });
        live.buckets.push(LiveBucket {
            name: name.clone(),
            region: "us-east-1".into(),
            notification: NotificationConfiguration::default(),
            owner: None,
        });
        let role = format!("arn:aws:iam::{ACCOUNT}:role/role-{i:05}");
        let read = LiveRole {
            arn: role.clone(),
            policies: vec![NamedPolicy {
                name: "read".into(),
                document:
                    serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                    "Resource": format!("arn:aws:s3:::{name}/*")}]})
                    .into(),
            }],
        };
        facts.roles.push(read.clone());
        live.roles.push(read);
        for (kind, prefix, suffix) in shapes {
            let filter_id = NodeId::new(format!("f{i}-{kind}"));
            let function_id = NodeId::new(format!("fn{i}-{kind}"));
            let arn = format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:{kind}-{i:05}");
            doc.filters.push(Filter {
                id: filter_id.clone(),
                configuration_id: kind.into(),
                events: vec!["s3:ObjectCreated:*".into()],
                prefix: Some(prefix.into()),
                suffix: suffix.map(str::to_string),
            });
            doc.functions.push(Function {
                id: function_id.clone(),
                arn: arn.clone(),
                qualifier: None,
                role: Some(role.clone()),
                async_invoke: None,
                recursive_loop: None,
            });
            doc.edges.push(Edge {
                from: bucket_id.clone(),
                to: filter_id.clone(),
            });
            doc.edges.push(Edge {
                from: filter_id,
                to: function_id,
            });
            let sid = crate::model::permission::statement_id(&name, kind);
            let function = LiveFunction {
                arn: arn.clone(),
                aliases: Vec::new(),
                versions: Vec::new(),
                role: None,
                policy_statements: vec![crate::model::permission::invoke_statement(
                    &arn,
                    &name,
                    Some(ACCOUNT),
                    &sid,
                )
                .into()],
                ..Default::default()
            };
            facts.functions.push(function.clone());
            live.functions.push(function);
        }
    }
    doc.live = Some(facts);
    (doc, live)
}

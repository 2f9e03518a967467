//! A small, correct sample wiring: the thumbnail example from the AWS Lambda
//! tutorial. Used by the app's first start and by tests.

use crate::document::{Bucket, Document, Edge, Filter, Function, NodeId, Position};

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
    use crate::read::read_document;

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
        let bytes = include_bytes!("../../../examples/thumbnails.bucketwire.json");
        let doc = crate::read::read_document(bytes).expect("example reads");
        assert_eq!(doc, super::thumbnails());
    }
}

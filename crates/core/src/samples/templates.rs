//! Templates for common shapes, offered on an empty canvas: one bucket,
//! one filter and one function each, correct as they stand (no error
//! findings), laid out left to right.

use crate::model::document::{Bucket, Document, Edge, Filter, Function, NodeId, Position};

/// A template as the start screen lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Stable id (`image-thumbnails`).
    pub id: &'static str,
    /// What it is called.
    pub title: &'static str,
    /// One sentence on what it does.
    pub description: &'static str,
}

/// Every template, in the order the start screen shows them.
pub const TEMPLATES: &[Template] = &[
    Template {
        id: "image-thumbnails",
        title: "Image thumbnails",
        description:
            "Make a thumbnail for every .jpg uploaded under uploads/ (the AWS Lambda tutorial).",
    },
    Template {
        id: "log-ingestion",
        title: "Log ingestion",
        description: "Ingest every compressed log file delivered under AWSLogs/.",
    },
    Template {
        id: "virus-scan",
        title: "Virus scan on upload",
        description: "Scan every object as soon as it is uploaded, whatever its key.",
    },
];

/// The document of template `id`; `None` for an unknown id.
pub fn template(id: &str) -> Option<Document> {
    match id {
        "image-thumbnails" => Some(crate::samples::thumbnails()),
        "log-ingestion" => Some(one_path(Path {
            bucket: ("logs", "acme-logs"),
            filter: ("gz-logs", "ingest-logs"),
            prefix: Some("AWSLogs/"),
            suffix: Some(".gz"),
            function: ("ingest-logs", "ingest-logs"),
        })),
        "virus-scan" => Some(one_path(Path {
            bucket: ("uploads", "acme-uploads"),
            filter: ("every-upload", "scan-on-upload"),
            prefix: None,
            suffix: None,
            function: ("virus-scan", "virus-scan"),
        })),
        _ => None,
    }
}

/// (node id, name) pairs and the key rules of a bucket → filter → function.
struct Path {
    bucket: (&'static str, &'static str),
    filter: (&'static str, &'static str),
    prefix: Option<&'static str>,
    suffix: Option<&'static str>,
    function: (&'static str, &'static str),
}

fn one_path(p: Path) -> Document {
    const ACCOUNT: &str = "123456789012";
    let ids = [p.bucket.0, p.filter.0, p.function.0].map(NodeId::new);
    let mut doc = Document::empty();
    doc.buckets.push(Bucket {
        id: ids[0].clone(),
        name: p.bucket.1.into(),
        region: "us-east-1".into(),
        account: Some(ACCOUNT.into()),
        foreign: Vec::new(),
        event_bridge: false,
        owner: None,
    });
    doc.filters.push(Filter {
        id: ids[1].clone(),
        configuration_id: p.filter.1.into(),
        events: vec!["s3:ObjectCreated:*".into()],
        prefix: p.prefix.map(Into::into),
        suffix: p.suffix.map(Into::into),
    });
    doc.functions.push(Function {
        id: ids[2].clone(),
        arn: format!(
            "arn:aws:lambda:us-east-1:{ACCOUNT}:function:{}",
            p.function.1
        ),
        qualifier: None,
        role: Some(format!("arn:aws:iam::{ACCOUNT}:role/{}-role", p.function.1)),
        async_invoke: None,
        recursive_loop: None,
    });
    doc.edges.push(Edge {
        from: ids[0].clone(),
        to: ids[1].clone(),
    });
    doc.edges.push(Edge {
        from: ids[1].clone(),
        to: ids[2].clone(),
    });
    for (i, id) in ids.into_iter().enumerate() {
        doc.layout.insert(
            id,
            Position {
                x: 320.0 * i as f64,
                y: 0.0,
            },
        );
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::finding::Severity;
    use crate::checks::validate;
    use crate::model::graph::Wiring;

    #[test]
    fn every_template_loads_and_has_no_error() {
        for t in TEMPLATES {
            let doc = template(t.id).unwrap_or_else(|| panic!("{} has no document", t.id));
            let wiring = Wiring::from_document(&doc).expect("a template is a valid wiring");
            let errors: Vec<_> = validate(&wiring)
                .into_iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", t.id);
            assert_eq!(wiring.nodes().count(), 3, "{}", t.id);
        }
        assert!(template("nope").is_none());
    }
}

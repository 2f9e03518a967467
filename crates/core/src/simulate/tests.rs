//! Try a key's answers: which configuration fires, and the event each
//! destination receives.

use super::*;
use crate::model::document::NodeId;
use crate::model::graph::{Edit, Node};
use crate::samples::thumbnails;

fn sample() -> Wiring {
    Wiring::from_document(&thumbnails()).expect("sample")
}

#[test]
fn a_matching_key_fires_with_the_exact_event() {
    // docs/rules.md §10.
    let sim = simulate(
        &sample(),
        "acme-photos",
        "uploads/red flower.jpg",
        "s3:ObjectCreated:Put",
    )
    .expect("runs");
    let Outcome::Fires {
        configuration_id,
        destination,
        event_json,
    } = sim.outcome
    else {
        panic!("expected a match: {sim:?}")
    };
    assert_eq!(configuration_id, "thumbnails");
    assert!(
        matches!(destination, Destination::Function { ref arn, .. } if arn.ends_with(":function:make-thumbnail"))
    );
    let record = &event_json["Records"][0];
    assert_eq!(record["eventName"], "ObjectCreated:Put");
    assert_eq!(record["awsRegion"], "us-east-1");
    assert_eq!(record["s3"]["configurationId"], "thumbnails");
    assert_eq!(record["s3"]["bucket"]["arn"], "arn:aws:s3:::acme-photos");
    assert_eq!(record["s3"]["object"]["key"], "uploads/red+flower.jpg");
    assert!(record["s3"]["object"]["sequencer"].is_string());
}

#[test]
fn a_miss_says_which_filter_came_closest_and_why() {
    let sim = simulate(
        &sample(),
        "acme-photos",
        "uploads/cat.png",
        "s3:ObjectCreated:Put",
    )
    .expect("runs");
    assert_eq!(
        sim.outcome,
        Outcome::NoMatch {
            closest: Some(NearMiss {
                configuration_id: "thumbnails".into(),
                reasons: vec!["the key does not end with \".jpg\"".into()],
            })
        }
    );
    let sim = simulate(
        &sample(),
        "acme-photos",
        "uploads/cat.jpg",
        "s3:ObjectRemoved:Delete",
    )
    .expect("runs");
    let Outcome::NoMatch {
        closest: Some(miss),
    } = sim.outcome
    else {
        panic!()
    };
    assert_eq!(
        miss.reasons,
        ["it listens for s3:ObjectCreated:*, not s3:ObjectRemoved:Delete"]
    );
}

#[test]
fn two_matches_are_a_conflict() {
    let mut w = sample();
    let mut second = w
        .node(&NodeId::new("jpg-uploads"))
        .cloned()
        .expect("filter");
    if let Node::Filter(f) = &mut second {
        f.id = NodeId::new("all-jpg");
        f.configuration_id = "all-jpg".into();
        f.prefix = None;
    }
    w.apply(Edit::Add(second)).expect("add");
    w.apply(Edit::Connect {
        from: NodeId::new("photos"),
        to: NodeId::new("all-jpg"),
    })
    .expect("connect");
    w.apply(Edit::Connect {
        from: NodeId::new("all-jpg"),
        to: NodeId::new("make-thumbnail"),
    })
    .expect("connect");
    let sim = simulate(&w, "acme-photos", "uploads/a.jpg", "s3:ObjectCreated:Put").expect("runs");
    assert_eq!(
        sim.outcome,
        Outcome::Conflict {
            configuration_ids: vec!["thumbnails".into(), "all-jpg".into()]
        }
    );
}

#[test]
fn bad_requests_are_explained() {
    let w = sample();
    assert_eq!(
        simulate(&w, "nope", "k", "s3:ObjectCreated:Put")
            .expect_err("unknown")
            .to_string(),
        "the document has no bucket named \"nope\" (buckets: acme-photos)"
    );
    assert!(simulate(&w, "acme-photos", "k", "s3:ObjectCreated:*").is_err());
    assert!(simulate(&w, "acme-photos", "", "s3:ObjectCreated:Put").is_err());
}

/// Bucket `photos` (EventBridge on when `on`) drawn into two rules:
/// `images` (jpg and png under uploads/ → thumbs and index) and `all`
/// (every created object → audit), and a disabled one.
fn with_rules(on: bool) -> Wiring {
    let arn = |name: &str| format!("arn:aws:lambda:us-east-1:123456789012:function:{name}");
    let doc = serde_json::json!({
        "version": 2,
        "buckets": [{"id": "b", "name": "photos", "region": "us-east-1", "eventBridge": on}],
        "functions": [
            {"id": "thumbs", "arn": arn("thumbs")},
            {"id": "index", "arn": arn("index"), "qualifier": "live"},
            {"id": "audit", "arn": arn("audit")}
        ],
        "rules": [
            {"id": "images", "name": "images", "region": "us-east-1", "pattern": {
                "source": ["aws.s3"], "detail-type": ["Object Created"],
                "detail": {"object": {"key": [{"wildcard": "uploads/*.jpg"}, {"wildcard": "uploads/*.png"}]}}}},
            {"id": "all", "name": "all", "region": "us-east-1", "pattern": {"detail-type": ["Object Created"]}},
            {"id": "off", "name": "off", "region": "us-east-1", "enabled": false, "pattern": {"source": ["aws.s3"]}}
        ],
        "edges": [
            {"from": "b", "to": "images"}, {"from": "images", "to": "thumbs"}, {"from": "images", "to": "index"},
            {"from": "b", "to": "all"}, {"from": "all", "to": "audit"}, {"from": "b", "to": "off"}
        ]
    });
    let doc = crate::model::read::read_document(&serde_json::to_vec(&doc).expect("json"))
        .expect("document");
    Wiring::from_document(&doc).expect("wiring")
}

/// The simulation of `event` on `key` in `photos`, EventBridge on.
fn on(key: &str, event: &str) -> Simulation {
    simulate(&with_rules(true), "photos", key, event).expect("simulates")
}

#[test]
fn every_matching_rule_fires_with_the_eventbridge_event() {
    let sim = on("uploads/red flower.png", "s3:ObjectCreated:Put");
    let fired: Vec<(&str, bool)> = sim
        .rules
        .iter()
        .map(|r| (r.name.as_str(), r.fires))
        .collect();
    assert_eq!(fired, [("images", true), ("all", true), ("off", false)]);
    let images = &sim.rules[0];
    assert_eq!(
        images.targets,
        [
            "arn:aws:lambda:us-east-1:123456789012:function:thumbs",
            "arn:aws:lambda:us-east-1:123456789012:function:index:live"
        ]
    );
    let event = images.event_json.as_ref().expect("event");
    assert_eq!(event["detail"]["object"]["key"], "uploads/red flower.png");
    assert_eq!(event["detail-type"], "Object Created");
    assert_eq!(sim.rules[2].reason, "the rule is disabled");
    // A key outside the wildcards fires only the catch-all.
    let sim = on("uploads/a.gif", "s3:ObjectCreated:Put");
    let fired: Vec<bool> = sim.rules.iter().map(|r| r.fires).collect();
    assert_eq!(fired, [false, true, false]);
    assert_eq!(sim.rules[0].reason, "its pattern does not match this event");
    // A deletion matches neither.
    let sim = on("uploads/a.jpg", "s3:ObjectRemoved:Delete");
    assert!(sim.rules.iter().all(|r| !r.fires));
}

#[test]
fn no_rule_fires_while_the_bucket_keeps_its_events_from_eventbridge() {
    let sim = simulate(
        &with_rules(false),
        "photos",
        "uploads/a.jpg",
        "s3:ObjectCreated:Put",
    )
    .expect("simulates");
    assert!(sim
        .rules
        .iter()
        .all(|r| !r.fires && r.reason.contains("does not send its events to EventBridge")));
}

//! SQS buffering end to end in the core (docs/rules.md §16): the example
//! `sqs-buffer` — one prefix of a busy bucket buffered through a queue
//! that one function polls in batches — checked, simulated, planned,
//! imported.

use bucketwire_core::live::{LiveBucket, LiveState, NotificationConfiguration};
use bucketwire_core::model::document::{LiveFunction, LiveMapping, LiveRole};
use bucketwire_core::plan::{apply_to, plan, Change, Plan};
use bucketwire_core::simulate::{Destination, Outcome};
use bucketwire_core::{read_document, simulate, validate, Finding, Fix, Wiring};
use serde_json::{json, Value};

const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:acme-uploads-events";
const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:acme-uploads-events-dlq";
const INGEST: &str = "arn:aws:lambda:us-east-1:123456789012:function:ingest-logs";
const ROLE: &str = "arn:aws:iam::123456789012:role/ingest-logs-role";

fn example() -> Value {
    serde_json::from_slice(include_bytes!(
        "../../../examples/sqs-buffer.bucketwire.json"
    ))
    .expect("example")
}

fn wiring(doc: &Value) -> Wiring {
    Wiring::from_document(&read_document(&serde_json::to_vec(doc).expect("json")).expect("doc"))
        .expect("wiring")
}

fn rules(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule).collect()
}

#[test]
fn the_example_has_no_findings_and_buffers_on_try_a_key() {
    let w = wiring(&example());
    assert!(validate(&w).is_empty(), "{:#?}", validate(&w));
    let sim = simulate(
        &w,
        "acme-uploads",
        "events/click 1.json",
        "s3:ObjectCreated:Put",
    )
    .expect("sim");
    let Outcome::Fires {
        destination,
        event_json,
        ..
    } = sim.outcome
    else {
        panic!("fires: {:?}", sim.outcome)
    };
    let Destination::Buffered {
        arn,
        consumer,
        consumer_node,
        batch,
        ..
    } = destination
    else {
        panic!("buffered: {destination:?}")
    };
    assert_eq!(arn, QUEUE);
    assert_eq!(consumer.as_deref(), Some(INGEST));
    assert_eq!(consumer_node.as_deref(), Some("ingest"));
    let record = &batch["Records"][0];
    assert_eq!(record["eventSource"], "aws:sqs");
    assert_eq!(record["eventSourceARN"], QUEUE);
    let body: Value = serde_json::from_str(record["body"].as_str().expect("text")).expect("JSON");
    assert_eq!(body, event_json);
    assert_eq!(
        body["Records"][0]["s3"]["object"]["key"],
        "events/click+1.json"
    );
}

#[test]
fn the_classic_mistakes_are_found() {
    let mut doc = example();
    let q = &mut doc["queues"][0];
    q["arn"] = json!("arn:aws:sqs:eu-west-1:123456789012:events.fifo");
    q["kmsMasterKeyId"] = json!("alias/aws/sqs");
    q.as_object_mut().expect("queue").remove("deadLetter");
    q["mapping"] = json!({"batchSize": 500, "maximumConcurrency": 1, "enabled": false});
    let found = validate(&wiring(&doc));
    assert_eq!(
        rules(&found),
        [
            "invalid-queue-arn",
            "invalid-queue-settings",
            "invalid-queue-settings",
            "queue-aws-managed-key",
            "region-mismatch",
            "no-dead-letter-queue",
            "disabled-mapping",
            "partial-batch-failures-off",
        ],
        "{found:#?}"
    );
    assert!(
        found[1].message.contains("batching window")
            || found[2].message.contains("batching window")
    );
    // Two functions on one queue are refused: each message goes to one.
    let mut doc = example();
    doc["functions"].as_array_mut().expect("list").push(
        json!({"id": "other", "arn": "arn:aws:lambda:us-east-1:123456789012:function:other"}),
    );
    doc["edges"]
        .as_array_mut()
        .expect("list")
        .push(json!({"from": "buffer", "to": "other"}));
    let err = read_document(&serde_json::to_vec(&doc).expect("json"))
        .map_err(|e| e.to_string())
        .and_then(|d| Wiring::from_document(&d).map_err(|e| e.to_string()))
        .expect_err("refused");
    assert!(err.contains("each message goes to one consumer"), "{err}");
}

/// The example with live facts: the function's timeout and role, the
/// queue as read.
fn with_live(doc: &Value, timeout: u32, role_policies: Value, queue: Value) -> Wiring {
    let mut doc = doc.clone();
    doc["live"] = json!({
        "functions": [{"arn": INGEST, "role": ROLE, "timeoutSeconds": timeout}],
        "roles": [{"arn": ROLE, "policies": role_policies}],
        "queues": [queue],
    });
    wiring(&doc)
}

#[test]
fn the_queue_policy_the_role_and_the_timeouts_as_read() {
    let doc = example();
    let bare = json!({"arn": QUEUE, "url": "http://q", "mappings": []});
    // No policy at all (a new queue's), a role that cannot consume, a
    // function that may run longer than the queue hides a message.
    let w = with_live(&doc, 300, json!([]), bare.clone());
    let found = validate(&w);
    assert_eq!(
        rules(&found),
        [
            "visibility-timeout-too-short",
            "queue-policy-denies-s3",
            "role-cannot-consume-queue",
            "role-cannot-read-objects"
        ],
        "{found:#?}"
    );
    assert_eq!(found[0].severity, bucketwire_core::Severity::Error);
    let Some(Fix::Apply { changes }) = &found[2].fix else {
        panic!("{:?}", found[2].fix)
    };
    let [Change::PutRolePolicy {
        policy_name,
        document,
        ..
    }] = changes.as_slice()
    else {
        panic!("{changes:?}")
    };
    assert_eq!(policy_name, "bucketwire-sqs-consume");
    assert_eq!(document["Statement"][0]["Resource"], json!([QUEUE]));
    let Some(Fix::Apply { changes }) = &found[1].fix else {
        panic!()
    };
    let [Change::PutQueue { attributes, .. }] = changes.as_slice() else {
        panic!("{changes:?}")
    };
    let policy: Value = serde_json::from_str(&attributes["Policy"]).expect("policy");
    assert_eq!(
        policy["Statement"][0]["Principal"]["Service"],
        "s3.amazonaws.com"
    );
    assert_eq!(policy["Statement"][0]["Action"], "SQS:SendMessage");
    // Within six times but over once: a warning.
    let w = with_live(&doc, 60, json!([]), bare);
    let visibility = validate(&w)
        .into_iter()
        .find(|f| f.rule == "visibility-timeout-too-short")
        .expect("finding");
    assert_eq!(visibility.severity, bucketwire_core::Severity::Warning);
    assert!(
        visibility.message.contains("360 s or more"),
        "{}",
        visibility.message
    );
}

fn kinds(p: &Plan) -> Vec<&'static str> {
    p.changes
        .iter()
        .map(|c| match c {
            Change::PutRolePolicy { policy_name, .. }
                if policy_name == "bucketwire-sqs-consume" =>
            {
                "consumePolicy"
            }
            Change::PutRolePolicy { .. } => "readPolicy",
            Change::PutQueue { previous: None, .. } => "createQueue",
            Change::PutQueue { .. } => "setQueue",
            Change::PutMapping { uuid: None, .. } => "createMapping",
            Change::PutMapping { .. } => "updateMapping",
            Change::DeleteMapping { .. } => "deleteMapping",
            Change::PutBucketNotification { .. } => "putBucketNotification",
            _ => "other",
        })
        .collect()
}

/// The example's bucket, function (timeout 30 s) and role; no queue yet.
fn account() -> LiveState {
    LiveState {
        buckets: vec![LiveBucket {
            name: "acme-uploads".into(),
            region: "us-east-1".into(),
            notification: NotificationConfiguration::default(),
            owner: None,
        }],
        functions: vec![LiveFunction {
            arn: INGEST.into(),
            role: Some(ROLE.into()),
            timeout_seconds: Some(30),
            ..LiveFunction::default()
        }],
        roles: vec![LiveRole {
            arn: ROLE.into(),
            policies: vec![],
        }],
        rules: Vec::new(),
        topics: Vec::new(),
        queues: Vec::new(),
        ..Default::default()
    }
}

#[test]
fn a_buffer_is_planned_roles_queues_mapping_then_the_bucket() {
    let w = wiring(&example());
    let live = account();
    let p = plan(&w, &live).expect("plan");
    assert_eq!(
        kinds(&p),
        [
            "readPolicy",
            "consumePolicy",
            "createQueue",
            "createQueue",
            "createMapping",
            "putBucketNotification"
        ],
        "{}",
        p.to_text()
    );
    let Change::PutQueue { arn, .. } = &p.changes[2] else {
        unreachable!()
    };
    assert_eq!(arn, DLQ, "the dead-letter queue first");
    let Change::PutQueue { attributes, .. } = &p.changes[3] else {
        unreachable!()
    };
    assert_eq!(attributes["VisibilityTimeout"], "180");
    let redrive: Value = serde_json::from_str(&attributes["RedrivePolicy"]).expect("redrive");
    assert_eq!(redrive["deadLetterTargetArn"], DLQ);
    let Change::PutMapping { settings, .. } = &p.changes[4] else {
        unreachable!()
    };
    assert_eq!(settings.batch_size, Some(100));
    assert!(settings.report_batch_item_failures);
    let text = p.to_text();
    for line in [
        "SQS queue acme-uploads-events (us-east-1)",
        "+ queue (created)",
        "+ policy: S3 may send for bucket acme-uploads (statement bucketwire-s3-send)",
        "+ polled by function ingest-logs: batch 100, window 5 s, reports batch item failures, at most 10 at once",
        "+ inline policy bucketwire-sqs-consume: sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes on arn:aws:sqs:",
        "+ queue \"new-events\"",
    ] {
        assert!(text.contains(line), "{line}:\n{text}");
    }
    let after = apply_to(&live, &p);
    let again = plan(&w, &after).expect("plan again");
    assert!(again.is_empty(), "{}", again.to_text());

    // Changed settings update the mapping; a second mapping on the queue
    // (another function) is deleted; the queue's attributes are set.
    let mut doc = example();
    doc["queues"][0]["mapping"]["batchSize"] = json!(50);
    doc["queues"][0]["visibilityTimeoutSeconds"] = json!(240);
    let changed = wiring(&doc);
    let mut live = after;
    live.queues[1].mappings.push(LiveMapping {
        uuid: "theirs".into(),
        function_arn: "arn:aws:lambda:us-east-1:123456789012:function:old".into(),
        settings: bucketwire_core::model::document::QueueMapping::default(),
    });
    let p = plan(&changed, &live).expect("plan");
    assert_eq!(
        kinds(&p),
        ["setQueue", "updateMapping", "deleteMapping"],
        "{}",
        p.to_text()
    );
    assert!(plan(&changed, &apply_to(&live, &p))
        .expect("plan")
        .is_empty());
}

#[test]
fn an_import_draws_a_queue_one_function_polls_and_plans_nothing() {
    let w = wiring(&example());
    let live = apply_to(&account(), &plan(&w, &account()).expect("plan"));
    let doc = bucketwire_core::import::document_from_live(&live, Some("123456789012"));
    assert_eq!(doc.queues.len(), 1, "the dead-letter queue is not drawn");
    assert_eq!(doc.queues[0].arn, QUEUE);
    assert_eq!(doc.queues[0].mapping.batch_size, Some(100));
    assert_eq!(
        doc.queues[0].dead_letter.as_ref().map(|d| d.arn.as_str()),
        Some(DLQ)
    );
    let imported = Wiring::from_document(&doc).expect("wiring");
    let queue = &doc.queues[0].id;
    assert_eq!(
        imported.consumer_of(queue).map(|f| f.arn.as_str()),
        Some(INGEST)
    );
    assert!(validate(&imported).is_empty(), "{:#?}", validate(&imported));
    let again = plan(&imported, &live).expect("plan");
    assert!(again.is_empty(), "{}", again.to_text());
}

#[test]
fn a_queue_and_a_topic_are_copied_and_pasted_with_their_paths() {
    // Copy and paste keep the route: bucket → filter → queue → function.
    let mut w = wiring(&example());
    let ids: Vec<bucketwire_core::NodeId> = ["clicks", "new-events", "buffer", "ingest"]
        .iter()
        .map(|i| bucketwire_core::NodeId::new(*i))
        .collect();
    let fragment = bucketwire_core::session::clipboard::copy(&w, &ids);
    assert_eq!(fragment.queues.len(), 1);
    assert_eq!(fragment.edges.len(), 3);
    assert_eq!(fragment.version, 3);
    for edit in bucketwire_core::session::clipboard::paste(
        &w,
        &fragment,
        bucketwire_core::Position { x: 0.0, y: 300.0 },
    ) {
        w.apply(edit).expect("paste");
    }
    assert_eq!(w.queues().count(), 2);
    let pasted = w.queues().nth(1).expect("pasted");
    assert!(
        w.consumer_of(&pasted.id).is_some(),
        "the pasted queue keeps its function"
    );
    let topics = wiring(
        &serde_json::from_slice::<Value>(include_bytes!(
            "../../../examples/sns-fanout.bucketwire.json"
        ))
        .expect("example"),
    );
    let fragment = bucketwire_core::session::clipboard::copy(
        &topics,
        &[bucketwire_core::NodeId::new("fanout")],
    );
    assert_eq!(fragment.topics.len(), 1);
}

#[test]
fn a_role_that_polls_no_queue_any_more_loses_its_consume_policy_after_the_mapping() {
    let w = wiring(&example());
    let live = apply_to(&account(), &plan(&w, &account()).expect("plan"));
    // The function no longer polls the queue.
    let mut doc = example();
    doc["edges"]
        .as_array_mut()
        .expect("edges")
        .retain(|e| e["to"] != "ingest");
    let p = plan(&wiring(&doc), &live).expect("plan");
    let tail: Vec<&str> = kinds(&p).into_iter().rev().take(2).collect();
    assert_eq!(tail, ["other", "deleteMapping"], "{}", p.to_text());
    let Some(Change::DeleteRolePolicy { policy_name, .. }) = p.changes.last() else {
        unreachable!()
    };
    assert_eq!(policy_name, "bucketwire-sqs-consume");
    assert!(
        p.to_text()
            .contains("- inline policy bucketwire-sqs-consume"),
        "{}",
        p.to_text()
    );
    // Planned for one bucket only, the role's other queues are unknown:
    // the policy is left alone.
    let only = ["acme-uploads".to_string()];
    let scoped = bucketwire_core::plan::plan_scoped(
        &wiring(&doc),
        &live,
        bucketwire_core::plan::Scope {
            only: &only,
            unread: &[],
        },
    )
    .expect("plan");
    assert!(!scoped
        .changes
        .iter()
        .any(|c| matches!(c, Change::DeleteRolePolicy { policy_name, .. } if policy_name == "bucketwire-sqs-consume")));
}

#[test]
fn one_queue_on_two_cards_with_different_functions_is_refused() {
    let mut doc = example();
    doc["queues"]
        .as_array_mut()
        .expect("queues")
        .push(json!({"id": "again", "arn": QUEUE}));
    doc["functions"].as_array_mut().expect("functions").push(
        json!({"id": "other", "arn": "arn:aws:lambda:us-east-1:123456789012:function:other"}),
    );
    doc["edges"]
        .as_array_mut()
        .expect("edges")
        .push(json!({"from": "again", "to": "other"}));
    let w = wiring(&doc);
    let found: Vec<Finding> = validate(&w)
        .into_iter()
        .filter(|f| f.rule == "conflicting-queue-cards")
        .collect();
    assert_eq!(found.len(), 1, "{:#?}", validate(&w));
    assert!(
        found[0].message.contains("drawn on 2 cards"),
        "{}",
        found[0].message
    );
    let mut live = account();
    live.functions.push(LiveFunction {
        arn: "arn:aws:lambda:us-east-1:123456789012:function:other".into(),
        ..LiveFunction::default()
    });
    let p = plan(&w, &live).expect("plan");
    assert!(
        p.blocked.iter().any(|b| b.name == "acme-uploads"
            && b.reasons
                .iter()
                .any(|r| r.starts_with("conflicting-queue-cards"))),
        "{}",
        p.to_text()
    );
}

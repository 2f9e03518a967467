//! SNS fan-out end to end in the core (docs/rules.md §15): the example
//! `sns-fanout` — one prefix of a bucket published to a topic that two
//! functions are subscribed to — checked, simulated and planned.

use bucketwire_core::live::{LiveBucket, LiveState, NotificationConfiguration, NotificationEntry};
use bucketwire_core::model::document::{LiveFunction, LiveRole, LiveSubscription, LiveTopic};
use bucketwire_core::plan::{apply_to, plan, BlockedKind, Change, Plan};
use bucketwire_core::simulate::{Destination, Outcome};
use bucketwire_core::{load, read_document, simulate, validate, Finding, Fix, Wiring};
use serde_json::{json, Value};

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:acme-uploads-incoming";
const SCAN: &str = "arn:aws:lambda:us-east-1:123456789012:function:virus-scan";
const THUMB: &str = "arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail";

fn example() -> Value {
    serde_json::from_slice(include_bytes!(
        "../../../examples/sns-fanout.bucketwire.json"
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

/// The example with live facts: each function's policy statements, the
/// topic as read.
fn with_live(doc: &Value, statements: Value, topic: Value) -> Wiring {
    let mut doc = doc.clone();
    let function = |arn: &str| json!({"arn": arn, "aliases": [], "versions": [], "policyStatements": statements});
    doc["live"] =
        json!({"functions": [function(SCAN), function(THUMB)], "roles": [], "topics": [topic]});
    wiring(&doc)
}

#[test]
fn the_example_has_no_findings_and_fans_out_on_try_a_key() {
    let w = load(include_bytes!(
        "../../../examples/sns-fanout.bucketwire.json"
    ))
    .expect("example");
    assert!(validate(&w).is_empty(), "{:#?}", validate(&w));
    let sim = simulate(
        &w,
        "acme-uploads",
        "incoming/cat photo.jpg",
        "s3:ObjectCreated:Put",
    )
    .expect("simulate");
    let Outcome::Fires {
        configuration_id,
        destination,
        event_json,
    } = sim.outcome
    else {
        panic!("fires: {:?}", sim.outcome)
    };
    assert_eq!(configuration_id, "new-uploads");
    let Destination::FanOut {
        arn,
        node,
        subscribers,
        subscriber_nodes,
        envelope,
        ..
    } = destination
    else {
        panic!("a fan-out: {destination:?}")
    };
    assert_eq!(arn, TOPIC);
    assert_eq!(node, "fanout");
    assert_eq!(subscribers, [SCAN, THUMB]);
    assert_eq!(subscriber_nodes, ["scan", "thumbnail"]);
    // The envelope: one SNS record whose Message is the S3 event as text.
    let record = &envelope["Records"][0];
    assert_eq!(record["EventSource"], "aws:sns");
    assert_eq!(record["Sns"]["TopicArn"], TOPIC);
    assert_eq!(record["Sns"]["Subject"], "Amazon S3 Notification");
    let message: Value =
        serde_json::from_str(record["Sns"]["Message"].as_str().expect("text")).expect("JSON");
    assert_eq!(message, event_json);
    assert_eq!(
        message["Records"][0]["s3"]["object"]["key"],
        "incoming/cat+photo.jpg"
    );
    // Outside the prefix nothing fires.
    let miss = simulate(&w, "acme-uploads", "other/cat.jpg", "s3:ObjectCreated:Put").expect("sim");
    assert!(matches!(miss.outcome, Outcome::NoMatch { .. }));
}

#[test]
fn the_classic_mistakes_are_found() {
    let mut doc = example();
    // A FIFO topic in another region, encrypted with the AWS-managed key.
    doc["topics"][0]["arn"] = json!("arn:aws:sns:eu-west-1:123456789012:incoming.fifo");
    doc["topics"][0]["kmsMasterKeyId"] = json!("alias/aws/sns");
    let found = validate(&wiring(&doc));
    assert_eq!(
        rules(&found),
        [
            "invalid-topic-arn",
            "region-mismatch",
            "topic-aws-managed-key"
        ],
        "{found:#?}"
    );
    assert!(found[0].message.contains("FIFO"), "{}", found[0].message);
    assert!(
        found[2].message.contains("customer-managed key"),
        "{}",
        found[2].message
    );
    // Not an ARN at all; a topic nobody publishes to and nobody reads.
    let mut doc = example();
    doc["topics"][0]["arn"] = json!("uploads");
    doc["edges"] = json!([]);
    let found = validate(&wiring(&doc));
    assert!(rules(&found).contains(&"invalid-topic-arn"), "{found:#?}");
    assert!(found.iter().any(|f| f.rule == "incomplete-configuration"
        && f.message
            .contains("no filter publishes to it and no function is subscribed")));
}

#[test]
fn the_topic_policy_and_the_subscribers_permissions_as_read() {
    let doc = example();
    let sns_grant = |topic: &str| {
        json!([{"Sid": "s", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "lambda:InvokeFunction", "Resource": "*",
            "Condition": {"ArnLike": {"AWS:SourceArn": topic}}}])
    };
    // SNS's default policy does not let S3 publish; an S3 grant on the
    // functions is not an SNS grant.
    let default_policy = json!({"Version": "2008-10-17", "Statement": [{"Sid": "__default_statement_ID",
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["SNS:Publish", "SNS:Subscribe"],
        "Resource": TOPIC, "Condition": {"StringEquals": {"AWS:SourceOwner": "123456789012"}}}]});
    let s3_only = json!([{"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction", "Resource": "*"}]);
    let w = with_live(
        &doc,
        s3_only,
        json!({"arn": TOPIC, "policy": default_policy, "subscriptions": []}),
    );
    let found = validate(&w);
    assert_eq!(
        rules(&found),
        [
            "missing-sns-permission",
            "missing-sns-permission",
            "topic-policy-denies-s3"
        ],
        "{found:#?}"
    );
    let Some(Fix::Apply { changes }) = &found[2].fix else {
        panic!("{:?}", found[2].fix)
    };
    let [Change::PutTopic {
        policy: Some(policy),
        previous: Some(_),
        ..
    }] = changes.as_slice()
    else {
        panic!("{changes:?}")
    };
    let statements = policy["Statement"].as_array().expect("list");
    assert_eq!(statements.len(), 2, "the default statement is kept");
    assert_eq!(statements[1]["Principal"]["Service"], "s3.amazonaws.com");
    assert_eq!(
        statements[1]["Condition"]["ArnLike"]["aws:SourceArn"],
        "arn:aws:s3:::acme-uploads"
    );
    assert_eq!(
        statements[1]["Condition"]["StringEquals"]["aws:SourceAccount"],
        "123456789012"
    );
    let Some(Fix::Apply { changes }) = &found[0].fix else {
        panic!()
    };
    let [Change::AddPermission { statement, .. }] = changes.as_slice() else {
        panic!("{changes:?}")
    };
    let statement = statement.to_value();
    assert_eq!(statement["Principal"]["Service"], "sns.amazonaws.com");
    assert_eq!(statement["Condition"]["ArnLike"]["AWS:SourceArn"], TOPIC);
    // The console's broad statement lets S3 in, but for any bucket; the
    // functions let this topic invoke them.
    let broad = json!({"Statement": [{"Sid": "console", "Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"}, "Action": "SNS:Publish", "Resource": TOPIC,
        "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:*:*:*"}}}]});
    let w = with_live(
        &doc,
        sns_grant(TOPIC),
        json!({"arn": TOPIC, "policy": broad, "subscriptions": []}),
    );
    let found = validate(&w);
    assert_eq!(
        rules(&found),
        ["permission-without-source-account"],
        "{found:#?}"
    );
    // Another topic's grant is not this one's.
    let w = with_live(
        &doc,
        sns_grant("arn:aws:sns:us-east-1:123456789012:other"),
        json!({"arn": TOPIC, "kmsMasterKeyId": "alias/aws/sns", "subscriptions": []}),
    );
    assert_eq!(
        rules(&validate(&w)),
        [
            "topic-aws-managed-key",
            "missing-sns-permission",
            "missing-sns-permission",
            "topic-policy-denies-s3"
        ]
    );
}

fn kinds(p: &Plan) -> Vec<&'static str> {
    p.changes
        .iter()
        .map(|c| match c {
            Change::PutRolePolicy { .. } => "putRolePolicy",
            Change::AddPermission { .. } => "addPermission",
            Change::RemovePermission { .. } => "removePermission",
            Change::PutTopic { .. } => "putTopic",
            Change::Subscribe { .. } => "subscribe",
            Change::Unsubscribe { .. } => "unsubscribe",
            Change::PutBucketNotification { .. } => "putBucketNotification",
            _ => "other",
        })
        .collect()
}

/// The example's bucket (with a queue entry and another team's topic
/// entry), functions and roles, and no topic yet.
fn account() -> LiveState {
    let function = |arn: &str, role: &str| LiveFunction {
        arn: arn.into(),
        role: Some(role.into()),
        ..LiveFunction::default()
    };
    let entry = |id: &str, arn: &str| NotificationEntry {
        id: id.into(),
        arn: arn.into(),
        events: vec!["s3:ObjectRemoved:*".into()],
        prefix: None,
        suffix: None,
    };
    LiveState {
        buckets: vec![LiveBucket {
            name: "acme-uploads".into(),
            region: "us-east-1".into(),
            notification: NotificationConfiguration {
                queues: vec![entry("audit", "arn:aws:sqs:us-east-1:123456789012:audit")],
                topics: vec![entry("alerts", "arn:aws:sns:us-east-1:123456789012:alerts")],
                ..NotificationConfiguration::default()
            },
            owner: None,
        }],
        functions: vec![
            function(SCAN, "arn:aws:iam::123456789012:role/virus-scan-role"),
            function(THUMB, "arn:aws:iam::123456789012:role/make-thumbnail-role"),
        ],
        roles: ["virus-scan-role", "make-thumbnail-role"]
            .iter()
            .map(|r| LiveRole {
                arn: format!("arn:aws:iam::123456789012:role/{r}"),
                policies: vec![],
            })
            .collect(),
        rules: Vec::new(),
        topics: Vec::new(),
        queues: Vec::new(),
        ..Default::default()
    }
}

#[test]
fn a_fan_out_is_planned_permissions_topic_subscriptions_then_the_bucket() {
    let w = wiring(&example());
    let live = account();
    let p = plan(&w, &live).expect("plan");
    assert_eq!(
        kinds(&p),
        [
            "putRolePolicy",
            "putRolePolicy",
            "addPermission",
            "addPermission",
            "putTopic",
            "subscribe",
            "subscribe",
            "putBucketNotification"
        ],
        "{}",
        p.to_text()
    );
    let Change::PutTopic {
        previous: None,
        policy: Some(policy),
        ..
    } = &p.changes[4]
    else {
        panic!("{:?}", p.changes[4])
    };
    assert_eq!(policy["Statement"][1]["Sid"], "bucketwire-s3-publish");
    let Some(Change::PutBucketNotification {
        configuration,
        added,
        ..
    }) = p.changes.last()
    else {
        unreachable!()
    };
    // Our entry added; the other team's topic entry and the queue kept.
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].arn, TOPIC);
    assert_eq!(configuration.topics.len(), 2);
    assert_eq!(configuration.queues, live.buckets[0].notification.queues);
    let text = p.to_text();
    for line in [
        "SNS topic acme-uploads-incoming (us-east-1)",
        "+ topic (created)",
        "+ policy: S3 may publish for bucket acme-uploads (statement bucketwire-s3-publish)",
        "+ subscription → function virus-scan",
        "+ topic \"new-uploads\"",
        "+ permission bucketwire-sns-acme-uploads-incoming: sns.amazonaws.com may invoke for arn:aws:sns:",
        "= kept as is: 2 (queue \"audit\", topic \"alerts\")",
    ] {
        assert!(text.contains(line), "{line}:\n{text}");
    }
    // Applied, the account plans empty.
    let after = apply_to(&live, &p);
    let again = plan(&w, &after).expect("plan again");
    assert!(again.is_empty(), "{}", again.to_text());
}

#[test]
fn dropped_subscriptions_and_entries_are_removed_others_kept() {
    let w = wiring(&example());
    let first = plan(&w, &account()).expect("plan");
    let mut live = apply_to(&account(), &first);
    // Someone subscribed a queue and another function; the bucket's entry
    // to our topic was renamed by hand.
    let topic = &mut live.topics[0];
    topic.subscriptions.push(LiveSubscription {
        arn: format!("{TOPIC}:q"),
        protocol: "sqs".into(),
        endpoint: "arn:aws:sqs:us-east-1:123456789012:copy".into(),
    });
    topic.subscriptions.push(LiveSubscription {
        arn: format!("{TOPIC}:old"),
        protocol: "lambda".into(),
        endpoint: "arn:aws:lambda:us-east-1:123456789012:function:old".into(),
    });
    let entries = &mut live.buckets[0].notification.topics;
    let ours = entries.iter_mut().find(|e| e.arn == TOPIC).expect("ours");
    ours.id = "renamed".into();
    let p = plan(&w, &live).expect("plan");
    assert_eq!(
        kinds(&p),
        ["putBucketNotification", "unsubscribe"],
        "{}",
        p.to_text()
    );
    let Change::PutBucketNotification {
        removed,
        added,
        configuration,
        ..
    } = &p.changes[0]
    else {
        unreachable!()
    };
    assert_eq!(removed[0].id, "renamed");
    assert_eq!(added[0].id, "new-uploads");
    assert!(configuration.topics.iter().any(|e| e.id == "alerts"));
    let Change::Unsubscribe { endpoint, .. } = &p.changes[1] else {
        unreachable!()
    };
    assert!(endpoint.ends_with(":old"), "the queue subscription is kept");
    assert!(plan(&w, &apply_to(&live, &p)).expect("plan").is_empty());
}

#[test]
fn a_topic_that_cannot_be_read_blocks_its_buckets() {
    let w = wiring(&example());
    let unread = [bucketwire_core::plan::Unread::Topic(
        TOPIC.into(),
        "AccessDenied".into(),
    )];
    let p = bucketwire_core::plan::plan_scoped(
        &w,
        &account(),
        bucketwire_core::plan::Scope {
            only: &[],
            unread: &unread,
        },
    )
    .expect("plan");
    assert!(
        !p.changes.iter().any(|c| matches!(
            c,
            Change::PutTopic { .. } | Change::PutBucketNotification { .. }
        )),
        "{}",
        p.to_text()
    );
    assert_eq!(p.blocked[0].kind, BlockedKind::Bucket);
    assert!(p.blocked[0].reasons[0].contains("could not be read: AccessDenied"));
}

#[test]
fn a_topic_is_not_touched_when_its_key_and_policy_are_as_wanted() {
    // Key set by the document; the topic as read already has it.
    let mut doc = example();
    doc["topics"][0]["kmsMasterKeyId"] = json!("alias/uploads");
    let w = wiring(&doc);
    let p = plan(&w, &account()).expect("plan");
    let Some(Change::PutTopic {
        kms_master_key_id, ..
    }) = p
        .changes
        .iter()
        .find(|c| matches!(c, Change::PutTopic { .. }))
    else {
        panic!()
    };
    assert_eq!(kms_master_key_id.as_deref(), Some("alias/uploads"));
    let mut after = apply_to(&account(), &p);
    assert!(plan(&w, &after).expect("plan").is_empty());
    let topic: &mut LiveTopic = &mut after.topics[0];
    topic.kms_master_key_id = Some("alias/other".into());
    let p = plan(&w, &after).expect("plan");
    assert_eq!(kinds(&p), ["putTopic"]);
    assert!(
        p.to_text().contains("~ encrypted with alias/uploads"),
        "{}",
        p.to_text()
    );
    assert!(p.to_text().contains("was alias/other"), "{}", p.to_text());
}

#[test]
fn an_import_draws_a_topic_with_lambda_subscribers_and_plans_nothing() {
    let w = wiring(&example());
    let mut live = apply_to(&account(), &plan(&w, &account()).expect("plan"));
    // The other team's topic has only a queue subscribed: it stays an
    // entry kept as read.
    live.topics.push(LiveTopic {
        arn: "arn:aws:sns:us-east-1:123456789012:alerts".into(),
        policy: None,
        kms_master_key_id: None,
        subscriptions: vec![LiveSubscription {
            arn: "arn:aws:sns:us-east-1:123456789012:alerts:1".into(),
            protocol: "sqs".into(),
            endpoint: "arn:aws:sqs:us-east-1:123456789012:copy".into(),
        }],
    });
    let doc = bucketwire_core::import::document_from_live(&live, Some("123456789012"));
    assert_eq!(doc.version, 3);
    assert_eq!(doc.topics.len(), 1);
    assert_eq!(doc.topics[0].arn, TOPIC);
    assert_eq!(
        doc.buckets[0].foreign.len(),
        2,
        "the queue and the alerts topic"
    );
    let imported = Wiring::from_document(&doc).expect("wiring");
    let topic = &doc.topics[0].id;
    let subscribers: Vec<&str> = imported
        .subscribers_of(topic)
        .iter()
        .map(|f| f.arn.as_str())
        .collect();
    assert_eq!(subscribers, [SCAN, THUMB]);
    let filter = imported.upstream(topic);
    let [bucketwire_core::Node::Filter(f)] = filter.as_slice() else {
        panic!("{filter:?}")
    };
    assert_eq!(f.configuration_id, "new-uploads");
    assert_eq!(f.prefix.as_deref(), Some("incoming/"));
    assert!(validate(&imported).is_empty(), "{:#?}", validate(&imported));
    let again = plan(&imported, &live).expect("plan");
    assert!(again.is_empty(), "{}", again.to_text());
}

#[test]
fn a_merged_import_brings_its_topic_or_reuses_the_documents() {
    // The example's account imported, merged into a document drawing
    // another bucket publishing to the same topic: the topic is reused,
    // its subscribers are not doubled.
    let live = apply_to(
        &account(),
        &plan(&wiring(&example()), &account()).expect("plan"),
    );
    let imported = bucketwire_core::import::document_from_live(&live, Some("123456789012"));
    let mut doc = example();
    doc["buckets"][0]["name"] = json!("acme-other");
    let mut session = bucketwire_core::Session::new(wiring(&doc));
    let merge = bucketwire_core::import::merge::merge(session.wiring(), &imported);
    assert_eq!(merge.added, ["acme-uploads"]);
    session.edit(merge.edits).expect("merge");
    let w = session.wiring();
    assert_eq!(w.topics().count(), 1, "the topic is reused");
    assert_eq!(w.functions().count(), 2, "the subscribers are reused");
    let topic = w.topics().next().expect("topic");
    assert_eq!(
        w.upstream(&topic.id).len(),
        2,
        "both buckets' filters publish to it"
    );
    assert_eq!(w.subscribers_of(&topic.id).len(), 2);
    // Into an empty document: everything comes in.
    let mut session = bucketwire_core::Session::new(Wiring::new());
    let merge = bucketwire_core::import::merge::merge(session.wiring(), &imported);
    session.edit(merge.edits).expect("merge");
    assert_eq!(session.wiring().topics().count(), 1);
    assert!(
        validate(session.wiring()).is_empty(),
        "{:#?}",
        validate(session.wiring())
    );
}

#[test]
fn a_missing_subscriber_is_named_with_its_bucket_and_blocks_it() {
    // The account without make-thumbnail: the finding names the entry
    // that reaches it through the topic, and the bucket is left as it is.
    let w = wiring(&example());
    let mut live = account();
    live.functions.retain(|f| f.arn != THUMB);
    let p = plan(&w, &live).expect("plan");
    let [blocked] = p.blocked.as_slice() else {
        panic!("{}", p.to_text())
    };
    assert_eq!(blocked.kind, BlockedKind::Bucket);
    assert_eq!(blocked.name, "acme-uploads");
    assert!(
        blocked
            .reasons
            .iter()
            .any(|r| r.contains("function-not-found")
                && r.contains("\"new-uploads\" on bucket \"acme-uploads\"")),
        "{:?}",
        blocked.reasons
    );
    assert!(!p.changes.iter().any(|c| matches!(
        c,
        Change::PutTopic { .. } | Change::PutBucketNotification { .. }
    )));
}

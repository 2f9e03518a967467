//! Properties of the planner over random documents and random accounts:
//! applying a plan and planning again gives nothing to do; SQS/SNS entries
//! and the EventBridge switch survive byte for byte; buckets outside the
//! document and statements Bucketwire did not create are never touched;
//! and the changes come in the safe order (docs/rules.md §2, §3). The
//! documents draw bucket alpha and function one on two cards each, so a
//! bucket drawn twice is planned as one (§11): after the plan is applied,
//! every bucket that is not blocked holds exactly the configurations its
//! cards ask for, and a blocked one is exactly as before.

use bucketwire_core::live::{LiveBucket, LiveState, NotificationConfiguration, NotificationEntry};
use bucketwire_core::model::document::{
    Bucket, Document, Edge, Filter, Function, LiveFunction, LiveRole, NodeId,
};
use bucketwire_core::plan::{apply_to, plan, BlockedKind, Change};
use bucketwire_core::Wiring;
use proptest::prelude::*;
use serde_json::json;

const BUCKETS: [&str; 3] = ["alpha", "beta", "gamma"];
const FUNCTIONS: [&str; 2] = ["one", "two"];
/// Bucket cards: alpha is drawn twice.
const BUCKET_CARDS: [(&str, &str); 3] = [
    ("b-alpha", "alpha"),
    ("b-beta", "beta"),
    ("b-alpha-2", "alpha"),
];
/// Function cards: one is drawn twice.
const FUNCTION_CARDS: [(&str, &str); 3] =
    [("fn-one", "one"), ("fn-two", "two"), ("fn-one-2", "one")];
const EVENTS: [&str; 4] = [
    "s3:ObjectCreated:*",
    "s3:ObjectCreated:Put",
    "s3:ObjectRemoved:*",
    "s3:ObjectTagging:*",
];

fn fn_arn(name: &str) -> String {
    format!("arn:aws:lambda:us-east-1:123456789012:function:{name}")
}

#[derive(Debug, Clone)]
struct FilterSpec {
    bucket: usize,
    function: usize,
    event: usize,
    prefix: String,
}

#[derive(Debug, Clone)]
struct AccountSpec {
    /// Existing Lambda entries per bucket: (id, function, event).
    lambda: Vec<(usize, String, usize, usize)>,
    /// Foreign queue entries per bucket.
    queues: Vec<(usize, String)>,
    event_bridge: Vec<bool>,
    /// Statements on each function: (our sid?, bucket).
    statements: Vec<(usize, bool, usize)>,
}

fn filters() -> impl Strategy<Value = Vec<FilterSpec>> {
    prop::collection::vec(
        (0..3usize, 0..3usize, 0..4usize, "[ab]{0,2}/").prop_map(
            |(bucket, function, event, prefix)| FilterSpec {
                bucket,
                function,
                event,
                prefix,
            },
        ),
        0..5,
    )
}

fn account() -> impl Strategy<Value = AccountSpec> {
    (
        prop::collection::vec((0..3usize, "[xyz]{1,2}", 0..2usize, 0..4usize), 0..5),
        prop::collection::vec((0..3usize, "q[0-9]"), 0..3),
        prop::collection::vec(any::<bool>(), 3),
        prop::collection::vec((0..2usize, any::<bool>(), 0..3usize), 0..5),
    )
        .prop_map(|(lambda, queues, event_bridge, statements)| AccountSpec {
            lambda,
            queues,
            event_bridge,
            statements,
        })
}

/// Documents use buckets alpha and beta; gamma is outside every document.
fn document(specs: &[FilterSpec]) -> Wiring {
    let mut doc = Document::empty();
    for (id, name) in BUCKET_CARDS {
        doc.buckets.push(Bucket {
            id: NodeId::new(id),
            name: name.into(),
            region: "us-east-1".into(),
            account: Some("123456789012".into()),
            foreign: Vec::new(),
            event_bridge: false,
            owner: None,
        });
    }
    for (id, name) in FUNCTION_CARDS {
        doc.functions.push(Function {
            id: NodeId::new(id),
            arn: fn_arn(name),
            qualifier: None,
            role: Some(format!("arn:aws:iam::123456789012:role/{name}")),
            async_invoke: None,
            recursive_loop: None,
        });
    }
    for (i, f) in specs.iter().enumerate() {
        let id = NodeId::new(format!("f{i}"));
        doc.filters.push(Filter {
            id: id.clone(),
            configuration_id: format!("cfg{i}"),
            events: vec![EVENTS[f.event].into()],
            prefix: Some(f.prefix.clone()),
            suffix: None,
        });
        doc.edges.push(Edge {
            from: NodeId::new(BUCKET_CARDS[f.bucket].0),
            to: id.clone(),
        });
        doc.edges.push(Edge {
            from: id,
            to: NodeId::new(FUNCTION_CARDS[f.function].0),
        });
    }
    Wiring::from_document(&doc).expect("generated document is a valid graph")
}

fn live(spec: &AccountSpec) -> LiveState {
    let mut state = LiveState::default();
    for (b, name) in BUCKETS.iter().enumerate() {
        let mut n = NotificationConfiguration {
            event_bridge: spec.event_bridge[b],
            ..Default::default()
        };
        for (bucket, id, function, event) in &spec.lambda {
            if *bucket == b && !n.lambda.iter().any(|e| &e.id == id) {
                n.lambda.push(NotificationEntry {
                    id: id.clone(),
                    arn: fn_arn(FUNCTIONS[*function]),
                    events: vec![EVENTS[*event].into()],
                    prefix: None,
                    suffix: None,
                });
            }
        }
        for (bucket, id) in &spec.queues {
            if *bucket == b && !n.queues.iter().any(|e| &e.id == id) {
                n.queues.push(NotificationEntry {
                    id: id.clone(),
                    arn: format!("arn:aws:sqs:us-east-1:123456789012:{id}"),
                    events: vec!["s3:ObjectRemoved:Delete".into()],
                    prefix: Some("Logs/".into()),
                    suffix: None,
                });
            }
        }
        state.buckets.push(LiveBucket {
            name: (*name).into(),
            region: "us-east-1".into(),
            notification: n,
            owner: None,
        });
    }
    for (f, name) in FUNCTIONS.iter().enumerate() {
        let statements = spec
            .statements
            .iter()
            .enumerate()
            .filter(|(_, (func, _, _))| *func == f)
            .map(|(i, (_, ours, bucket))| {
                let sid = if *ours { format!("bucketwire-{}-stale{i}", BUCKETS[*bucket]) } else { format!("theirs-{i}") };
                json!({"Sid": sid, "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                    "Action": "lambda:InvokeFunction", "Resource": fn_arn(name),
                    "Condition": {"ArnLike": {"AWS:SourceArn": format!("arn:aws:s3:::{}", BUCKETS[*bucket])}, "StringEquals": {"AWS:SourceAccount": "123456789012"}}})
                .into()
            })
            .collect();
        state.functions.push(LiveFunction {
            arn: fn_arn(name),
            aliases: vec![],
            versions: vec![],
            role: None,
            policy_statements: statements,
            ..LiveFunction::default()
        });
        state.roles.push(LiveRole {
            arn: format!("arn:aws:iam::123456789012:role/{name}"),
            policies: vec![],
        });
    }
    state
}

fn rank(change: &Change) -> u8 {
    match change {
        Change::PutRolePolicy { .. } | Change::DeleteRolePolicy { .. } => 0,
        Change::AddPermission { .. } => 1,
        Change::PutEventInvokeConfig { .. } | Change::PutRecursionConfig { .. } => 2,
        // EventBridge rules: after their targets' permissions and settings.
        Change::PutRule { .. } | Change::PutTargets { .. } | Change::RemoveTargets { .. } => 2,
        // SNS topics: before the buckets that publish to them.
        Change::PutTopic { .. } | Change::Subscribe { .. } => 2,
        Change::PutQueue { .. } | Change::PutMapping { .. } => 2,
        Change::PutBucketNotification { .. } => 3,
        Change::RemovePermission { .. }
        | Change::Unsubscribe { .. }
        | Change::DeleteMapping { .. } => 4,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn plan_apply_plan_is_empty_and_keeps_what_is_not_ours(specs in filters(), account in account()) {
        let wiring = document(&specs);
        let before = live(&account);
        let p = plan(&wiring, &before).expect("every bucket and function exists");
        // Safe order.
        let ranks: Vec<u8> = p.changes.iter().map(rank).collect();
        let mut sorted = ranks.clone();
        sorted.sort();
        prop_assert_eq!(&ranks, &sorted);
        let after = apply_to(&before, &p);
        let again = plan(&wiring, &after).expect("plan again");
        prop_assert!(again.is_empty(), "second plan:\n{}", again.to_text());
        for (b, a) in before.buckets.iter().zip(&after.buckets) {
            // Foreign entries and the EventBridge switch survive exactly.
            prop_assert_eq!(&b.notification.queues, &a.notification.queues);
            prop_assert_eq!(&b.notification.topics, &a.notification.topics);
            prop_assert_eq!(b.notification.event_bridge, a.notification.event_bridge);
        }
        // The bucket outside the document is untouched.
        prop_assert_eq!(&before.buckets[2], &after.buckets[2]);
        // What the plan promised: each bucket not blocked holds exactly the
        // configurations of all its cards; a blocked one is as before.
        for (b, name) in BUCKETS[..2].iter().enumerate() {
            let blocked = p.blocked.iter().any(|x| x.kind == BlockedKind::Bucket && x.name == *name);
            if blocked {
                prop_assert_eq!(&before.buckets[b], &after.buckets[b]);
                continue;
            }
            let mut want: Vec<(String, String, String, String)> = specs
                .iter()
                .enumerate()
                .filter(|(_, f)| BUCKET_CARDS[f.bucket].1 == *name)
                .map(|(i, f)| (format!("cfg{i}"), fn_arn(FUNCTION_CARDS[f.function].1), EVENTS[f.event].to_string(), f.prefix.clone()))
                .collect();
            let mut have: Vec<(String, String, String, String)> = after.buckets[b]
                .notification
                .lambda
                .iter()
                .map(|e| (e.id.clone(), e.arn.clone(), e.events.join(","), e.prefix.clone().unwrap_or_default()))
                .collect();
            want.sort();
            have.sort();
            prop_assert_eq!(want, have, "bucket {}", name);
        }
        // Only S3-refused configurations block: an overlap on the bucket.
        for x in &p.blocked {
            prop_assert!(x.reasons.iter().all(|r| r.starts_with("overlapping-configurations: ")), "{:?}", x);
        }
        // Statements Bucketwire did not create are all still there.
        for (b, a) in before.functions.iter().zip(&after.functions) {
            for statement in &b.policy_statements {
                let st = statement.to_value();
                let ours = st["Sid"].as_str().is_some_and(|s| s.starts_with("bucketwire-"));
                let for_other_bucket = st["Condition"]["ArnLike"]["AWS:SourceArn"].as_str().is_some_and(|s| s.contains("gamma"));
                if !ours || for_other_bucket {
                    prop_assert!(a.policy_statements.contains(statement), "lost {st}");
                }
            }
        }
    }
}

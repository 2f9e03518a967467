//! Apply under faults, against moto behind a proxy that enforces S3's
//! destination validation and injects one fault at the N-th request. For
//! every N over a multi-bucket apply and every kind of fault, the account
//! ends either entirely as before or entirely as planned, and the foreign
//! SQS entry is never lost (docs/rules.md §2, §3).

mod support;

use bucketwire_aws::convert::notification_to_sdk;
use bucketwire_aws::{apply, read_for_plan, Account, ApplyError, ApplyOptions, Cancel};
use bucketwire_core::live::{LiveState, NotificationConfiguration, NotificationEntry};
use bucketwire_core::model::document::{Bucket, Document, Edge, Filter, Function, NodeId};
use bucketwire_core::plan::{apply_to, plan, Plan};
use bucketwire_core::Wiring;
use std::collections::BTreeSet;
use std::time::Duration;
use support::proxy::{request_of_step, through, Fault, Proxy};
use support::{create_bucket, create_function, create_queue_for_s3, create_role, Moto, ACCOUNT};

const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:audit";

fn entry(id: &str, arn: &str, event: &str, prefix: &str) -> NotificationEntry {
    NotificationEntry {
        id: id.into(),
        arn: arn.into(),
        events: vec![event.into()],
        prefix: (!prefix.is_empty()).then(|| prefix.to_string()),
        suffix: None,
    }
}

/// Two buckets, two functions with roles; photos holds a foreign queue
/// entry and an old Lambda entry the document drops.
async fn seed(account: &Account) -> (String, String, String, String) {
    let thumbs_role = create_role(account, "thumbs-role").await;
    let index_role = create_role(account, "index-role").await;
    let thumbs = create_function(account, "thumbs", &thumbs_role).await;
    let index = create_function(account, "indexer", &index_role).await;
    create_bucket(account, "photos").await;
    create_bucket(account, "docs").await;
    // The foreign entry's queue lets S3 send, or S3 would refuse the
    // bucket's configuration.
    create_queue_for_s3(account, "audit").await;
    let existing = NotificationConfiguration {
        lambda: vec![entry("old", &thumbs, "s3:ObjectCreated:*", "old/")],
        queues: vec![entry("audit", QUEUE, "s3:ObjectRemoved:*", "")],
        ..Default::default()
    };
    // Seeded straight into moto, as if written long ago.
    account
        .lambda("us-east-1")
        .add_permission()
        .function_name(&thumbs)
        .statement_id("legacy")
        .action("lambda:InvokeFunction")
        .principal("s3.amazonaws.com")
        .source_arn("arn:aws:s3:::photos")
        .send()
        .await
        .expect("legacy permission");
    account
        .s3("us-east-1")
        .put_bucket_notification_configuration()
        .bucket("photos")
        .notification_configuration(notification_to_sdk(&existing))
        .send()
        .await
        .expect("seed photos");
    (thumbs, thumbs_role, index, index_role)
}

fn document(thumbs: &str, thumbs_role: &str, index: &str, index_role: &str) -> Wiring {
    let mut doc = Document::empty();
    for name in ["photos", "docs"] {
        doc.buckets.push(Bucket {
            id: NodeId::new(name),
            name: name.into(),
            region: "us-east-1".into(),
            account: Some(ACCOUNT.into()),
            foreign: Vec::new(),
            event_bridge: false,
            owner: None,
        });
    }
    for (id, arn, role) in [
        ("thumbs", thumbs, thumbs_role),
        ("indexer", index, index_role),
    ] {
        doc.functions.push(Function {
            id: NodeId::new(id),
            arn: arn.into(),
            qualifier: None,
            role: Some(role.into()),
            async_invoke: None,
            recursive_loop: None,
        });
    }
    for (id, bucket, function, prefix) in [
        ("jpg", "photos", "thumbs", "uploads/"),
        ("png", "photos", "thumbs", "images/"),
        ("pdf", "docs", "indexer", "incoming/"),
    ] {
        doc.filters.push(Filter {
            id: NodeId::new(id),
            configuration_id: id.into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: Some(prefix.into()),
            suffix: None,
        });
        doc.edges.push(Edge {
            from: NodeId::new(bucket),
            to: NodeId::new(id),
        });
        doc.edges.push(Edge {
            from: NodeId::new(id),
            to: NodeId::new(function),
        });
    }
    Wiring::from_document(&doc).expect("document")
}

/// What must be all-or-nothing: each bucket's configuration, the
/// statements (Sid, Resource) per function, the policies per role.
#[derive(Debug, PartialEq)]
struct Snapshot {
    buckets: Vec<(String, NotificationConfiguration)>,
    statements: BTreeSet<(String, String)>,
    policies: BTreeSet<(String, String)>,
}

fn snapshot(live: &LiveState) -> Snapshot {
    let buckets = live
        .buckets
        .iter()
        .map(|b| (b.name.clone(), b.notification.clone()))
        .collect();
    let statements = live
        .functions
        .iter()
        .flat_map(|f| {
            f.policy_statements.iter().map(move |s| {
                (
                    s.sid().unwrap_or("").to_string(),
                    s.view()
                        .and_then(|v| v.resources().next())
                        .unwrap_or(&f.arn)
                        .to_string(),
                )
            })
        })
        .collect();
    let policies = live
        .roles
        .iter()
        .flat_map(|r| {
            r.policies
                .iter()
                .map(move |p| (r.arn.clone(), format!("{}={}", p.name, p.document)))
        })
        .collect();
    Snapshot {
        buckets,
        statements,
        policies,
    }
}

async fn fresh_account(
    moto: &Moto,
    direct: &Account,
    wiring_of: impl Fn(&str, &str, &str, &str) -> Wiring,
) -> (Wiring, LiveState, Plan) {
    moto.reset();
    let (thumbs, thumbs_role, index, index_role) = seed(direct).await;
    let wiring = wiring_of(&thumbs, &thumbs_role, &index, &index_role);
    let (before, errors) = read_for_plan(direct, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    assert!(errors.is_empty(), "{errors:?}");
    let p = plan(&wiring, &before).expect("plan");
    (wiring, before, p)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_at_every_request_leaves_the_account_before_or_planned() {
    let moto = Moto::start();
    let upstream = moto.url.trim_start_matches("http://").to_string();
    let proxy = Proxy::start(upstream).await;
    let direct = moto.account().await;
    // Without SDK retries every fault fails a step (rollback); with them,
    // most are absorbed (the plan is reached).
    let no_retry = Account::connect(&through(&proxy, 1))
        .await
        .expect("connect");
    let retrying = Account::connect(&through(&proxy, 2))
        .await
        .expect("connect");
    let via_proxy = &no_retry;
    let options = ApplyOptions {
        concurrency: 4,
        propagation_attempts: 3,
        propagation_delay: Duration::from_millis(10),
        ..ApplyOptions::default()
    };

    // A clean run: it succeeds, and says how many requests an apply makes.
    let (wiring, before, p) = fresh_account(&moto, &direct, document).await;
    assert!(p.changes.len() >= 5, "a multi-bucket plan: {}", p.to_text());
    proxy.clear();
    apply(via_proxy, &wiring, &p, &options, &|_| {})
        .await
        .expect("clean apply");
    let total = proxy.requests();
    let (after, _) = read_for_plan(&direct, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    assert_eq!(
        snapshot(&after),
        snapshot(&apply_to(&before, &p)),
        "a clean apply reaches the plan"
    );
    assert!(plan(&wiring, &after).expect("plan").is_empty());

    let mut outcomes = [0usize; 2];
    let runs = [
        (Fault::ServerError, &no_retry),
        (Fault::LoseResponse, &no_retry),
        (Fault::Throttle, &retrying),
        (Fault::Drop, &retrying),
    ];
    for (fault, account) in runs {
        for n in 1..=total {
            let (wiring, before, p) = fresh_account(&moto, &direct, document).await;
            proxy.fail_at(n, fault);
            let result = apply(account, &wiring, &p, &options, &|_| {}).await;
            proxy.clear();
            let (now, errors) = read_for_plan(&direct, &wiring, 4, &Cancel::new())
                .await
                .expect("read");
            assert!(errors.is_empty(), "{errors:?}");
            let state = snapshot(&now);
            let as_before = state == snapshot(&before);
            let as_planned = state == snapshot(&apply_to(&before, &p));
            assert!(
                as_before || as_planned,
                "{fault:?} at request {n}/{total}: the account is half-changed after {result:?}\nnow: {:#?}",
                state
            );
            match &result {
                Ok(_) => assert!(
                    as_planned,
                    "{fault:?} at {n}: reported success but not as planned"
                ),
                Err(ApplyError::Failed { undo_failed, .. }) => {
                    assert!(undo_failed.is_empty(), "{fault:?} at {n}: {undo_failed:?}");
                    assert!(as_before, "{fault:?} at {n}: failed but not rolled back");
                }
                Err(ApplyError::Read { .. } | ApplyError::Drift { .. }) => assert!(as_before),
                Err(e) => panic!("{fault:?} at {n}: unexpected {e}"),
            }
            // The foreign queue entry is never lost.
            let photos = now.bucket("photos").expect("photos");
            assert_eq!(
                photos.notification.queues,
                vec![entry("audit", QUEUE, "s3:ObjectRemoved:*", "")]
            );
            outcomes[usize::from(as_planned)] += 1;
        }
    }
    assert!(
        outcomes[0] > 0 && outcomes[1] > 0,
        "both outcomes were exercised: {outcomes:?}"
    );
}

#[tokio::test]
async fn the_proxy_enforces_destination_validation() {
    // docs/rules.md §2: without the invoke permission S3 refuses the PUT.
    let moto = Moto::start();
    let proxy = Proxy::start(moto.url.trim_start_matches("http://").to_string()).await;
    let direct = moto.account().await;
    let via_proxy = Account::connect(&through(&proxy, 1))
        .await
        .expect("connect");
    let (_, _, index, _) = seed(&direct).await;
    let config = NotificationConfiguration {
        lambda: vec![entry("pdf", &index, "s3:ObjectCreated:*", "incoming/")],
        ..Default::default()
    };
    let err = via_proxy
        .s3("us-east-1")
        .put_bucket_notification_configuration()
        .bucket("docs")
        .notification_configuration(notification_to_sdk(&config))
        .send()
        .await
        .expect_err("refused");
    let text = format!("{}", aws_sdk_s3::error::DisplayErrorContext(&err));
    assert!(
        text.contains("Unable to validate the following destination configurations"),
        "{text}"
    );
}

#[tokio::test]
async fn access_denied_on_one_bucket_is_reported_and_the_others_are_imported() {
    let moto = Moto::start();
    let proxy = Proxy::start(moto.url.trim_start_matches("http://").to_string()).await;
    let direct = moto.account().await;
    seed(&direct).await;
    create_bucket(&direct, "secret-bucket").await;
    proxy.deny("/secret-bucket");
    let via_proxy = Account::connect(&through(&proxy, 1))
        .await
        .expect("connect");
    let progress = std::sync::Mutex::new(Vec::new());
    let result = bucketwire_aws::import(
        &via_proxy,
        &bucketwire_aws::ImportOptions::default(),
        &|p| progress.lock().expect("lock").push(p),
        &Cancel::new(),
    )
    .await
    .expect("import");
    let names: Vec<&str> = result
        .live
        .buckets
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(names, ["photos", "docs"]);
    assert_eq!(result.errors.len(), 1, "{:?}", result.errors);
    assert_eq!(result.errors[0].resource, "bucket secret-bucket");
    assert_eq!(result.errors[0].code, "AccessDenied");
    // Progress reached every bucket, the failed one included.
    let last = progress
        .lock()
        .expect("lock")
        .iter()
        .rfind(|p| p.stage == "buckets")
        .cloned()
        .expect("progress");
    assert_eq!((last.done, last.total), (3, 3));
}

#[tokio::test]
async fn a_cancelled_import_stops_with_cancelled() {
    let moto = Moto::start();
    let direct = moto.account().await;
    seed(&direct).await;
    let cancel = Cancel::new();
    cancel.cancel();
    let err = bucketwire_aws::import(
        &direct,
        &bucketwire_aws::ImportOptions::default(),
        &|_| {},
        &cancel,
    )
    .await
    .expect_err("cancelled");
    assert_eq!(err, bucketwire_aws::AccountError::Cancelled);
}

/// Seeds what examples/eventbridge-images names: the bucket, the function
/// and its role; no rule.
async fn seed_eventbridge_images(moto: &Moto, direct: &Account) -> Wiring {
    moto.reset();
    let role = create_role(direct, "resize-role").await;
    create_function(direct, "resize", &role).await;
    create_bucket(direct, "acme-photos").await;
    bucketwire_core::load(include_bytes!(
        "../../../examples/eventbridge-images.bucketwire.json"
    ))
    .expect("example")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_whose_target_cannot_be_set_is_rolled_back_with_its_permission() {
    // docs/rules.md §2, §14: a failure at PutTargets undoes the rule the
    // apply created (DeleteRule) and the permission it added for it.
    let moto = Moto::start();
    let proxy = Proxy::start(moto.url.trim_start_matches("http://").to_string()).await;
    let direct = moto.account().await;
    let through = Account::connect(&through(&proxy, 1))
        .await
        .expect("connect");
    let targets_step =
        "set the targets bucketwire-resize of EventBridge rule acme-photos-images (us-east-1)";

    // A first apply finds which request sets the targets.
    let wiring = seed_eventbridge_images(&moto, &direct).await;
    let (live, _) = read_for_plan(&direct, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&wiring, &live).expect("plan");
    let at = request_of_step(&proxy, &through, &wiring, &p, targets_step).await;

    // Again from the start, with that request failing.
    let wiring = seed_eventbridge_images(&moto, &direct).await;
    let (live, _) = read_for_plan(&direct, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&wiring, &live).expect("plan");
    proxy.fail_at(at, Fault::ServerError);
    let err = apply(&through, &wiring, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect_err("the targets cannot be set");
    proxy.clear();
    let text = err.to_string();
    assert!(text.contains(&format!("{targets_step} failed")), "{text}");
    assert!(
        text.contains("undid: create EventBridge rule acme-photos-images"),
        "{text}"
    );
    assert!(
        bucketwire_aws::rules::read_rule(&direct, "acme-photos-images", "us-east-1")
            .await
            .expect("read rule")
            .is_none(),
        "the rule the apply created is deleted: {text}"
    );
    let (after, _) = read_for_plan(&direct, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    assert!(
        after.functions[0]
            .policy_statements
            .iter()
            .all(|s| s.sid() != Some("bucketwire-rule-acme-photos-images")),
        "the permission for the rule is removed"
    );
    assert_eq!(after.buckets, live.buckets, "the bucket is as before");
}

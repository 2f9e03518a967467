//! SQS buffering against a real moto server behind the proxy that enforces
//! S3's destination validation (a queue entry is refused unless the queue's
//! policy lets S3 send for the bucket; docs/rules.md §2, §16): the example
//! sqs-buffer planned, applied in the safe order, read back (attributes,
//! dead-letter queue, mapping settings), imported as the same drawing with
//! nothing left to plan; changed settings update the mapping; a failure at
//! the bucket's write undoes the mapping, the queues and the role
//! policies.

mod support;

use bucketwire_aws::{apply, import, read_for_plan, Account, ApplyOptions, Cancel, ImportOptions};
use bucketwire_core::import::document_from_live;
use bucketwire_core::plan::{plan, Change};
use bucketwire_core::Wiring;
use support::proxy::{request_of_step, through, Fault, Proxy};
use support::{create_bucket, create_function, create_role, Moto};

const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:acme-uploads-events";
const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:acme-uploads-events-dlq";

/// What the example names: the bucket, the function and its role; no
/// queue yet.
async fn seed(moto: &Moto, account: &Account) -> Wiring {
    moto.reset();
    let role = create_role(account, "ingest-logs-role").await;
    create_function(account, "ingest-logs", &role).await;
    create_bucket(account, "acme-uploads").await;
    bucketwire_core::load(include_bytes!(
        "../../../examples/sqs-buffer.bucketwire.json"
    ))
    .expect("example")
}

fn describe(p: &bucketwire_core::plan::Plan) -> Vec<String> {
    p.changes
        .iter()
        .map(bucketwire_aws::apply::describe)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buffer_is_applied_read_back_and_imported_unchanged() {
    let moto = Moto::start();
    let proxy = Proxy::start(moto.url.trim_start_matches("http://").to_string()).await;
    let account = Account::connect(&through(&proxy, 1))
        .await
        .expect("connect");
    let wiring = seed(&moto, &account).await;

    let (live, errors) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(live.queues.is_empty(), "no queue yet");
    let p = plan(&wiring, &live).expect("plan");
    assert_eq!(
        describe(&p),
        [
            "add inline policy bucketwire-s3-read on role ingest-logs-role",
            "add inline policy bucketwire-sqs-consume on role ingest-logs-role",
            "create SQS queue acme-uploads-events-dlq (us-east-1)",
            "create SQS queue acme-uploads-events (us-east-1)",
            "create the mapping of SQS queue acme-uploads-events (us-east-1) to function ingest-logs",
            "write the notification configuration of bucket acme-uploads",
        ]
    );
    apply(&account, &wiring, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect("apply (the queue's policy lets S3 send before the bucket names it)");

    // Read back: the queue's attributes, its dead-letter queue, the
    // mapping's settings.
    let (live, errors) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read again");
    assert!(errors.is_empty(), "{errors:?}");
    let queue = live.queues.iter().find(|q| q.arn == QUEUE).expect("queue");
    assert_eq!(queue.visibility_timeout_seconds, Some(180));
    assert_eq!(
        queue
            .dead_letter
            .as_ref()
            .map(|d| (d.arn.as_str(), d.max_receive_count)),
        Some((DLQ, 5))
    );
    let [mapping] = queue.mappings.as_slice() else {
        panic!("one mapping: {:?}", queue.mappings)
    };
    assert!(mapping.function_arn.ends_with(":function:ingest-logs"));
    assert_eq!(mapping.settings.batch_size, Some(100));
    assert_eq!(mapping.settings.maximum_batching_window_seconds, Some(5));
    assert!(mapping.settings.report_batch_item_failures);
    assert_eq!(mapping.settings.maximum_concurrency, Some(10));
    assert!(mapping.settings.enabled);
    let policy = queue.policy.as_ref().expect("policy").to_value();
    assert_eq!(policy["Statement"][0]["Sid"], "bucketwire-s3-send");
    assert!(
        live.queues.iter().any(|q| q.arn == DLQ),
        "the dead-letter queue was made"
    );
    let again = plan(&wiring, &live).expect("plan again");
    assert!(again.is_empty(), "{}", again.to_text());

    // Imported: the same bucket, filter, queue and function, no finding,
    // nothing to plan.
    let imported = import(
        &account,
        &ImportOptions {
            buckets: vec!["acme-uploads".into()],
            ..Default::default()
        },
        &|_| {},
        &Cancel::new(),
    )
    .await
    .expect("import");
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    let back = document_from_live(&imported.live, imported.account.as_deref());
    assert_eq!(back.queues.len(), 1);
    assert_eq!(
        back.queues[0].mapping,
        wiring.queues().next().expect("queue").mapping
    );
    let back = Wiring::from_document(&back).expect("imported document");
    let findings = bucketwire_core::checks::validate(&back);
    assert!(findings.is_empty(), "{findings:#?}");
    let p = plan(&back, &imported.live).expect("plan");
    assert!(p.is_empty(), "{}", p.to_text());

    // A smaller batch: the mapping is updated in place. Someone changing
    // it between plan and apply is drift: nothing is written.
    let mut doc = wiring.to_document();
    doc.queues[0].mapping.batch_size = Some(20);
    let smaller = Wiring::from_document(&doc).expect("document");
    let p = plan(&smaller, &live).expect("plan");
    assert_eq!(
        describe(&p),
        ["update the mapping of SQS queue acme-uploads-events (us-east-1) to function ingest-logs"]
    );
    let uuid = live
        .queues
        .iter()
        .find(|q| q.arn == QUEUE)
        .map(|q| q.mappings[0].uuid.clone())
        .expect("mapping");
    account
        .lambda("us-east-1")
        .update_event_source_mapping()
        .uuid(&uuid)
        .batch_size(30)
        .send()
        .await
        .expect("a change by hand");
    let err = apply(&account, &smaller, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect_err("drift");
    assert!(
        err.to_string()
            .contains("its mapping to function ingest-logs changed since the plan"),
        "{err}"
    );
    let (live, _) = read_for_plan(&account, &smaller, 8, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&smaller, &live).expect("plan again");
    apply(&account, &smaller, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect("apply");
    let queue = bucketwire_aws::queues::read_queue(&account, QUEUE)
        .await
        .expect("read")
        .expect("queue");
    assert_eq!(queue.mappings.len(), 1);
    assert_eq!(queue.mappings[0].settings.batch_size, Some(20));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_bucket_write_undoes_the_mapping_queues_and_policies() {
    // docs/rules.md §2, §16: a 500 at the bucket's write (the last step)
    // undoes every step before it, last first.
    let moto = Moto::start();
    let proxy = Proxy::start(moto.url.trim_start_matches("http://").to_string()).await;
    let account = Account::connect(&through(&proxy, 1))
        .await
        .expect("connect");
    let bucket_step = "write the notification configuration of bucket acme-uploads";

    let wiring = seed(&moto, &account).await;
    let (live, _) = read_for_plan(&account, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&wiring, &live).expect("plan");
    let at = request_of_step(&proxy, &account, &wiring, &p, bucket_step).await;

    let wiring = seed(&moto, &account).await;
    let (live, _) = read_for_plan(&account, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&wiring, &live).expect("plan");
    assert!(p
        .changes
        .iter()
        .any(|c| matches!(c, Change::PutMapping { .. })));
    proxy.fail_at(at, Fault::ServerError);
    let err = apply(&account, &wiring, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect_err("the bucket cannot be written");
    proxy.clear();
    let text = err.to_string();
    assert!(text.contains(&format!("{bucket_step} failed")), "{text}");
    for arn in [QUEUE, DLQ] {
        assert!(
            bucketwire_aws::queues::read_queue(&account, arn)
                .await
                .expect("read queue")
                .is_none(),
            "{arn} the apply created is deleted: {text}"
        );
    }
    let mappings = account
        .lambda("us-east-1")
        .list_event_source_mappings()
        .function_name("ingest-logs")
        .send()
        .await
        .expect("list");
    assert!(
        mappings.event_source_mappings().is_empty(),
        "the mapping is deleted"
    );
    let (after, errors) = read_for_plan(&account, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        after.roles.iter().all(|r| r.policies.is_empty()),
        "{:?}",
        after.roles
    );
    assert_eq!(after.buckets, live.buckets, "the bucket is as before");
}

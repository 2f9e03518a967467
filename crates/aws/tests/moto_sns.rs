//! SNS fan-out against a real moto server behind the proxy that enforces
//! S3's destination validation (a topic entry is refused unless the
//! topic's policy lets S3 publish for the bucket; docs/rules.md §2, §15):
//! the example sns-fanout planned, applied in the safe order, read back,
//! imported as the same drawing with nothing left to plan; a dropped
//! subscriber unsubscribed; a failure at the bucket's write undoing the
//! topic, its subscriptions and the permissions.

mod support;

use bucketwire_aws::convert::notification_to_sdk;
use bucketwire_aws::{apply, import, read_for_plan, Account, ApplyOptions, Cancel, ImportOptions};
use bucketwire_core::import::document_from_live;
use bucketwire_core::live::{NotificationConfiguration, NotificationEntry};
use bucketwire_core::plan::{plan, Change};
use bucketwire_core::Wiring;
use support::proxy::{request_of_step, through, Fault, Proxy};
use support::{create_bucket, create_function, create_role, Moto};

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:acme-uploads-incoming";

/// What the example names: the bucket, both functions and their roles; no
/// topic yet.
async fn seed(moto: &Moto, account: &Account) -> Wiring {
    moto.reset();
    for name in ["virus-scan", "make-thumbnail"] {
        let role = create_role(account, &format!("{name}-role")).await;
        create_function(account, name, &role).await;
    }
    create_bucket(account, "acme-uploads").await;
    bucketwire_core::load(include_bytes!(
        "../../../examples/sns-fanout.bucketwire.json"
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
async fn the_proxy_refuses_a_topic_entry_the_topic_policy_does_not_allow() {
    let moto = Moto::start();
    let proxy = Proxy::start(moto.url.trim_start_matches("http://").to_string()).await;
    let account = Account::connect(&through(&proxy, 1))
        .await
        .expect("connect");
    seed(&moto, &account).await;
    // A topic with SNS's default policy: S3 may not publish.
    account
        .sns("us-east-1")
        .create_topic()
        .name("acme-uploads-incoming")
        .send()
        .await
        .expect("topic");
    let config = NotificationConfiguration {
        topics: vec![NotificationEntry {
            id: "new-uploads".into(),
            arn: TOPIC.into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: None,
            suffix: None,
        }],
        ..Default::default()
    };
    let err = account
        .s3("us-east-1")
        .put_bucket_notification_configuration()
        .bucket("acme-uploads")
        .notification_configuration(notification_to_sdk(&config))
        .send()
        .await
        .expect_err("refused");
    let text = format!("{:?}", err);
    assert!(text.contains("Unable to validate"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fan_out_is_applied_read_back_and_imported_unchanged() {
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
    assert!(live.topics.is_empty(), "no topic yet");
    let p = plan(&wiring, &live).expect("plan");
    assert_eq!(
        describe(&p),
        [
            "add inline policy bucketwire-s3-read on role make-thumbnail-role",
            "add inline policy bucketwire-s3-read on role virus-scan-role",
            "add permission bucketwire-sns-acme-uploads-incoming to function virus-scan",
            "add permission bucketwire-sns-acme-uploads-incoming to function make-thumbnail",
            "create SNS topic acme-uploads-incoming (us-east-1)",
            "subscribe function virus-scan to SNS topic acme-uploads-incoming (us-east-1)",
            "subscribe function make-thumbnail to SNS topic acme-uploads-incoming (us-east-1)",
            "write the notification configuration of bucket acme-uploads",
        ]
    );
    apply(&account, &wiring, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect("apply (the topic's policy lets S3 publish before the bucket names it)");

    // Read back: the topic with Bucketwire's statement and both Lambda
    // subscriptions; each function lets this topic invoke it.
    let (live, errors) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read again");
    assert!(errors.is_empty(), "{errors:?}");
    let [topic] = live.topics.as_slice() else {
        panic!("one topic: {:?}", live.topics)
    };
    let mut endpoints: Vec<&str> = topic
        .subscriptions
        .iter()
        .map(|s| s.endpoint.as_str())
        .collect();
    endpoints.sort_unstable();
    assert_eq!(
        endpoints,
        [
            "arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail",
            "arn:aws:lambda:us-east-1:123456789012:function:virus-scan"
        ]
    );
    let policy = topic.policy.as_ref().expect("policy").to_value();
    let ours = policy["Statement"]
        .as_array()
        .and_then(|l| l.iter().find(|s| s["Sid"] == "bucketwire-s3-publish"))
        .expect("our statement");
    assert_eq!(
        ours["Condition"]["ArnLike"]["aws:SourceArn"],
        "arn:aws:s3:::acme-uploads"
    );
    for f in &live.functions {
        assert!(
            f.policy_statements
                .iter()
                .any(|s| s.sid() == Some("bucketwire-sns-acme-uploads-incoming")),
            "{}",
            f.arn
        );
    }
    assert_eq!(live.buckets[0].notification.topics[0].arn, TOPIC);
    let again = plan(&wiring, &live).expect("plan again");
    assert!(again.is_empty(), "{}", again.to_text());

    // Imported: the same bucket, filter, topic and subscribers, no finding,
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
    assert_eq!(back.version, 3);
    assert_eq!(back.topics.len(), 1);
    assert_eq!(back.topics[0].arn, TOPIC);
    let back = Wiring::from_document(&back).expect("imported document");
    let subscribers: Vec<&str> = back
        .subscribers_of(&back.topics().next().expect("topic").id)
        .iter()
        .map(|f| f.name())
        .collect();
    assert_eq!(subscribers.len(), 2, "{subscribers:?}");
    let findings = bucketwire_core::checks::validate(&back);
    assert!(findings.is_empty(), "{findings:#?}");
    let p = plan(&back, &imported.live).expect("plan");
    assert!(p.is_empty(), "{}", p.to_text());

    // One subscriber dropped from the document: it is unsubscribed (and
    // its role no longer needs to read the bucket).
    let mut doc = wiring.to_document();
    doc.edges.retain(|e| e.to.as_str() != "thumbnail");
    let fewer = Wiring::from_document(&doc).expect("document");
    let p = plan(&fewer, &live).expect("plan");
    assert_eq!(
        describe(&p),
        [
            "delete inline policy bucketwire-s3-read from role make-thumbnail-role",
            "unsubscribe function make-thumbnail from SNS topic acme-uploads-incoming (us-east-1)"
        ]
    );
    // Someone subscribing another function between plan and apply is
    // drift: nothing is written.
    bucketwire_aws::topics::subscribe(
        &account,
        TOPIC,
        "arn:aws:lambda:us-east-1:123456789012:function:virus-scan:live",
    )
    .await
    .expect("a subscription by hand");
    let err = apply(&account, &fewer, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect_err("drift");
    assert!(
        err.to_string()
            .contains("SNS topic acme-uploads-incoming (us-east-1)"),
        "{err}"
    );
    let (live, _) = read_for_plan(&account, &fewer, 8, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&fewer, &live).expect("plan again");
    apply(&account, &fewer, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect("apply");
    let topic = bucketwire_aws::topics::read_topic(&account, TOPIC)
        .await
        .expect("read")
        .expect("topic");
    assert_eq!(topic.subscriptions.len(), 1);
    assert!(topic.subscriptions[0].endpoint.ends_with(":virus-scan"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_bucket_write_undoes_the_topic_subscriptions_and_permissions() {
    // docs/rules.md §2, §15: a 500 at the bucket's write (the last step)
    // undoes every step before it, last first.
    let moto = Moto::start();
    let proxy = Proxy::start(moto.url.trim_start_matches("http://").to_string()).await;
    let account = Account::connect(&through(&proxy, 1))
        .await
        .expect("connect");
    let bucket_step = "write the notification configuration of bucket acme-uploads";

    // A first apply finds which request writes the bucket.
    let wiring = seed(&moto, &account).await;
    let (live, _) = read_for_plan(&account, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&wiring, &live).expect("plan");
    let at = request_of_step(&proxy, &account, &wiring, &p, bucket_step).await;

    // Again from the start, with that request failing.
    let wiring = seed(&moto, &account).await;
    let (live, _) = read_for_plan(&account, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&wiring, &live).expect("plan");
    assert!(p
        .changes
        .iter()
        .any(|c| matches!(c, Change::PutTopic { .. })));
    proxy.fail_at(at, Fault::ServerError);
    let err = apply(&account, &wiring, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect_err("the bucket cannot be written");
    proxy.clear();
    let text = err.to_string();
    assert!(text.contains(&format!("{bucket_step} failed")), "{text}");
    assert!(
        text.contains("create SNS topic acme-uploads-incoming (us-east-1)"),
        "{text}"
    );
    assert!(
        bucketwire_aws::topics::read_topic(&account, TOPIC)
            .await
            .expect("read topic")
            .is_none(),
        "the topic the apply created is deleted: {text}"
    );
    let (after, errors) = read_for_plan(&account, &wiring, 4, &Cancel::new())
        .await
        .expect("read");
    assert!(errors.is_empty(), "{errors:?}");
    for f in &after.functions {
        assert!(
            f.policy_statements.is_empty(),
            "{} keeps no permission: {:?}",
            f.arn,
            f.policy_statements
        );
    }
    assert!(after.roles.iter().all(|r| r.policies.is_empty()));
    assert_eq!(after.buckets, live.buckets, "the bucket is as before");
}

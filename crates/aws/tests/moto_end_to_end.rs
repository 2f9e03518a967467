//! The account adapter against a real moto server: import, plan, apply,
//! import again; foreign entries survive; buckets outside the document are
//! untouched; a writer between plan and apply is detected.

mod support;

use bucketwire_aws::convert::notification_to_sdk;
use bucketwire_aws::{
    apply, import, read_for_plan, ApplyError, ApplyOptions, Cancel, ImportOptions,
};
use bucketwire_core::document::{AsyncInvoke, Edge, Filter, LiveEventInvokeConfig, NodeId};
use bucketwire_core::import::document_from_live;
use bucketwire_core::live::{NotificationConfiguration, NotificationEntry};
use bucketwire_core::plan::{plan, Change};
use bucketwire_core::Wiring;
use support::{create_bucket, create_function, create_role, Moto, ACCOUNT};

fn entry(id: &str, arn: &str, events: &[&str], prefix: Option<&str>) -> NotificationEntry {
    NotificationEntry {
        id: id.into(),
        arn: arn.into(),
        events: events.iter().map(|e| e.to_string()).collect(),
        prefix: prefix.map(str::to_string),
        suffix: None,
    }
}

/// photos: a Lambda entry (thumbs) and a foreign SQS entry; other: a Lambda
/// entry nobody's document mentions.
async fn seed(moto: &Moto) -> String {
    let account = moto.account().await;
    let role = create_role(&account, "thumbs-role").await;
    let thumbs = create_function(&account, "thumbs", &role).await;
    create_bucket(&account, "photos").await;
    create_bucket(&account, "other").await;
    let s3 = account.s3("us-east-1");
    let photos = NotificationConfiguration {
        lambda: vec![entry(
            "thumbnails",
            &thumbs,
            &["s3:ObjectCreated:*"],
            Some("uploads/"),
        )],
        queues: vec![entry(
            "audit",
            &format!("arn:aws:sqs:us-east-1:{ACCOUNT}:audit"),
            &["s3:ObjectRemoved:*"],
            None,
        )],
        ..Default::default()
    };
    s3.put_bucket_notification_configuration()
        .bucket("photos")
        .notification_configuration(notification_to_sdk(&photos))
        .send()
        .await
        .expect("seed photos");
    let other = NotificationConfiguration {
        lambda: vec![entry("theirs", &thumbs, &["s3:ObjectCreated:*"], None)],
        ..Default::default()
    };
    s3.put_bucket_notification_configuration()
        .bucket("other")
        .notification_configuration(notification_to_sdk(&other))
        .send()
        .await
        .expect("seed other");
    thumbs
}

/// Imports bucket `photos` (and what it names) from the seeded account.
async fn import_photos(account: &bucketwire_aws::Account) -> bucketwire_aws::ImportResult {
    import(
        account,
        &ImportOptions {
            buckets: vec!["photos".into()],
            ..Default::default()
        },
        &|_| {},
        &Cancel::new(),
    )
    .await
    .expect("import")
}

#[tokio::test]
async fn import_plan_apply_import_round_trip() {
    let moto = Moto::start();
    let thumbs = seed(&moto).await;
    let account = moto.account().await;
    assert_eq!(account.identity().await.expect("sts").account, ACCOUNT);

    // Import only photos; moto reports us-east-1 as an empty location.
    let options = ImportOptions {
        buckets: vec!["photos".into()],
        ..Default::default()
    };
    let imported = import(&account, &options, &|_| {}, &Cancel::new())
        .await
        .expect("import");
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    assert_eq!(imported.live.buckets.len(), 1);
    assert_eq!(imported.live.buckets[0].region, "us-east-1");
    assert_eq!(imported.live.functions.len(), 1);
    assert_eq!(imported.live.roles.len(), 1);
    let mut doc = document_from_live(&imported.live, imported.account.as_deref());
    assert_eq!(
        doc.buckets[0].foreign.len(),
        1,
        "the SQS entry is kept as foreign"
    );

    // Imported as is: the only change is what the document asks beyond
    // the account (the role read policy and the scoped permission).
    let wiring = Wiring::from_document(&doc).expect("imported document");
    let (live, errors) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read");
    assert!(errors.is_empty(), "{errors:?}");
    let first = plan(&wiring, &live).expect("plan");
    assert!(
        first
            .changes
            .iter()
            .all(|c| !matches!(c, Change::PutBucketNotification { .. })),
        "{}",
        first.to_text()
    );

    // Change the document: a second filter for .png under images/.
    doc.filters.push(Filter {
        id: NodeId::new("png"),
        configuration_id: "png-thumbs".into(),
        events: vec!["s3:ObjectCreated:Put".into()],
        prefix: Some("images/".into()),
        suffix: Some(".png".into()),
    });
    let function_id = doc.functions[0].id.clone();
    let bucket_id = doc.buckets[0].id.clone();
    doc.edges.push(Edge {
        from: bucket_id,
        to: NodeId::new("png"),
    });
    doc.edges.push(Edge {
        from: NodeId::new("png"),
        to: function_id,
    });
    let wiring = Wiring::from_document(&doc).expect("changed document");
    let (live, _) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&wiring, &live).expect("plan");
    assert!(
        p.to_text().contains("+ lambda \"png-thumbs\""),
        "{}",
        p.to_text()
    );
    let log = tempfile::tempdir().expect("tempdir");
    let options = ApplyOptions {
        log: Some(log.path().join("apply.log")),
        ..Default::default()
    };
    let events = std::sync::Mutex::new(Vec::new());
    let report = apply(&account, &wiring, &p, &options, &|e| {
        events.lock().expect("lock").push(e)
    })
    .await
    .expect("apply");
    assert_eq!(report.applied.len(), p.changes.len());

    // Import again: nothing left to do, the foreign entry and the other
    // bucket are exactly as before.
    let (after, _) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read");
    assert!(plan(&wiring, &after).expect("plan").is_empty());
    let photos = after.bucket("photos").expect("photos");
    assert_eq!(
        photos.notification.queues,
        vec![entry(
            "audit",
            &format!("arn:aws:sqs:us-east-1:{ACCOUNT}:audit"),
            &["s3:ObjectRemoved:*"],
            None
        )]
    );
    assert_eq!(photos.notification.lambda.len(), 2);
    let all = import(&account, &ImportOptions::default(), &|_| {}, &Cancel::new())
        .await
        .expect("import all");
    let other = all.live.bucket("other").expect("other");
    assert_eq!(
        other.notification.lambda,
        vec![entry("theirs", &thumbs, &["s3:ObjectCreated:*"], None)]
    );

    // The permission Bucketwire created carries both conditions.
    let f = after.function(&thumbs).expect("function");
    let ours: Vec<_> = f
        .policy_statements
        .iter()
        .filter(|s| {
            s["Sid"]
                .as_str()
                .is_some_and(|s| s.starts_with("bucketwire-"))
        })
        .collect();
    assert!(!ours.is_empty());
    for st in ours {
        let cond = &st["Condition"];
        assert!(cond.to_string().contains("arn:aws:s3:::photos"), "{st}");
        assert!(cond.to_string().contains(ACCOUNT), "{st}");
    }
    // The apply log names the steps and holds no credentials.
    let text = std::fs::read_to_string(log.path().join("apply.log")).expect("log");
    assert!(
        text.contains("write the notification configuration of bucket photos"),
        "{text}"
    );
    assert!(
        !text.contains("testing"),
        "the log must not hold credentials"
    );
}

#[tokio::test]
async fn a_writer_between_plan_and_apply_is_detected_and_nothing_is_overwritten() {
    let moto = Moto::start();
    let thumbs = seed(&moto).await;
    let account = moto.account().await;
    let imported = import_photos(&account).await;
    let mut doc = document_from_live(&imported.live, imported.account.as_deref());
    doc.filters[0].prefix = Some("incoming/".into());
    let wiring = Wiring::from_document(&doc).expect("doc");
    let (live, _) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&wiring, &live).expect("plan");

    // Someone else writes the bucket after the plan.
    let theirs = NotificationConfiguration {
        lambda: vec![entry(
            "thumbnails",
            &thumbs,
            &["s3:ObjectCreated:*"],
            Some("somebody-else/"),
        )],
        ..Default::default()
    };
    account
        .s3("us-east-1")
        .put_bucket_notification_configuration()
        .bucket("photos")
        .notification_configuration(notification_to_sdk(&theirs))
        .send()
        .await
        .expect("concurrent write");

    let err = apply(&account, &wiring, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect_err("drift");
    let ApplyError::Drift { moved } = &err else {
        panic!("{err}")
    };
    assert!(
        moved.iter().any(|m| m
            .starts_with("bucket photos: its notification configuration changed since the plan")),
        "{moved:?}"
    );
    // Their write is intact.
    let (now, _) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read");
    assert_eq!(now.bucket("photos").expect("photos").notification, theirs);
}

#[tokio::test]
async fn async_invoke_settings_are_applied_and_read_back_exactly() {
    // AWS-RULES.md §10: retries, event age and on-failure destination are
    // written with PutFunctionEventInvokeConfig; moto implements it (not
    // the recursion guard: its read answers a bare 404, which is "not
    // read", never an import error).
    let moto = Moto::start();
    seed(&moto).await;
    let account = moto.account().await;
    let imported = import_photos(&account).await;
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    assert_eq!(imported.live.functions[0].recursive_loop, None);
    assert!(imported.live.functions[0].event_invoke_configs.is_empty());

    let mut doc = document_from_live(&imported.live, imported.account.as_deref());
    let settings = AsyncInvoke {
        maximum_retry_attempts: Some(0),
        maximum_event_age_seconds: Some(600),
        on_failure: Some(format!("arn:aws:sqs:us-east-1:{ACCOUNT}:thumbs-failed")),
    };
    doc.functions[0].async_invoke = Some(settings.clone());
    let wiring = Wiring::from_document(&doc).expect("document");
    let (live, _) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&wiring, &live).expect("plan");
    assert!(
        p.changes
            .iter()
            .any(|c| matches!(c, Change::PutEventInvokeConfig { previous: None, .. })),
        "{}",
        p.to_text()
    );
    apply(&account, &wiring, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect("apply");

    // Read back exactly; nothing left to do.
    let (live, errors) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read again");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        live.functions[0].event_invoke_configs,
        [LiveEventInvokeConfig {
            qualifier: None,
            settings: settings.clone()
        }]
    );
    assert!(plan(&wiring, &live).expect("plan").is_empty());

    // A changed setting plans a change that names the old value.
    doc.functions[0].async_invoke = Some(AsyncInvoke {
        maximum_retry_attempts: Some(2),
        ..settings
    });
    let wiring = Wiring::from_document(&doc).expect("document");
    let p = plan(&wiring, &live).expect("plan");
    assert!(
        p.to_text().contains("~ async invoke: retries 2"),
        "{}",
        p.to_text()
    );
    assert!(p.to_text().contains("was retries 0"), "{}", p.to_text());
}

#[tokio::test]
async fn cancel_stops_after_the_step_under_way_and_undoes_what_was_made() {
    // UX.md: long work can be cancelled. The plan for the imported account
    // adds the role policy and the scoped permission; cancelling once the
    // first is made stops before the second and undoes the first.
    let moto = Moto::start();
    seed(&moto).await;
    let account = moto.account().await;
    let imported = import_photos(&account).await;
    let doc = document_from_live(&imported.live, imported.account.as_deref());
    let wiring = Wiring::from_document(&doc).expect("document");
    let (live, _) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read");
    let p = plan(&wiring, &live).expect("plan");
    assert!(p.changes.len() >= 2, "{}", p.to_text());
    let options = ApplyOptions::default();
    let cancel = options.cancel.clone();
    let on_step = move |e: bucketwire_aws::StepEvent| {
        if matches!(e, bucketwire_aws::StepEvent::Done { .. }) {
            cancel.cancel();
        }
    };
    let result = apply(&account, &wiring, &p, &options, &on_step).await;
    let Err(ApplyError::Stopped {
        undone,
        undo_failed,
    }) = &result
    else {
        panic!("{result:?}")
    };
    assert_eq!(undone.len(), 1, "{undone:?}");
    assert!(undo_failed.is_empty(), "{undo_failed:?}");
    assert!(result
        .expect_err("stopped")
        .to_string()
        .starts_with("cancelled after 1 step(s)"));
    // Nothing stays written: the account plans exactly as before.
    let (after, _) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read again");
    assert_eq!(plan(&wiring, &after).expect("plan"), p);

    // Cancelled before the first write: nothing is written at all.
    let options = ApplyOptions::default();
    options.cancel.cancel();
    let result = apply(&account, &wiring, &p, &options, &|_| {}).await;
    assert!(matches!(result, Err(ApplyError::Cancelled)), "{result:?}");
}

//! The account adapter against a real moto server: import, plan, apply,
//! import again; foreign entries survive; buckets outside the document are
//! untouched; a writer between plan and apply is detected.

mod support;

use bucketwire_aws::convert::notification_to_sdk;
use bucketwire_aws::{
    apply, import, read_for_plan, ApplyError, ApplyOptions, Cancel, ImportOptions,
};
use bucketwire_core::import::document_from_live;
use bucketwire_core::live::{NotificationConfiguration, NotificationEntry};
use bucketwire_core::model::document::{AsyncInvoke, Edge, Filter, LiveEventInvokeConfig, NodeId};
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
    import_bucket(account, "photos").await
}

/// Imports one bucket (and what it names).
async fn import_bucket(
    account: &bucketwire_aws::Account,
    name: &str,
) -> bucketwire_aws::ImportResult {
    import(
        account,
        &ImportOptions {
            buckets: vec![name.into()],
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
        .filter(|s| s.sid().is_some_and(|s| s.starts_with("bucketwire-")))
        .collect();
    assert!(!ours.is_empty());
    for st in ours {
        let cond = &st.to_value()["Condition"];
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
    // docs/rules.md §10: retries, event age and on-failure destination are
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

/// docs/rules.md §11: the imported photos bucket and a hand-drawn card of
/// the same bucket are one bucket. Their filters are written in one PUT
/// (neither erases the other), the next plan is empty, and the document's
/// live facts after the apply clear the findings the apply fixed.
#[tokio::test]
async fn a_bucket_drawn_twice_is_written_once_and_findings_follow_the_account() {
    let moto = Moto::start();
    let thumbs = seed(&moto).await;
    let account = moto.account().await;
    let imported = import_photos(&account).await;
    let mut doc = document_from_live(&imported.live, imported.account.as_deref());
    // A hand-drawn card of photos, with a new filter to a second card of
    // the thumbs function.
    doc.buckets.push(bucketwire_core::model::document::Bucket {
        id: NodeId::new("photos-again"),
        name: "photos".into(),
        region: "us-east-1".into(),
        account: None,
        foreign: Vec::new(),
        event_bridge: false,
        owner: None,
    });
    let mut thumbs_again = doc.functions[0].clone();
    thumbs_again.id = NodeId::new("thumbs-again");
    doc.functions.push(thumbs_again);
    doc.filters.push(Filter {
        id: NodeId::new("docs"),
        configuration_id: "docs-pdf".into(),
        events: vec!["s3:ObjectCreated:*".into()],
        prefix: Some("docs/".into()),
        suffix: Some(".pdf".into()),
    });
    doc.edges.push(Edge {
        from: NodeId::new("photos-again"),
        to: NodeId::new("docs"),
    });
    doc.edges.push(Edge {
        from: NodeId::new("docs"),
        to: NodeId::new("thumbs-again"),
    });
    let wiring = Wiring::from_document(&doc).expect("document");
    let before: Vec<&str> = bucketwire_core::checks::validate(&wiring)
        .iter()
        .map(|f| f.rule)
        .collect();
    assert!(before.contains(&"missing-invoke-permission"), "{before:?}");

    let planned = bucketwire_aws::plan_account(&account, &wiring, &[], 8, &Cancel::new())
        .await
        .expect("plan");
    let writes = planned
        .plan
        .changes
        .iter()
        .filter(|c| matches!(c, Change::PutBucketNotification { .. }))
        .count();
    assert_eq!(writes, 1, "{}", planned.plan.to_text());
    assert!(
        planned.plan.blocked.is_empty(),
        "{:?}",
        planned.plan.blocked
    );
    apply(
        &account,
        &wiring,
        &planned.plan,
        &ApplyOptions::default(),
        &|_| {},
    )
    .await
    .expect("apply");

    // Both cards' filters are on the bucket, with the foreign entry.
    let (after, _) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read");
    let photos = after.bucket("photos").expect("photos");
    let mut ids: Vec<&str> = photos
        .notification
        .lambda
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["docs-pdf", "thumbnails"]);
    assert!(photos.notification.lambda.iter().all(|e| e.arn == thumbs));
    assert_eq!(photos.notification.queues.len(), 1);
    assert!(plan(&wiring, &after).expect("plan").is_empty());

    // The findings the apply fixed are gone once the facts follow the
    // account, and they agree with what a fresh read says.
    let facts =
        bucketwire_core::plan::facts_after_apply(wiring.live(), &planned.live, &planned.plan);
    let mut applied = wiring.to_document();
    applied.live = Some(facts.clone());
    let applied = Wiring::from_document(&applied).expect("document");
    let now: Vec<&str> = bucketwire_core::checks::validate(&applied)
        .iter()
        .map(|f| f.rule)
        .collect();
    assert!(!now.contains(&"missing-invoke-permission"), "{now:?}");
    assert!(!now.contains(&"role-cannot-read-objects"), "{now:?}");
    let sids = |statements: &[bucketwire_core::model::policy::compact::PolicyStatement]| {
        let mut s: Vec<String> = statements
            .iter()
            .filter_map(|st| st.sid().map(str::to_string))
            .collect();
        s.sort();
        s
    };
    let fresh = after.function(&thumbs).expect("thumbs");
    let modelled = facts
        .functions
        .iter()
        .find(|f| f.arn == thumbs)
        .expect("thumbs");
    assert_eq!(
        sids(&modelled.policy_statements),
        sids(&fresh.policy_statements)
    );
}

/// An import loses nothing quietly: a filter with two prefix rules (moto
/// accepts one; S3's API can return what older writers made) is reported
/// with what was kept, and every plan leaves that bucket as it is.
#[tokio::test]
async fn what_the_document_cannot_represent_is_reported_and_left_alone() {
    use aws_sdk_s3::types::{
        Event, FilterRule, FilterRuleName, LambdaFunctionConfiguration,
        NotificationConfiguration as Sdk, NotificationConfigurationFilter, S3KeyFilter,
    };
    let moto = Moto::start();
    let account = moto.account().await;
    let role = create_role(&account, "odd-role").await;
    let odd = create_function(&account, "odd", &role).await;
    create_bucket(&account, "odd").await;
    let rule = |name: &str, value: &str| {
        FilterRule::builder()
            .name(FilterRuleName::from(name))
            .value(value)
            .build()
    };
    let config = LambdaFunctionConfiguration::builder()
        .id("two-prefixes")
        .lambda_function_arn(&odd)
        .events(Event::from("s3:ObjectCreated:*"))
        .filter(
            NotificationConfigurationFilter::builder()
                .key(
                    S3KeyFilter::builder()
                        .filter_rules(rule("prefix", "a/"))
                        .filter_rules(rule("prefix", "b/"))
                        .build(),
                )
                .build(),
        )
        .build()
        .expect("config");
    account
        .s3("us-east-1")
        .put_bucket_notification_configuration()
        .bucket("odd")
        .notification_configuration(
            Sdk::builder()
                .lambda_function_configurations(config)
                .build(),
        )
        .send()
        .await
        .expect("seed");
    let imported = import_bucket(&account, "odd").await;
    assert_eq!(
        bucketwire_core::import::unrepresented(&imported.live),
        [(
            "bucket odd".to_string(),
            "configuration \"two-prefixes\" has 2 prefix rules (\"a/\", \"b/\"); a filter holds one, so only the first (\"a/\") was kept".to_string()
        )]
    );
    let doc = document_from_live(&imported.live, imported.account.as_deref());
    assert_eq!(doc.filters[0].prefix.as_deref(), Some("a/"));
    // Edit the bucket: the plan blocks it rather than write one prefix back.
    let mut doc = doc;
    doc.filters[0].suffix = Some(".csv".into());
    let wiring = Wiring::from_document(&doc).expect("document");
    let before = moto.request("GET", "/odd?notification", "").expect("read");
    let planned = bucketwire_aws::plan_account(&account, &wiring, &[], 8, &Cancel::new())
        .await
        .expect("plan");
    assert!(
        !planned
            .plan
            .changes
            .iter()
            .any(|c| matches!(c, Change::PutBucketNotification { .. })),
        "{}",
        planned.plan.to_text()
    );
    assert_eq!(planned.plan.blocked.len(), 1);
    assert!(planned.plan.blocked[0].reasons[0]
        .starts_with("its configuration holds what Bucketwire cannot represent, so writing it would change that: configuration \"two-prefixes\" has 2 prefix rules"));
    apply(
        &account,
        &wiring,
        &planned.plan,
        &ApplyOptions::default(),
        &|_| {},
    )
    .await
    .expect("apply");
    assert_eq!(
        moto.request("GET", "/odd?notification", "").expect("read"),
        before
    );
}

/// docs/rules.md §12: who owns a bucket comes from its tags; the import
/// keeps it on the bucket, and the plan warns before writing there.
#[tokio::test]
async fn the_owner_from_tags_is_shown_and_the_plan_warns() {
    use aws_sdk_s3::types::{Tag, Tagging};
    let moto = Moto::start();
    let thumbs = seed(&moto).await;
    let account = moto.account().await;
    let tagging = |key: &str, value: &str| {
        Tagging::builder()
            .tag_set(Tag::builder().key(key).value(value).build().expect("tag"))
            .build()
            .expect("tagging")
    };
    // S3 keeps the aws: prefix for itself; moto accepts it as CloudFormation
    // writes it.
    let stack = account
        .s3("us-east-1")
        .put_bucket_tagging()
        .bucket("photos")
        .tagging(tagging("aws:cloudformation:stack-name", "photos-prod"))
        .send()
        .await;
    let expected_owner = if stack.is_ok() {
        "CloudFormation stack photos-prod"
    } else {
        account
            .s3("us-east-1")
            .put_bucket_tagging()
            .bucket("photos")
            .tagging(tagging("ManagedBy", "terraform"))
            .send()
            .await
            .expect("tag the bucket");
        "terraform (tag ManagedBy)"
    };
    account
        .lambda("us-east-1")
        .tag_resource()
        .resource(&thumbs)
        .tags("managed-by", "serverless")
        .send()
        .await
        .expect("tag the function");
    let imported = import_photos(&account).await;
    assert_eq!(
        imported.live.buckets[0].owner.as_deref(),
        Some(expected_owner)
    );
    assert_eq!(
        imported.live.functions[0].owner.as_deref(),
        Some("serverless (tag managed-by)")
    );
    let mut doc = document_from_live(&imported.live, imported.account.as_deref());
    assert_eq!(doc.buckets[0].owner.as_deref(), Some(expected_owner));
    // A change to the owned bucket: the plan says who will revert it.
    doc.filters[0].suffix = Some(".png".into());
    let wiring = Wiring::from_document(&doc).expect("document");
    let planned = bucketwire_aws::plan_account(&account, &wiring, &[], 8, &Cancel::new())
        .await
        .expect("plan");
    let text = planned.plan.to_text();
    assert!(
        text.contains(&format!(
            "bucket photos (us-east-1)\n  ! managed by {expected_owner}: its next deploy will revert this; change it there, or export for it\n"
        )),
        "{text}"
    );
}

#[tokio::test]
async fn an_eventbridge_rule_is_planned_applied_and_read_back() {
    // docs/rules.md §14: the permission for the rule, the rule on the
    // default bus, its target, then the bucket's switch.
    let moto = Moto::start();
    let account = moto.account().await;
    let role = create_role(&account, "resize-role").await;
    let resize = create_function(&account, "resize", &role).await;
    create_bucket(&account, "acme-photos").await;
    let wiring = bucketwire_core::load(include_bytes!(
        "../../../examples/eventbridge-images.bucketwire.json"
    ))
    .expect("example");
    assert_eq!(
        wiring.functions().next().map(|f| f.arn.as_str()),
        Some(resize.as_str())
    );

    let (live, errors) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(live.rules.is_empty(), "no rule yet: {:?}", live.rules);
    let p = plan(&wiring, &live).expect("plan");
    let rule_changes = |p: &bucketwire_core::plan::Plan| -> Vec<String> {
        p.changes
            .iter()
            .filter(|c| {
                matches!(
                    c,
                    Change::PutRule { .. }
                        | Change::PutTargets { .. }
                        | Change::RemoveTargets { .. }
                        | Change::AddPermission { .. }
                )
            })
            .map(bucketwire_aws::apply::describe)
            .collect()
    };
    assert_eq!(rule_changes(&p).len(), 3, "{}", p.to_text());
    apply(&account, &wiring, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect("apply");

    // Read back: the rule with its buckets in the pattern, its target, and
    // the function's permission for exactly this rule.
    let (live, errors) = read_for_plan(&account, &wiring, 8, &Cancel::new())
        .await
        .expect("read again");
    assert!(errors.is_empty(), "{errors:?}");
    let [rule] = live.rules.as_slice() else {
        panic!("one rule: {:?}", live.rules)
    };
    assert_eq!(rule.state, "ENABLED");
    assert_eq!(
        rule.pattern
            .as_ref()
            .map(|p| p["detail"]["bucket"]["name"].clone()),
        Some(serde_json::json!(["acme-photos"]))
    );
    assert_eq!(rule.targets.len(), 1);
    assert_eq!(rule.targets[0].id, "bucketwire-resize");
    assert_eq!(rule.targets[0].arn, resize);
    let statement = live.functions[0]
        .policy_statements
        .iter()
        .map(|s| s.to_value())
        .find(|s| s["Sid"] == "bucketwire-rule-acme-photos-images")
        .expect("the rule's permission");
    assert_eq!(statement["Principal"]["Service"], "events.amazonaws.com");
    assert!(statement.to_string().contains(&rule.arn), "{statement}");
    // Nothing left to do for the rule.
    let again = plan(&wiring, &live).expect("plan again");
    assert!(rule_changes(&again).is_empty(), "{}", again.to_text());

    // Disabled in the document: the rule is updated, its target kept.
    let mut doc = wiring.to_document();
    doc.rules[0].enabled = false;
    let disabled = Wiring::from_document(&doc).expect("document");
    let p = plan(&disabled, &live).expect("plan");
    assert_eq!(
        rule_changes(&p),
        ["update EventBridge rule acme-photos-images (us-east-1)"]
    );
    apply(&account, &disabled, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect("apply");
    let rule = bucketwire_aws::rules::read_rule(&account, "acme-photos-images", "us-east-1")
        .await
        .expect("read rule")
        .expect("rule");
    assert_eq!(rule.state, "DISABLED");
    assert_eq!(rule.targets.len(), 1);

    // Imported again: the same rule, buckets and target as the document,
    // and nothing to plan for it.
    let imported = import_bucket(&account, "acme-photos").await;
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    let back = document_from_live(&imported.live, imported.account.as_deref());
    assert_eq!(back.version, 2);
    let [rule] = back.rules.as_slice() else {
        panic!("one rule: {:?}", back.rules)
    };
    assert_eq!(
        (&rule.name, &rule.region, &rule.pattern, rule.enabled),
        (
            &doc.rules[0].name,
            &doc.rules[0].region,
            &doc.rules[0].pattern,
            false
        )
    );
    let back = Wiring::from_document(&back).expect("imported document");
    let drawn = bucketwire_core::desired::event_rules::rules(&back);
    assert_eq!(drawn[0].buckets, ["acme-photos"]);
    assert_eq!(drawn[0].targets.len(), 1);
    assert_eq!(drawn[0].targets[0].arn, resize);
    let p = plan(&back, &imported.live).expect("plan");
    assert!(rule_changes(&p).is_empty(), "{}", p.to_text());
}

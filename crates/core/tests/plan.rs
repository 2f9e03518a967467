//! The planner: desired document + live state → ordered changes
//! (PRODUCT.md "Apply semantics"; docs/rules.md §2, §3, §6, §7).

use bucketwire_core::live::{LiveBucket, LiveState, NotificationConfiguration, NotificationEntry};
use bucketwire_core::model::document::{LiveFunction, LiveRole, NamedPolicy};
use bucketwire_core::plan::{apply_to, plan, BlockedKind, Change, Plan};
use bucketwire_core::{load, AsyncInvoke, RecursiveLoop, Wiring};
use expect_test::expect;
use serde_json::json;

const FN: &str = "arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail";
const ROLE: &str = "arn:aws:iam::123456789012:role/make-thumbnail-role";

fn sample() -> Wiring {
    load(include_bytes!(
        "../../../examples/thumbnails.bucketwire.json"
    ))
    .expect("sample")
}

fn entry(id: &str, arn: &str, events: &[&str], prefix: Option<&str>) -> NotificationEntry {
    NotificationEntry {
        id: id.into(),
        arn: arn.into(),
        events: events.iter().map(|e| e.to_string()).collect(),
        prefix: prefix.map(str::to_string),
        suffix: None,
    }
}

/// An account with the sample's bucket, function and role, none wired yet,
/// plus a queue entry and EventBridge on the bucket and an unrelated bucket.
fn fresh_account() -> LiveState {
    LiveState {
        rules: Vec::new(),
        topics: Vec::new(),
        queues: Vec::new(),
        buckets: vec![
            LiveBucket {
                name: "acme-photos".into(),
                region: "us-east-1".into(),
                notification: NotificationConfiguration {
                    queues: vec![entry(
                        "audit-queue",
                        "arn:aws:sqs:us-east-1:123456789012:audit",
                        &["s3:ObjectRemoved:*"],
                        None,
                    )],
                    event_bridge: true,
                    ..Default::default()
                },
                owner: None,
            },
            LiveBucket {
                name: "someone-elses".into(),
                region: "us-east-1".into(),
                notification: NotificationConfiguration {
                    lambda: vec![entry("theirs", FN, &["s3:ObjectCreated:*"], None)],
                    ..Default::default()
                },
                owner: None,
            },
        ],
        functions: vec![LiveFunction {
            arn: FN.into(),
            aliases: vec![],
            versions: vec![],
            role: None,
            policy_statements: vec![json!({"Sid": "someone-elses-grant", "Effect": "Allow",
                "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Resource": FN,
                "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::someone-elses"}}})
            .into()],
            ..LiveFunction::default()
        }],
        roles: vec![LiveRole {
            arn: ROLE.into(),
            policies: vec![NamedPolicy {
                name: "logs".into(),
                document: json!({"Statement": []}).into(),
            }],
        }],
        ..Default::default()
    }
}

fn kinds(p: &Plan) -> Vec<&'static str> {
    p.changes
        .iter()
        .map(|c| match c {
            Change::PutRolePolicy { .. } => "putRolePolicy",
            Change::DeleteRolePolicy { .. } => "deleteRolePolicy",
            Change::AddPermission { .. } => "addPermission",
            Change::RemovePermission { .. } => "removePermission",
            Change::PutBucketNotification { .. } => "putBucketNotification",
            Change::PutEventInvokeConfig { .. } => "putEventInvokeConfig",
            Change::PutRecursionConfig { .. } => "putRecursionConfig",
            Change::PutRule { .. } => "putRule",
            Change::PutTargets { .. } => "putTargets",
            Change::RemoveTargets { .. } => "removeTargets",
            Change::PutTopic { .. } => "putTopic",
            Change::Subscribe { .. } => "subscribe",
            Change::Unsubscribe { .. } => "unsubscribe",
            Change::PutQueue { .. } => "putQueue",
            Change::PutMapping { .. } => "putMapping",
            Change::DeleteMapping { .. } => "deleteMapping",
        })
        .collect()
}

#[test]
fn first_apply_adds_role_policy_then_permission_then_notification() {
    // docs/rules.md §2: role policy → permission → notification.
    let p = plan(&sample(), &fresh_account()).expect("plan");
    assert_eq!(
        kinds(&p),
        ["putRolePolicy", "addPermission", "putBucketNotification"]
    );
    expect![[r#"
        role make-thumbnail-role
          + inline policy bucketwire-s3-read: s3:GetObject on arn:aws:s3:::acme-photos/uploads/*
        function make-thumbnail
          + permission bucketwire-acme-photos-thumbnails: s3.amazonaws.com may invoke for arn:aws:s3:::acme-photos (account 123456789012)
        bucket acme-photos (us-east-1)
          + lambda "thumbnails" → make-thumbnail  s3:ObjectCreated:*  uploads/….jpg
          = kept as is: 2 (queue "audit-queue", EventBridge)

        Plan: 3 to add, 0 to change, 0 to remove.
    "#]]
    .assert_eq(&p.to_text());
}

#[test]
fn foreign_entries_are_written_back_exactly_as_read() {
    // docs/rules.md §3: the PUT replaces everything.
    let live = fresh_account();
    let p = plan(&sample(), &live).expect("plan");
    let Some(Change::PutBucketNotification { configuration, .. }) = p.changes.get(2) else {
        panic!("{p:?}")
    };
    assert_eq!(configuration.queues, live.buckets[0].notification.queues);
    assert!(configuration.event_bridge);
}

#[test]
fn planning_the_planned_result_again_is_empty() {
    let live = fresh_account();
    let p = plan(&sample(), &live).expect("plan");
    let after = apply_to(&live, &p);
    let again = plan(&sample(), &after).expect("plan again");
    assert!(again.is_empty(), "{}", again.to_text());
    assert_eq!(
        again.to_text(),
        "No changes. The account matches the document.\n"
    );
    // Buckets outside the document are untouched.
    assert_eq!(after.buckets[1], live.buckets[1]);
}

#[test]
fn a_changed_filter_is_a_change_and_a_removed_one_removes_only_our_permission() {
    let live = apply_to(
        &fresh_account(),
        &plan(&sample(), &fresh_account()).expect("plan"),
    );
    // Change the events of the filter.
    let mut doc = sample().to_document();
    doc.filters[0].events = vec!["s3:ObjectCreated:Put".into()];
    let p = plan(&Wiring::from_document(&doc).expect("doc"), &live).expect("plan");
    assert_eq!(kinds(&p), ["putBucketNotification"]);
    assert_eq!(p.counts(), (0, 1, 0));
    assert!(p.to_text().contains("  ~ lambda \"thumbnails\" → make-thumbnail  s3:ObjectCreated:Put  uploads/….jpg\n      was \"thumbnails\""), "{}", p.to_text());
    // Remove the filter: the entry goes, our statement goes last, the
    // other bucket's statement stays, the role policy is deleted.
    let mut doc = sample().to_document();
    doc.filters.clear();
    doc.edges.clear();
    let p = plan(&Wiring::from_document(&doc).expect("doc"), &live).expect("plan");
    assert_eq!(
        kinds(&p),
        [
            "deleteRolePolicy",
            "putBucketNotification",
            "removePermission"
        ]
    );
    let Some(Change::RemovePermission { statement_id, .. }) = p.changes.last() else {
        panic!()
    };
    assert_eq!(statement_id, "bucketwire-acme-photos-thumbnails");
    let after = apply_to(&live, &p);
    assert_eq!(after.functions[0].policy_statements.len(), 1);
    assert_eq!(
        after.functions[0].policy_statements[0].to_value()["Sid"],
        "someone-elses-grant"
    );
    assert!(after.buckets[0].notification.lambda.is_empty());
    assert_eq!(after.buckets[0].notification.queues.len(), 1);
}

#[test]
fn an_existing_grant_is_reused_not_duplicated() {
    let mut live = fresh_account();
    live.functions[0].policy_statements.push(json!({"Sid": "mine", "Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Resource": FN,
        "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::acme-photos"}, "StringEquals": {"AWS:SourceAccount": "123456789012"}}}).into());
    let p = plan(&sample(), &live).expect("plan");
    assert_eq!(kinds(&p), ["putRolePolicy", "putBucketNotification"]);
}

#[test]
fn what_cannot_be_planned_is_blocked_with_its_reason() {
    let check = |live: LiveState, reason: &str| {
        let p = plan(&sample(), &live).expect("plan");
        assert!(
            p.changes
                .iter()
                .all(|c| !matches!(c, Change::PutBucketNotification { .. })),
            "{p:?}"
        );
        assert_eq!(p.blocked.len(), 1, "{p:?}");
        assert_eq!(p.blocked[0].kind, BlockedKind::Bucket);
        assert_eq!(p.blocked[0].name, "acme-photos");
        assert!(
            p.blocked[0].reasons.iter().any(|r| r.contains(reason)),
            "{:?} lacks {reason}",
            p.blocked[0].reasons
        );
    };
    let mut live = fresh_account();
    live.buckets.remove(0);
    check(
        live,
        "it was not found in the account; Bucketwire does not create buckets",
    );
    let mut live = fresh_account();
    live.functions.clear();
    check(live, "function-not-found: function \"arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail\" was not found in the account: configuration \"thumbnails\" on bucket \"acme-photos\" points at it");
    let mut live = fresh_account();
    live.buckets[0].region = "eu-west-1".into();
    check(
        live,
        "it is in eu-west-1 in the account, but the document says us-east-1",
    );
}

#[test]
fn the_json_plan_is_tagged_by_kind() {
    let p = plan(&sample(), &fresh_account()).expect("plan");
    let v = serde_json::to_value(&p).expect("json");
    assert_eq!(v["changes"][1]["kind"], "addPermission");
    assert_eq!(
        v["changes"][1]["statementId"],
        "bucketwire-acme-photos-thumbnails"
    );
    assert_eq!(v["changes"][2]["added"][0]["id"], "thumbnails");
}

/// The fresh account with the role's own policy `logs` granting `resource`.
fn account_whose_role_reads(resource: &str) -> LiveState {
    let mut live = fresh_account();
    live.roles[0].policies[0].document = json!({"Statement": [{"Effect": "Allow",
        "Action": "s3:GetObject", "Resource": resource}]})
    .into();
    live
}

#[test]
fn a_role_that_already_reads_through_its_own_policy_gets_no_managed_policy() {
    // docs/rules.md §7: the role needs s3:GetObject where the trigger fires;
    // a grant the role already has is enough (an imported account plans to
    // nothing), and only what it lacks is added.
    let covered = account_whose_role_reads("arn:aws:s3:::acme-photos/*");
    let p = plan(&sample(), &covered).expect("plan");
    assert_eq!(kinds(&p), ["addPermission", "putBucketNotification"]);

    let elsewhere = account_whose_role_reads("arn:aws:s3:::acme-photos/other/*");
    let p = plan(&sample(), &elsewhere).expect("plan");
    let Some(Change::PutRolePolicy { document, .. }) = p.changes.first() else {
        panic!("{p:?}")
    };
    assert_eq!(
        document["Statement"][0]["Resource"],
        json!(["arn:aws:s3:::acme-photos/uploads/*"])
    );

    // Our policy from an earlier apply stays when the role later got a
    // broader grant: no churn.
    let mut both = fresh_account();
    let after = apply_to(&both, &plan(&sample(), &both).expect("plan"));
    both.roles = after.roles.clone();
    both.roles[0].policies.push(NamedPolicy {
        name: "broad".into(),
        document: json!({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
            .into(),
    });
    let p = plan(&sample(), &both).expect("plan");
    assert!(
        !kinds(&p).contains(&"putRolePolicy") && !kinds(&p).contains(&"deleteRolePolicy"),
        "{:?}",
        kinds(&p)
    );
}

/// The sample with the function's async settings and recursion guard set.
fn sample_with_settings() -> Wiring {
    let mut doc = sample().to_document();
    doc.functions[0].async_invoke = Some(AsyncInvoke {
        maximum_retry_attempts: Some(0),
        maximum_event_age_seconds: Some(3600),
        on_failure: Some("arn:aws:sqs:us-east-1:123456789012:thumbs-failed".into()),
    });
    doc.functions[0].recursive_loop = Some(RecursiveLoop::Terminate);
    Wiring::from_document(&doc).expect("valid")
}

#[test]
fn async_settings_and_the_recursion_guard_are_planned_before_events_flow() {
    // docs/rules.md §10 (PutFunctionEventInvokeConfig) and §8
    // (PutFunctionRecursionConfig): the function is configured before the
    // notification starts sending it events.
    let mut live = fresh_account();
    live.functions[0].recursive_loop = Some(RecursiveLoop::Allow);
    let p = plan(&sample_with_settings(), &live).expect("plan");
    assert_eq!(
        kinds(&p),
        [
            "putRolePolicy",
            "addPermission",
            "putEventInvokeConfig",
            "putRecursionConfig",
            "putBucketNotification"
        ]
    );
    // One heading per function for its consecutive changes.
    expect![[r#"
        role make-thumbnail-role
          + inline policy bucketwire-s3-read: s3:GetObject on arn:aws:s3:::acme-photos/uploads/*
        function make-thumbnail
          + permission bucketwire-acme-photos-thumbnails: s3.amazonaws.com may invoke for arn:aws:s3:::acme-photos (account 123456789012)
          + async invoke: retries 0, max event age 3600 s, on failure arn:aws:sqs:us-east-1:123456789012:thumbs-failed
          ~ recursion guard: Terminate (was Allow)
        bucket acme-photos (us-east-1)
          + lambda "thumbnails" → make-thumbnail  s3:ObjectCreated:*  uploads/….jpg
          = kept as is: 2 (queue "audit-queue", EventBridge)

        Plan: 4 to add, 1 to change, 0 to remove.
    "#]]
    .assert_eq(&p.to_text());
    // Applied, nothing is left; the JSON plan names the new kinds.
    let after = apply_to(&live, &p);
    assert!(plan(&sample_with_settings(), &after)
        .expect("plan")
        .is_empty());
    let json = serde_json::to_value(&p).expect("json");
    assert_eq!(json["changes"][2]["kind"], "putEventInvokeConfig");
    assert_eq!(
        json["changes"][2]["settings"]["maximumEventAgeSeconds"],
        3600
    );
}

#[test]
fn changed_async_settings_show_what_they_replace_and_unmanaged_ones_are_left_alone() {
    let mut live = apply_to(
        &fresh_account(),
        &plan(&sample_with_settings(), &fresh_account()).expect("plan"),
    );
    live.functions[0].event_invoke_configs[0]
        .settings
        .maximum_retry_attempts = Some(2);
    let p = plan(&sample_with_settings(), &live).expect("plan");
    assert_eq!(kinds(&p), ["putEventInvokeConfig"]);
    let Change::PutEventInvokeConfig { previous, .. } = &p.changes[0] else {
        panic!()
    };
    assert_eq!(
        previous.as_ref().and_then(|s| s.maximum_retry_attempts),
        Some(2)
    );
    assert!(
        p.to_text()
            .contains("      was retries 2, max event age 3600 s"),
        "{}",
        p.to_text()
    );
    // A document that does not manage them leaves whatever the account has.
    assert!(plan(&sample(), &live)
        .expect("plan")
        .changes
        .iter()
        .all(|c| !matches!(
            c,
            Change::PutEventInvokeConfig { .. } | Change::PutRecursionConfig { .. }
        )));
}

#[test]
fn a_bucket_drawn_into_a_rule_gets_its_eventbridge_switch_on_and_nothing_else_is_lost() {
    // docs/rules.md §3, §14: the switch is part of the one notification PUT;
    // turning it on keeps every other entry, and it is never turned off.
    let mut live = fresh_account();
    live.buckets[0].notification.event_bridge = false;
    let doc = load(include_bytes!(
        "../../../examples/eventbridge-images.bucketwire.json"
    ))
    .expect("example");
    let p = plan(&doc, &live).expect("plan");
    let switched: Vec<&Change> = p
        .changes
        .iter()
        .filter(|c| matches!(c, Change::PutBucketNotification { .. }))
        .collect();
    let [Change::PutBucketNotification { configuration, .. }] = switched.as_slice() else {
        panic!("{}", p.to_text())
    };
    assert!(configuration.event_bridge);
    assert_eq!(configuration.queues, live.buckets[0].notification.queues);
    let text = p.to_text();
    assert!(text.contains("+ EventBridge: on"), "{text}");
    assert!(
        !text.contains("0 to add, 0 to change, 0 to remove"),
        "{text}"
    );
    let after = apply_to(&live, &p);
    assert!(after.buckets[0].notification.event_bridge);
    // On already, or on live while the document has it off: no change.
    let again = plan(&doc, &after).expect("plan again");
    assert!(
        !again
            .changes
            .iter()
            .any(|c| matches!(c, Change::PutBucketNotification { .. })),
        "{}",
        again.to_text()
    );
    let p = plan(&sample(), &fresh_account()).expect("plan");
    let Some(Change::PutBucketNotification { configuration, .. }) = p.changes.last() else {
        panic!("{p:?}")
    };
    assert!(configuration.event_bridge, "a switch that is on stays on");
}

const RESIZE: &str = "arn:aws:lambda:us-east-1:123456789012:function:resize";
const RULE_ARN: &str = "arn:aws:events:us-east-1:123456789012:rule/acme-photos-images";

fn eventbridge_images() -> Wiring {
    load(include_bytes!(
        "../../../examples/eventbridge-images.bucketwire.json"
    ))
    .expect("example")
}

/// The example's bucket (EventBridge off) and function (no statements),
/// and no rule yet.
fn account_without_the_rule() -> LiveState {
    LiveState {
        buckets: vec![LiveBucket {
            name: "acme-photos".into(),
            region: "us-east-1".into(),
            notification: NotificationConfiguration::default(),
            owner: None,
        }],
        functions: vec![LiveFunction {
            arn: RESIZE.into(),
            role: Some("arn:aws:iam::123456789012:role/resize-role".into()),
            ..LiveFunction::default()
        }],
        roles: vec![LiveRole {
            arn: "arn:aws:iam::123456789012:role/resize-role".into(),
            policies: vec![],
        }],
        rules: Vec::new(),
        topics: Vec::new(),
        queues: Vec::new(),
        ..Default::default()
    }
}

#[test]
fn a_rule_is_planned_as_permission_then_rule_then_targets_then_the_switch() {
    // docs/rules.md §14: EventBridge may invoke the target before the rule
    // can deliver to it; the bucket's switch sends its events.
    let w = eventbridge_images();
    let live = account_without_the_rule();
    let p = plan(&w, &live).expect("plan");
    assert_eq!(
        kinds(&p),
        [
            "putRolePolicy",
            "addPermission",
            "putRule",
            "putTargets",
            "putBucketNotification"
        ]
    );
    let Change::AddPermission { statement, .. } = &p.changes[1] else {
        unreachable!()
    };
    let statement = statement.to_value();
    assert_eq!(statement["Principal"]["Service"], "events.amazonaws.com");
    assert_eq!(statement["Condition"]["ArnLike"]["AWS:SourceArn"], RULE_ARN);
    let Change::PutRule {
        pattern,
        state,
        arn,
        previous,
        ..
    } = &p.changes[2]
    else {
        unreachable!()
    };
    assert_eq!(arn, RULE_ARN);
    assert_eq!(state, "ENABLED");
    assert!(previous.is_none());
    assert_eq!(pattern["detail"]["bucket"]["name"], json!(["acme-photos"]));
    let Change::PutTargets { targets, .. } = &p.changes[3] else {
        unreachable!()
    };
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].id, "bucketwire-resize");
    assert_eq!(targets[0].arn, RESIZE);
    let text = p.to_text();
    assert!(
        text.contains("EventBridge rule acme-photos-images (us-east-1)"),
        "{text}"
    );
    assert!(
        text.contains("+ target bucketwire-resize → resize"),
        "{text}"
    );
    // Applied, the account plans empty.
    let after = apply_to(&live, &p);
    let again = plan(&w, &after).expect("plan");
    assert!(again.is_empty(), "{}", again.to_text());
}

#[test]
fn a_changed_rule_is_updated_and_only_bucketwire_targets_are_removed() {
    let w = eventbridge_images();
    let first = plan(&w, &account_without_the_rule()).expect("plan");
    let mut live = apply_to(&account_without_the_rule(), &first);
    let rule = &mut live.rules[0];
    rule.state = "DISABLED".into();
    rule.targets.push(bucketwire_core::live::LiveTarget {
        id: "bucketwire-old".into(),
        arn: "arn:aws:lambda:us-east-1:123456789012:function:old".into(),
    });
    rule.targets.push(bucketwire_core::live::LiveTarget {
        id: "audit".into(),
        arn: "arn:aws:sqs:us-east-1:123456789012:audit".into(),
    });
    let p = plan(&w, &live).expect("plan");
    assert_eq!(kinds(&p), ["putRule", "removeTargets"]);
    let Change::PutRule { previous, .. } = &p.changes[0] else {
        unreachable!()
    };
    assert_eq!(
        previous.as_ref().map(|r| r.state.as_str()),
        Some("DISABLED")
    );
    let Change::RemoveTargets { targets, .. } = &p.changes[1] else {
        unreachable!()
    };
    assert_eq!(targets.len(), 1, "the audit target is someone else's");
    assert_eq!(targets[0].id, "bucketwire-old");
    assert!(plan(&w, &apply_to(&live, &p)).expect("plan").is_empty());
}

#[test]
fn a_rule_whose_target_is_missing_is_blocked_and_left_alone() {
    let w = eventbridge_images();
    let mut live = account_without_the_rule();
    live.functions.clear();
    let p = plan(&w, &live).expect("plan");
    assert!(
        !kinds(&p)
            .iter()
            .any(|k| ["putRule", "putTargets"].contains(k)),
        "{:?}",
        kinds(&p)
    );
    let blocked: Vec<_> = p
        .blocked
        .iter()
        .filter(|b| b.kind == BlockedKind::Rule)
        .collect();
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0].name, "acme-photos-images");
    assert!(
        blocked[0].reasons[0].contains("was not found"),
        "{:?}",
        blocked[0]
    );
    assert!(p
        .to_text()
        .contains("EventBridge rule acme-photos-images (us-east-1)"));
}

#[test]
fn a_target_set_by_hand_on_the_same_function_is_kept_not_doubled() {
    let w = eventbridge_images();
    let first = plan(&w, &account_without_the_rule()).expect("plan");
    let mut live = apply_to(&account_without_the_rule(), &first);
    live.rules[0].targets[0].id = "by-hand".into();
    let p = plan(&w, &live).expect("plan");
    assert!(p.is_empty(), "{}", p.to_text());
}

#[test]
fn a_rule_that_could_not_be_read_is_blocked_and_its_bucket_still_planned() {
    use bucketwire_core::plan::{plan_scoped, Scope, Unread};
    let w = eventbridge_images();
    let unread = [Unread::Rule(
        "acme-photos-images".into(),
        "DescribeRule failed: AccessDenied: denied".into(),
    )];
    let p = plan_scoped(
        &w,
        &account_without_the_rule(),
        Scope {
            only: &[],
            unread: &unread,
        },
    )
    .expect("plan");
    let kinds = kinds(&p);
    assert!(
        !kinds.iter().any(|k| ["putRule", "putTargets"].contains(k)),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"putBucketNotification"), "{kinds:?}");
    let [blocked] = p.blocked.as_slice() else {
        panic!("{:?}", p.blocked)
    };
    assert_eq!(blocked.kind, BlockedKind::Rule);
    assert_eq!(
        blocked.reasons,
        ["it could not be read: DescribeRule failed: AccessDenied: denied"]
    );
}

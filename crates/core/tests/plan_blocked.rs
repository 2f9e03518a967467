//! Plans per bucket (docs/rules.md §13): a bucket that cannot be planned is
//! blocked with its reasons and left exactly as it is; every other bucket
//! is planned. `--bucket` (Scope::only) limits a plan to chosen buckets.

use bucketwire_core::live::{LiveBucket, LiveState, NotificationConfiguration, NotificationEntry};
use bucketwire_core::model::document::{LiveFunction, LiveRole, NamedPolicy};
use bucketwire_core::plan::{apply_to, plan, plan_scoped, BlockedKind, Change, Scope, Unread};
use bucketwire_core::{load, Wiring};
use expect_test::expect;
use serde_json::json;

const THUMBS: &str = "arn:aws:lambda:us-east-1:123456789012:function:thumbs";
const GONE: &str = "arn:aws:lambda:us-east-1:123456789012:function:gone";
const ROLE: &str = "arn:aws:iam::123456789012:role/shared";

/// Three buckets: `photos` → thumbs, `archive` → a function that is gone,
/// `logs` with two overlapping filters; thumbs and gone share a role.
fn document() -> Wiring {
    let doc = json!({
        "version": 1,
        "buckets": [
            {"id": "photos", "name": "acme-photos", "region": "us-east-1", "account": "123456789012"},
            {"id": "archive", "name": "acme-archive", "region": "us-east-1", "account": "123456789012"},
            {"id": "logs", "name": "acme-logs", "region": "us-east-1", "account": "123456789012"}
        ],
        "filters": [
            {"id": "f1", "configurationId": "thumbnails", "events": ["s3:ObjectCreated:*"], "prefix": "uploads/"},
            {"id": "f2", "configurationId": "archive", "events": ["s3:ObjectCreated:*"]},
            {"id": "f3", "configurationId": "all-logs", "events": ["s3:ObjectCreated:*"]},
            {"id": "f4", "configurationId": "gz-logs", "events": ["s3:ObjectCreated:Put"], "suffix": ".gz"}
        ],
        "functions": [
            {"id": "thumbs", "arn": THUMBS, "role": ROLE},
            {"id": "gone", "arn": GONE, "role": ROLE}
        ],
        "edges": [
            {"from": "photos", "to": "f1"}, {"from": "f1", "to": "thumbs"},
            {"from": "archive", "to": "f2"}, {"from": "f2", "to": "gone"},
            {"from": "logs", "to": "f3"}, {"from": "f3", "to": "thumbs"},
            {"from": "logs", "to": "f4"}, {"from": "f4", "to": "thumbs"}
        ]
    });
    load(doc.to_string().as_bytes()).expect("document")
}

fn bucket(name: &str, lambda: Vec<NotificationEntry>) -> LiveBucket {
    LiveBucket {
        name: name.into(),
        region: "us-east-1".into(),
        notification: NotificationConfiguration {
            lambda,
            ..Default::default()
        },
        owner: None,
    }
}

/// The archive bucket still holds its old entry (to the deleted function),
/// and the shared role's managed policy already grants the archive.
fn account() -> LiveState {
    LiveState {
        buckets: vec![
            bucket("acme-photos", vec![]),
            bucket(
                "acme-archive",
                vec![NotificationEntry {
                    id: "archive".into(),
                    arn: GONE.into(),
                    events: vec!["s3:ObjectCreated:*".into()],
                    prefix: None,
                    suffix: None,
                }],
            ),
            bucket("acme-logs", vec![]),
        ],
        functions: vec![LiveFunction {
            arn: THUMBS.into(),
            ..LiveFunction::default()
        }],
        roles: vec![LiveRole {
            arn: ROLE.into(),
            policies: vec![NamedPolicy {
                name: "bucketwire-s3-read".into(),
                document: json!({"Version": "2012-10-17", "Statement": [{
                    "Sid": "BucketwireReadTriggeringObjects", "Effect": "Allow",
                    "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::acme-archive/*"]}]})
                .into(),
            }],
        }],
        ..Default::default()
    }
}

#[test]
fn a_broken_bucket_is_named_and_the_others_are_planned() {
    let live = account();
    let p = plan(&document(), &live).expect("plan");
    expect![[r#"
        role shared
          ~ inline policy bucketwire-s3-read: s3:GetObject on arn:aws:s3:::acme-archive/*, arn:aws:s3:::acme-photos/uploads/*
        function thumbs
          + permission bucketwire-acme-photos-thumbnails: s3.amazonaws.com may invoke for arn:aws:s3:::acme-photos (account 123456789012)
        bucket acme-photos (us-east-1)
          + lambda "thumbnails" → thumbs  s3:ObjectCreated:*  uploads/…

        Plan: 2 to add, 1 to change, 0 to remove.

        Blocked: 2 buckets left as they are until fixed:
        bucket acme-archive (us-east-1)
          ! function-not-found: function "arn:aws:lambda:us-east-1:123456789012:function:gone" was not found in the account: configuration "archive" on bucket "acme-archive" points at it; S3 cannot validate a destination that does not exist, so bucket "acme-archive" cannot be written until it is fixed. Create it, point the filters at a function that exists, or remove them
        bucket acme-logs (us-east-1)
          ! overlapping-configurations: on bucket "acme-logs", "all-logs" (Created:*, every key) and "gz-logs" (Created:Put, ….gz) both match example.gz for s3:ObjectCreated:Put; S3 refuses the whole configuration as ambiguous (one event may trigger only one configuration)
    "#]]
    .assert_eq(&p.to_text());
    // The blocked buckets are exactly as before once the plan is applied,
    // and what the role granted the archive stays granted.
    let after = apply_to(&live, &p);
    assert_eq!(after.buckets[1], live.buckets[1]);
    assert_eq!(after.buckets[2], live.buckets[2]);
    let again = plan(&document(), &after).expect("plan");
    assert!(again.is_empty(), "{}", again.to_text());
    assert_eq!(again.blocked, p.blocked);
}

#[test]
fn only_the_chosen_buckets_are_planned() {
    let live = account();
    let only = ["acme-photos".to_string()];
    let p = plan_scoped(
        &document(),
        &live,
        Scope {
            only: &only,
            unread: &[],
        },
    )
    .expect("plan");
    assert!(p.blocked.is_empty(), "{:?}", p.blocked);
    assert_eq!(p.only, only);
    let buckets: Vec<&str> = p
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::PutBucketNotification { bucket, .. } => Some(bucket.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(buckets, ["acme-photos"]);
    assert!(p
        .to_text()
        .starts_with("Planning only bucket(s) acme-photos.\n"));
    // Choosing a blocked bucket shows it blocked.
    let only = ["acme-logs".to_string()];
    let p = plan_scoped(
        &document(),
        &live,
        Scope {
            only: &only,
            unread: &[],
        },
    )
    .expect("plan");
    assert!(p.changes.is_empty());
    assert_eq!(p.blocked.len(), 1);
    assert_eq!(p.blocked[0].name, "acme-logs");
}

#[test]
fn a_bucket_the_document_does_not_have_cannot_be_chosen() {
    let only = ["acme-nope".to_string()];
    let err = plan_scoped(
        &document(),
        &account(),
        Scope {
            only: &only,
            unread: &[],
        },
    )
    .expect_err("unknown bucket");
    assert_eq!(
        err.to_string(),
        "the document has no bucket named \"acme-nope\" (buckets: acme-photos, acme-archive, acme-logs)"
    );
}

#[test]
fn a_failed_read_blocks_what_depends_on_it() {
    let mut live = account();
    live.buckets.remove(0);
    let unread = [
        Unread::Bucket(
            "acme-photos".into(),
            "GetBucketNotificationConfiguration failed: AccessDenied: no".into(),
        ),
        Unread::Function(
            GONE.into(),
            "GetFunction failed: Throttling: slow down".into(),
        ),
    ];
    let p = plan_scoped(
        &document(),
        &live,
        Scope {
            only: &[],
            unread: &unread,
        },
    )
    .expect("plan");
    let reasons = |name: &str| {
        p.blocked
            .iter()
            .find(|b| b.kind == BlockedKind::Bucket && b.name == name)
            .map(|b| b.reasons.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        reasons("acme-photos"),
        ["it could not be read: GetBucketNotificationConfiguration failed: AccessDenied: no"]
    );
    // The function's read error, not a claim that it is missing.
    assert_eq!(
        reasons("acme-archive"),
        ["function \"arn:aws:lambda:us-east-1:123456789012:function:gone\" could not be read: GetFunction failed: Throttling: slow down"]
    );
    // A role that could not be read blocks the buckets whose functions use it.
    let unread = [Unread::Role(
        ROLE.into(),
        "GetRole failed: AccessDenied: no".into(),
    )];
    let p = plan_scoped(
        &document(),
        &account(),
        Scope {
            only: &[],
            unread: &unread,
        },
    )
    .expect("plan");
    assert!(p.blocked.iter().any(|b| b.name == "acme-photos"
        && b.reasons[0]
            .starts_with("role \"arn:aws:iam::123456789012:role/shared\" could not be read")));
}

#[test]
fn a_function_whose_settings_cannot_be_written_is_blocked_alone() {
    let mut doc = document().to_document();
    doc.functions[1].async_invoke = Some(bucketwire_core::AsyncInvoke {
        maximum_retry_attempts: Some(1),
        ..Default::default()
    });
    doc.functions[0].async_invoke = Some(bucketwire_core::AsyncInvoke {
        maximum_retry_attempts: Some(9),
        ..Default::default()
    });
    let wiring = Wiring::from_document(&doc).expect("doc");
    let p = plan(&wiring, &account()).expect("plan");
    let functions: Vec<(&str, &str)> = p
        .blocked
        .iter()
        .filter(|b| b.kind == BlockedKind::Function)
        .map(|b| {
            (
                b.name.as_str(),
                b.reasons[0].split(':').next().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        functions,
        [
            (THUMBS, "invalid-async-settings"),
            (GONE, "function-not-found")
        ]
    );
    // thumbs' invalid settings do not block the bucket it serves.
    assert!(!p.blocked.iter().any(|b| b.name == "acme-photos"));
    assert!(!p
        .changes
        .iter()
        .any(|c| matches!(c, Change::PutEventInvokeConfig { .. })));
}

#[test]
fn a_findings_account_side_fix_is_the_plans_own_step() {
    // One source: what a finding says Apply will do is a change of the plan.
    let live = account();
    let mut doc = document().to_document();
    doc.buckets.truncate(1);
    doc.filters.truncate(1);
    doc.functions.truncate(1);
    doc.edges.retain(|e| {
        ["photos", "f1"].contains(&e.from.as_str()) && ["f1", "thumbs"].contains(&e.to.as_str())
    });
    doc.live = Some(bucketwire_core::model::document::LiveFacts {
        functions: live.functions.clone(),
        roles: live.roles.clone(),
        ..Default::default()
    });
    let wiring = Wiring::from_document(&doc).expect("doc");
    let p = plan(&wiring, &live).expect("plan");
    let findings = bucketwire_core::checks::validate(&wiring);
    let mut fixes = 0;
    for f in &findings {
        if let Some(bucketwire_core::Fix::Apply { changes }) = &f.fix {
            for c in changes {
                assert!(
                    p.changes.contains(c),
                    "{}: {c:?} is not in\n{}",
                    f.rule,
                    p.to_text()
                );
                fixes += 1;
            }
        }
    }
    let rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
    assert_eq!(
        rules,
        ["missing-invoke-permission", "role-cannot-read-objects"]
    );
    assert_eq!(fixes, 2);
    // After the apply, what it fixed is no longer reported.
    let facts = bucketwire_core::plan::facts_after_apply(wiring.live(), &live, &p);
    let mut doc = wiring.to_document();
    doc.live = Some(facts);
    let after = Wiring::from_document(&doc).expect("doc");
    assert_eq!(bucketwire_core::checks::validate(&after), []);
}

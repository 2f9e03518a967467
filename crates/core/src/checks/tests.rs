//! One test per rule (named after the rule, citing docs/rules.md), built on
//! one `check` helper: a document in, the rules that fire out.

use crate::checks::finding::{Finding, Fix, Severity};
use crate::model::document::NodeId;
use crate::model::graph::Wiring;
use crate::model::read::read_document;
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";
const THUMBS: &str = "arn:aws:lambda:us-east-1:123456789012:function:thumbs";
const ROLE: &str = "arn:aws:iam::123456789012:role/thumbs-role";

/// A document with bucket `photos` (us-east-1) wired to `thumbs` through
/// each filter in `filters` (id, events, prefix, suffix), plus `extra`
/// merged on top.
fn wiring(filters: &[(&str, &[&str], &str, &str)], extra: Value) -> Wiring {
    let mut doc = json!({
        "version": 1,
        "buckets": [{"id": "bkt", "name": "photos", "region": "us-east-1", "account": ACCOUNT}],
        "filters": [],
        "functions": [{"id": "fn", "arn": THUMBS, "role": ROLE}],
        "edges": [],
    });
    for (id, events, prefix, suffix) in filters {
        let mut f = json!({"id": id, "configurationId": id, "events": events});
        if !prefix.is_empty() {
            f["prefix"] = json!(prefix);
        }
        if !suffix.is_empty() {
            f["suffix"] = json!(suffix);
        }
        doc["filters"].as_array_mut().expect("array").push(f);
        doc["edges"]
            .as_array_mut()
            .expect("array")
            .push(json!({"from": "bkt", "to": id}));
        doc["edges"]
            .as_array_mut()
            .expect("array")
            .push(json!({"from": id, "to": "fn"}));
    }
    merge(&mut doc, extra);
    let bytes = serde_json::to_vec(&doc).expect("json");
    Wiring::from_document(&read_document(&bytes).expect("valid document")).expect("valid wiring")
}

fn merge(base: &mut Value, extra: Value) {
    match (base, extra) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in e {
                merge(b.entry(k).or_insert(Value::Null), v);
            }
        }
        (slot, v) => *slot = v,
    }
}

fn findings(w: &Wiring) -> Vec<Finding> {
    crate::checks::validate(w)
}

/// Asserts exactly these rules fire (in order), and returns the findings.
fn check(w: &Wiring, expected: &[&str]) -> Vec<Finding> {
    let found = findings(w);
    let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
    assert_eq!(rules, expected, "{found:#?}");
    found
}

fn live(functions: Value, roles: Value) -> Value {
    json!({"live": {"functions": functions, "roles": roles}})
}

fn scoped_permission(resource: &str) -> Value {
    crate::model::permission::invoke_statement(
        resource,
        "photos",
        Some(ACCOUNT),
        "bucketwire-photos-t",
    )
}

fn read_role() -> Value {
    json!([{"arn": ROLE, "policies": [{"name": "read", "document": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/*"}]}}]}])
}

#[test]
fn a_correct_wiring_has_no_findings() {
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "uploads/", ".jpg")],
        live(
            json!([{"arn": THUMBS, "policyStatements": [scoped_permission(THUMBS)]}]),
            read_role(),
        ),
    );
    check(&w, &[]);
    assert!(
        findings(&Wiring::from_document(&crate::samples::thumbnails()).expect("sample")).is_empty()
    );
}

#[test]
fn overlapping_configurations_names_both_and_the_key_that_proves_it() {
    // docs/rules.md §1, the UX example.
    let w = wiring(
        &[
            ("thumbs", &["s3:ObjectCreated:*"], "uploads/", ""),
            ("audit", &["s3:ObjectCreated:Put"], "uploads/img/", ""),
        ],
        json!({}),
    );
    let f = check(&w, &["overlapping-configurations"]);
    assert_eq!(f[0].severity, Severity::Error);
    assert_eq!(
        f[0].message,
        "on bucket \"photos\", \"thumbs\" (Created:*, uploads/…) and \"audit\" (Created:Put, uploads/img/…) both match uploads/img/example for s3:ObjectCreated:Put; S3 refuses the whole configuration as ambiguous (one event may trigger only one configuration)"
    );
    assert_eq!(f[0].subjects, ["photos", "thumbs", "audit"]);
}

#[test]
fn overlapping_configurations_prefix_only_against_suffix_only() {
    // docs/rules.md §1: `images/` (no suffix) and `.jpg` (no prefix) conflict.
    let w = wiring(
        &[
            ("a", &["s3:ObjectCreated:*"], "images/", ""),
            ("b", &["s3:ObjectCreated:*"], "", ".jpg"),
        ],
        json!({}),
    );
    let f = check(&w, &["overlapping-configurations"]);
    assert!(
        f[0].message.contains("images/example.jpg"),
        "{}",
        f[0].message
    );
}

#[test]
fn overlapping_configurations_not_for_distinct_suffixes_or_families() {
    // docs/rules.md §1: images/+.jpg and images/+.png do not conflict;
    // ObjectCreated:Put and ObjectRemoved:* never do.
    let w = wiring(
        &[
            ("jpg", &["s3:ObjectCreated:*"], "images/", ".jpg"),
            ("png", &["s3:ObjectCreated:*"], "images/", ".png"),
            ("gone", &["s3:ObjectRemoved:*"], "images/", ".jpg"),
        ],
        json!({}),
    );
    check(&w, &[]);
}

#[test]
fn overlapping_configurations_counts_foreign_queues_and_offers_a_fix() {
    // docs/rules.md §1: the pool is every configuration, whatever its destination.
    let w = wiring(
        &[(
            "t",
            &["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
            "uploads/",
            "",
        )],
        json!({"buckets": [{"id": "bkt", "name": "photos", "region": "us-east-1", "account": ACCOUNT,
            "foreign": [{"kind": "sqs", "configurationId": "to-queue", "arn": "arn:aws:sqs:us-east-1:123456789012:q",
                "events": ["s3:ObjectCreated:Put"]}]}]}),
    );
    let f = check(&w, &["overlapping-configurations"]);
    assert!(
        f[0].message
            .contains("\"to-queue\" (Created:Put, every key) → q"),
        "{}",
        f[0].message
    );
    assert_eq!(
        f[0].fix,
        Some(Fix::SetEvents {
            filter: crate::NodeId::new("t"),
            events: vec!["s3:ObjectRemoved:*".into()]
        })
    );
}

#[test]
fn duplicate_configuration_id_on_one_bucket() {
    // docs/rules.md §3: the Id names an entry of the bucket's configuration.
    let w = wiring(
        &[
            ("a", &["s3:ObjectCreated:*"], "in/", ""),
            ("b", &["s3:ObjectRemoved:*"], "in/", ""),
        ],
        json!({"filters": [
            {"id": "a", "configurationId": "same", "events": ["s3:ObjectCreated:*"], "prefix": "in/"},
            {"id": "b", "configurationId": "same", "events": ["s3:ObjectRemoved:*"], "prefix": "in/"}
        ]}),
    );
    let f = check(&w, &["duplicate-configuration-id"]);
    assert!(
        f[0].message
            .contains("two configurations with the Id \"same\""),
        "{}",
        f[0].message
    );
}

#[test]
fn invalid_event_type_explains_and_corrects() {
    // docs/rules.md §5.
    let w = wiring(
        &[(
            "t",
            &["ObjectCreated:*", "s3:objectcreated:put", "s3:TestEvent"],
            "",
            "",
        )],
        json!({}),
    );
    let f = check(
        &w,
        &[
            "invalid-event-type",
            "invalid-event-type",
            "invalid-event-type",
        ],
    );
    let msgs: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("did you mean s3:ObjectCreated:*?")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("s3:TestEvent is sent by S3 itself")),
        "{msgs:?}"
    );
    assert!(f.iter().any(|f| matches!(&f.fix, Some(Fix::SetEvents { events, .. }) if events.contains(&"s3:ObjectCreated:*".to_string()))));
    let w = wiring(&[("t", &[], "", "")], json!({}));
    check(&w, &["invalid-event-type"]);
}

#[test]
fn invalid_filter_wildcards_and_length() {
    // docs/rules.md §5: no `*` wildcards, values up to 1,024 characters.
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "uploads/*.jpg", "")],
        json!({}),
    );
    let f = check(&w, &["invalid-filter"]);
    assert_eq!(
        f[0].fix,
        Some(Fix::SetKeyFilter {
            filter: crate::NodeId::new("t"),
            prefix: Some("uploads/".into()),
            suffix: Some(".jpg".into())
        })
    );
    let long = "a".repeat(1025);
    let w = wiring(&[("t", &["s3:ObjectCreated:*"], &long, "")], json!({}));
    let f = check(&w, &["invalid-filter"]);
    assert!(f[0].message.contains("1025 characters"));
}

#[test]
fn incomplete_configuration_for_a_dangling_filter() {
    let w = wiring(
        &[],
        json!({"filters": [{"id": "lonely", "configurationId": "lonely", "events": ["s3:ObjectCreated:*"]}]}),
    );
    let f = check(&w, &["incomplete-configuration"]);
    assert!(f[0]
        .message
        .contains("connected to neither a bucket nor a destination"));
}

#[test]
fn invalid_function_arn() {
    // docs/rules.md §4 (S3 rejects a malformed ARN, as moto does).
    let w = wiring(
        &[],
        json!({"functions": [{"id": "fn", "arn": "arn:aws:lambda:us-east-1:1234:function:x"}]}),
    );
    assert!(check(&w, &["invalid-function-arn"])[0]
        .message
        .contains("not 12 digits"));
    let w = wiring(
        &[],
        json!({"functions": [{"id": "fn", "arn": format!("{THUMBS}:prod")}]}),
    );
    assert!(check(&w, &["invalid-function-arn"])[0]
        .message
        .contains("qualifier field"));
}

#[test]
fn region_mismatch() {
    // docs/rules.md §4: the function must be in the bucket's region.
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "", "")],
        json!({"functions": [{"id": "fn", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:thumbs"}]}),
    );
    let f = check(&w, &["region-mismatch"]);
    assert!(f[0]
        .message
        .contains("is in us-east-1 but function \"thumbs\" (filter \"t\") is in eu-west-1"));
}

#[test]
fn function_not_found_and_missing_alias() {
    // docs/rules.md §2: a destination that does not exist cannot be validated.
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "", "")],
        live(json!([]), json!([])),
    );
    check(&w, &["function-not-found"]);
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "", "")],
        merge_all([
            live(
                json!([{"arn": THUMBS, "aliases": ["live"], "policyStatements": []}]),
                json!([]),
            ),
            json!({"functions": [{"id": "fn", "arn": THUMBS, "qualifier": "prod"}]}),
        ]),
    );
    let f = check(&w, &["function-not-found", "missing-invoke-permission"]);
    assert!(f[0]
        .message
        .contains("no alias or version \"prod\" (aliases: live; versions: none)"));
}

fn merge_all<const N: usize>(parts: [Value; N]) -> Value {
    let mut out = json!({});
    for p in parts {
        merge(&mut out, p);
    }
    out
}

#[test]
fn missing_invoke_permission_offers_the_scoped_statement() {
    // docs/rules.md §2 and §6.
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "", "")],
        live(json!([{"arn": THUMBS}]), json!([])),
    );
    let f = check(&w, &["missing-invoke-permission"]);
    let Some(Fix::Apply { changes }) = &f[0].fix else {
        panic!("no fix: {f:?}")
    };
    let [crate::desired::change::Change::AddPermission {
        function_arn,
        statement,
        ..
    }] = changes.as_slice()
    else {
        panic!("{changes:?}")
    };
    let statement = statement.to_value();
    assert_eq!(function_arn, THUMBS);
    assert_eq!(
        statement["Condition"]["ArnLike"]["AWS:SourceArn"],
        "arn:aws:s3:::photos"
    );
    assert_eq!(
        statement["Condition"]["StringEquals"]["AWS:SourceAccount"],
        ACCOUNT
    );
    assert_eq!(statement["Sid"], "bucketwire-photos-t");
}

#[test]
fn missing_invoke_permission_on_the_alias_the_notification_targets() {
    // docs/rules.md §6: a notification to function:NAME:ALIAS needs a
    // permission on that qualified ARN; the unqualified one does not count.
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "", "")],
        merge_all([
            live(
                json!([{"arn": THUMBS, "aliases": ["prod"], "policyStatements": [scoped_permission(THUMBS)]}]),
                json!([]),
            ),
            json!({"functions": [{"id": "fn", "arn": THUMBS, "qualifier": "prod"}]}),
        ]),
    );
    let f = check(&w, &["missing-invoke-permission"]);
    assert!(f[0].message.contains(&format!("{THUMBS}:prod")));
}

#[test]
fn permission_without_source_arn_sam_style() {
    // docs/rules.md §6, serverless-application-model#2405.
    let sam = json!({"Sid": "sam", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction", "Resource": THUMBS,
        "Condition": {"StringEquals": {"AWS:SourceAccount": ACCOUNT}}});
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "", "")],
        live(
            json!([{"arn": THUMBS, "policyStatements": [sam]}]),
            json!([]),
        ),
    );
    let f = check(&w, &["permission-without-source-arn"]);
    assert!(
        matches!(&f[0].fix, Some(Fix::RemoveByHand { statement_id, .. }) if statement_id == "sam")
    );
    // It says who removes it: Bucketwire never removes what it did not create.
    let summary = f[0].fix.as_ref().expect("fix").summary();
    assert!(
        summary.starts_with("remove statement \"sam\" from arn:aws:lambda:us-east-1:123456789012:function:thumbs yourself (Bucketwire removes only statements it created): aws lambda remove-permission"),
        "{summary}"
    );
    assert!(summary.ends_with("then Apply will make: function thumbs: + permission bucketwire-photos-t: s3.amazonaws.com may invoke for arn:aws:s3:::photos (account 123456789012)"), "{summary}");
}

#[test]
fn permission_without_source_account() {
    // docs/rules.md §6: a bucket ARN holds no account id.
    let st = json!({"Sid": "arn-only", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction", "Resource": THUMBS,
        "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::photos"}}});
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "", "")],
        live(
            json!([{"arn": THUMBS, "policyStatements": [st]}]),
            json!([]),
        ),
    );
    check(&w, &["permission-without-source-account"]);
    let any = json!({"Sid": "any", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:*", "Resource": "*"});
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "", "")],
        live(
            json!([{"arn": THUMBS, "policyStatements": [any]}]),
            json!([]),
        ),
    );
    check(
        &w,
        &[
            "permission-without-source-account",
            "permission-without-source-arn",
        ],
    );
}

#[test]
fn policy_size_limit() {
    // docs/rules.md §6: the whole policy is capped at 20 KB.
    let filler: Vec<Value> = (0..80)
        .map(|i| {
            crate::model::permission::invoke_statement(
                THUMBS,
                &format!("other-bucket-{i}"),
                Some(ACCOUNT),
                &format!("other-{i}"),
            )
        })
        .collect();
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "", "")],
        live(
            json!([{"arn": THUMBS, "policyStatements": filler}]),
            json!([]),
        ),
    );
    let f = check(&w, &["policy-size-limit", "missing-invoke-permission"]);
    assert!(f[0].message.contains("Lambda caps a policy at 20480 bytes"));
    // The size is the policy's as Lambda would hold it: the 80 statements
    // and the one the missing permission's fix adds.
    let Some(Fix::Apply { changes }) = &f[1].fix else {
        panic!("{:?}", f[1].fix)
    };
    let [crate::desired::change::Change::AddPermission { statement, .. }] = changes.as_slice()
    else {
        panic!("{changes:?}")
    };
    let mut all: Vec<crate::model::policy::compact::PolicyStatement> =
        filler.iter().map(Into::into).collect();
    all.push(statement.clone());
    let size = crate::model::permission::policy_size(&all.iter().collect::<Vec<_>>());
    assert!(
        f[0].message.contains(&format!("would be {size} bytes")),
        "{size}: {}",
        f[0].message
    );
}

#[test]
fn role_cannot_read_objects_and_its_fix() {
    // docs/rules.md §7.
    let role = json!([{"arn": ROLE, "policies": [{"name": "logs", "document": {"Statement": [
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}}]}]);
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "uploads/", ".jpg")],
        live(
            json!([{"arn": THUMBS, "policyStatements": [scoped_permission(THUMBS)]}]),
            role,
        ),
    );
    let f = check(&w, &["role-cannot-read-objects"]);
    let Some(fix @ Fix::Apply { changes }) = &f[0].fix else {
        panic!("{f:?}")
    };
    let [crate::desired::change::Change::PutRolePolicy {
        role_arn, document, ..
    }] = changes.as_slice()
    else {
        panic!("{changes:?}")
    };
    assert_eq!(role_arn, ROLE);
    assert_eq!(
        document["Statement"][0]["Resource"],
        json!(["arn:aws:s3:::photos/uploads/*"])
    );
    assert_eq!(
        fix.summary(),
        "Apply will make: role thumbs-role: + inline policy bucketwire-s3-read: s3:GetObject on arn:aws:s3:::photos/uploads/*"
    );
}

#[test]
fn role_read_denied_explicitly() {
    // docs/rules.md §7: an explicit Deny wins over an Allow.
    let role = json!([{"arn": ROLE, "policies": [{"name": "p", "document": {"Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::photos/*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/uploads/*"}]}}]}]);
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "uploads/", "")],
        live(
            json!([{"arn": THUMBS, "policyStatements": [scoped_permission(THUMBS)]}]),
            role,
        ),
    );
    check(&w, &["recursive-trigger", "role-cannot-read-objects"]);
}

#[test]
fn recursive_trigger_when_the_role_writes_where_it_listens() {
    // docs/rules.md §8.
    let role = json!([{"arn": ROLE, "policies": [{"name": "broad", "document": {"Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}]}]);
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "uploads/", "")],
        live(
            json!([{"arn": THUMBS, "policyStatements": [scoped_permission(THUMBS)]}]),
            role,
        ),
    );
    let f = check(&w, &["recursive-trigger"]);
    assert!(f[0].message.contains("e.g. uploads/example"));
    // Writing only to another prefix is the AWS-recommended shape: no finding.
    let role = json!([{"arn": ROLE, "policies": [{"name": "ok", "document": {"Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/uploads/*"},
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::photos/thumbnails/*"}]}}]}]);
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "uploads/", "")],
        live(
            json!([{"arn": THUMBS, "policyStatements": [scoped_permission(THUMBS)]}]),
            role,
        ),
    );
    check(&w, &[]);
}

#[test]
fn every_rule_has_a_source_and_the_product_rules_exist() {
    for name in [
        "overlapping-configurations",
        "invalid-event-type",
        "invalid-filter",
        "function-not-found",
        "region-mismatch",
        "missing-invoke-permission",
        "permission-without-source-arn",
        "permission-without-source-account",
        "role-cannot-read-objects",
        "recursive-trigger",
        "policy-size-limit",
    ] {
        assert!(
            crate::checks::source_of(name).starts_with("docs/rules.md §"),
            "{name}"
        );
    }
}

#[test]
fn every_rule_and_section_a_finding_cites_is_on_the_rules_page() {
    let page = include_str!("../../../../docs/rules.md");
    for (name, source) in crate::checks::RULES {
        assert!(
            page.contains(&format!("| `{name}` |")),
            "{name} is not in the table"
        );
        let sections = source.strip_prefix("docs/rules.md ").expect(source);
        for section in sections.split(", ") {
            assert!(
                page.contains(&format!("\n## {section} ")),
                "{name} cites {section}, which docs/rules.md does not have"
            );
        }
    }
}

#[test]
fn invalid_async_settings_name_each_value_and_the_allowed_range() {
    // docs/rules.md §10: retries 0–2, maximum event age 60 s–6 h, on-failure
    // destination SQS, SNS, Lambda or EventBridge.
    let ok = wiring(
        &[],
        json!({"functions": [{"id": "fn", "arn": THUMBS, "asyncInvoke": {"maximumRetryAttempts": 0,
            "maximumEventAgeSeconds": 3600, "onFailure": "arn:aws:sqs:us-east-1:123456789012:failed"},
            "recursiveLoop": "Terminate"}]}),
    );
    check(&ok, &[]);
    let w = wiring(
        &[],
        json!({"functions": [{"id": "fn", "arn": THUMBS, "asyncInvoke": {"maximumRetryAttempts": 3,
            "maximumEventAgeSeconds": 30, "onFailure": "arn:aws:s3:::not-a-destination"}}]}),
    );
    let f = check(&w, &["invalid-async-settings"]);
    assert_eq!(f[0].source, "docs/rules.md §10");
    for part in [
        "3 retry attempts (Lambda allows 0 to 2)",
        "maximum event age of 30 s (Lambda allows 60 to 21600 s)",
        "\"arn:aws:s3:::not-a-destination\" that is not an SQS queue",
    ] {
        assert!(f[0].message.contains(part), "{}", f[0].message);
    }
    assert_eq!(f[0].nodes, [crate::NodeId::new("fn")]);
}

#[test]
fn conflicting_function_settings_for_one_function() {
    // docs/rules.md §8: the recursion guard is one per function, whatever
    // the alias; §10: one async configuration per function and qualifier.
    let w = wiring(
        &[],
        json!({"functions": [
            {"id": "fn", "arn": THUMBS, "recursiveLoop": "Terminate"},
            {"id": "fn-live", "arn": THUMBS, "qualifier": "live", "recursiveLoop": "Allow"},
            {"id": "fn-again", "arn": THUMBS, "asyncInvoke": {"maximumRetryAttempts": 1}},
            {"id": "fn-again-2", "arn": THUMBS, "asyncInvoke": {"maximumRetryAttempts": 0}},
        ]}),
    );
    let f = check(
        &w,
        &[
            "conflicting-function-settings",
            "conflicting-function-settings",
        ],
    );
    let messages: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("one recursion guard")
            && m.contains("\"fn\" says Terminate and \"fn-live\" says Allow")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("different asynchronous invocation settings")),
        "{messages:?}"
    );
}

/// `wiring` with a second card `bkt2` of bucket `photos` carrying filter
/// `other` (events, prefix) to `thumbs`, plus `card` merged into that card.
fn drawn_twice(events: &[&str], prefix: &str, card: Value) -> Wiring {
    let mut second = json!({"id": "bkt2", "name": "photos", "region": "us-east-1"});
    merge(&mut second, card);
    let doc = json!({
        "version": 1,
        "buckets": [{"id": "bkt", "name": "photos", "region": "us-east-1", "account": ACCOUNT}, second],
        "filters": [
            {"id": "mine", "configurationId": "mine", "events": ["s3:ObjectCreated:*"], "prefix": "uploads/"},
            {"id": "other", "configurationId": "other", "events": events, "prefix": prefix}
        ],
        "functions": [{"id": "fn", "arn": THUMBS}, {"id": "fn2", "arn": THUMBS}],
        "edges": [
            {"from": "bkt", "to": "mine"}, {"from": "mine", "to": "fn"},
            {"from": "bkt2", "to": "other"}, {"from": "other", "to": "fn2"}
        ]
    });
    let bytes = serde_json::to_vec(&doc).expect("json");
    Wiring::from_document(&read_document(&bytes).expect("valid document")).expect("valid wiring")
}

#[test]
fn bucket_on_several_cards_is_one_bucket_for_overlaps() {
    // docs/rules.md §11: the filters of both cards are one pool.
    let w = drawn_twice(&["s3:ObjectCreated:Put"], "uploads/raw/", json!({}));
    let found = check(
        &w,
        &["overlapping-configurations", "bucket-on-several-cards"],
    );
    // Both cards are named, with both filters.
    let ids: Vec<&str> = found[0].nodes.iter().map(|n| n.as_str()).collect();
    assert_eq!(ids, ["bkt", "bkt2", "mine", "other"]);
    assert!(
        found[1].message.contains("drawn on 2 cards"),
        "{}",
        found[1].message
    );
    // Distinct prefixes on the two cards are fine.
    let w = drawn_twice(&["s3:ObjectCreated:Put"], "logs/", json!({}));
    check(&w, &["bucket-on-several-cards"]);
}

#[test]
fn conflicting_bucket_cards_on_region_or_account() {
    let w = drawn_twice(&["s3:ObjectRemoved:*"], "", json!({"region": "eu-west-1"}));
    let found = check(&w, &["conflicting-bucket-cards", "region-mismatch"]);
    assert!(
        found[0]
            .message
            .contains("disagree on its region (eu-west-1, us-east-1)"),
        "{}",
        found[0].message
    );
    let w = drawn_twice(
        &["s3:ObjectRemoved:*"],
        "",
        json!({"account": "999999999999"}),
    );
    let found = check(&w, &["conflicting-bucket-cards"]);
    assert!(found[0]
        .message
        .contains("account (123456789012, 999999999999)"));
}

/// [`drawn_twice`] (the bucket on a second card named "archive") read
/// against an account that has no functions at all.
fn drawn_twice_in_an_empty_account() -> Wiring {
    let w = drawn_twice(&["s3:ObjectRemoved:*"], "", json!({"name": "archive"}));
    let mut doc = w.to_document();
    doc.live = Some(crate::model::document::LiveFacts::default());
    Wiring::from_document(&doc).expect("wiring")
}

#[test]
fn function_not_found_names_every_bucket_and_configuration_that_points_at_it() {
    // docs/rules.md §2: one finding for the function, however many cards.
    let w = drawn_twice_in_an_empty_account();
    let found = check(&w, &["function-not-found"]);
    assert_eq!(
        found[0].message,
        "function \"arn:aws:lambda:us-east-1:123456789012:function:thumbs\" was not found in the account: configurations \"mine\" on bucket \"photos\", \"other\" on bucket \"archive\" point at it; S3 cannot validate a destination that does not exist, so buckets \"photos\", \"archive\" cannot be written until it is fixed. Create it, point the filters at a function that exists, or remove them"
    );
    assert_eq!(
        found[0].subjects,
        [THUMBS, "photos", "mine", "archive", "other"]
    );
    let ids: Vec<&str> = found[0].nodes.iter().map(|n| n.as_str()).collect();
    assert_eq!(ids, ["fn", "fn2", "bkt", "mine", "bkt2", "other"]);
}

#[test]
fn function_not_found_is_fixed_by_removing_its_filters_and_cards() {
    // docs/rules.md §2: the fix takes the missing function out; what is
    // left of the document then has nothing S3 would refuse about it.
    let mut w = drawn_twice_in_an_empty_account();
    let found = check(&w, &["function-not-found"]);
    let fix = found[0].fix.as_ref().expect("a fix");
    assert_eq!(
        fix.summary(),
        "remove filters mine and other, which invoke it, and the function's cards fn and fn2"
    );
    let edits = fix.document_edits(&w).expect("edits the document");
    for edit in edits {
        w.apply(edit).expect("the fix applies");
    }
    check(&w, &[]);
    assert!(w.node(&NodeId::new("bkt")).is_some(), "buckets stay");
    assert!(w.node(&NodeId::new("mine")).is_none());
    assert!(w.node(&NodeId::new("fn2")).is_none());
}

#[test]
fn a_missing_function_nothing_points_at_is_a_warning_removed_by_its_fix() {
    // The filter deleted by hand: the card left over blocks no bucket.
    let mut w = drawn_twice_in_an_empty_account();
    for id in ["mine", "other", "fn2"] {
        w.apply(crate::model::graph::Edit::Remove(NodeId::new(id)))
            .expect("removed");
    }
    let found = check(&w, &["function-not-found"]);
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(
        found[0].message.ends_with("no configuration points at it, so it stops nothing from being written; remove the card"),
        "{}",
        found[0].message
    );
    let fix = found[0].fix.as_ref().expect("a fix");
    assert_eq!(fix.summary(), "remove the function's card fn");
    for edit in fix.document_edits(&w).expect("edits") {
        w.apply(edit).expect("applies");
    }
    check(&w, &[]);
}

#[test]
fn conflicting_function_roles_on_two_cards_of_one_function() {
    // docs/rules.md §11: a function has one execution role.
    let w = drawn_twice(&["s3:ObjectRemoved:*"], "", json!({}));
    let mut doc = w.to_document();
    doc.functions[0].role = Some(ROLE.into());
    doc.functions[1].role = Some("arn:aws:iam::123456789012:role/other".into());
    let w = Wiring::from_document(&doc).expect("wiring");
    let found = check(
        &w,
        &["conflicting-function-roles", "bucket-on-several-cards"],
    );
    assert!(
        found[0]
            .message
            .contains("naming different execution roles (arn:aws:iam::123456789012:role/other, arn:aws:iam::123456789012:role/thumbs-role)"),
        "{}",
        found[0].message
    );
    // The same role on both cards is fine.
    doc.functions[1].role = Some(ROLE.into());
    check(
        &Wiring::from_document(&doc).expect("wiring"),
        &["bucket-on-several-cards"],
    );
}

/// Bucket `photos` (us-east-1, EventBridge on unless `extra` says
/// otherwise) drawn into rule `images` (pattern given) that targets
/// `thumbs`, plus `extra` merged on top (a version-2 document).
fn rule_wiring(pattern: Value, extra: Value) -> Wiring {
    let mut extra_all = json!({
        "version": 2,
        "buckets": [{"id": "bkt", "name": "photos", "region": "us-east-1", "account": ACCOUNT, "eventBridge": true}],
        "rules": [{"id": "rule", "name": "images", "region": "us-east-1", "account": ACCOUNT, "pattern": pattern}],
        "edges": [{"from": "bkt", "to": "rule"}, {"from": "rule", "to": "fn"}],
    });
    merge(&mut extra_all, extra);
    wiring(&[], extra_all)
}

/// The (rule, severity) of every finding about EventBridge rules.
fn rule_findings(w: &Wiring) -> Vec<(&'static str, Severity, String)> {
    findings(w)
        .into_iter()
        .filter(|f| {
            crate::checks::source_of(f.rule) == "docs/rules.md §14"
                || f.nodes.iter().any(|n| n.as_str() == "rule")
        })
        .map(|f| (f.rule, f.severity, f.message))
        .collect()
}

fn jpgs() -> Value {
    json!({"source": ["aws.s3"], "detail-type": ["Object Created"],
           "detail": {"object": {"key": [{"wildcard": "uploads/*.jpg"}, {"wildcard": "uploads/*.png"}]}}})
}

#[test]
fn a_well_made_rule_has_no_findings() {
    assert_eq!(rule_findings(&rule_wiring(jpgs(), json!({}))), []);
}

#[test]
fn invalid_event_pattern_names_the_place() {
    // §14: what PutRule refuses, and bucket names written in the pattern.
    let found = rule_findings(&rule_wiring(
        json!({"detail": {"object": {"key": "uploads/"}}}),
        json!({}),
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0, found[0].1),
        ("invalid-event-pattern", Severity::Error)
    );
    assert!(
        found[0].2.contains("(at detail.object.key)"),
        "{}",
        found[0].2
    );
    let found = rule_findings(&rule_wiring(
        json!({"detail": {"bucket": {"name": ["photos"]}}}),
        json!({}),
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .2
            .contains("connect the buckets to the rule instead"),
        "{}",
        found[0].2
    );
}

#[test]
fn rule_never_matches_says_why() {
    // §14: the classic mistake, S3's notification event name as a detail-type.
    let found = rule_findings(&rule_wiring(
        json!({"source": ["aws.s3"], "detail-type": ["s3:ObjectCreated:*"]}),
        json!({}),
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0, found[0].1),
        ("rule-never-matches", Severity::Warning)
    );
    assert!(found[0].2.contains("bucket \"photos\""), "{}", found[0].2);
    assert!(
        found[0]
            .2
            .contains("\"Object Created\", not \"ObjectCreated\""),
        "{}",
        found[0].2
    );
}

#[test]
fn eventbridge_off_offers_to_turn_it_on() {
    // §14: a rule sees only what the bucket sends to EventBridge.
    let w = rule_wiring(
        jpgs(),
        json!({"buckets": [{"id": "bkt", "name": "photos", "region": "us-east-1", "account": ACCOUNT}]}),
    );
    let all = findings(&w);
    let off: Vec<&Finding> = all.iter().filter(|f| f.rule == "eventbridge-off").collect();
    assert_eq!(off.len(), 1, "{all:?}");
    assert_eq!(off[0].severity, Severity::Warning);
    let fix = off[0].fix.as_ref().expect("a fix");
    let mut fixed = w.clone();
    for edit in fix.document_edits(&w).expect("a document fix") {
        fixed.apply(edit).expect("edit");
    }
    assert!(findings(&fixed).iter().all(|f| f.rule != "eventbridge-off"));
}

#[test]
fn a_rule_across_regions_and_with_too_many_targets() {
    // §4, §14: one region's bus; at most five targets.
    let mut functions = vec![json!({"id": "fn", "arn": THUMBS, "role": ROLE})];
    let mut edges = vec![json!({"from": "bkt", "to": "rule"})];
    for i in 0..6 {
        let region = if i == 0 { "eu-west-1" } else { "us-east-1" };
        functions.push(json!({"id": format!("t{i}"), "arn": format!("arn:aws:lambda:{region}:{ACCOUNT}:function:t{i}")}));
        edges.push(json!({"from": "rule", "to": format!("t{i}")}));
    }
    let w = rule_wiring(jpgs(), json!({"functions": functions, "edges": edges}));
    let rules: Vec<&str> = rule_findings(&w).iter().map(|f| f.0).collect();
    assert_eq!(
        rules,
        ["region-mismatch", "too-many-targets"],
        "{:?}",
        rule_findings(&w)
    );
}

#[test]
fn rule_names_and_incomplete_and_disabled_rules() {
    // §14: names as EventBridge takes them, unique per region's bus.
    let w = rule_wiring(
        jpgs(),
        json!({"rules": [
            {"id": "rule", "name": "images", "region": "us-east-1", "account": ACCOUNT, "pattern": jpgs()},
            {"id": "twin", "name": "images", "region": "us-east-1", "pattern": jpgs(), "enabled": false},
            {"id": "bad", "name": "no spaces allowed", "region": "us-east-1", "pattern": jpgs()}
        ]}),
    );
    let mut rules: Vec<(&str, Severity)> = findings(&w)
        .iter()
        .filter(|f| {
            f.nodes
                .iter()
                .any(|n| ["twin", "bad"].contains(&n.as_str()))
        })
        .map(|f| (f.rule, f.severity))
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            ("disabled-rule", Severity::Info),
            ("incomplete-configuration", Severity::Warning),
            ("incomplete-configuration", Severity::Warning),
            ("invalid-rule-name", Severity::Error),
            ("invalid-rule-name", Severity::Error),
        ]
    );
}

#[test]
fn a_rule_target_whose_role_cannot_read_gets_the_read_policy() {
    // §7, §14: a rule's target reads the objects of the rule's buckets, under its key prefix.
    let role = json!([{"arn": ROLE, "policies": []}]);
    let w = rule_wiring(jpgs(), live(json!([{"arn": THUMBS}]), role));
    let all = findings(&w);
    let read: Vec<&Finding> = all
        .iter()
        .filter(|f| f.rule == "role-cannot-read-objects")
        .collect();
    assert_eq!(read.len(), 1, "{all:?}");
    assert!(
        read[0].message.contains("EventBridge rule \"images\""),
        "{}",
        read[0].message
    );
    let Some(Fix::Apply { changes }) = &read[0].fix else {
        panic!("{:?}", read[0])
    };
    let [crate::desired::change::Change::PutRolePolicy { document, .. }] = changes.as_slice()
    else {
        panic!("{changes:?}")
    };
    assert_eq!(
        document["Statement"][0]["Resource"],
        json!(["arn:aws:s3:::photos/uploads/*"])
    );
}

#[test]
fn missing_events_permission_when_the_target_policy_is_known() {
    let doc: Value = serde_json::from_slice(include_bytes!(
        "../../../../examples/eventbridge-images.bucketwire.json"
    ))
    .expect("example");
    let resize = "arn:aws:lambda:us-east-1:123456789012:function:resize";
    let rule_arn = "arn:aws:events:us-east-1:123456789012:rule/acme-photos-images";
    let with = |statements: Value| {
        let mut doc = doc.clone();
        doc["live"] = json!({"functions": [{"arn": resize, "aliases": [], "versions": [],
            "policyStatements": statements}], "roles": []});
        let doc = read_document(&serde_json::to_vec(&doc).expect("json")).expect("document");
        findings(&Wiring::from_document(&doc).expect("wiring"))
            .into_iter()
            .filter(|f| f.rule == "missing-events-permission")
            .collect::<Vec<_>>()
    };
    // Without live facts nothing is known: no finding.
    let plain = read_document(&serde_json::to_vec(&doc).expect("json")).expect("document");
    assert!(findings(&Wiring::from_document(&plain).expect("wiring"))
        .iter()
        .all(|f| f.rule != "missing-events-permission"));
    // An S3 grant is not an EventBridge grant.
    let missing = with(
        json!([{"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction", "Resource": resize}]),
    );
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].severity, Severity::Warning);
    assert!(
        missing[0].message.contains("rule \"acme-photos-images\""),
        "{}",
        missing[0].message
    );
    let Some(Fix::Apply { changes }) = &missing[0].fix else {
        panic!("a fix: {:?}", missing[0].fix)
    };
    let [crate::desired::change::Change::AddPermission { statement, .. }] = changes.as_slice()
    else {
        panic!("one statement: {changes:?}")
    };
    let statement = statement.to_value();
    assert_eq!(statement["Condition"]["ArnLike"]["AWS:SourceArn"], rule_arn);
    // A grant for this rule: nothing to say.
    assert!(with(
        json!([{"Sid": "bucketwire-rule-acme-photos-images", "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"}, "Action": "lambda:InvokeFunction",
        "Resource": resize, "Condition": {"ArnLike": {"AWS:SourceArn": rule_arn}}}])
    )
    .is_empty());
}

#[test]
fn an_overlap_that_cannot_be_split_moves_to_eventbridge_where_both_fire() {
    // §1, §14: same events, nested keys — S3 refuses; on EventBridge every
    // matching rule fires.
    let w = wiring(
        &[
            ("jpgs", &["s3:ObjectCreated:*"], "uploads/", ".jpg"),
            ("all-uploads", &["s3:ObjectCreated:*"], "uploads/", ""),
        ],
        json!({}),
    );
    let all = findings(&w);
    let overlap = all
        .iter()
        .find(|f| f.rule == "overlapping-configurations")
        .expect("the overlap");
    let fix = overlap.fix.as_ref().expect("a fix");
    assert!(
        matches!(fix, Fix::MoveToEventBridge { filters } if filters.len() == 2),
        "{fix:?}"
    );
    assert!(
        fix.summary().contains("EventBridge rules"),
        "{}",
        fix.summary()
    );
    let mut moved = w.clone();
    for edit in fix.document_edits(&w).expect("a document fix") {
        moved.apply(edit).expect("edit");
    }
    let after = findings(&moved);
    assert!(
        after
            .iter()
            .all(|f| f.severity != Severity::Error && f.rule != "eventbridge-off"),
        "{after:?}"
    );
    assert_eq!(moved.filters().count(), 0);
    let rules: Vec<_> = moved.rules().collect();
    assert_eq!(rules.len(), 2);
    assert!(moved.buckets().all(|b| b.event_bridge));
    // Both fire for a .jpg under uploads/, and only the wider one for a .png.
    let fired = |key: &str| {
        crate::simulate(&moved, "photos", key, "s3:ObjectCreated:Put")
            .expect("simulate")
            .rules
            .into_iter()
            .filter(|r| r.fires)
            .map(|r| r.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(fired("uploads/cat.jpg").len(), 2);
    assert_eq!(fired("uploads/cat.png"), ["photos-all-uploads"]);
}

#[test]
fn a_filter_as_an_eventbridge_pattern() {
    use crate::model::eventbridge::pattern_of_filter;
    let p = |events: &[&str], prefix, suffix| {
        pattern_of_filter(
            &events.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            prefix,
            suffix,
        )
    };
    assert_eq!(
        p(&["s3:ObjectCreated:*"], Some("uploads/"), None),
        Some(
            json!({"source": ["aws.s3"], "detail-type": ["Object Created"],
            "detail": {"object": {"key": [{"prefix": "uploads/"}]}}})
        )
    );
    assert_eq!(
        p(
            &["s3:ObjectCreated:Put", "s3:ObjectCreated:Post"],
            None,
            Some(".jpg")
        ),
        Some(
            json!({"source": ["aws.s3"], "detail-type": ["Object Created"],
            "detail": {"reason": ["POST Object", "PutObject"], "object": {"key": [{"suffix": ".jpg"}]}}})
        )
    );
    assert_eq!(
        p(&["s3:ObjectRemoved:*"], None, None),
        Some(
            json!({"source": ["aws.s3"], "detail-type": ["Object Deleted"], "detail": {"reason": ["DeleteObject"]}})
        )
    );
    assert_eq!(
        p(&["s3:ObjectCreated:*"], Some("a*b/"), Some(".jpg"))
            .map(|v| v["detail"]["object"]["key"].clone()),
        Some(json!([{"wildcard": "a\\*b/*.jpg"}]))
    );
    // Not sent to EventBridge, or not one pattern: no translation.
    assert_eq!(p(&["s3:Replication:*"], None, None), None);
    assert_eq!(p(&["s3:ObjectRemoved:Delete"], None, None), None);
    assert_eq!(
        p(&["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"], None, None),
        None
    );
    // Each pattern is one EventBridge takes.
    for events in [
        &["s3:ObjectCreated:*"][..],
        &["s3:ObjectCreated:Put"],
        &["s3:ObjectRestore:*", "s3:ObjectCreated:*"],
    ] {
        let pattern = p(events, Some("x/"), Some(".y")).expect("a pattern");
        crate::model::event_pattern::EventPattern::from_value(&pattern).expect("valid");
    }
}

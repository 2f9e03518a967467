//! One test per rule (named after the rule, citing AWS-RULES.md), built on
//! one `check` helper: a document in, the rules that fire out.

use crate::finding::{Finding, Fix, Severity};
use crate::graph::Wiring;
use crate::read::read_document;
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
    crate::validate::validate(w)
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
    crate::permission::invoke_statement(resource, "photos", Some(ACCOUNT), "bucketwire-photos-t")
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
        findings(&Wiring::from_document(&crate::sample::thumbnails()).expect("sample")).is_empty()
    );
}

#[test]
fn overlapping_configurations_names_both_and_the_key_that_proves_it() {
    // AWS-RULES.md §1, the UX example.
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
    // AWS-RULES.md §1: `images/` (no suffix) and `.jpg` (no prefix) conflict.
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
    // AWS-RULES.md §1: images/+.jpg and images/+.png do not conflict;
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
    // AWS-RULES.md §1: the pool is every configuration, whatever its destination.
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
    // AWS-RULES.md §3: the Id names an entry of the bucket's configuration.
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
    // AWS-RULES.md §5.
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
    // AWS-RULES.md §5: no `*` wildcards, values up to 1,024 characters.
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
        .contains("connected to neither a bucket nor a function"));
}

#[test]
fn invalid_function_arn() {
    // AWS-RULES.md §4 (S3 rejects a malformed ARN, as moto does).
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
    // AWS-RULES.md §4: the function must be in the bucket's region.
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
    // AWS-RULES.md §2: a destination that does not exist cannot be validated.
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
    // AWS-RULES.md §2 and §6.
    let w = wiring(
        &[("t", &["s3:ObjectCreated:*"], "", "")],
        live(json!([{"arn": THUMBS}]), json!([])),
    );
    let f = check(&w, &["missing-invoke-permission"]);
    let Some(Fix::AddPermission {
        function_arn,
        statement,
    }) = &f[0].fix
    else {
        panic!("no fix: {f:?}")
    };
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
    // AWS-RULES.md §6: a notification to function:NAME:ALIAS needs a
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
    // AWS-RULES.md §6, serverless-application-model#2405.
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
        matches!(&f[0].fix, Some(Fix::ScopePermission { remove_sid, .. }) if remove_sid == "sam")
    );
}

#[test]
fn permission_without_source_account() {
    // AWS-RULES.md §6: a bucket ARN holds no account id.
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
    // AWS-RULES.md §6: the whole policy is capped at 20 KB.
    let filler: Vec<Value> = (0..80)
        .map(|i| {
            crate::permission::invoke_statement(
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
}

#[test]
fn role_cannot_read_objects_and_its_fix() {
    // AWS-RULES.md §7.
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
    let Some(Fix::AddRolePolicy { role_arn, policy }) = &f[0].fix else {
        panic!("{f:?}")
    };
    assert_eq!(role_arn, ROLE);
    assert_eq!(
        policy["Statement"][0]["Resource"],
        "arn:aws:s3:::photos/uploads/*"
    );
}

#[test]
fn role_read_denied_explicitly() {
    // AWS-RULES.md §7: an explicit Deny wins over an Allow.
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
    // AWS-RULES.md §8.
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
            crate::validate::source_of(name).starts_with("AWS-RULES.md §"),
            "{name}"
        );
    }
}

#[test]
fn invalid_async_settings_name_each_value_and_the_allowed_range() {
    // AWS-RULES.md §10: retries 0–2, maximum event age 60 s–6 h, on-failure
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
    assert_eq!(f[0].source, "AWS-RULES.md §10");
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
    // AWS-RULES.md §8: the recursion guard is one per function, whatever
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

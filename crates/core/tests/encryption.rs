//! Encryption that breaks delivery (docs/rules.md §18): each rule with an
//! account that passes and one that fails, on a document holding what an
//! import reads — the bucket's default encryption, the queue's key, the
//! keys' policies and states, the roles' policies.

use bucketwire_core::checks::validate;
use bucketwire_core::{read_document, Finding, Severity, Wiring};
use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";
const THUMBS: &str = "arn:aws:lambda:us-east-1:123456789012:function:thumbs";
const INGEST: &str = "arn:aws:lambda:us-east-1:123456789012:function:ingest";
const ROLE: &str = "arn:aws:iam::123456789012:role/thumbs-role";
const POLLER: &str = "arn:aws:iam::123456789012:role/ingest-role";
const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:deletions";
const BUCKET_KEY: &str =
    "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-0000-0000-0000-000000000001";
const QUEUE_KEY: &str =
    "arn:aws:kms:us-east-1:123456789012:key/2222bbbb-0000-0000-0000-000000000002";

const RULES: [&str; 7] = [
    "role-cannot-decrypt-objects",
    "key-denies-s3",
    "role-cannot-decrypt-queue",
    "key-not-enabled",
    "key-not-read",
    "queue-aws-managed-key",
    "topic-aws-managed-key",
];

fn enable_iam() -> Value {
    json!({"Sid": "Enable IAM User Permissions", "Effect": "Allow",
           "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"})
}

fn s3_may_use_key() -> Value {
    json!({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
           "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*",
           "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}})
}

fn key(arn: &str, alias: &str, statements: Vec<Value>) -> Value {
    json!({"arn": arn, "aliases": [alias], "manager": "customer", "state": "Enabled",
           "policy": {"Version": "2012-10-17", "Statement": statements}})
}

fn decrypt(key: &str) -> Value {
    json!({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key})
}

/// Bucket `photos` (SSE-KMS with `alias/photos`): filter `t` invokes
/// `thumbs`, filter `q` sends deletions to queue `deletions` (encrypted
/// with `alias/queue`), which `ingest` polls. Each role may already do
/// everything but use the keys; `thumbs_kms`, `ingest_kms` add to them,
/// `keys` are the keys as read.
fn account(thumbs_kms: Vec<Value>, ingest_kms: Vec<Value>, keys: Vec<Value>) -> Value {
    let mut thumbs = vec![
        json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photos/*"}),
    ];
    thumbs.extend(thumbs_kms);
    let mut ingest = vec![
        json!({"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], "Resource": QUEUE}),
    ];
    ingest.extend(ingest_kms);
    let permission = bucketwire_core::model::permission::invoke_statement(
        THUMBS,
        "photos",
        Some(ACCOUNT),
        "bucketwire-photos-t",
    );
    let queue_policy = json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "bucketwire-s3-send", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "SQS:SendMessage", "Resource": QUEUE,
        "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::photos"}, "StringEquals": {"aws:SourceAccount": ACCOUNT}}}]});
    json!({
        "version": 3,
        "buckets": [{"id": "bkt", "name": "photos", "region": "us-east-1", "account": ACCOUNT}],
        "filters": [
            {"id": "t", "configurationId": "t", "events": ["s3:ObjectCreated:*"], "prefix": "uploads/"},
            {"id": "q", "configurationId": "q", "events": ["s3:ObjectRemoved:*"], "prefix": "logs/"}
        ],
        "functions": [
            {"id": "thumbs", "arn": THUMBS, "role": ROLE},
            {"id": "ingest", "arn": INGEST, "role": POLLER}
        ],
        "queues": [{"id": "deletions", "arn": QUEUE, "visibilityTimeoutSeconds": 60}],
        "edges": [
            {"from": "bkt", "to": "t"}, {"from": "t", "to": "thumbs"},
            {"from": "bkt", "to": "q"}, {"from": "q", "to": "deletions"},
            {"from": "deletions", "to": "ingest"}
        ],
        "live": {
            "functions": [
                {"arn": THUMBS, "role": ROLE, "policyStatements": [permission]},
                {"arn": INGEST, "role": POLLER, "timeoutSeconds": 10}
            ],
            "roles": [
                {"arn": ROLE, "policies": [{"name": "p", "document": {"Version": "2012-10-17", "Statement": thumbs}}]},
                {"arn": POLLER, "policies": [{"name": "p", "document": {"Version": "2012-10-17", "Statement": ingest}}]}
            ],
            "queues": [{"arn": QUEUE, "url": "https://sqs.us-east-1.amazonaws.com/123456789012/deletions",
                        "policy": queue_policy, "visibilityTimeoutSeconds": 60, "kmsMasterKeyId": "alias/queue",
                        "mappings": []}],
            "bucketEncryption": [{"bucket": "photos", "algorithm": "aws:kms", "kmsKey": "alias/photos", "bucketKey": true}],
            "keys": keys
        }
    })
}

fn findings(doc: &Value) -> Vec<Finding> {
    let document = read_document(&serde_json::to_vec(doc).expect("json")).expect("document");
    validate(&Wiring::from_document(&document).expect("wiring"))
        .into_iter()
        .filter(|f| RULES.contains(&f.rule))
        .collect()
}

fn rules(found: &[Finding]) -> Vec<&'static str> {
    found.iter().map(|f| f.rule).collect()
}

/// Keys that let everything in: the bucket's default policy (IAM decides),
/// the queue's with S3's statement.
fn good_keys() -> Vec<Value> {
    vec![
        key(BUCKET_KEY, "alias/photos", vec![enable_iam()]),
        key(
            QUEUE_KEY,
            "alias/queue",
            vec![enable_iam(), s3_may_use_key()],
        ),
    ]
}

#[test]
fn an_account_whose_roles_and_s3_may_use_the_keys_passes() {
    let doc = account(
        vec![decrypt(BUCKET_KEY)],
        vec![decrypt(QUEUE_KEY)],
        good_keys(),
    );
    assert_eq!(
        rules(&findings(&doc)),
        Vec::<&str>::new(),
        "{:#?}",
        findings(&doc)
    );
}

#[test]
fn a_role_without_kms_decrypt_cannot_read_the_objects_and_is_told_the_statement() {
    let doc = account(vec![], vec![decrypt(QUEUE_KEY)], good_keys());
    let found = findings(&doc);
    assert_eq!(rules(&found), ["role-cannot-decrypt-objects"], "{found:#?}");
    let f = &found[0];
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("alias/photos"), "{}", f.message);
    assert!(
        f.message
            .contains("the key policy leaves it to the role's policies"),
        "{}",
        f.message
    );
    // The exact statement: kms:Decrypt on the key, through S3 in the
    // bucket's region.
    assert!(
        f.message.contains(&format!(
            r#"{{"Effect":"Allow","Action":"kms:Decrypt","Resource":"{BUCKET_KEY}","Condition":{{"StringEquals":{{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}}}}"#
        )),
        "{}",
        f.message
    );
    assert!(f.subjects.contains(&ROLE.to_string()) && f.subjects.contains(&BUCKET_KEY.to_string()));
}

#[test]
fn a_key_policy_that_does_not_enable_iam_makes_the_roles_own_decrypt_useless() {
    let admin_only = json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/admin"},
                            "Action": "kms:*", "Resource": "*"});
    let mut keys = good_keys();
    keys[0] = key(BUCKET_KEY, "alias/photos", vec![admin_only]);
    let doc = account(
        vec![decrypt(BUCKET_KEY)],
        vec![decrypt(QUEUE_KEY)],
        keys.clone(),
    );
    let found = findings(&doc);
    assert_eq!(rules(&found), ["role-cannot-decrypt-objects"], "{found:#?}");
    assert!(
        found[0].message.contains("does not enable IAM policies"),
        "{}",
        found[0].message
    );
    assert!(
        found[0]
            .message
            .contains(&format!(r#""Principal":{{"AWS":"{ROLE}"}}"#)),
        "the key-policy statement for the role: {}",
        found[0].message
    );
    // A statement naming the role in the key policy is enough by itself.
    keys[0] = key(
        BUCKET_KEY,
        "alias/photos",
        vec![
            json!({"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}),
        ],
    );
    let doc = account(vec![], vec![decrypt(QUEUE_KEY)], keys);
    assert_eq!(rules(&findings(&doc)), Vec::<&str>::new());
}

#[test]
fn a_queue_key_that_does_not_let_s3_in_stops_delivery_and_the_poller_needs_decrypt() {
    let mut keys = good_keys();
    keys[1] = key(QUEUE_KEY, "alias/queue", vec![enable_iam()]);
    let doc = account(vec![decrypt(BUCKET_KEY)], vec![], keys);
    let found = findings(&doc);
    assert_eq!(
        rules(&found),
        ["key-denies-s3", "role-cannot-decrypt-queue"],
        "{found:#?}"
    );
    let denies = &found[0].message;
    assert!(
        denies.contains("kms:GenerateDataKey and kms:Decrypt"),
        "{denies}"
    );
    assert!(
        denies.contains(r#""aws:SourceArn":"arn:aws:s3:::photos""#),
        "{denies}"
    );
    assert!(
        denies.contains(r#""aws:SourceAccount":"123456789012""#),
        "{denies}"
    );
    let poller = &found[1];
    assert!(poller.message.contains("ingest"), "{}", poller.message);
    assert!(
        poller.message.contains("sqs.us-east-1.amazonaws.com"),
        "{}",
        poller.message
    );
    assert!(poller.nodes.iter().any(|n| n.as_str() == "deletions"));
}

#[test]
fn a_disabled_or_deleted_key_refuses_every_use() {
    for state in ["Disabled", "PendingDeletion"] {
        let mut keys = good_keys();
        keys[0]["state"] = json!(state);
        let doc = account(vec![decrypt(BUCKET_KEY)], vec![decrypt(QUEUE_KEY)], keys);
        let found = findings(&doc);
        assert_eq!(rules(&found), ["key-not-enabled"], "{found:#?}");
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.contains(state) && found[0].message.contains("bucket \"photos\""));
    }
}

#[test]
fn a_key_that_could_not_be_read_is_named_instead_of_passing() {
    let mut keys = good_keys();
    keys[0] = json!({"arn": BUCKET_KEY, "aliases": ["alias/photos"], "manager": "customer", "state": "Enabled",
                     "unreadable": "AccessDeniedException on GetKeyPolicy"});
    // The role may not decrypt: unread, that is not known, and said so.
    let doc = account(vec![], vec![decrypt(QUEUE_KEY)], keys);
    let found = findings(&doc);
    assert_eq!(rules(&found), ["key-not-read"], "{found:#?}");
    assert!(
        found[0]
            .message
            .contains("AccessDeniedException on GetKeyPolicy"),
        "{}",
        found[0].message
    );
    assert!(found[0].message.contains("bucket \"photos\""));
    // A key named but absent from what was read is unread too.
    let doc = account(
        vec![],
        vec![decrypt(QUEUE_KEY)],
        vec![good_keys().remove(1)],
    );
    assert_eq!(rules(&findings(&doc)), ["key-not-read"]);
}

#[test]
fn an_aws_managed_key_named_by_id_is_caught_as_by_its_alias() {
    let mut keys = good_keys();
    keys[1] = json!({"arn": QUEUE_KEY, "aliases": ["alias/aws/sqs"], "manager": "aws", "state": "Enabled"});
    let mut doc = account(vec![decrypt(BUCKET_KEY)], vec![decrypt(QUEUE_KEY)], keys);
    doc["live"]["queues"][0]["kmsMasterKeyId"] = json!("2222bbbb-0000-0000-0000-000000000002");
    let found = findings(&doc);
    assert_eq!(rules(&found), ["queue-aws-managed-key"], "{found:#?}");
    assert_eq!(found[0].severity, Severity::Error);
}

#[test]
fn sse_s3_and_s3s_own_key_need_nothing_of_the_role() {
    for encryption in [
        json!({"bucket": "photos", "algorithm": "AES256"}),
        json!({"bucket": "photos", "algorithm": "aws:kms"}),
        json!({"bucket": "photos", "algorithm": "aws:kms", "kmsKey": "alias/aws/s3"}),
    ] {
        let mut doc = account(vec![], vec![decrypt(QUEUE_KEY)], good_keys());
        doc["live"]["bucketEncryption"] = json!([encryption]);
        assert_eq!(rules(&findings(&doc)), Vec::<&str>::new(), "{encryption}");
    }
}

/// The account as a plan reads it: the document's live facts, with the
/// bucket (no notification yet).
fn live_state(doc: &Value) -> bucketwire_core::live::LiveState {
    let mut live = doc["live"].clone();
    live["buckets"] = json!([{"name": "photos", "region": "us-east-1", "notification": {}}]);
    serde_json::from_value(live).expect("live state")
}

fn wiring_of(doc: &Value) -> Wiring {
    let document = read_document(&serde_json::to_vec(doc).expect("json")).expect("document");
    Wiring::from_document(&document).expect("wiring")
}

#[test]
fn the_plan_gives_each_role_the_decrypt_its_keys_leave_to_iam_and_the_fix_is_that_change() {
    use bucketwire_core::plan::{apply_to, plan, Change};
    use bucketwire_core::Fix;
    // Neither role may use its key; both keys leave it to IAM.
    let doc = account(vec![], vec![], good_keys());
    let wiring = wiring_of(&doc);
    let live = live_state(&doc);
    let p = plan(&wiring, &live).expect("plan");
    let policies: Vec<(&str, &Value)> = p
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::PutRolePolicy {
                role_arn,
                policy_name,
                document,
                ..
            } if policy_name == "bucketwire-kms-decrypt" => Some((role_arn.as_str(), document)),
            _ => None,
        })
        .collect();
    assert_eq!(policies.len(), 2, "{:#?}", p.changes);
    let (_, thumbs) = policies
        .iter()
        .find(|(r, _)| *r == ROLE)
        .expect("thumbs' role");
    assert_eq!(
        thumbs["Statement"],
        json!([{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": BUCKET_KEY,
                "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}])
    );
    let (_, ingest) = policies
        .iter()
        .find(|(r, _)| *r == POLLER)
        .expect("the poller's role");
    assert_eq!(ingest["Statement"][0]["Resource"], json!(QUEUE_KEY));
    assert_eq!(
        ingest["Statement"][0]["Condition"]["StringEquals"]["kms:ViaService"],
        json!("sqs.us-east-1.amazonaws.com")
    );
    // Planned again after apply: nothing more to decrypt.
    let after = apply_to(&live, &p);
    let again = plan(&wiring, &after).expect("plan again");
    assert!(
        !again.changes.iter().any(|c| matches!(c, Change::PutRolePolicy { policy_name, .. } if policy_name == "bucketwire-kms-decrypt")),
        "{:#?}",
        again.changes
    );
    // The finding's fix is the plan's own change for that role.
    let found = findings(&doc);
    let objects = found
        .iter()
        .find(|f| f.rule == "role-cannot-decrypt-objects")
        .expect("finding");
    let Some(Fix::Apply { changes }) = &objects.fix else {
        panic!("{:?}", objects.fix)
    };
    assert!(p.changes.contains(&changes.as_slice()[0]), "{changes:?}");
    // A key policy that ignores IAM is not fixed by the role's policy:
    // no fix, the finding names the key-policy statement.
    let mut keys = good_keys();
    keys[0] = key(BUCKET_KEY, "alias/photos", vec![]);
    let found = findings(&account(
        vec![decrypt(BUCKET_KEY)],
        vec![decrypt(QUEUE_KEY)],
        keys,
    ));
    assert_eq!(rules(&found), ["role-cannot-decrypt-objects"]);
    assert!(found[0].fix.is_none(), "{:?}", found[0].fix);
}

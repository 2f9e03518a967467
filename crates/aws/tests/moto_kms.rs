//! Encryption against a real moto server (docs/rules.md §18): an import
//! reads a bucket's default encryption and the KMS key it names (aliases,
//! state, key policy), and the checks report what encryption breaks — a
//! role that may not decrypt the objects, a disabled key, a key that
//! cannot be read — and stop reporting it once the account is fixed.

mod support;

use bucketwire_aws::{apply, import, read_for_plan, Account, ApplyOptions, Cancel, ImportOptions};
use bucketwire_core::import::document_from_live;
use bucketwire_core::model::document::KeyManager;
use bucketwire_core::plan::{plan, Change};
use bucketwire_core::Wiring;
use support::{create_bucket, create_function, create_role, Moto, ACCOUNT};

const BUCKET: &str = "acme-private";

/// The default key policy KMS writes: the account's root hands the
/// decision to IAM.
fn default_key_policy() -> String {
    serde_json::json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "Enable IAM User Permissions", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
        "Action": "kms:*", "Resource": "*"}]})
    .to_string()
}

async fn put_role_policy(account: &Account, role: &str, name: &str, statement: serde_json::Value) {
    let document = serde_json::json!({"Version": "2012-10-17", "Statement": [statement]});
    account
        .iam()
        .put_role_policy()
        .role_name(role)
        .policy_name(name)
        .policy_document(document.to_string())
        .send()
        .await
        .expect("put role policy");
}

/// A bucket encrypted with `key` (SSE-KMS), whose new objects invoke a
/// function whose role may read them but not use the key.
async fn seed(account: &Account, key: &str) -> String {
    let role = create_role(account, "reader-role").await;
    put_role_policy(
        account,
        "reader-role",
        "read",
        serde_json::json!({"Effect": "Allow", "Action": "s3:GetObject",
                           "Resource": format!("arn:aws:s3:::{BUCKET}/*")}),
    )
    .await;
    let function = create_function(account, "reader", &role).await;
    create_bucket(account, BUCKET).await;
    let s3 = account.s3("us-east-1");
    let by_default = aws_sdk_s3::types::ServerSideEncryptionByDefault::builder()
        .sse_algorithm(aws_sdk_s3::types::ServerSideEncryption::AwsKms)
        .kms_master_key_id(key)
        .build()
        .expect("encryption");
    let rule = aws_sdk_s3::types::ServerSideEncryptionRule::builder()
        .apply_server_side_encryption_by_default(by_default)
        .bucket_key_enabled(true)
        .build();
    s3.put_bucket_encryption()
        .bucket(BUCKET)
        .server_side_encryption_configuration(
            aws_sdk_s3::types::ServerSideEncryptionConfiguration::builder()
                .rules(rule)
                .build()
                .expect("configuration"),
        )
        .send()
        .await
        .expect("put bucket encryption");
    let entry = aws_sdk_s3::types::LambdaFunctionConfiguration::builder()
        .id("new-objects")
        .lambda_function_arn(&function)
        .events(aws_sdk_s3::types::Event::from("s3:ObjectCreated:*"))
        .build()
        .expect("entry");
    s3.put_bucket_notification_configuration()
        .bucket(BUCKET)
        .notification_configuration(
            aws_sdk_s3::types::NotificationConfiguration::builder()
                .lambda_function_configurations(entry)
                .build(),
        )
        .send()
        .await
        .expect("put notification");
    function
}

async fn create_key(account: &Account, alias: &str) -> String {
    let kms = account.kms("us-east-1");
    let out = kms
        .create_key()
        .policy(default_key_policy())
        .description("objects of acme-private")
        .send()
        .await
        .expect("create key");
    let arn = out
        .key_metadata()
        .and_then(|m| m.arn())
        .expect("key arn")
        .to_string();
    kms.create_alias()
        .alias_name(alias)
        .target_key_id(&arn)
        .send()
        .await
        .expect("create alias");
    arn
}

/// The import of the bucket, and the encryption rules its document reports.
async fn imported(account: &Account) -> (bucketwire_core::live::LiveState, Vec<String>) {
    let result = import(
        account,
        &ImportOptions {
            buckets: vec![BUCKET.into()],
            ..Default::default()
        },
        &|_| {},
        &Cancel::new(),
    )
    .await
    .expect("import");
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let doc = document_from_live(&result.live, result.account.as_deref());
    let findings = bucketwire_core::checks::validate(&Wiring::from_document(&doc).expect("wiring"));
    let rules = findings
        .iter()
        .filter(|f| f.source.contains("§18"))
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    (result.live, rules)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_reads_the_key_and_reports_the_role_that_cannot_decrypt_until_it_may() {
    let moto = Moto::start();
    let account = moto.account().await;
    let key = create_key(&account, "alias/acme-private").await;
    seed(&account, "alias/acme-private").await;

    let (live, rules) = imported(&account).await;
    let [encryption] = live.bucket_encryption.as_slice() else {
        panic!("{:?}", live.bucket_encryption)
    };
    assert_eq!(encryption.algorithm, "aws:kms");
    assert_eq!(encryption.kms_key.as_deref(), Some("alias/acme-private"));
    assert!(encryption.bucket_key);
    let [read] = live.keys.as_slice() else {
        panic!("{:?}", live.keys)
    };
    assert_eq!(read.arn, key, "the alias resolved to the key's ARN");
    assert!(
        read.aliases.iter().any(|a| a == "alias/acme-private"),
        "{:?}",
        read.aliases
    );
    assert_eq!(read.manager, Some(KeyManager::Customer));
    assert_eq!(read.state.as_deref(), Some("Enabled"));
    assert!(
        read.policy.is_some() && read.unreadable.is_none(),
        "{read:?}"
    );
    let [finding] = rules.as_slice() else {
        panic!("{rules:#?}")
    };
    assert!(
        finding.starts_with("role-cannot-decrypt-objects: "),
        "{finding}"
    );
    assert!(
        finding.contains(&key) && finding.contains("kms:ViaService"),
        "{finding}"
    );

    // Planned and applied: the role gains the statement the finding
    // gives, read back; imported again, nothing is left.
    let doc = document_from_live(&live, Some(ACCOUNT));
    let wiring = Wiring::from_document(&doc).expect("wiring");
    let (read, errors) = read_for_plan(&account, &wiring, 4, &Cancel::new())
        .await
        .expect("read for plan");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(read.keys.len(), 1, "a plan reads the key too");
    let p = plan(&wiring, &read).expect("plan");
    assert!(
        p.changes.iter().any(|c| matches!(c, Change::PutRolePolicy { policy_name, .. } if policy_name == "bucketwire-kms-decrypt")),
        "{:#?}",
        p.changes
    );
    apply(&account, &wiring, &p, &ApplyOptions::default(), &|_| {})
        .await
        .expect("apply");
    let written = account
        .iam()
        .get_role_policy()
        .role_name("reader-role")
        .policy_name("bucketwire-kms-decrypt")
        .send()
        .await
        .expect("the decrypt policy");
    let document: serde_json::Value = serde_json::from_str(
        &bucketwire_aws::convert::percent_decode(written.policy_document()),
    )
    .expect("policy json");
    assert_eq!(
        document["Statement"],
        serde_json::json!([{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key,
            "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}])
    );
    let (_, rules) = imported(&account).await;
    assert!(rules.is_empty(), "{rules:#?}");

    // A disabled key refuses every use. (moto answers DisableKey named by
    // ARN with a 500: named by id.)
    let id = key.rsplit('/').next().expect("key id");
    account
        .kms("us-east-1")
        .disable_key()
        .key_id(id)
        .send()
        .await
        .expect("disable key");
    let (_, rules) = imported(&account).await;
    let [finding] = rules.as_slice() else {
        panic!("{rules:#?}")
    };
    assert!(
        finding.starts_with("key-not-enabled: ") && finding.contains("Disabled"),
        "{finding}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_that_cannot_be_read_is_named_not_passed() {
    let moto = Moto::start();
    let account = moto.account().await;
    // The bucket names a key that does not exist (deleted, or another
    // account's the reader may not describe).
    let missing =
        format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/00000000-0000-0000-0000-000000000000");
    seed(&account, &missing).await;
    let (live, rules) = imported(&account).await;
    let [read] = live.keys.as_slice() else {
        panic!("{:?}", live.keys)
    };
    let why = read.unreadable.as_deref().expect("why it was not read");
    assert!(why.contains("DescribeKey"), "{why}");
    let [finding] = rules.as_slice() else {
        panic!("{rules:#?}")
    };
    assert!(
        finding.starts_with("key-not-read: ") && finding.contains("DescribeKey"),
        "{finding}"
    );
}

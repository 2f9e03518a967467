//! `bucketwire import / plan / apply` as a user runs them, against a real
//! moto server (PRODUCT.md, "The CLI contract").

#[path = "../../aws/tests/support/mod.rs"]
mod support;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use support::{create_bucket, create_function, create_role, Moto};

fn run(moto_url: &str, data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bucketwire"))
        .args(args)
        .env("AWS_ENDPOINT_URL", moto_url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("BUCKETWIRE_DATA_DIR", data)
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .output()
        .expect("run bucketwire")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test]
async fn import_change_plan_apply_then_nothing_to_do() {
    let moto = Moto::start();
    let account = moto.account().await;
    let role = create_role(&account, "resize-role").await;
    let function = create_function(&account, "resize", &role).await;
    create_bucket(&account, "uploads").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let doc_path = dir.path().join("uploads.bucketwire.json");
    let doc = doc_path.to_str().expect("utf8");

    let o = run(
        &moto.url,
        dir.path(),
        &["import", "--bucket", "uploads", "-o", doc],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("imported 1 bucket(s)"), "{}", text(&o));

    // Nothing is wired yet: the plan is empty.
    let o = run(&moto.url, dir.path(), &["plan", doc, "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("No changes."));

    // Change the document by hand: a filter from the bucket to the function.
    let mut json: Value =
        serde_json::from_slice(&std::fs::read(&doc_path).expect("read")).expect("json");
    json["functions"] = serde_json::json!([{"id": "resize", "arn": function, "role": role}]);
    json["filters"] = serde_json::json!([{"id": "jpg", "configurationId": "resize-jpg",
        "events": ["s3:ObjectCreated:*"], "prefix": "in/", "suffix": ".jpg"}]);
    json["edges"] =
        serde_json::json!([{"from": "uploads", "to": "jpg"}, {"from": "jpg", "to": "resize"}]);
    std::fs::write(&doc_path, serde_json::to_vec_pretty(&json).expect("json")).expect("write");

    let o = run(&moto.url, dir.path(), &["plan", doc, "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("+ lambda \"resize-jpg\""), "{out}");
    assert!(
        out.contains("+ permission bucketwire-uploads-resize-jpg"),
        "{out}"
    );
    assert!(out.contains("+ inline policy bucketwire-s3-read"), "{out}");

    let o = run(&moto.url, dir.path(), &["plan", doc, "--format", "json"]);
    let plan: Value = serde_json::from_slice(&o.stdout).expect("json plan");
    assert_eq!(plan["changes"].as_array().map(Vec::len), Some(3));

    // Without a terminal, apply refuses to run unconfirmed.
    let o = run(&moto.url, dir.path(), &["apply", doc]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("pass --auto-approve"), "{}", text(&o));

    let o = run(&moto.url, dir.path(), &["apply", doc, "--auto-approve"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("✓ write the notification configuration of bucket uploads"),
        "{}",
        text(&o)
    );

    let o = run(&moto.url, dir.path(), &["plan", doc, "--detailed-exitcode"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let log = std::fs::read_to_string(dir.path().join("apply.log")).expect("apply log");
    assert_eq!(log.lines().count(), 1);
    assert!(!log.contains("testing"), "no credentials in the log");
}

#[tokio::test]
async fn a_saved_endpoint_connection_is_used_by_name() {
    let moto = Moto::start();
    let account = moto.account().await;
    create_bucket(&account, "saved").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        config.join("connections.json"),
        format!(r#"[{{"name": "Local sandbox", "region": "us-east-1", "kind": "endpoint", "url": "{}", "pathStyle": true}}]"#, moto.url),
    )
    .expect("connections");
    let out = dir.path().join("saved.json");
    let o = Command::new(env!("CARGO_BIN_EXE_bucketwire"))
        .args([
            "--connection",
            "Local sandbox",
            "import",
            "--bucket",
            "saved",
            "-o",
            out.to_str().expect("utf8"),
        ])
        .env("BUCKETWIRE_CONFIG_DIR", &config)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(out.exists());
    let o = Command::new(env!("CARGO_BIN_EXE_bucketwire"))
        .args(["--connection", "nope", "plan", out.to_str().expect("utf8")])
        .env("BUCKETWIRE_CONFIG_DIR", &config)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("no saved connection named \"nope\""),
        "{}",
        text(&o)
    );
}

#[test]
fn an_unreachable_endpoint_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = run(
        "http://127.0.0.1:9",
        dir.path(),
        &[
            "import",
            "-o",
            dir.path().join("x.json").to_str().expect("utf8"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o);
    assert!(out.contains("ListBuckets failed"), "{out}");
    assert!(out.to_lowercase().contains("connect"), "{out}");
    assert!(
        !dir.path().join("x.json").exists(),
        "nothing is written on failure"
    );
}

/// `--profile` with an assume-role profile (`role_arn` + `source_profile`
/// in the shared config): aws-config assumes the role through STS and the
/// import runs as that role. moto keeps one account per access key, so the
/// role's account (111122223333) sees its own bucket and not the bucket of
/// the base credentials' account.
#[tokio::test]
async fn an_assume_role_profile_imports_as_the_role() {
    let moto = Moto::start();
    let base = moto.account().await;
    create_bucket(&base, "base-account-bucket").await;
    // Make a bucket as the role, with the role's temporary credentials.
    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::Config::builder()
            .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
            .region(aws_sdk_sts::config::Region::new("us-east-1"))
            .endpoint_url(&moto.url)
            .credentials_provider(aws_sdk_sts::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .build(),
    );
    let assumed = sts
        .assume_role()
        .role_arn("arn:aws:iam::111122223333:role/deployer")
        .role_session_name("seed")
        .send()
        .await
        .expect("assume role");
    let creds = assumed.credentials().expect("credentials");
    let mut as_role = moto.target();
    as_role.access_key = Some((
        creds.access_key_id().to_string(),
        bucketwire_aws::Secret::new(creds.secret_access_key()),
    ));
    let role_account = bucketwire_aws::Account::connect(&as_role)
        .await
        .expect("connect");
    create_bucket(&role_account, "role-account-bucket").await;

    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[profile base]\naws_access_key_id = AKIDBASEEXAMPLE\naws_secret_access_key = base-secret\nregion = us-east-1\n\n\
         [profile deploy]\nrole_arn = arn:aws:iam::111122223333:role/deployer\nsource_profile = base\nregion = us-east-1\n",
    )
    .expect("write config");
    let doc = dir.path().join("imported.bucketwire.json");
    let o = Command::new(env!("CARGO_BIN_EXE_bucketwire"))
        .args(["--profile", "deploy", "import", "-o"])
        .arg(&doc)
        .env("AWS_CONFIG_FILE", &config)
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("no-credentials"),
        )
        .env("AWS_ENDPOINT_URL", &moto.url)
        .env("BUCKETWIRE_DATA_DIR", dir.path())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .stdin(Stdio::null())
        .output()
        .expect("run bucketwire");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let json: Value = serde_json::from_slice(&std::fs::read(&doc).expect("read")).expect("json");
    let buckets: Vec<(&str, &str)> = json["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap_or_default(),
                b["account"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(buckets, [("role-account-bucket", "111122223333")]);
    // The secret of the base profile is nowhere in what the CLI printed.
    assert!(!text(&o).contains("base-secret"));
}

/// docs/rules.md §13: a bucket whose configuration points at a deleted
/// function is blocked and named; the other buckets are planned and
/// applied; the blocked one is byte for byte as before; CI sees exit 1.
#[tokio::test]
async fn a_blocked_bucket_is_named_and_the_others_are_applied() {
    use bucketwire_aws::convert::notification_to_sdk;
    use bucketwire_core::live::{NotificationConfiguration, NotificationEntry};
    let moto = Moto::start();
    let account = moto.account().await;
    let role = create_role(&account, "resize-role").await;
    let function = create_function(&account, "resize", &role).await;
    create_bucket(&account, "good").await;
    create_bucket(&account, "broken").await;
    // moto accepts a destination that does not exist; S3 would not.
    let gone = "arn:aws:lambda:us-east-1:123456789012:function:deleted-long-ago";
    account
        .s3("us-east-1")
        .put_bucket_notification_configuration()
        .bucket("broken")
        .notification_configuration(notification_to_sdk(&NotificationConfiguration {
            lambda: vec![NotificationEntry {
                id: "old-trigger".into(),
                arn: gone.into(),
                events: vec!["s3:ObjectCreated:*".into()],
                prefix: None,
                suffix: None,
            }],
            ..Default::default()
        }))
        .send()
        .await
        .expect("seed broken");
    let broken_before = moto
        .request("GET", "/broken?notification", "")
        .expect("read broken");
    let dir = tempfile::tempdir().expect("tempdir");
    let doc_path = dir.path().join("account.bucketwire.json");
    let doc = doc_path.to_str().expect("utf8");
    let o = run(&moto.url, dir.path(), &["import", "-o", doc]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Wire the good bucket to the function.
    let mut json: Value =
        serde_json::from_slice(&std::fs::read(&doc_path).expect("read")).expect("json");
    let good = json["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .find(|b| b["name"] == "good")
        .and_then(|b| b["id"].as_str())
        .expect("good bucket")
        .to_string();
    json["functions"]
        .as_array_mut()
        .expect("functions")
        .push(serde_json::json!({"id": "resize", "arn": function, "role": role}));
    json["filters"].as_array_mut().expect("filters").push(
        serde_json::json!({"id": "jpg", "configurationId": "resize-jpg",
            "events": ["s3:ObjectCreated:*"], "suffix": ".jpg"}),
    );
    let edges = json["edges"].as_array_mut().expect("edges");
    edges.push(serde_json::json!({"from": good, "to": "jpg"}));
    edges.push(serde_json::json!({"from": "jpg", "to": "resize"}));
    std::fs::write(&doc_path, serde_json::to_vec_pretty(&json).expect("json")).expect("write");

    let o = run(&moto.url, dir.path(), &["plan", doc, "--detailed-exitcode"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("+ lambda \"resize-jpg\""), "{out}");
    assert!(
        out.contains("Blocked: 1 bucket left as they are until fixed:\nbucket broken (us-east-1)\n  ! function-not-found: function \"arn:aws:lambda:us-east-1:123456789012:function:deleted-long-ago\" was not found in the account: configuration \"old-trigger\" on bucket \"broken\" points at it"),
        "{out}"
    );
    // The blocked list is in the JSON plan too.
    let o = run(&moto.url, dir.path(), &["plan", doc, "--format", "json"]);
    let plan: Value = serde_json::from_slice(&o.stdout).expect("json plan");
    assert_eq!(plan["blocked"][0]["name"], "broken");
    assert_eq!(plan["blocked"][0]["kind"], "bucket");
    // Limited to the good bucket, nothing is blocked: changes pending.
    let o = run(
        &moto.url,
        dir.path(),
        &["plan", doc, "--bucket", "good", "--detailed-exitcode"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(!text(&o).contains("Blocked"), "{}", text(&o));
    let o = run(&moto.url, dir.path(), &["plan", doc, "--bucket", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("the document has no bucket named \"nope\""),
        "{}",
        text(&o)
    );

    let o = run(&moto.url, dir.path(), &["apply", doc, "--auto-approve"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(
            "1 blocked: applying the rest; the blocked ones are left exactly as they are."
        ),
        "{out}"
    );
    assert!(
        out.contains("✓ write the notification configuration of bucket good"),
        "{out}"
    );
    let good_now = moto.request("GET", "/good?notification", "").expect("good");
    assert!(good_now.contains("resize-jpg"), "{good_now}");
    assert_eq!(
        moto.request("GET", "/broken?notification", "")
            .expect("broken"),
        broken_before
    );
    // Planned again: nothing to change, the broken bucket still blocked.
    let o = run(&moto.url, dir.path(), &["plan", doc]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).starts_with("No changes for the buckets that can be planned."),
        "{}",
        text(&o)
    );
}

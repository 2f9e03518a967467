//! Exports: snapshot-tested, and each parsed back by a real parser or run
//! by a real interpreter (hcl-rs for Terraform, cfn-lint for CloudFormation,
//! bash for the CLI script, serde_json for S3).

use bucketwire_core::export::{cli, cloudformation, s3, terraform};
use bucketwire_core::{load, Wiring};
use expect_test::expect_file;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn two_buckets() -> Wiring {
    load(&std::fs::read(repo().join("examples/two-buckets.bucketwire.json")).expect("example"))
        .expect("valid")
}

#[test]
fn s3_snapshots_and_round_trip() {
    let configs = s3::notification_configurations(&two_buckets(), &[]).expect("export");
    let names: Vec<&str> = configs.iter().map(|(b, _)| b.as_str()).collect();
    assert_eq!(names, ["acme-uploads", "acme-logs"]);
    let text = serde_json::to_string_pretty(&configs[0].1).expect("json");
    expect_file!["snapshots/acme-uploads.s3.json"].assert_eq(&format!("{text}\n"));
    let back: serde_json::Value = serde_json::from_str(&text).expect("parses");
    // Foreign entries and the EventBridge switch are carried (docs/rules.md §3).
    assert_eq!(back["QueueConfigurations"][0]["Id"], "audit-queue");
    assert_eq!(
        back["TopicConfigurations"][0]["Filter"]["Key"]["FilterRules"][0]["Value"],
        "archive/"
    );
    assert_eq!(back["EventBridgeConfiguration"], serde_json::json!({}));
    assert_eq!(
        back["LambdaFunctionConfigurations"][0]["LambdaFunctionArn"],
        "arn:aws:lambda:eu-west-1:123456789012:function:thumbnailer:live"
    );
}

#[test]
fn terraform_snapshot_parses_with_hcl_and_orders_dependencies() {
    let text = terraform::configuration(&two_buckets(), &[]).expect("export");
    expect_file!["snapshots/two-buckets.tf"].assert_eq(&text);
    let body: hcl::Body = hcl::from_str(&text).expect("valid HCL");
    let resources: Vec<(String, String)> = body
        .blocks()
        .filter(|b| b.identifier() == "resource")
        .map(|b| {
            let labels: Vec<String> = b.labels().iter().map(|l| l.as_str().to_string()).collect();
            (labels[0].clone(), labels[1].clone())
        })
        .collect();
    let count = |kind: &str| resources.iter().filter(|(k, _)| k == kind).count();
    assert_eq!(count("aws_iam_role_policy"), 2);
    assert_eq!(count("aws_lambda_permission"), 3);
    assert_eq!(count("aws_s3_bucket_notification"), 2);
    let uploads = body
        .blocks()
        .find(|b| b.labels().get(1).map(|l| l.as_str()) == Some("acme_uploads"))
        .expect("uploads notification");
    let depends = uploads
        .body()
        .attributes()
        .find(|a| a.key() == "depends_on")
        .expect("depends_on");
    let deps = depends.expr().to_string();
    assert!(
        deps.contains("aws_lambda_permission.acme_uploads_thumbnails"),
        "{deps}"
    );
    assert!(
        deps.contains("aws_lambda_permission.acme_uploads_virus_scan"),
        "{deps}"
    );
    assert!(!deps.contains("acme_logs_ingest_logs"), "{deps}");
    // The function is configured before its events flow (§10, §8).
    assert_eq!(count("aws_lambda_function_event_invoke_config"), 1);
    assert_eq!(count("aws_lambda_function_recursion_config"), 1);
    assert!(
        deps.contains("aws_lambda_function_event_invoke_config.async_thumbnailer_live"),
        "{deps}"
    );
    assert!(
        deps.contains("aws_lambda_function_recursion_config.recursion_thumbnailer"),
        "{deps}"
    );
    assert_eq!(
        uploads
            .body()
            .blocks()
            .filter(|b| b.identifier() == "lambda_function")
            .count(),
        2
    );
    assert_eq!(
        uploads
            .body()
            .blocks()
            .filter(|b| b.identifier() == "queue")
            .count(),
        1
    );
    assert_eq!(
        uploads
            .body()
            .blocks()
            .filter(|b| b.identifier() == "topic")
            .count(),
        1
    );
}

#[test]
fn terraform_escapes_template_sequences() {
    let mut doc = two_buckets().to_document();
    doc.filters[1].prefix = Some("in${x}/%{y}\"q\\".into());
    let text =
        terraform::configuration(&Wiring::from_document(&doc).expect("doc"), &[]).expect("export");
    let body: hcl::Body = hcl::from_str(&text).expect("valid HCL");
    let prefix = body
        .blocks()
        .flat_map(|b| b.body().blocks())
        .flat_map(|b| b.body().attributes())
        .find(|a| a.key() == "filter_prefix" && a.expr().to_string().contains("in"))
        .expect("prefix");
    assert!(
        text.contains(r#"filter_prefix = "in$${x}/%%{y}\"q\\""#),
        "{}",
        prefix.expr()
    );
}

/// cfn-lint from PyPI, installed by `make deps` into `.venv-tools`.
fn cfn_lint() -> PathBuf {
    std::env::var_os("CFN_LINT")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv-tools/bin/cfn-lint"))
}

#[test]
fn cloudformation_snapshot_passes_cfn_lint() {
    let templates = cloudformation::templates(&two_buckets(), &[]).expect("export");
    let [(region, text)] = templates.as_slice() else {
        panic!("one region, one template: {templates:?}")
    };
    assert_eq!(region, "eu-west-1");
    expect_file!["snapshots/two-buckets.cfn.yaml"].assert_eq(text);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("template.yaml");
    std::fs::write(&path, text).expect("write");
    assert_cfn_lint(&path, region);
}

fn assert_cfn_lint(path: &Path, region: &str) {
    let lint = cfn_lint();
    let out = Command::new(&lint)
        .arg("--regions")
        .arg(region)
        .arg("--")
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} ({e}); run `make deps`", lint.display()));
    assert!(
        out.status.success(),
        "cfn-lint found problems in {}:\n{}{}",
        path.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn cli_script_runs_in_the_safe_order_with_a_recording_aws() {
    let text = cli::script(&two_buckets(), &[]).expect("export");
    expect_file!["snapshots/two-buckets.sh"].assert_eq(&text);
    // A stand-in `aws` answers the second add-permission with a 409, as
    // Lambda does for a duplicate statement id.
    let calls = run_with_recording_aws(
        &text,
        "if [ \"$2\" = add-permission ] && grep -q virus-scan <<<\"$*\"; then echo 'An error occurred (ResourceConflictException)' >&2; exit 254; fi",
    );
    let calls: Vec<Vec<&str>> = calls
        .iter()
        .map(|c| c.iter().map(String::as_str).collect())
        .collect();
    let order: Vec<String> = calls.iter().map(|c| format!("{} {}", c[0], c[1])).collect();
    assert_eq!(
        order,
        [
            "iam put-role-policy",
            "iam put-role-policy",
            "lambda add-permission",
            "lambda add-permission",
            "lambda add-permission",
            "lambda put-function-event-invoke-config",
            "lambda put-function-recursion-config",
            "s3api put-bucket-notification-configuration",
            "s3api put-bucket-notification-configuration",
        ]
    );
    // docs/rules.md §10: the function's async settings, on its alias, with
    // the on-failure destination as the CLI's JSON.
    let settings = calls[5].join(" ");
    assert!(
        settings.contains("--qualifier live --maximum-retry-attempts 1 --maximum-event-age-in-seconds 3600 --destination-config {\"OnFailure\":{\"Destination\":\"arn:aws:sqs:eu-west-1:123456789012:thumbnailer-failed\"}}"),
        "{settings}"
    );
    assert!(
        calls[6].join(" ").ends_with("--recursive-loop Terminate"),
        "{:?}",
        calls[6]
    );
    // The notification argument is exactly the S3 export.
    let last = &calls[7];
    let json_arg = last[last
        .iter()
        .position(|a| *a == "--notification-configuration")
        .expect("arg")
        + 1];
    let sent: serde_json::Value = serde_json::from_str(json_arg).expect("json argument");
    assert_eq!(
        sent,
        s3::notification_configurations(&two_buckets(), &[]).expect("export")[0].1
    );
    let first_permission = &calls[2];
    assert!(
        first_permission.contains(&"--qualifier") && first_permission.contains(&"live"),
        "{first_permission:?}"
    );
    assert!(first_permission.contains(&"--source-account"));
}

/// Runs the CLI script `text` with a stand-in `aws` on the PATH that
/// records each call (one argument per line) and then runs `answer` (bash,
/// with the call's arguments as `$@`); the calls, in order. The script
/// must pass `bash -n` and succeed.
fn run_with_recording_aws(text: &str, answer: &str) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("apply.sh");
    std::fs::write(&script, text).expect("write");
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .expect("bash");
    assert!(syntax.success(), "bash -n rejected the script");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("bin");
    let log = dir.path().join("calls.log");
    let fake = format!(
        "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" '---' >> {log}\n{answer}\n",
        log = log.display()
    );
    std::fs::write(bin.join("aws"), fake).expect("fake aws");
    Command::new("chmod")
        .arg("+x")
        .arg(bin.join("aws"))
        .status()
        .expect("chmod");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = Command::new("bash")
        .arg(&script)
        .env("PATH", path)
        .output()
        .expect("run script");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let calls = std::fs::read_to_string(&log).expect("log");
    calls
        .split("---\n")
        .filter(|c| !c.is_empty())
        .map(|c| c.lines().map(str::to_string).collect())
        .collect()
}

/// The value after `name` in a recorded call's arguments.
fn arg(call: &[String], name: &str) -> String {
    call[call.iter().position(|a| a == name).expect(name) + 1].clone()
}

/// The kinds of the resources of a Terraform body, in order.
fn resource_kinds(body: &hcl::Body) -> Vec<String> {
    body.blocks()
        .filter(|b| b.identifier() == "resource")
        .map(|b| b.labels()[0].as_str().to_string())
        .collect()
}

/// cfn-lint over one region's template.
fn lint_template(template: &str, region: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(format!("{region}.yaml"));
    std::fs::write(&path, template).expect("write");
    assert_cfn_lint(&path, region);
}

fn eventbridge_images() -> Wiring {
    load(
        &std::fs::read(repo().join("examples/eventbridge-images.bucketwire.json"))
            .expect("example"),
    )
    .expect("valid")
}

#[test]
fn cli_script_writes_a_rule_its_permission_and_targets_then_the_switch() {
    // docs/rules.md §14: the rule, the permission for it (its ARN as
    // SourceArn, as put-rule answered it), the targets, then the bucket's
    // configuration with the EventBridge switch on.
    let text = cli::script(&eventbridge_images(), &[]).expect("export");
    let arn = "arn:aws:events:us-east-1:123456789012:rule/acme-photos-images";
    let calls = run_with_recording_aws(
        &text,
        &format!("if [ \"$2\" = put-rule ]; then echo {arn}; fi"),
    );
    let order: Vec<String> = calls.iter().map(|c| format!("{} {}", c[0], c[1])).collect();
    assert_eq!(
        order,
        [
            "iam put-role-policy",
            "events put-rule",
            "lambda add-permission",
            "events put-targets",
            "s3api put-bucket-notification-configuration",
        ]
    );
    let pattern: serde_json::Value =
        serde_json::from_str(&arg(&calls[1], "--event-pattern")).expect("pattern JSON");
    assert_eq!(
        pattern["detail"]["bucket"]["name"],
        serde_json::json!(["acme-photos"])
    );
    assert_eq!(arg(&calls[2], "--principal"), "events.amazonaws.com");
    assert_eq!(arg(&calls[2], "--source-arn"), arn);
    let targets: serde_json::Value =
        serde_json::from_str(&arg(&calls[3], "--targets")).expect("targets JSON");
    assert_eq!(
        targets,
        serde_json::json!([{"Id": "bucketwire-resize", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:resize"}])
    );
    let config: serde_json::Value =
        serde_json::from_str(&arg(&calls[4], "--notification-configuration")).expect("json");
    assert_eq!(config, serde_json::json!({"EventBridgeConfiguration": {}}));
    // The role may read what the rule tells it about.
    let policy: serde_json::Value =
        serde_json::from_str(&arg(&calls[0], "--policy-document")).expect("json");
    assert_eq!(
        policy["Statement"][0]["Resource"],
        serde_json::json!(["arn:aws:s3:::acme-photos/uploads/*"])
    );
}

#[test]
fn terraform_and_cloudformation_write_the_rule_its_permission_and_targets() {
    // docs/rules.md §14, parsed by hcl-rs and checked by cfn-lint.
    let w = eventbridge_images();
    let text = terraform::configuration(&w, &[]).expect("export");
    expect_file!["snapshots/eventbridge-images.tf"].assert_eq(&text);
    let body: hcl::Body = hcl::from_str(&text).expect("valid HCL");
    let kinds = resource_kinds(&body);
    assert_eq!(
        kinds,
        [
            "aws_iam_role_policy",
            "aws_cloudwatch_event_rule",
            "aws_lambda_permission",
            "aws_cloudwatch_event_target",
            "aws_s3_bucket_notification",
        ]
    );
    let rule = body
        .blocks()
        .find(|b| b.labels()[0].as_str() == "aws_cloudwatch_event_rule")
        .expect("rule");
    let pattern = rule
        .body()
        .attributes()
        .find(|a| a.key() == "event_pattern")
        .expect("event_pattern");
    let hcl::Expression::TemplateExpr(template) = pattern.expr() else {
        panic!("{:?}", pattern.expr())
    };
    let pattern: serde_json::Value =
        serde_json::from_str(&template.to_string().replace("$${", "${")).expect("pattern JSON");
    assert_eq!(
        pattern["detail"]["bucket"]["name"],
        serde_json::json!(["acme-photos"])
    );

    let templates = cloudformation::templates(&w, &[]).expect("export");
    assert_eq!(templates.len(), 1);
    expect_file!["snapshots/eventbridge-images.cfn.yaml"].assert_eq(&templates[0].1);
    lint_template(&templates[0].1, "us-east-1");
}

const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];

/// An account's shape: in each of three regions a wired bucket (to that
/// region's function, all sharing one role) and three buckets without
/// notifications, as an import brings them.
fn three_regions() -> Wiring {
    let mut buckets = Vec::new();
    let mut filters = Vec::new();
    let mut functions = Vec::new();
    let mut edges = Vec::new();
    for region in REGIONS {
        let arn = format!("arn:aws:lambda:{region}:123456789012:function:ingest");
        buckets.push(serde_json::json!({"id": format!("b-{region}"), "name": format!("logs-{region}"), "region": region, "account": "123456789012"}));
        for i in 0..3 {
            buckets.push(serde_json::json!({"id": format!("quiet-{region}-{i}"), "name": format!("quiet-{region}-{i}"), "region": region}));
        }
        filters.push(serde_json::json!({"id": format!("f-{region}"), "configurationId": "ingest", "events": ["s3:ObjectCreated:*"], "suffix": ".gz"}));
        functions.push(serde_json::json!({"id": format!("fn-{region}"), "arn": arn, "role": "arn:aws:iam::123456789012:role/ingest",
            "asyncInvoke": {"maximumRetryAttempts": 0}}));
        edges.push(serde_json::json!({"from": format!("b-{region}"), "to": format!("f-{region}")}));
        edges
            .push(serde_json::json!({"from": format!("f-{region}"), "to": format!("fn-{region}")}));
    }
    let doc = serde_json::json!({"version": 1, "buckets": buckets, "filters": filters, "functions": functions, "edges": edges});
    load(doc.to_string().as_bytes()).expect("valid")
}

#[test]
fn exports_of_an_account_write_only_managed_buckets() {
    let wiring = three_regions();
    let names = |only: &[String]| -> Vec<String> {
        s3::notification_configurations(&wiring, only)
            .expect("export")
            .into_iter()
            .map(|(b, _)| b)
            .collect()
    };
    assert_eq!(
        names(&[]),
        ["logs-us-east-1", "logs-eu-west-1", "logs-ap-southeast-2"]
    );
    // The user can choose, an unwired bucket included.
    let chosen = [
        "quiet-eu-west-1-0".to_string(),
        "logs-eu-west-1".to_string(),
    ];
    assert_eq!(names(&chosen), ["logs-eu-west-1", "quiet-eu-west-1-0"]);
    let err = s3::notification_configurations(&wiring, &["nope".to_string()]).expect_err("unknown");
    assert!(err
        .to_string()
        .starts_with("the document has no bucket named \"nope\""));
    let script = cli::script(&wiring, &[]).expect("script");
    assert_eq!(
        script
            .matches("aws s3api put-bucket-notification-configuration")
            .count(),
        3
    );
    assert!(!script.contains("quiet-"));
    // Chosen buckets bring only the settings of the functions they invoke.
    let only = ["logs-eu-west-1".to_string()];
    let script = cli::script(&wiring, &only).expect("script");
    assert_eq!(
        script.matches("put-function-event-invoke-config").count(),
        1
    );
    assert!(script.contains("arn:aws:lambda:eu-west-1:123456789012:function:ingest"));
}

#[test]
fn terraform_has_one_provider_per_region_and_each_resource_on_its_own() {
    let text = terraform::configuration(&three_regions(), &[]).expect("export");
    let body: hcl::Body = hcl::from_str(&text).expect("valid HCL");
    let providers: Vec<(String, String)> = body
        .blocks()
        .filter(|b| b.identifier() == "provider")
        .map(|b| {
            let attr = |k: &str| {
                b.body()
                    .attributes()
                    .find(|a| a.key() == k)
                    .map(|a| a.expr().to_string().trim_matches('"').to_string())
                    .unwrap_or_default()
            };
            (attr("alias"), attr("region"))
        })
        .collect();
    assert_eq!(
        providers,
        [
            ("ap_southeast_2".to_string(), "ap-southeast-2".to_string()),
            ("eu_west_1".to_string(), "eu-west-1".to_string()),
            ("us_east_1".to_string(), "us-east-1".to_string()),
        ]
    );
    let mut checked = 0;
    for block in body.blocks().filter(|b| b.identifier() == "resource") {
        let kind = block.labels()[0].as_str().to_string();
        let attr = |k: &str| {
            block
                .body()
                .attributes()
                .find(|a| a.key() == k)
                .map(|a| a.expr().to_string().trim_matches('"').to_string())
                .unwrap_or_default()
        };
        let provider = attr("provider");
        // Where the resource lives: the bucket's or the function's region.
        let region = match kind.as_str() {
            "aws_s3_bucket_notification" => attr("bucket").trim_start_matches("logs-").to_string(),
            "aws_iam_role_policy" => "ap-southeast-2".to_string(),
            _ => attr("function_name")
                .split(':')
                .nth(3)
                .expect("function arn")
                .to_string(),
        };
        assert_eq!(
            provider,
            format!("aws.{}", region.replace('-', "_")),
            "{kind}: {text}"
        );
        checked += 1;
    }
    // One role policy, three permissions, three async settings, three notifications.
    assert_eq!(checked, 10, "{text}");
    assert!(!text.contains("quiet-"));
}

#[test]
fn cloudformation_is_one_template_per_region_each_passing_cfn_lint() {
    let templates = cloudformation::templates(&three_regions(), &[]).expect("export");
    let regions: Vec<&str> = templates.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(regions, ["ap-southeast-2", "eu-west-1", "us-east-1"]);
    let dir = tempfile::tempdir().expect("tempdir");
    for (region, text) in &templates {
        assert_eq!(
            text.matches("Type: AWS::S3::Bucket").count(),
            1,
            "{region}: {text}"
        );
        assert!(
            text.contains(&format!("BucketName: \"logs-{region}\"")),
            "{text}"
        );
        assert!(!text.contains("quiet-"), "{text}");
        // IAM is global: the role's policy is in one template, the others say where.
        let has_policy = text.contains("Type: AWS::IAM::RolePolicy");
        assert_eq!(has_policy, region == "ap-southeast-2", "{region}: {text}");
        if !has_policy {
            assert!(text.contains("is in the ap-southeast-2 template"), "{text}");
        }
        let path = dir.path().join(format!("{region}.yaml"));
        std::fs::write(&path, text).expect("write");
        assert_cfn_lint(&path, region);
    }
}

fn sns_fanout() -> Wiring {
    load(&std::fs::read(repo().join("examples/sns-fanout.bucketwire.json")).expect("example"))
        .expect("valid")
}

#[test]
fn cli_script_writes_the_topic_its_policy_permissions_and_subscriptions_then_the_bucket() {
    // docs/rules.md §15: the topic, its policy letting S3 publish for the
    // bucket, each subscriber's permission for the topic and its
    // subscription, then the bucket's entry naming the topic.
    let text = cli::script(&sns_fanout(), &[]).expect("export");
    let topic = "arn:aws:sns:us-east-1:123456789012:acme-uploads-incoming";
    let calls = run_with_recording_aws(
        &text,
        &format!("if [ \"$2\" = create-topic ]; then echo {topic}; fi"),
    );
    let order: Vec<String> = calls.iter().map(|c| format!("{} {}", c[0], c[1])).collect();
    assert_eq!(
        order,
        [
            "iam put-role-policy",
            "iam put-role-policy",
            "sns create-topic",
            "sns set-topic-attributes",
            "lambda add-permission",
            "sns subscribe",
            "lambda add-permission",
            "sns subscribe",
            "s3api put-bucket-notification-configuration",
        ]
    );
    let policy: serde_json::Value =
        serde_json::from_str(&arg(&calls[3], "--attribute-value")).expect("policy JSON");
    let ours = &policy["Statement"][1];
    assert_eq!(ours["Principal"]["Service"], "s3.amazonaws.com");
    assert_eq!(
        ours["Condition"]["ArnLike"]["aws:SourceArn"],
        "arn:aws:s3:::acme-uploads"
    );
    assert_eq!(arg(&calls[4], "--principal"), "sns.amazonaws.com");
    assert_eq!(arg(&calls[4], "--source-arn"), topic);
    assert_eq!(arg(&calls[5], "--topic-arn"), topic);
    assert_eq!(arg(&calls[5], "--protocol"), "lambda");
    let config: serde_json::Value =
        serde_json::from_str(&arg(&calls[8], "--notification-configuration")).expect("json");
    assert_eq!(config["TopicConfigurations"][0]["TopicArn"], topic);
    assert_eq!(config["TopicConfigurations"][0]["Id"], "new-uploads");
}

#[test]
fn terraform_and_cloudformation_write_the_topic_policy_and_subscriptions() {
    // docs/rules.md §15, parsed by hcl-rs and checked by cfn-lint.
    let w = sns_fanout();
    let text = terraform::configuration(&w, &[]).expect("export");
    expect_file!["snapshots/sns-fanout.tf"].assert_eq(&text);
    let body: hcl::Body = hcl::from_str(&text).expect("valid HCL");
    let kinds = resource_kinds(&body);
    assert_eq!(
        kinds,
        [
            "aws_iam_role_policy",
            "aws_iam_role_policy",
            "aws_sns_topic",
            "aws_lambda_permission",
            "aws_sns_topic_subscription",
            "aws_lambda_permission",
            "aws_sns_topic_subscription",
            "aws_sns_topic_policy",
            "aws_s3_bucket_notification",
        ]
    );
    let bucket = body
        .blocks()
        .find(|b| b.labels()[0].as_str() == "aws_s3_bucket_notification")
        .expect("bucket");
    let depends = bucket
        .body()
        .attributes()
        .find(|a| a.key() == "depends_on")
        .expect("depends_on");
    assert!(
        depends.expr().to_string().contains("aws_sns_topic_policy."),
        "the bucket waits for the topic's policy: {}",
        depends.expr()
    );

    let templates = cloudformation::templates(&w, &[]).expect("export");
    assert_eq!(templates.len(), 1);
    expect_file!["snapshots/sns-fanout.cfn.yaml"].assert_eq(&templates[0].1);
    lint_template(&templates[0].1, "us-east-1");
}

fn sqs_buffer() -> Wiring {
    load(&std::fs::read(repo().join("examples/sqs-buffer.bucketwire.json")).expect("example"))
        .expect("valid")
}

#[test]
fn cli_script_writes_the_queues_consume_policy_and_mapping_then_the_bucket() {
    // docs/rules.md §16: the read and consume policies, the dead-letter
    // queue, the queue with its policy and attributes, the mapping, then
    // the bucket's entry naming the queue.
    let text = cli::script(&sqs_buffer(), &[]).expect("export");
    let calls = run_with_recording_aws(
        &text,
        "if [ \"$2\" = create-queue ]; then echo https://queue.example/acme; fi",
    );
    let order: Vec<String> = calls.iter().map(|c| format!("{} {}", c[0], c[1])).collect();
    assert_eq!(
        order,
        [
            "iam put-role-policy",
            "iam put-role-policy",
            "sqs create-queue",
            "sqs create-queue",
            "sqs set-queue-attributes",
            "lambda create-event-source-mapping",
            "s3api put-bucket-notification-configuration",
        ]
    );
    assert_eq!(arg(&calls[1], "--policy-name"), "bucketwire-sqs-consume");
    assert_eq!(arg(&calls[2], "--queue-name"), "acme-uploads-events-dlq");
    let attributes: serde_json::Value =
        serde_json::from_str(&arg(&calls[4], "--attributes")).expect("attributes JSON");
    assert_eq!(attributes["VisibilityTimeout"], "180");
    let policy: serde_json::Value =
        serde_json::from_str(attributes["Policy"].as_str().expect("text")).expect("policy");
    assert_eq!(policy["Statement"][0]["Action"], "SQS:SendMessage");
    assert_eq!(arg(&calls[5], "--batch-size"), "100");
    assert!(calls[5].contains(&"ReportBatchItemFailures".to_string()));
    assert_eq!(arg(&calls[5], "--scaling-config"), "MaximumConcurrency=10");
    let config: serde_json::Value =
        serde_json::from_str(&arg(&calls[6], "--notification-configuration")).expect("json");
    assert_eq!(
        config["QueueConfigurations"][0]["QueueArn"],
        "arn:aws:sqs:us-east-1:123456789012:acme-uploads-events"
    );
}

#[test]
fn terraform_and_cloudformation_write_the_queue_mapping_and_policy() {
    // docs/rules.md §16, parsed by hcl-rs and checked by cfn-lint.
    let w = sqs_buffer();
    let text = terraform::configuration(&w, &[]).expect("export");
    expect_file!["snapshots/sqs-buffer.tf"].assert_eq(&text);
    let body: hcl::Body = hcl::from_str(&text).expect("valid HCL");
    assert_eq!(
        resource_kinds(&body),
        [
            "aws_iam_role_policy",
            "aws_sqs_queue",
            "aws_sqs_queue",
            "aws_iam_role_policy",
            "aws_lambda_event_source_mapping",
            "aws_sqs_queue_policy",
            "aws_s3_bucket_notification",
        ]
    );
    let templates = cloudformation::templates(&w, &[]).expect("export");
    assert_eq!(templates.len(), 1);
    expect_file!["snapshots/sqs-buffer.cfn.yaml"].assert_eq(&templates[0].1);
    lint_template(&templates[0].1, "us-east-1");
}

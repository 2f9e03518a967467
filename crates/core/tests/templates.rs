//! Templates read as documents and linted (docs/rules.md §17): every
//! fixture under `tests/templates/` with the findings and places it must
//! get, the reader's refusals of bad input, and SAM read directly against
//! the wiring SAM's own translator produces (`tests/templates/translated/`,
//! written by `scripts/translate-sam.py`).

use bucketwire_core::sources::cloudformation::intrinsics::Target;
use bucketwire_core::sources::{self, LintFinding, Reading, SourceError};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/templates")
        .join(name)
}

fn read(name: &str) -> Reading {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture");
    sources::read(name, &text, &Target::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn lint(name: &str) -> Vec<LintFinding> {
    sources::lint(&read(name)).expect("a valid wiring")
}

/// Each finding as `rule@line:resource` of its first place.
fn placed(findings: &[LintFinding]) -> Vec<String> {
    let mut out: Vec<String> = findings
        .iter()
        .map(|f| match f.locations.first() {
            Some(l) => format!("{}@{}:{}", f.finding.rule, l.line, l.resource),
            None => format!("{}@-", f.finding.rule),
        })
        .collect();
    out.sort();
    out
}

fn check(name: &str, expected: &[&str]) {
    let got = placed(&lint(name));
    assert_eq!(
        got,
        expected,
        "{name}: {:#?}",
        lint(name)
            .iter()
            .map(|f| &f.finding.message)
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_correct_template_reads_as_its_wiring_with_no_finding() {
    check("cfn-lambda-ok.yaml", &[]);
    let r = read("cfn-lambda-ok.yaml");
    let d = &r.document;
    assert_eq!(d.buckets.len(), 1);
    assert_eq!(d.buckets[0].name, "acme-uploads", "the parameter's default");
    assert_eq!(d.filters[0].prefix.as_deref(), Some("incoming/"));
    assert_eq!(
        d.functions[0].arn,
        "arn:aws:lambda:us-east-1:123456789012:function:resize"
    );
    assert_eq!(
        d.functions[0].role.as_deref(),
        Some("arn:aws:iam::123456789012:role/${ResizeRole}")
    );
    // Each card remembers where it is written.
    let bucket = &r.origins[&d.buckets[0].id];
    assert_eq!((bucket.line, bucket.resource.as_str()), (9, "Uploads"));
    let filter = &r.origins[&d.filters[0].id];
    assert_eq!(filter.line, 16);
}

#[test]
fn the_circle_is_named_with_each_reference_and_where_to_break_it() {
    let findings = lint("broken/cfn-circular.yaml");
    let circle = findings
        .iter()
        .find(|f| f.finding.rule == "circular-dependency")
        .expect("a circle");
    for name in ["Uploads", "Resize", "ResizeRole", "ResizePermission"] {
        assert!(
            circle.finding.message.contains(name),
            "{}",
            circle.finding.message
        );
    }
    assert!(
        circle.finding.message.contains("BucketName"),
        "says how to break it"
    );
    assert!(circle
        .locations
        .iter()
        .all(|l| l.file == "broken/cfn-circular.yaml" && l.line > 0));
    assert!(circle.locations.len() >= 2);
    // The first place is the reference to the bucket: where to break it.
    assert!(
        circle.finding.message.contains("refers to the bucket"),
        "{}",
        circle.finding.message
    );
}

#[test]
fn each_broken_template_gets_its_findings_at_its_lines() {
    check(
        "broken/cfn-no-depends-on.yaml",
        &["notification-before-destination@10:Uploads"],
    );
    check(
        "broken/cfn-overlap-no-permission.yaml",
        &[
            "missing-invoke-permission@11:Logs",
            "missing-invoke-permission@16:Logs",
            "overlapping-configurations@11:Logs",
            "role-cannot-read-objects@11:Logs",
            "role-cannot-read-objects@16:Logs",
        ],
    );
    check(
        "broken/sam-undeclared-bucket.yaml",
        &["sam-bucket-not-in-template@15:Scan"],
    );
    check(
        "broken/cfn-eventbridge-every-bucket.yaml",
        &[
            "incomplete-configuration@11:OnAnyObject",
            "rule-matches-every-bucket@14:OnAnyObject",
        ],
    );
}

#[test]
fn a_queue_between_bucket_and_function_is_checked_like_an_account_s() {
    let got = placed(&lint("broken/cfn-sqs.yaml"));
    for expected in [
        "visibility-timeout-too-short",
        "permission-without-source-arn",
        "permission-without-source-account",
        "no-dead-letter-queue",
    ] {
        assert!(
            got.iter().any(|g| g.starts_with(expected)),
            "{expected} in {got:?}"
        );
    }
    let r = read("broken/cfn-sqs.yaml");
    assert_eq!(r.document.queues.len(), 1, "drawn as a queue card");
    assert_eq!(r.document.queues[0].visibility_timeout_seconds, Some(30));
}

#[test]
fn sam_functions_expand_into_what_sam_generates() {
    let r = read("sam-s3.yaml");
    assert!(r.sam);
    let d = &r.document;
    assert_eq!(d.buckets[0].name, "acme-photos");
    assert_eq!(d.filters[0].suffix.as_deref(), Some(".jpg"));
    assert_eq!(
        d.functions[0].arn,
        "arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail"
    );
    let live = d.live.as_ref().expect("facts");
    let f = &live.functions[0];
    assert_eq!(f.timeout_seconds, Some(20), "from Globals");
    assert_eq!(f.policy_statements.len(), 1, "SAM's permission");
    // SAM's permission has SourceAccount but no SourceArn; the role reads
    // the bucket through S3ReadPolicy.
    check(
        "sam-s3.yaml",
        &["permission-without-source-arn@27:Thumbnail"],
    );
}

#[test]
fn sam_s_classic_circle_is_caught() {
    let got = placed(&lint("broken/sam-circular.yaml"));
    assert!(
        got.iter().any(|g| g.starts_with("circular-dependency")),
        "{got:?}"
    );
}

fn refused(text: &str) -> SourceError {
    sources::read("bad.yaml", text, &Target::default()).expect_err("refused")
}

fn message(e: &SourceError) -> String {
    e.to_string()
}

#[test]
fn bad_input_is_refused_with_file_and_line() {
    let e = refused("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: [unclosed\n");
    assert!(message(&e).starts_with("bad.yaml:"), "{e}");
    let e = refused("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Bogus x\n");
    assert!(
        message(&e).contains("bad.yaml:5:") && message(&e).contains("unknown tag !Bogus"),
        "{e}"
    );
    let e = refused("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: {\"Fn::Bogus\": x}\n");
    assert!(
        message(&e).contains("unknown intrinsic function Fn::Bogus"),
        "{e}"
    );
    let e = refused("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Nowhere\n");
    assert!(message(&e).contains("Ref Nowhere"), "{e}");
    let e = refused("Description: no resources\n");
    assert!(message(&e).contains("not a CloudFormation template"), "{e}");
    let e = refused("Resources:\n  B:\n    Properties: {}\n");
    assert!(message(&e).contains("has no Type"), "{e}");
    let deep = format!("Resources: {}{}", "[".repeat(500), "]".repeat(500));
    let e = message(&refused(&deep));
    assert!(e.contains("nested") || e.contains("recursion limit"), "{e}");
    let mut bomb = String::from("x: &a [l, l, l, l, l, l, l, l, l, l]\n");
    for i in 0..8 {
        let p = if i == 0 {
            "a".to_string()
        } else {
            format!("b{}", i - 1)
        };
        bomb +=
            &format!("y{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n");
    }
    bomb += "Resources: {}\n";
    assert!(message(&refused(&bomb)).contains("alias bomb"));
    let big = "#".repeat(sources::MAX_TEMPLATE_BYTES + 1);
    assert!(matches!(refused(&big), SourceError::TooLarge { .. }));
}

#[test]
fn a_cdk_template_s_custom_notifications_are_read() {
    let text = r#"{"Resources": {
      "Bucket83908E77": {"Type": "AWS::S3::Bucket"},
      "BucketNotifications8F2E257D": {"Type": "Custom::S3BucketNotifications",
        "Properties": {"ServiceToken": {"Fn::GetAtt": ["Handler", "Arn"]}, "BucketName": {"Ref": "Bucket83908E77"},
          "NotificationConfiguration": {"LambdaFunctionConfigurations": [{"Events": ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": ".png"}]}},
            "LambdaFunctionArn": {"Fn::GetAtt": ["Fn9270CBC0", "Arn"]}}]}, "Managed": true},
        "DependsOn": ["BucketAllowBucketNotificationsToFn"]},
      "Handler": {"Type": "AWS::Lambda::Function", "Properties": {"Role": "arn:aws:iam::123456789012:role/handler"}},
      "Fn9270CBC0": {"Type": "AWS::Lambda::Function", "Properties": {"Role": "arn:aws:iam::123456789012:role/fn"}},
      "BucketAllowBucketNotificationsToFn": {"Type": "AWS::Lambda::Permission", "Properties": {
        "Action": "lambda:InvokeFunction", "FunctionName": {"Fn::GetAtt": ["Fn9270CBC0", "Arn"]},
        "Principal": "s3.amazonaws.com", "SourceAccount": {"Ref": "AWS::AccountId"},
        "SourceArn": {"Fn::GetAtt": ["Bucket83908E77", "Arn"]}}}}}"#;
    let r = sources::read("cdk.out/App.template.json", text, &Target::default()).expect("reads");
    assert_eq!(r.document.buckets.len(), 1);
    assert_eq!(r.document.filters.len(), 1);
    assert_eq!(r.document.filters[0].suffix.as_deref(), Some(".png"));
    let findings = sources::lint(&r).expect("lint");
    assert!(
        !findings
            .iter()
            .any(|f| f.finding.rule == "missing-invoke-permission"),
        "the permission is read: {:?}",
        placed(&findings)
    );
}

/// SAM's own translator's output for a fixture (tests/support/sam_translate.py
/// in the tools' venv), or its refusal.
fn sam_translated(name: &str) -> Result<String, String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = std::env::var_os("BUCKETWIRE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join(".venv-tools/bin/python"));
    let out = std::process::Command::new(&python)
        .arg(repo.join("tests/support/sam_translate.py"))
        .arg(fixture(name))
        .args(["us-east-1", "123456789012"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} ({e}); run `make deps`", python.display()));
    if out.status.success() {
        Ok(String::from_utf8(out.stdout).expect("utf-8"))
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The parts of a reading both ways must agree on: the document without
/// the roles' policy texts (SAM words its policy templates its own way),
/// whether each role may read each bucket's objects, and the findings.
fn wiring_of(r: &Reading) -> (serde_json::Value, Vec<(String, String, bool)>, Vec<String>) {
    use bucketwire_core::model::policy::evaluate::evaluate;
    let mut doc = serde_json::to_value(&r.document).expect("json");
    let live = r.document.live.as_ref().expect("facts");
    let mut reads = Vec::new();
    for role in &live.roles {
        for b in &r.document.buckets {
            let object = format!("arn:aws:s3:::{}/photo.jpg", b.name);
            let docs = role.policies.iter().map(|p| &p.document);
            reads.push((
                role.arn.clone(),
                b.name.clone(),
                evaluate(docs, "s3:GetObject", &object).allowed(),
            ));
        }
    }
    doc["live"]["roles"] = serde_json::Value::Null;
    let mut findings: Vec<String> = sources::lint(r)
        .expect("lint")
        .iter()
        .map(|f| format!("{} {:?}", f.finding.rule, f.finding.subjects))
        .collect();
    findings.sort();
    (doc, reads, findings)
}

#[test]
fn sam_read_directly_is_sam_s_own_translation() {
    for name in ["sam-s3.yaml", "broken/sam-circular.yaml"] {
        let direct = read(name);
        let translated =
            sam_translated(name).unwrap_or_else(|e| panic!("{name}: SAM refuses it: {e}"));
        let via_sam =
            sources::read(name, &translated, &Target::default()).expect("the translation reads");
        assert!(!via_sam.sam, "the translation is plain CloudFormation");
        assert_eq!(wiring_of(&direct), wiring_of(&via_sam), "{name}");
    }
    // Where SAM refuses the template, so does the lint.
    let refusal = sam_translated("broken/sam-undeclared-bucket.yaml").expect_err("SAM refuses it");
    assert!(
        refusal.contains("S3 events must reference an S3 bucket in the same template"),
        "{refusal}"
    );
    assert!(lint("broken/sam-undeclared-bucket.yaml")
        .iter()
        .any(|f| f.finding.rule == "sam-bucket-not-in-template"));
}

#[test]
fn public_templates_open_with_every_path() {
    // AWS's serverless-patterns (tests/templates/public/README.md).
    let lambda = read("public/s3-lambda.yaml");
    let d = &lambda.document;
    assert_eq!(
        (
            d.buckets.len(),
            d.filters.len(),
            d.functions.len(),
            d.edges.len()
        ),
        (1, 1, 1, 2)
    );
    assert_eq!(
        d.buckets[0].name, "${SrcBucket}",
        "CloudFormation names it: a placeholder"
    );
    // SAM's permission has no SourceArn; AWSLambdaExecute lets the function
    // write back into the bucket that triggers it (the AWS tutorial's warning).
    check(
        "public/s3-lambda.yaml",
        &[
            "permission-without-source-arn@13:CreateThumbnail",
            "recursive-trigger@13:CreateThumbnail",
        ],
    );

    let sqs = read("public/s3-sqs-lambda.yaml");
    let d = &sqs.document;
    assert_eq!(d.buckets.len(), 2, "source and destination");
    assert_eq!(d.queues.len(), 1);
    assert_eq!(
        d.queues[0].visibility_timeout_seconds,
        Some(30),
        "SQS's default"
    );
    assert!(
        d.edges.iter().any(|e| e.from == d.queues[0].id),
        "the queue's mapping to the function"
    );
    check(
        "public/s3-sqs-lambda.yaml",
        &[
            "no-dead-letter-queue@37:ResizerQueue",
            "partial-batch-failures-off@37:ResizerQueue",
        ],
    );

    // The topic has no subscriber here, and its policy no SourceAccount.
    let sns = read("public/s3-sns.yaml");
    assert_eq!(sns.document.topics.len(), 1);
    check(
        "public/s3-sns.yaml",
        &[
            "incomplete-configuration@22:SNSTopic",
            "permission-without-source-account@22:SNSTopic",
        ],
    );
}

#[test]
fn a_mangled_template_is_refused_or_read_never_a_panic() {
    // Every fixture cut short at many places, and with characters that
    // matter to YAML swapped in: each is read or refused with a message.
    let mut tried = 0;
    for name in [
        "cfn-lambda-ok.yaml",
        "sam-s3.yaml",
        "broken/cfn-circular.yaml",
        "broken/cfn-overlap-no-permission.yaml",
        "broken/cfn-sqs.yaml",
    ] {
        let text = std::fs::read_to_string(fixture(name)).expect("fixture");
        let cuts = (0..text.len())
            .step_by(7)
            .filter(|&i| text.is_char_boundary(i));
        for cut in cuts {
            let _ =
                sources::read(name, &text[..cut], &Target::default()).map(|r| sources::lint(&r));
            tried += 1;
        }
        for (i, c) in text.char_indices().step_by(11) {
            for swap in [":", "!", "&a ", "*a", "{", "[", "'", "\t", "- "] {
                let mangled = format!("{}{swap}{}", &text[..i], &text[i + c.len_utf8()..]);
                let _ =
                    sources::read(name, &mangled, &Target::default()).map(|r| sources::lint(&r));
                tried += 1;
            }
        }
    }
    assert!(tried > 1000, "{tried}");
}

fn read_module(dir: &str) -> Reading {
    let root = fixture(dir);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&root)
        .expect("module")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .map(|p| {
            let name = format!(
                "{dir}/{}",
                p.file_name().and_then(|n| n.to_str()).unwrap_or_default()
            );
            (name, std::fs::read_to_string(&p).expect("tf"))
        })
        .collect();
    files.sort();
    sources::read_terraform(dir, &files, &Target::default())
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
}

#[test]
fn a_terraform_module_reads_as_its_wiring_across_its_files() {
    let r = read_module("terraform/ok");
    let d = &r.document;
    assert_eq!(d.buckets.len(), 1);
    assert_eq!(
        d.buckets[0].name, "acme-tf-uploads",
        "the variable's default"
    );
    assert_eq!(d.filters[0].prefix.as_deref(), Some("incoming/"));
    assert_eq!(
        d.functions[0].arn,
        "arn:aws:lambda:us-east-1:123456789012:function:tf-resize"
    );
    let live = d.live.as_ref().expect("facts");
    assert_eq!(
        live.functions[0].policy_statements.len(),
        1,
        "the permission"
    );
    assert_eq!(
        live.roles[0].policies.len(),
        1,
        "aws_iam_role_policy, from jsonencode"
    );
    // The filter is placed in the file that writes it.
    let filter = &r.origins[&d.filters[0].id];
    assert_eq!(
        (filter.file.as_str(), filter.line),
        ("terraform/ok/notifications.tf", 13)
    );
    let findings = sources::lint(&r).expect("lint");
    assert!(findings.is_empty(), "{:?}", placed(&findings));
}

#[test]
fn terraform_s_own_mistakes_are_caught_where_they_are_written() {
    let findings = sources::lint(&read_module("terraform/broken")).expect("lint");
    let got = placed(&findings);
    for expected in [
        "duplicate-bucket-notification@34:aws_s3_bucket_notification.app_logs",
        "notification-before-destination@36:aws_s3_bucket_notification.app_logs",
        "notification-before-destination@45:aws_s3_bucket_notification.audit_logs",
        "permission-without-source-account@36:aws_s3_bucket_notification.app_logs",
        "permission-without-source-arn@51:aws_sqs_queue.audit",
    ] {
        assert!(got.iter().any(|g| g == expected), "{expected} in {got:?}");
    }
    let dup = findings
        .iter()
        .find(|f| f.finding.rule == "duplicate-bucket-notification")
        .expect("dup");
    assert_eq!(dup.locations.len(), 2, "both resources");
    assert!(dup.finding.message.contains("merge them"));
    let before = findings
        .iter()
        .find(|f| f.finding.rule == "notification-before-destination")
        .expect("order");
    assert!(
        before
            .finding
            .message
            .contains("add depends_on = [aws_lambda_permission.from_logs]"),
        "{}",
        before.finding.message
    );
}

#[test]
fn text_that_is_not_hcl_is_refused_with_its_place() {
    let files = vec![(
        "bad/main.tf".to_string(),
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n".to_string(),
    )];
    let e = sources::read_terraform("bad", &files, &Target::default()).expect_err("refused");
    assert!(e.to_string().starts_with("bad/main.tf:"), "{e}");
}

#[test]
fn a_heredoc_policy_with_references_is_read_as_its_document() {
    // The usual Terraform of older modules: the policy as a heredoc with
    // the bucket's ARN interpolated.
    let tf = r#"
resource "aws_s3_bucket" "in" {
  bucket = "acme-heredoc"
}
resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy" "read" {
  role   = aws_iam_role.fn.id
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${aws_s3_bucket.in.arn}/*"}]}
EOF
}
resource "aws_lambda_function" "fn" {
  function_name = "heredoc-fn"
  role          = aws_iam_role.fn.arn
}
resource "aws_lambda_permission" "s3" {
  function_name  = aws_lambda_function.fn.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.in.arn
  source_account = "123456789012"
}
resource "aws_s3_bucket_notification" "in" {
  bucket = aws_s3_bucket.in.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.fn.arn
    events              = ["s3:ObjectCreated:*"]
  }
  depends_on = [aws_lambda_permission.s3]
}
"#;
    let files = vec![("heredoc/main.tf".to_string(), tf.to_string())];
    let r = sources::read_terraform("heredoc", &files, &Target::default()).expect("reads");
    let findings = sources::lint(&r).expect("lint");
    assert!(
        findings.is_empty(),
        "the role reads the bucket: {:?}",
        placed(&findings)
    );
}

#[test]
fn a_bucket_key_that_ignores_iam_is_caught_in_the_template() {
    // docs/rules.md §18: the key, its alias and the bucket's encryption
    // are read from the template; the role's own kms:Decrypt does nothing
    // because the key policy names only an admin role.
    let r = read("cfn-kms.yaml");
    let live = r
        .document
        .live
        .as_ref()
        .expect("the template's own resources");
    let [encryption] = live.bucket_encryption.as_slice() else {
        panic!("{:?}", live.bucket_encryption)
    };
    assert_eq!(encryption.bucket, "acme-uploads");
    assert_eq!(encryption.kms_key.as_deref(), Some("alias/acme-uploads"));
    let [key] = live.keys.as_slice() else {
        panic!("{:?}", live.keys)
    };
    assert_eq!(key.aliases, ["alias/acme-uploads"]);
    check("cfn-kms.yaml", &["role-cannot-decrypt-objects@22:Uploads"]);
    let found = lint("cfn-kms.yaml");
    assert!(
        found[0]
            .finding
            .message
            .contains("does not enable IAM policies"),
        "{}",
        found[0].finding.message
    );
    // With the default key policy's statement (the account's root hands
    // the decision to IAM), the role's own kms:Decrypt is enough.
    let text = std::fs::read_to_string(fixture("cfn-kms.yaml")).expect("fixture");
    let fixed = text.replace(
        "          - Sid: Key administrators only",
        "          - Sid: Enable IAM policies\n            Effect: Allow\n            Principal:\n              AWS: !Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"\n            Action: kms:*\n            Resource: \"*\"\n          - Sid: Key administrators only",
    );
    assert_ne!(fixed, text);
    let r = sources::read("cfn-kms.yaml", &fixed, &Target::default()).expect("fixed");
    assert_eq!(
        placed(&sources::lint(&r).expect("wiring")),
        Vec::<String>::new()
    );
}

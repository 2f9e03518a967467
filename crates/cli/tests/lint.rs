//! `bucketwire lint` and `import --from` as a user runs them on a folder of
//! templates (tests/templates): text, JSON and SARIF (checked against the
//! SARIF 2.1.0 schema), exit codes, bad input, a folder of unrelated files.

use serde_json::Value;
mod run;

use run::{repo, run, stdout};
use std::process::Command;

#[test]
fn a_folder_is_linted_at_file_line_and_column_and_an_error_exits_1() {
    let o = run(&["lint", "tests/templates"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = stdout(&o);
    assert!(
        text.contains("tests/templates/broken/cfn-no-depends-on.yaml:10:18: warning notification-before-destination"),
        "{text}"
    );
    assert!(
        text.contains("tests/templates/broken/sam-circular.yaml:15:30: error circular-dependency"),
        "{text}"
    );
    assert!(
        text.contains("  fix: add an AWS::Lambda::Permission"),
        "{text}"
    );
    assert!(text.contains("15 template(s):"), "{text}");
    // A correct template alone: no finding, exit 0.
    let ok = run(&["lint", "tests/templates/cfn-lambda-ok.yaml"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("1 template(s): 0 error(s), 0 warning(s), 0 info"));
}

#[test]
fn json_lists_each_finding_with_its_places() {
    let o = run(&[
        "lint",
        "tests/templates/broken/cfn-circular.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let circle = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "circular-dependency")
        .expect("the circle");
    assert_eq!(circle["severity"], "error");
    assert_eq!(circle["source"], "docs/rules.md §17");
    let place = &circle["locations"][0];
    assert_eq!(place["file"], "tests/templates/broken/cfn-circular.yaml");
    assert_eq!(place["line"], 43);
    assert_eq!(place["resource"], "ResizePermission");
    assert_eq!(json["errors"], Value::Array(Vec::new()));
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let o = run(&["lint", "tests/templates", "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1));
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("bucketwire.sarif");
    std::fs::write(&log, &o.stdout).expect("write");
    let sarif: Value = serde_json::from_slice(&o.stdout).expect("json");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(results
        .iter()
        .any(|r| r["ruleId"] == "circular-dependency" && r["level"] == "error"));
    assert!(results.iter().all(
        |r| r["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .is_some_and(|l| l > 0)
    ));
    let schema =
        repo().join("tests/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    let python = repo().join(".venv-tools/bin/python");
    let check = Command::new(&python)
        .arg(repo().join("tests/support/validate_sarif.py"))
        .arg(&schema)
        .arg(&log)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} ({e}); run `make deps`", python.display()));
    assert!(
        check.status.success(),
        "not valid SARIF 2.1.0:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn bad_files_say_where_and_fail_and_unrelated_files_are_passed_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("broken.yaml"), "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Bogus x\n").expect("write");
    std::fs::write(
        d.join("package.json"),
        "{\"name\": \"app\", \"dependencies\": {}}",
    )
    .expect("write");
    std::fs::create_dir(d.join("node_modules")).expect("mkdir");
    std::fs::write(
        d.join("node_modules/template.yaml"),
        "Resources: {B: {Type: AWS::S3::Bucket}}",
    )
    .expect("write");
    for i in 0..2000 {
        std::fs::write(d.join(format!("notes-{i}.json")), "{\"a\": 1}").expect("write");
    }
    let path = d.to_str().expect("utf-8 path");
    let o = run(&["lint", path]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(
        text.contains("broken.yaml:5:") && text.contains("unknown tag !Bogus"),
        "{text}"
    );
    assert!(
        text.contains("0 template(s)") && text.contains("1 file(s) not read"),
        "{text}"
    );
    // Not a template when named: said so, exit 1.
    let named = run(&["lint", &format!("{path}/package.json")]);
    assert_eq!(named.status.code(), Some(1));
    assert!(
        stdout(&named).contains("not a CloudFormation template"),
        "{}",
        stdout(&named)
    );
    // Usage error: no path.
    assert_eq!(run(&["lint"]).status.code(), Some(2));
}

#[test]
fn import_from_a_template_writes_its_wiring_as_a_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("sam.bucketwire.json");
    let o = run(&[
        "import",
        "--from",
        "tests/templates/sam-s3.yaml",
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout(&o).contains("imported 1 bucket(s), 1 configuration(s), 1 function(s)"),
        "{}",
        stdout(&o)
    );
    let v = run(&["validate", out.to_str().expect("path"), "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&v)).expect("json");
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(
        rules,
        ["permission-without-source-arn"],
        "the document keeps the template's facts"
    );
    let many = run(&[
        "import",
        "--from",
        "tests/templates",
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(many.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&many.stderr).contains("holds 15 templates"));
}

#[test]
fn a_terraform_module_is_linted_as_one_and_imported() {
    let o = run(&["lint", "tests/templates/terraform", "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the duplicate notification is an error"
    );
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let dup = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "duplicate-bucket-notification")
        .expect("duplicate");
    assert_eq!(
        dup["locations"][0]["file"],
        "tests/templates/terraform/broken/main.tf"
    );
    assert_eq!(dup["locations"][1]["line"], 43);
    let ok = run(&["lint", "tests/templates/terraform/ok"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("tf.bucketwire.json");
    let i = run(&[
        "import",
        "--from",
        "tests/templates/terraform/ok",
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(i.status.code(), Some(0));
    assert!(
        stdout(&i).contains("imported 1 bucket(s), 1 configuration(s), 1 function(s)"),
        "{}",
        stdout(&i)
    );
}

//! The `bucketwire` binary as a user runs it: arguments, output, exit codes
//! (PRODUCT.md, "The CLI contract").

use serde_json::Value;
mod run;

use run::{run, stderr, stdout};

const MISTAKES: &str = "examples/classic-mistakes.bucketwire.json";
const SAMPLE: &str = "examples/thumbnails.bucketwire.json";

#[test]
fn validate_reports_the_classic_mistakes_and_exits_1() {
    let o = run(&["validate", MISTAKES]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("4 error(s), 7 warning(s)"), "{text}");
    for rule in [
        "overlapping-configurations",
        "invalid-event-type",
        "invalid-filter",
        "region-mismatch",
        "missing-invoke-permission",
        "permission-without-source-arn",
        "role-cannot-read-objects",
        "recursive-trigger",
    ] {
        assert!(text.contains(rule), "{rule} missing from:\n{text}");
    }
    assert!(
        text.contains("fix: set filter docs to prefix \"docs/\" and suffix \".pdf\""),
        "{text}"
    );
}

#[test]
fn validate_json_has_the_contract_fields() {
    let o = run(&["validate", MISTAKES, "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json output");
    let findings = json["findings"].as_array().expect("findings array");
    assert_eq!(findings.len(), 11);
    for f in findings {
        assert!(f["rule"].is_string());
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().expect("severity")));
        assert!(f["message"].is_string());
        assert!(f["subjects"].as_array().is_some_and(|s| !s.is_empty()));
    }
}

#[test]
fn validate_a_clean_document_exits_0() {
    let o = run(&["validate", SAMPLE]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("no findings"));
    let o = run(&["validate", SAMPLE, "--format", "json"]);
    assert_eq!(
        stdout(&o).trim(),
        "{\n  \"findings\": [],\n  \"changeSets\": []\n}"
    );
}

/// A role's read policy is the fix of every finding about that role: the
/// JSON writes it once, and each of those findings names it by index.
#[test]
fn validate_json_writes_a_shared_fix_once() {
    let o = run(&[
        "validate",
        "bench/fixtures/seeded-account.bucketwire.json",
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json output");
    let sets = json["changeSets"].as_array().expect("changeSets");
    let findings = json["findings"].as_array().expect("findings");
    let set_of = |f: &Value| -> Option<usize> {
        (f["fix"]["kind"] == "apply").then(|| {
            let n = f["fix"]["changeSet"].as_u64().expect("an index") as usize;
            assert!(n < sets.len(), "{f}");
            n
        })
    };
    let role_sets: Vec<(usize, &str)> = findings
        .iter()
        .filter(|f| f["rule"] == "role-cannot-read-objects")
        .map(|f| {
            let role = f["subjects"][2].as_str().expect("the role");
            (set_of(f).expect("a fix"), role)
        })
        .collect();
    assert!(role_sets.len() > 10, "{role_sets:?}");
    for (n, role) in &role_sets {
        let [change] = sets[*n].as_array().expect("a set").as_slice() else {
            panic!("one change: {}", sets[*n]);
        };
        assert_eq!(change["kind"], "putRolePolicy");
        assert_eq!(change["roleArn"], *role);
    }
    // One set per role, however many findings: fewer sets than fixes.
    let mut roles: Vec<&str> = role_sets.iter().map(|(_, r)| *r).collect();
    roles.sort_unstable();
    roles.dedup();
    let mut distinct: Vec<usize> = role_sets.iter().map(|(n, _)| *n).collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), roles.len());
    let fixes = findings.iter().filter_map(set_of).count();
    assert!(sets.len() < fixes, "{} sets for {fixes} fixes", sets.len());
    // A fix that is not Apply's stays inline.
    let o = run(&["validate", MISTAKES, "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json output");
    assert!(json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["fix"]["kind"] == "setKeyFilter" && f["fix"]["filter"].is_string()));
}

#[test]
fn unreadable_or_malformed_files_exit_1_with_the_place() {
    let o = run(&["validate", "no/such/file.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: cannot read no/such/file.json:"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "validate",
        "tests/corpus/malformed/bucket-name-number.bucketwire.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("at buckets[0].name: invalid type: integer `42`, expected a string"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["validate"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        run(&["validate", SAMPLE, "--format", "yaml"]).status.code(),
        Some(2)
    );
}

#[test]
fn simulate_prints_the_event_the_function_receives() {
    let o = run(&[
        "simulate",
        SAMPLE,
        "--bucket",
        "acme-photos",
        "--key",
        "uploads/red flower.jpg",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("fires: \"thumbnails\" → function arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail"), "{text}");
    assert!(
        text.contains("\"key\": \"uploads/red+flower.jpg\""),
        "{text}"
    );
    let o = run(&[
        "simulate",
        SAMPLE,
        "--bucket",
        "acme-photos",
        "--key",
        "uploads/cat.png",
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(json["outcome"]["kind"], "noMatch");
    assert_eq!(
        json["outcome"]["closest"]["reasons"][0],
        "the key does not end with \".jpg\""
    );
}

#[test]
fn simulate_a_conflict_exits_1_and_names_both() {
    let o = run(&[
        "simulate",
        MISTAKES,
        "--bucket",
        "acme-uploads",
        "--key",
        "images/cat.jpg",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("conflict: \"images\" and \"jpegs\" all match"),
        "{}",
        stdout(&o)
    );
    let o = run(&["simulate", SAMPLE, "--bucket", "nope", "--key", "k"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no bucket named \"nope\""));
}

#[test]
fn export_s3_writes_what_the_aws_cli_takes() {
    let o = run(&["export", SAMPLE, "--to", "s3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(json["LambdaFunctionConfigurations"][0]["Id"], "thumbnails");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = run(&[
        "export",
        SAMPLE,
        "--to",
        "s3",
        "-o",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written: Value =
        serde_json::from_slice(&std::fs::read(out.join("acme-photos.json")).expect("file"))
            .expect("json");
    assert_eq!(written, json);
}

#[test]
fn a_re_export_leaves_unchanged_files_alone_and_rewrites_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let export = || {
        let o = run(&[
            "export",
            "examples/two-buckets.bucketwire.json",
            "--to",
            "s3",
            "-o",
            out.to_str().expect("utf8"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    export();
    let mut files: Vec<_> = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2);
    let right = std::fs::read(&files[0]).expect("file");
    // One file as exported, with a time far in the past; one edited by hand.
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    std::fs::File::options()
        .write(true)
        .open(&files[0])
        .expect("open")
        .set_modified(old)
        .expect("set mtime");
    std::fs::write(&files[1], "{}").expect("edit");
    export();
    let modified = std::fs::metadata(&files[0])
        .expect("meta")
        .modified()
        .expect("mtime");
    assert_eq!(modified, old, "an unchanged file is not written again");
    assert_eq!(std::fs::read(&files[0]).expect("file"), right);
    let rewritten: Value =
        serde_json::from_slice(&std::fs::read(&files[1]).expect("file")).expect("json");
    assert!(
        rewritten.get("LambdaFunctionConfigurations").is_some(),
        "the edited file is written again: {rewritten}"
    );
}

#[test]
fn export_schema_prints_the_document_schema() {
    let o = run(&["export", SAMPLE, "--to", "schema"]);
    assert_eq!(o.status.code(), Some(0));
    let schema: Value = serde_json::from_str(&stdout(&o)).expect("json schema");
    assert_eq!(schema["title"], "Document");
}

#[test]
fn export_every_format_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (format, marker) in [
        ("cli", "aws s3api put-bucket-notification-configuration"),
        ("cloudformation", "AWS::Lambda::Permission"),
        ("terraform", "resource \"aws_s3_bucket_notification\""),
    ] {
        let out = dir.path().join(format);
        let o = run(&[
            "export",
            "examples/two-buckets.bucketwire.json",
            "--to",
            format,
            "-o",
            out.to_str().expect("utf8"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        let text = std::fs::read_to_string(&out).expect("written");
        assert!(text.contains(marker), "{format}: {text}");
    }
    let o = run(&[
        "export",
        "examples/two-buckets.bucketwire.json",
        "--to",
        "s3",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("there are 2 buckets to export; name a directory with -o"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_export_that_fails_writes_no_file_and_a_longer_old_file_is_cut() {
    let dir = tempfile::tempdir().expect("tempdir");
    for format in ["cli", "terraform", "cloudformation", "s3"] {
        let out = dir.path().join(format!("failed-{format}"));
        let o = run(&[
            "export",
            "examples/two-buckets.bucketwire.json",
            "--to",
            format,
            "--bucket",
            "nope",
            "-o",
            out.to_str().expect("utf8"),
        ]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        assert!(
            stderr(&o).contains("no bucket named \"nope\""),
            "{format}: {}",
            stderr(&o)
        );
        assert!(
            !out.exists(),
            "{format}: a failed export left {}",
            out.display()
        );
    }
    // A file holding more than the export (an older, longer one) ends
    // where the export does.
    let out = dir.path().join("wiring.tf");
    let fresh = || {
        let o = run(&[
            "export",
            "examples/two-buckets.bucketwire.json",
            "--to",
            "terraform",
            "-o",
            out.to_str().expect("utf8"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::read_to_string(&out).expect("written")
    };
    let text = fresh();
    std::fs::write(&out, format!("{text}{}", "# old line\n".repeat(10_000))).expect("lengthen");
    assert_eq!(fresh(), text);
}

#[test]
fn export_cloudformation_writes_one_template_per_region() {
    let doc = "examples/three-regions.bucketwire.json";
    let o = run(&["export", doc, "--to", "cloudformation"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .contains("there are 3 regions, and a template is regional; name a directory with -o"),
        "{}",
        stderr(&o)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("stacks");
    let o = run(&[
        "export",
        doc,
        "--to",
        "cloudformation",
        "-o",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["ap-southeast-2.yaml", "eu-west-1.yaml", "us-east-1.yaml"]
    );
    // Only the wired buckets: the archive buckets have no notifications.
    let o = run(&[
        "export",
        doc,
        "--to",
        "s3",
        "-o",
        out.join("s3").to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(out.join("s3")).expect("dir").count(), 3);
    // One chosen bucket, one region: one template on stdout.
    let o = run(&[
        "export",
        doc,
        "--to",
        "cloudformation",
        "--bucket",
        "acme-logs-eu-west-1",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("BucketName: \"acme-logs-eu-west-1\""));
    assert!(!stdout(&o).contains("us-east-1"), "{}", stdout(&o));
}

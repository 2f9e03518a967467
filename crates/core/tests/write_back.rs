//! Edits on a template's document written back into the template
//! (`sources::write_back`): the file differs only where the edit is, it
//! reads back to the edited wiring, cfn-lint passes it, and what cannot be
//! written is said, with the file left as it was.

use bucketwire_core::model::document::{Document, Edge, Filter, Function, NodeId};
use bucketwire_core::sources::cloudformation::intrinsics::Target;
use bucketwire_core::sources::{self, write_back::write_back};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(repo().join("tests/templates").join(name)).expect("fixture")
}

fn document(name: &str, text: &str) -> Document {
    sources::read(name, text, &Target::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .document
}

/// The lines of `after` that are not in `before` and the other way round,
/// in order (a line diff good enough for small edits).
fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (
        a[head..a.len() - tail]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        b[head..b.len() - tail]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    )
}

fn filter_mut<'d>(doc: &'d mut Document, configuration_start: &str) -> &'d mut Filter {
    doc.filters
        .iter_mut()
        .find(|f| f.id.as_str().contains(configuration_start))
        .expect("filter")
}

/// A new filter from `bucket` to `to`, as the canvas makes one.
fn wire_new(
    doc: &mut Document,
    bucket: NodeId,
    to: NodeId,
    id: &str,
    events: &[&str],
    prefix: Option<&str>,
) {
    let filter = NodeId::new(format!("filter-{id}"));
    doc.filters.push(Filter {
        id: filter.clone(),
        configuration_id: id.into(),
        events: events.iter().map(|e| e.to_string()).collect(),
        prefix: prefix.map(String::from),
        suffix: None,
    });
    doc.edges.push(Edge {
        from: bucket,
        to: filter.clone(),
    });
    doc.edges.push(Edge { from: filter, to });
}

/// What cfn-lint (from PyPI, installed by `make deps` into `.venv-tools`)
/// says of `text`: its rule ids, and its whole output.
fn cfn_lint(text: &str) -> (Vec<String>, String) {
    let lint = std::env::var_os("CFN_LINT")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv-tools/bin/cfn-lint"));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("template.yaml");
    std::fs::write(&path, text).expect("write");
    let out = Command::new(&lint)
        .args(["--regions", "us-east-1", "--format", "parseable", "--"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} ({e}); run `make deps`", lint.display()));
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let mut rules: Vec<String> = said
        .lines()
        .filter_map(|l| l.split(':').nth(5).map(String::from))
        .collect();
    rules.sort();
    rules.dedup();
    (rules, said)
}

/// cfn-lint passes `text`.
fn assert_cfn_lint(text: &str) {
    let (rules, said) = cfn_lint(text);
    assert!(
        rules.is_empty() && said.trim().is_empty(),
        "cfn-lint found problems:\n{said}\n{text}"
    );
}

/// cfn-lint finds nothing in `after` that it did not find in `before` (a
/// public sample with problems of its own).
fn assert_cfn_lint_adds_nothing(before: &str, after: &str) {
    let (old, _) = cfn_lint(before);
    let (new, said) = cfn_lint(after);
    assert!(
        !old.is_empty(),
        "the sample's own problems are seen: {old:?}"
    );
    assert!(
        new.iter().all(|r| old.contains(r)),
        "new cfn-lint problems:\n{said}\n{after}"
    );
}

/// Writes `edited` back into `text` and checks the invariant: nothing by
/// hand, and the new text reads back to the edited filters.
fn written(name: &str, text: &str, edited: &Document) -> String {
    let back = write_back(name, text, edited, &Target::default()).expect("write back");
    assert!(back.by_hand.is_empty(), "by hand: {:?}", back.by_hand);
    assert!(!back.written.is_empty(), "something written");
    let again = document(name, &back.text);
    let shape = |d: &Document| {
        // One per event type (SAM makes an entry of each).
        let mut v: Vec<_> = d
            .filters
            .iter()
            .flat_map(|f| {
                f.events
                    .iter()
                    .map(|e| (e.clone(), f.prefix.clone(), f.suffix.clone()))
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(shape(&again), shape(edited), "{}", back.text);
    back.text
}

#[test]
fn a_prefix_changed_on_the_canvas_changes_that_line_only() {
    let text = fixture("cfn-lambda-ok.yaml");
    let mut doc = document("t.yaml", &text);
    filter_mut(&mut doc, "Uploads/").prefix = Some("photos/".into());
    let out = written("t.yaml", &text, &doc);
    assert_eq!(
        changed_lines(&text, &out),
        (
            vec!["                    Value: incoming/".to_string()],
            vec!["                    Value: photos/".to_string()]
        )
    );
    assert!(
        out.contains("# The bucket depends on the permission"),
        "comments kept"
    );
    assert_cfn_lint(&out);
}

#[test]
fn an_event_type_and_a_suffix_added_land_in_the_entry() {
    let text = fixture("cfn-lambda-ok.yaml");
    let mut doc = document("t.yaml", &text);
    let f = filter_mut(&mut doc, "Uploads/");
    f.events = vec!["s3:ObjectRemoved:*".into()];
    f.suffix = Some("*.jpg".into());
    let out = written("t.yaml", &text, &doc);
    // The new rule under the old one, quoted where YAML needs it.
    assert_eq!(
        out,
        text.replace("- Event: s3:ObjectCreated:*", "- Event: s3:ObjectRemoved:*")
            .replace(
                "Value: incoming/\n",
                "Value: incoming/\n                  - Name: suffix\n                    Value: \"*.jpg\"\n"
            )
    );
    assert_cfn_lint(&out);
}

#[test]
fn a_removed_filter_takes_its_entry_and_the_lists_it_empties() {
    let text = fixture("cfn-lambda-ok.yaml");
    let mut doc = document("t.yaml", &text);
    let id = filter_mut(&mut doc, "Uploads/").id.clone();
    doc.filters.retain(|f| f.id != id);
    doc.edges.retain(|e| e.from != id && e.to != id);
    let out = written("t.yaml", &text, &doc);
    let (removed, added) = changed_lines(&text, &out);
    assert!(added.is_empty(), "{added:?}");
    assert_eq!(
        removed.first().map(String::as_str),
        Some("      NotificationConfiguration:")
    );
    assert!(removed
        .last()
        .is_some_and(|l| l.contains("Function: !GetAtt Resize.Arn")));
    assert_cfn_lint(&out);
}

#[test]
fn a_new_function_wired_on_the_canvas_gets_its_entry_permission_and_depends_on() {
    let text = fixture("cfn-lambda-ok.yaml");
    let mut doc = document("t.yaml", &text);
    let bucket = doc.buckets[0].id.clone();
    let function = NodeId::new("function-new");
    doc.functions.push(Function {
        id: function.clone(),
        arn: "arn:aws:lambda:us-east-1:123456789012:function:audit".into(),
        qualifier: None,
        role: None,
        async_invoke: None,
        recursive_loop: None,
    });
    wire_new(
        &mut doc,
        bucket,
        function,
        "audit",
        &["s3:ObjectCreated:*"],
        Some("audit/"),
    );
    let out = written("t.yaml", &text, &doc);
    assert!(
        out.starts_with(
            &text[..text
                .find("      NotificationConfiguration")
                .expect("config")]
                .replace(
                    "    DependsOn: ResizePermission\n",
                    "    DependsOn: [ResizePermission, UploadsauditPermission]\n"
                )
        ),
        "{out}"
    );
    assert!(out.contains(
        "            Function: !GetAtt Resize.Arn\n          - Event: s3:ObjectCreated:*\n            Filter:\n              S3Key:\n                Rules:\n                  - Name: prefix\n                    Value: audit/\n            Function: arn:aws:lambda:us-east-1:123456789012:function:audit\n"
    ), "{out}");
    assert!(out.ends_with(
        "  UploadsauditPermission:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:audit\n      Principal: s3.amazonaws.com\n      SourceAccount: !Ref AWS::AccountId\n      SourceArn: !Sub \"arn:${AWS::Partition}:s3:::${UploadsBucketName}\"\n"
    ), "{out}");
    assert_cfn_lint(&out);
    // The wiring read back has no template finding the new entry caused.
    let reading = sources::read("t.yaml", &out, &Target::default()).expect("read");
    let findings = sources::lint(&reading).expect("lint");
    assert!(
        !findings
            .iter()
            .any(|f| f.finding.rule == "notification-before-destination"),
        "{:?}",
        findings.iter().map(|f| f.finding.rule).collect::<Vec<_>>()
    );
}

#[test]
fn sam_events_are_edited_where_sam_reads_them() {
    let text = fixture("sam-s3.yaml");
    let mut doc = document("t.yaml", &text);
    let f = &mut doc.filters[0];
    f.suffix = Some(".png".into());
    f.events = vec!["s3:ObjectCreated:*".into(), "s3:ObjectRemoved:*".into()];
    let out = written("t.yaml", &text, &doc);
    let (removed, added) = changed_lines(&text, &out);
    assert_eq!(
        added,
        vec![
            "            Events: [s3:ObjectCreated:*, s3:ObjectRemoved:*]".to_string(),
            "            Filter:".into(),
            "              S3Key:".into(),
            "                Rules:".into(),
            "                  - Name: suffix".into(),
            "                    Value: .png".into(),
        ],
        "{removed:?}"
    );
    assert_cfn_lint(&out);
    // Removed: the event goes, and Events with it (its only one).
    let mut doc = document("t.yaml", &text);
    let id = doc.filters[0].id.clone();
    doc.filters.clear();
    doc.edges.retain(|e| e.from != id && e.to != id);
    let back = write_back("t.yaml", &text, &doc, &Target::default()).expect("write back");
    assert!(back.by_hand.is_empty(), "{:?}", back.by_hand);
    assert!(text.ends_with(&text[text.find("      Events:").expect("events")..]));
    assert_eq!(
        back.text,
        text[..text.find("      Events:").expect("events")]
    );
}

#[test]
fn json_templates_keep_their_layout() {
    let text = "{\n  \"Resources\": {\n    \"In\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"DependsOn\": \"P\",\n      \"Properties\": {\n        \"BucketName\": \"acme-in\",\n        \"NotificationConfiguration\": {\n          \"LambdaConfigurations\": [\n            {\"Event\": \"s3:ObjectCreated:*\", \"Function\": \"arn:aws:lambda:us-east-1:123456789012:function:f\", \"Filter\": {\"S3Key\": {\"Rules\": [{\"Name\": \"prefix\", \"Value\": \"a/\"}]}}},\n            {\"Event\": \"s3:ObjectRemoved:*\", \"Function\": \"arn:aws:lambda:us-east-1:123456789012:function:f\"}\n          ]\n        }\n      }\n    },\n    \"P\": {\"Type\": \"AWS::Lambda::Permission\", \"Properties\": {\"Action\": \"lambda:InvokeFunction\", \"FunctionName\": \"f\", \"Principal\": \"s3.amazonaws.com\", \"SourceArn\": \"arn:aws:s3:::acme-in\"}}\n  }\n}\n";
    let mut doc = document("t.json", text);
    doc.filters
        .iter_mut()
        .find(|f| f.prefix.is_some())
        .expect("prefix")
        .prefix = Some("b/".into());
    let out = written("t.json", text, &doc);
    assert_eq!(out, text.replace("\"Value\": \"a/\"", "\"Value\": \"b/\""));
    // The second entry removed: the separator goes with it.
    let mut doc = document("t.json", text);
    let id = doc
        .filters
        .iter()
        .find(|f| f.prefix.is_none())
        .expect("second")
        .id
        .clone();
    doc.filters.retain(|f| f.id != id);
    doc.edges.retain(|e| e.from != id && e.to != id);
    let out = written("t.json", text, &doc);
    assert!(out.contains("\"a/\"}]}}}\n          ]"), "{out}");
    serde_json::from_str::<serde_json::Value>(&out).expect("still JSON");
}

#[test]
fn what_cannot_be_written_is_said_and_the_file_is_left_alone() {
    let text = fixture("cfn-lambda-ok.yaml");
    let mut doc = document("t.yaml", &text);
    // Two event types in one CloudFormation entry, and a bucket renamed.
    filter_mut(&mut doc, "Uploads/").events =
        vec!["s3:ObjectCreated:*".into(), "s3:ObjectRemoved:*".into()];
    doc.buckets[0].name = "renamed".into();
    let back = write_back("t.yaml", &text, &doc, &Target::default()).expect("write back");
    assert_eq!(back.text, text);
    assert!(back.written.is_empty());
    assert_eq!(back.by_hand.len(), 2, "{:?}", back.by_hand);
    assert!(
        back.by_hand[0].contains("one event type per entry"),
        "{:?}",
        back.by_hand
    );
    assert!(
        back.by_hand[1].starts_with("bucket renamed: its settings changed"),
        "{:?}",
        back.by_hand
    );
    // A prefix read from a parameter is an expression: said, not overwritten.
    let text = text.replace("Value: incoming/", "Value: !Ref UploadsBucketName");
    let mut doc = document("t.yaml", &text);
    doc.filters[0].prefix = Some("other/".into());
    let back = write_back("t.yaml", &text, &doc, &Target::default()).expect("write back");
    assert_eq!(back.text, text);
    assert!(
        back.by_hand[0].contains("its prefix is an expression"),
        "{:?}",
        back.by_hand
    );
}

#[test]
fn a_public_sam_template_takes_a_new_filter_on_its_bare_bucket() {
    let text = fixture("public/s3-lambda.yaml");
    let mut doc = document("t.yaml", &text);
    let bucket = doc.buckets[0].id.clone();
    let function = doc.functions[0].id.clone();
    wire_new(
        &mut doc,
        bucket,
        function,
        "deleted",
        &["s3:ObjectRemoved:*"],
        None,
    );
    let out = written("t.yaml", &text, &doc);
    let (removed, added) = changed_lines(&text, &out);
    assert!(removed.is_empty(), "{removed:?}");
    assert!(
        added.contains(&"      NotificationConfiguration:".to_string()),
        "{added:?}"
    );
    assert!(
        added.contains(&"            Function: !GetAtt CreateThumbnail.Arn".to_string()),
        "{added:?}"
    );
    assert_cfn_lint_adds_nothing(&text, &out);
}

/// Every template fixture, every filter: a prefix changed, a suffix
/// dropped, two event types, the filter removed. Each answer keeps the
/// invariant (what it says is written reads back; the rest is said by
/// hand with the file untouched) and none panics.
#[test]
fn every_fixture_takes_every_edit_or_says_why_not() {
    let mut files = Vec::new();
    for dir in [
        "tests/templates",
        "tests/templates/broken",
        "tests/templates/public",
    ] {
        for entry in std::fs::read_dir(repo().join(dir)).expect("dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                files.push(path);
            }
        }
    }
    let mut written_count = 0;
    let mut by_hand_count = 0;
    for path in files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).expect("read");
        let original = document(&name, &text);
        for (i, f) in original.filters.iter().enumerate() {
            let edits: [&dyn Fn(&mut Document); 4] = [
                &|d| d.filters[i].prefix = Some("changed/".into()),
                &|d| d.filters[i].suffix = None,
                &|d| {
                    d.filters[i].events =
                        vec!["s3:ObjectCreated:*".into(), "s3:ObjectRemoved:*".into()]
                },
                &|d| {
                    let id = d.filters[i].id.clone();
                    d.filters.remove(i);
                    d.edges.retain(|e| e.from != id && e.to != id);
                },
            ];
            for edit in edits {
                let mut doc = original.clone();
                edit(&mut doc);
                let back = write_back(&name, &text, &doc, &Target::default())
                    .unwrap_or_else(|e| panic!("{name} {}: {e}", f.id));
                if back.text == text {
                    by_hand_count += back.by_hand.len();
                } else {
                    assert!(
                        !back.written.is_empty(),
                        "{name}: changed without saying so"
                    );
                    written_count += back.written.len();
                    document(&name, &back.text);
                }
            }
        }
    }
    assert!(
        written_count > 20,
        "most edits are written: {written_count}"
    );
    assert!(by_hand_count > 0, "some are said by hand");
}

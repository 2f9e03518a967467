//! Every malformed document under `tests/corpus/malformed/` is refused with
//! exactly the message in its `.expected` file, and nothing panics, whatever
//! the bytes.

use bucketwire_core::load;
use proptest::prelude::*;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/malformed")
}

#[test]
fn every_malformed_document_gets_its_message() {
    let mut cases = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(corpus())
        .expect("corpus directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".bucketwire.json"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .replace(".bucketwire.json", "");
        let expected_path = path.with_file_name(format!("{name}.expected"));
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{name}: missing {}", expected_path.display()));
        let bytes = std::fs::read(&path).expect("read case");
        match load(&bytes) {
            Ok(_) => failures.push(format!("{name}: was accepted")),
            Err(e) if e.to_string() != expected.trim_end() => failures.push(format!(
                "{name}:\n  expected: {}\n  got:      {e}",
                expected.trim_end()
            )),
            Err(_) => {}
        }
        cases += 1;
    }
    assert!(
        cases >= 30,
        "the corpus must hold at least 30 cases, found {cases}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ten_megabytes_of_garbage_is_refused_cleanly() {
    // A deterministic pseudo-random 10 MB (xorshift), not stored in git.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let garbage: Vec<u8> = (0..10 * 1024 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let err = load(&garbage).expect_err("garbage is not a document");
    assert!(
        err.to_string().starts_with("the file is not UTF-8 text"),
        "{err}"
    );
    // The same garbage as valid UTF-8 text: not JSON.
    let text: Vec<u8> = garbage.iter().map(|b| b'!' + (b % 90)).collect();
    let err = load(&text).expect_err("garbage is not a document");
    assert!(
        err.to_string().starts_with("the file is not valid JSON"),
        "{err}"
    );
}

#[test]
fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    for field in ["live", "buckets", "unknown"] {
        let nested = format!(
            "{{\"version\": 1, \"{field}\": {}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let err = load(nested.as_bytes()).expect_err("refused");
        assert!(err.to_string().contains(field), "{err}");
    }
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let err = load(nested.as_bytes()).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "a Bucketwire document is a JSON object, but the file holds an array"
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = load(&bytes);
    }

    #[test]
    fn arbitrary_json_objects_never_panic(text in r#"\{"version": ?1(, "(buckets|filters|functions|edges|layout|live)": (\[\]|\{\}|null|"x"|1))*\}"#) {
        let _ = load(text.as_bytes());
    }
}

//! Reading a document from bytes, with errors that say what and where.
//!
//! The reader never panics, whatever the input: invalid UTF-8, truncated
//! JSON, a future format version, a wrong type or an unknown field each
//! become a [`ReadError`] naming the place (line and column, or the JSON
//! path) and what was expected.

use crate::model::document::{Document, FORMAT_VERSION};
use serde_json::Value;

/// Why bytes could not be read as a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file has no content.
    #[error(
        "the file is empty: a Bucketwire document is a JSON object such as {{\"version\": 1}}"
    )]
    Empty,
    /// The bytes are not UTF-8 text.
    #[error("the file is not UTF-8 text: invalid byte at offset {offset}{hint}", hint = if *utf16 { " (it looks like UTF-16; save it as UTF-8)" } else { "" })]
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// Whether the file starts with a UTF-16 byte-order mark.
        utf16: bool,
    },
    /// The text is not JSON (including a file cut short).
    #[error("the file is not valid JSON: {message} (line {line}, column {column})")]
    Syntax {
        /// What the JSON parser expected.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The JSON is valid but its top level is not an object.
    #[error("a Bucketwire document is a JSON object, but the file holds {found}")]
    NotAnObject {
        /// What the top level is (`an array`, `a string`, ...).
        found: &'static str,
    },
    /// The `version` field is absent.
    #[error("the document has no format version: expected \"version\": {FORMAT_VERSION} at the top level")]
    MissingVersion,
    /// The `version` field is not a whole number.
    #[error("at version: expected a whole number such as {FORMAT_VERSION}, found {found}")]
    InvalidVersion {
        /// The value found, as JSON.
        found: String,
    },
    /// The document was written by another (usually newer) Bucketwire.
    #[error("the document is format version {found}, but this Bucketwire reads versions 1 to {supported}{hint}", hint = if *found > u64::from(*supported) { " (it was written by a newer Bucketwire; upgrade to open it)" } else { "" })]
    UnsupportedVersion {
        /// The version found in the file.
        found: u64,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The document holds what its version cannot (rules in version 1,
    /// topics before version 3).
    #[error("the document is format version {found}, but it holds {what}, which need version {needed}: set \"version\": {needed}")]
    VersionTooLow {
        /// The version the file says.
        found: u32,
        /// What needs the newer version (`EventBridge rules`).
        what: &'static str,
        /// The lowest version that holds what it has.
        needed: u32,
    },
    /// A value has the wrong type, a required field is missing or a field
    /// is unknown.
    #[error("at {path}: {message}")]
    Shape {
        /// JSON path of the offending value (`buckets[0].name`).
        path: String,
        /// What was found and what was expected.
        message: String,
    },
}

/// Reads a document (format version 1 to [`FORMAT_VERSION`]) from the bytes of a `*.bucketwire.json` file.
///
/// # Errors
/// A [`ReadError`] naming what is wrong and where; see its variants.
pub fn read_document(bytes: &[u8]) -> Result<Document, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        offset: e.valid_up_to(),
        utf16: bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]),
    })?;
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    // The usual case, a valid document of this version, in one pass. Any
    // failure is diagnosed by the passes below, which name what and where
    // (they accept exactly what this one does: the same Deserialize).
    if let Ok(doc) = serde_json::from_str::<Document>(text) {
        if (doc.lowest_version()..=FORMAT_VERSION).contains(&doc.version) {
            return Ok(doc);
        }
    }
    // A first pass reads only the version (and proves the text is JSON)
    // without building the document, so a future version is reported as
    // such rather than as a shape error.
    let syntax = |e: serde_json::Error| ReadError::Syntax {
        message: syntax_message(&e, text),
        line: e.line(),
        column: e.column(),
    };
    if !text.trim_start().starts_with('{') {
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(syntax)?;
        return Err(ReadError::NotAnObject {
            found: kind_of_text(text),
        });
    }
    let probe: Probe = serde_json::from_str(text).map_err(syntax)?;
    let version = probe.version.ok_or(ReadError::MissingVersion)?;
    match version.as_u64() {
        None => {
            return Err(ReadError::InvalidVersion {
                found: version.to_string(),
            })
        }
        Some(v) if v == 0 || v > u64::from(FORMAT_VERSION) => {
            return Err(ReadError::UnsupportedVersion {
                found: v,
                supported: FORMAT_VERSION,
            })
        }
        Some(_) => {}
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: Document = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        ReadError::Shape {
            path: if path == "." {
                "the top level".into()
            } else {
                path
            },
            message: without_position(&e.into_inner().to_string()),
        }
    })?;
    if doc.version < doc.lowest_version() {
        return Err(ReadError::VersionTooLow {
            found: doc.version,
            what: if doc.topics.is_empty() {
                "EventBridge rules"
            } else {
                "SNS topics"
            },
            needed: doc.lowest_version(),
        });
    }
    Ok(doc)
}

/// Just the version of a document; every other field is skipped.
#[derive(serde::Deserialize)]
struct Probe {
    #[serde(default)]
    version: Option<Value>,
}

/// What a JSON text that is not an object holds, from its first character.
fn kind_of_text(text: &str) -> &'static str {
    match text.trim_start().chars().next() {
        Some('[') => "an array",
        Some('"') => "a string",
        Some('n') => "null",
        Some('t' | 'f') => "a boolean",
        _ => "a number",
    }
}

/// serde_json appends " at line L column C" to data errors; the JSON path
/// says where, so drop it.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn syntax_message(e: &serde_json::Error, text: &str) -> String {
    // Line and column are reported separately.
    let message = without_position(&e.to_string());
    if e.is_eof() {
        return format!("{message}: the file ends too early (was it cut short?)");
    }
    // Name the usual hand-editing slips.
    let at = text
        .lines()
        .nth(e.line().saturating_sub(1))
        .and_then(|line| line.chars().nth(e.column().saturating_sub(1)));
    match at {
        Some('/') => format!("{message} (JSON has no comments)"),
        Some('\'') => format!("{message} (JSON strings use double quotes)"),
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &[u8], expected: &str) {
        let err = read_document(input).expect_err("input must be refused");
        assert_eq!(err.to_string(), expected);
    }

    #[test]
    fn refuses_invalid_utf8_with_its_offset() {
        check(
            b"{\"version\":1,\"buckets\":[\xff]}",
            "the file is not UTF-8 text: invalid byte at offset 24",
        );
        check(
            b"\xff\xfe{\x00}\x00",
            "the file is not UTF-8 text: invalid byte at offset 0 (it looks like UTF-16; save it as UTF-8)",
        );
    }

    #[test]
    fn refuses_a_truncated_file() {
        check(
            br#"{"version": 1, "buckets": ["#,
            "the file is not valid JSON: EOF while parsing a list: the file ends too early (was it cut short?) (line 1, column 27)",
        );
    }

    #[test]
    fn refuses_a_future_version_and_says_to_upgrade() {
        check(
            br#"{"version": 7}"#,
            "the document is format version 7, but this Bucketwire reads versions 1 to 3 (it was written by a newer Bucketwire; upgrade to open it)",
        );
    }

    #[test]
    fn refuses_a_missing_version() {
        check(
            br#"{"buckets": []}"#,
            "the document has no format version: expected \"version\": 3 at the top level",
        );
    }

    #[test]
    fn names_the_path_of_a_wrong_type() {
        check(
            br#"{"version": 1, "buckets": [{"id": "b", "name": 5, "region": "us-east-1"}]}"#,
            "at buckets[0].name: invalid type: integer `5`, expected a string",
        );
    }

    #[test]
    fn names_an_unknown_field() {
        let err = read_document(br#"{"version": 1, "bukets": []}"#).expect_err("refused");
        let text = err.to_string();
        assert!(text.contains("unknown field `bukets`"), "{text}");
    }

    #[test]
    fn refuses_a_top_level_array() {
        check(
            b"[1, 2]",
            "a Bucketwire document is a JSON object, but the file holds an array",
        );
    }

    const RULE: &str = r#"{"id": "r", "name": "images", "region": "us-east-1",
        "pattern": {"source": ["aws.s3"]}}"#;

    #[test]
    fn rules_need_version_2_and_version_0_is_refused() {
        check(
            format!(r#"{{"version": 1, "rules": [{RULE}]}}"#).as_bytes(),
            "the document is format version 1, but it holds EventBridge rules, which need version 2: set \"version\": 2",
        );
        check(
            br#"{"version": 0}"#,
            "the document is format version 0, but this Bucketwire reads versions 1 to 3",
        );
        let doc = read_document(format!(r#"{{"version": 2, "rules": [{RULE}]}}"#).as_bytes())
            .expect("version 2 with a rule");
        assert_eq!(doc.rules.len(), 1);
        assert!(doc.rules[0].enabled, "enabled unless it says otherwise");
        assert_eq!(doc.lowest_version(), 2);
        // Version 2 without rules reads too (written by a build that wrote 2).
        let doc = read_document(br#"{"version": 2}"#).expect("version 2");
        assert_eq!(doc.lowest_version(), 1);
    }

    #[test]
    fn topics_need_version_3() {
        const TOPIC: &str = r#"{"id": "t", "arn": "arn:aws:sns:us-east-1:123456789012:uploads"}"#;
        check(
            format!(r#"{{"version": 2, "topics": [{TOPIC}]}}"#).as_bytes(),
            "the document is format version 2, but it holds SNS topics, which need version 3: set \"version\": 3",
        );
        let doc = read_document(format!(r#"{{"version": 3, "topics": [{TOPIC}]}}"#).as_bytes())
            .expect("version 3 with a topic");
        assert_eq!(doc.topics[0].name(), "uploads");
        assert_eq!(doc.topics[0].region(), Some("us-east-1"));
        assert_eq!(doc.lowest_version(), 3);
    }

    #[test]
    fn reads_a_minimal_document() {
        let doc = read_document(br#"{"version": 1}"#).expect("minimal document");
        assert_eq!(doc, Document::empty());
    }
}

//! The JSON Schema of the document format, generated from the Rust types.

/// The JSON Schema of a version-1 `*.bucketwire.json` document, pretty-printed.
pub fn document_schema() -> String {
    let schema = schemars::schema_for!(crate::model::document::Document);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_describes_the_document() {
        let schema: serde_json::Value = serde_json::from_str(&document_schema()).expect("json");
        assert_eq!(schema["title"], "Document");
        let required = schema["required"].as_array().expect("required");
        assert!(required.iter().any(|r| r == "version"));
        assert_eq!(schema["additionalProperties"], false);
        for field in ["buckets", "filters", "functions", "edges", "layout", "live"] {
            assert!(schema["properties"].get(field).is_some(), "{field}");
        }
    }
}

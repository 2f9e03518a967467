//! A real account's document made larger: copies of it side by side, each
//! with fresh names (buckets, functions, roles, queues, topics, rules,
//! configuration and node ids) and its own live facts, so what is shared
//! inside the original (a function serving many buckets, one role for all)
//! is shared inside each copy and never across copies. `bench/cli.sh`
//! measures the imported sandbox account this way at 1,000 to 100,000
//! buckets (`examples/replicate_document.rs`): a benchmark of the shape
//! real accounts have, not only of the shapes Bucketwire generates.

use crate::model::document::Document;
use rustc_hash::FxHashSet;
use serde_json::{Map, Value};

/// `doc` copied until it holds about `buckets` buckets (at least one copy;
/// the number of copies is `buckets` ÷ the document's buckets, rounded).
/// Copy `c` renames every name of `doc` to `NAME-rC` (the first copy too,
/// so every copy is alike), and moves its cards below the previous copy's.
///
/// # Errors
/// A message when the document cannot be written as JSON or the copy read
/// back (a name the renaming made invalid).
pub fn replicate(doc: &Document, buckets: usize) -> Result<Document, String> {
    let original = serde_json::to_value(doc).map_err(|e| e.to_string())?;
    let names = names_of(doc);
    let per_copy = doc.buckets.len().max(1);
    let copies = ((buckets + per_copy / 2) / per_copy).max(1);
    let height = doc.layout.values().map(|p| p.y).fold(0.0_f64, f64::max) + 400.0;
    let mut out = serde_json::to_value(Document::empty()).map_err(|e| e.to_string())?;
    for c in 0..copies {
        let suffix = format!("-r{c}");
        let mut copy = rename(&original, &names, &suffix);
        shift_layout(&mut copy, c as f64 * height);
        append(&mut out, copy);
    }
    out["version"] = original["version"].clone();
    serde_json::from_value(out).map_err(|e| format!("the replicated document does not read: {e}"))
}

/// Every name a copy renames: bucket names and node ids, the last part of
/// each function, role, queue, topic and rule ARN, and configuration ids.
fn names_of(doc: &Document) -> FxHashSet<String> {
    let mut names = FxHashSet::default();
    let last = |arn: &str| arn.rsplit([':', '/']).next().unwrap_or(arn).to_string();
    for b in &doc.buckets {
        names.insert(b.name.clone());
        names.insert(b.id.to_string());
        for f in &b.foreign {
            names.insert(last(&f.arn));
            names.insert(f.configuration_id.clone());
        }
    }
    for f in &doc.filters {
        names.insert(f.configuration_id.clone());
    }
    for f in &doc.functions {
        names.insert(last(&f.arn));
        names.extend(f.role.as_deref().map(last));
    }
    for r in &doc.rules {
        names.insert(r.name.clone());
    }
    for t in &doc.topics {
        names.insert(last(&t.arn));
    }
    for q in &doc.queues {
        names.insert(last(&q.arn));
    }
    if let Some(live) = &doc.live {
        for f in &live.functions {
            names.insert(last(&f.arn));
        }
        for r in &live.roles {
            names.insert(last(&r.arn));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

/// `value` with every name in `names` followed by `suffix`, in strings and
/// object keys alike: a name is a run of characters between `:`, `/`, `*`,
/// `"`, `,` and spaces (so `arn:aws:s3:::acct-1/*` renames the bucket and
/// keeps the rest, and a policy held as JSON text is renamed inside).
fn rename(value: &Value, names: &FxHashSet<String>, suffix: &str) -> Value {
    match value {
        Value::String(s) => Value::String(rename_text(s, names, suffix)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| rename(v, names, suffix)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (rename_text(k, names, suffix), rename(v, names, suffix)))
                .collect::<Map<String, Value>>(),
        ),
        other => other.clone(),
    }
}

fn rename_text(text: &str, names: &FxHashSet<String>, suffix: &str) -> String {
    let is_separator = |c: char| matches!(c, ':' | '/' | '*' | '"' | ',' | ' ' | '\\');
    let mut out = String::with_capacity(text.len() + suffix.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        out.push_str(token);
        if names.contains(token.as_str()) {
            out.push_str(suffix);
        }
        token.clear();
    };
    for c in text.chars() {
        if is_separator(c) {
            flush(&mut token, &mut out);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

fn shift_layout(copy: &mut Value, dy: f64) {
    if let Some(layout) = copy.get_mut("layout").and_then(Value::as_object_mut) {
        for position in layout.values_mut() {
            if let Some(y) = position.get("y").and_then(Value::as_f64) {
                position["y"] = Value::from(y + dy);
            }
        }
    }
}

/// Adds `copy`'s lists, layout and live facts to `out`'s.
fn append(out: &mut Value, copy: Value) {
    let Value::Object(copy) = copy else { return };
    for (key, value) in copy {
        match (out.get_mut(&key), value) {
            (Some(Value::Array(into)), Value::Array(items)) => into.extend(items),
            (Some(Value::Object(into)), Value::Object(items)) => {
                for (k, v) in items {
                    match (into.get_mut(&k), v) {
                        (Some(Value::Array(list)), Value::Array(more)) => list.extend(more),
                        (_, v) => {
                            into.insert(k, v);
                        }
                    }
                }
            }
            (Some(_), _) => {}
            (None, value) => {
                out[&key] = value;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::validate;
    use crate::model::graph::Wiring;
    use crate::samples::account_shape::account_shaped;

    #[test]
    fn copies_share_nothing_and_each_has_the_original_s_findings() {
        let (doc, _) = account_shaped(60);
        let one = validate(&Wiring::from_document(&doc).expect("original"));
        let big = replicate(&doc, 180).expect("replicate");
        assert_eq!(big.buckets.len(), 3 * doc.buckets.len());
        let names: FxHashSet<&str> = big.buckets.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names.len(), big.buckets.len(), "bucket names are fresh");
        let functions: FxHashSet<&str> = big.functions.iter().map(|f| f.arn.as_str()).collect();
        let original: FxHashSet<&str> = doc.functions.iter().map(|f| f.arn.as_str()).collect();
        assert_eq!(
            functions.len(),
            3 * original.len(),
            "functions are shared within a copy only"
        );
        let live = big.live.as_ref().expect("live facts");
        assert_eq!(
            live.functions.len(),
            3 * doc.live.as_ref().map_or(0, |l| l.functions.len())
        );
        let wiring = Wiring::from_document(&big).expect("the copy is a valid wiring");
        let findings = validate(&wiring);
        assert_eq!(
            findings.len(),
            3 * one.len(),
            "each copy has the original's findings"
        );
        let mut rules: Vec<&str> = one.iter().map(|f| f.rule).collect();
        rules.sort_unstable();
        let mut tripled: Vec<&str> = findings.iter().map(|f| f.rule).collect();
        tripled.sort_unstable();
        tripled.dedup();
        rules.dedup();
        assert_eq!(tripled, rules);
    }

    #[test]
    fn a_name_is_renamed_only_where_it_is_a_whole_part() {
        let names: FxHashSet<String> = ["acct-1", "workers"]
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            rename_text("arn:aws:s3:::acct-1/*", &names, "-r2"),
            "arn:aws:s3:::acct-1-r2/*"
        );
        assert_eq!(rename_text("acct-10", &names, "-r2"), "acct-10");
        assert_eq!(
            rename_text(
                "{\"Resource\":\"arn:aws:iam::1:role/workers\"}",
                &names,
                "-r0"
            ),
            "{\"Resource\":\"arn:aws:iam::1:role/workers-r0\"}"
        );
    }
}

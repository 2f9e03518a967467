//! EventBridge event patterns: read one the way EventBridge does (refusing
//! what `PutRule` refuses, each mistake named with its place in the
//! pattern), and match events against it (docs/rules.md §14).
//!
//! moto accepts any JSON as a pattern and its `TestEventPattern` answers
//! no result, so Bucketwire decides matches itself, for Try a key and for
//! the "can never match" checks. What is covered: exact values (strings,
//! numbers, booleans, null), `prefix` and `suffix` (plain or
//! `equals-ignore-case`), `equals-ignore-case`, `wildcard`, `anything-but`
//! (values, or a `prefix`, `suffix`, `equals-ignore-case` or `wildcard`),
//! `numeric` (one comparison or a range), `exists`, `cidr` (IPv4) and
//! `$or`, at any depth. A field of the event that holds an array matches
//! when any of its elements does, as in EventBridge.

use serde_json::{Map, Value};

/// A pattern as EventBridge reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPattern {
    root: Node,
}

/// One object level of a pattern: every field must match, and for each
/// `$or`, at least one of its alternatives.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    fields: Vec<(String, Field)>,
    any_of: Vec<Vec<Node>>,
}

/// What a pattern asks of one field of the event.
#[derive(Debug, Clone, PartialEq)]
enum Field {
    /// An object: the event's field must be an object matching it.
    Nested(Node),
    /// An array: the event's value must match one of these.
    Values(Vec<Matcher>),
}

/// One element of a leaf array.
#[derive(Debug, Clone, PartialEq)]
enum Matcher {
    Exact(Value),
    Prefix { text: String, ignore_case: bool },
    Suffix { text: String, ignore_case: bool },
    EqualsIgnoreCase(String),
    Wildcard(String),
    AnythingBut(AnythingBut),
    Numeric(Vec<(Comparison, f64)>),
    Exists(bool),
    Cidr { network: u32, mask: u32 },
}

/// The forms `anything-but` takes.
#[derive(Debug, Clone, PartialEq)]
enum AnythingBut {
    Values(Vec<Value>),
    Prefix(String),
    Suffix(String),
    EqualsIgnoreCase(Vec<String>),
    Wildcard(Vec<String>),
}

/// A `numeric` operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparison {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "=" => Self::Eq,
            "<" => Self::Lt,
            "<=" => Self::Le,
            ">" => Self::Gt,
            ">=" => Self::Ge,
            _ => return None,
        })
    }

    fn holds(self, value: f64, bound: f64) -> bool {
        match self {
            Self::Eq => value == bound,
            Self::Lt => value < bound,
            Self::Le => value <= bound,
            Self::Gt => value > bound,
            Self::Ge => value >= bound,
        }
    }
}

/// Why EventBridge would refuse a pattern, and where in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at {path})")]
pub struct PatternError {
    /// Where: the pattern's field path, e.g. `detail.object.key[0]`, or
    /// `the pattern` for the whole.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
}

/// The longest pattern `PutRule` takes, in characters.
pub const MAX_PATTERN_LENGTH: usize = 4096;

impl EventPattern {
    /// Reads a pattern from its JSON text.
    ///
    /// # Errors
    /// [`PatternError`] naming the first thing EventBridge would refuse:
    /// text that is not JSON, a pattern that is not a non-empty object, a
    /// leaf that is not a non-empty array, an unknown or malformed
    /// operator, a pattern longer than [`MAX_PATTERN_LENGTH`].
    pub fn parse(text: &str) -> Result<Self, PatternError> {
        if text.chars().count() > MAX_PATTERN_LENGTH {
            return Err(err(
                "the pattern",
                format!("a pattern is at most {MAX_PATTERN_LENGTH} characters"),
            ));
        }
        let value: Value = serde_json::from_str(text).map_err(|e| {
            err(
                "the pattern",
                format!("not JSON: {e} (line {}, column {})", e.line(), e.column()),
            )
        })?;
        Self::from_value(&value)
    }

    /// Reads a pattern from a JSON value.
    ///
    /// # Errors
    /// As [`EventPattern::parse`].
    pub fn from_value(value: &Value) -> Result<Self, PatternError> {
        let Value::Object(map) = value else {
            return Err(err("the pattern", "a pattern is a JSON object"));
        };
        if map.is_empty() {
            return Err(err(
                "the pattern",
                "an empty pattern matches nothing: name at least one field",
            ));
        }
        Ok(Self {
            root: node(map, "")?,
        })
    }

    /// Whether `event` matches the pattern.
    pub fn matches(&self, event: &Value) -> bool {
        match event {
            Value::Object(map) => self.root.matches(map),
            _ => false,
        }
    }

    /// Every field path the pattern names with a leaf condition
    /// (`detail.object.key`), `$or` alternatives included, in order.
    pub fn leaf_paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.root.leaf_paths("", &mut out);
        out
    }

    /// Whether some value of the field at `path` (`source`,
    /// `detail.bucket.name`) could satisfy the pattern's conditions on it,
    /// judged from the candidate values given: `None` when the pattern
    /// does not name the field (anything goes), `Some(true)` when a
    /// candidate passes every condition the pattern puts on it directly.
    /// Conditions inside `$or` are not judged (a candidate then counts as
    /// passing).
    pub fn admits(&self, path: &str, candidates: &[&str]) -> Option<bool> {
        let matchers = self.root.leaf(path)?;
        Some(candidates.iter().any(|c| {
            let v = Value::String((*c).to_string());
            matchers.iter().any(|m| m.matches(Some(&v)))
        }))
    }

    /// Whether the event lacking the field at `path` satisfies what the
    /// pattern asks of it directly: `None` when the pattern does not name
    /// it with a leaf condition. Only `{"exists": false}` admits absence.
    pub fn admits_absence(&self, path: &str) -> Option<bool> {
        let matchers = self.root.leaf(path)?;
        Some(matchers.iter().any(|m| m.matches(None)))
    }
}

impl Node {
    /// The leaf conditions at `path` (dotted), outside any `$or`.
    fn leaf(&self, path: &str) -> Option<&[Matcher]> {
        let (head, rest) = match path.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (path, None),
        };
        let (_, field) = self.fields.iter().find(|(name, _)| name == head)?;
        match (field, rest) {
            (Field::Nested(inner), Some(rest)) => inner.leaf(rest),
            (Field::Values(matchers), None) => Some(matchers),
            _ => None,
        }
    }

    fn matches(&self, event: &Map<String, Value>) -> bool {
        self.fields
            .iter()
            .all(|(name, field)| field.matches(event.get(name)))
            && self
                .any_of
                .iter()
                .all(|alternatives| alternatives.iter().any(|alt| alt.matches(event)))
    }

    fn leaf_paths(&self, at: &str, out: &mut Vec<String>) {
        for (name, field) in &self.fields {
            let path = join(at, name);
            match field {
                Field::Nested(inner) => inner.leaf_paths(&path, out),
                Field::Values(_) => {
                    if !out.contains(&path) {
                        out.push(path);
                    }
                }
            }
        }
        for alternatives in &self.any_of {
            for alt in alternatives {
                alt.leaf_paths(at, out);
            }
        }
    }
}

impl Field {
    fn matches(&self, value: Option<&Value>) -> bool {
        match self {
            Field::Nested(node) => match value {
                Some(Value::Object(map)) => node.matches(map),
                // A pattern object over a field the event lacks matches
                // only when everything it asks is absence.
                None => node.matches(&Map::new()),
                Some(_) => false,
            },
            Field::Values(matchers) => matchers.iter().any(|m| m.matches(value)),
        }
    }
}

impl Matcher {
    /// Whether the event's value (absent: `None`) satisfies this element;
    /// an array in the event matches when any element does.
    fn matches(&self, value: Option<&Value>) -> bool {
        match (self, value) {
            (Matcher::Exists(want), _) => {
                let present = !matches!(value, None | Some(Value::Object(_)));
                present == *want
            }
            (_, None) => false,
            (_, Some(Value::Array(items))) => items.iter().any(|item| self.matches_scalar(item)),
            (_, Some(item)) => self.matches_scalar(item),
        }
    }

    fn matches_scalar(&self, value: &Value) -> bool {
        match self {
            Matcher::Exact(want) => same_value(want, value),
            Matcher::Prefix { text, ignore_case } => value
                .as_str()
                .is_some_and(|s| starts_with(s, text, *ignore_case)),
            Matcher::Suffix { text, ignore_case } => value
                .as_str()
                .is_some_and(|s| ends_with(s, text, *ignore_case)),
            Matcher::EqualsIgnoreCase(text) => value
                .as_str()
                .is_some_and(|s| s.to_lowercase() == text.to_lowercase()),
            Matcher::Wildcard(glob) => value.as_str().is_some_and(|s| wildcard_matches(glob, s)),
            Matcher::AnythingBut(but) => match but {
                AnythingBut::Values(values) => {
                    (value.is_string() || value.is_number())
                        && !values.iter().any(|v| same_value(v, value))
                }
                AnythingBut::Prefix(p) => {
                    value.as_str().is_some_and(|s| !s.starts_with(p.as_str()))
                }
                AnythingBut::Suffix(p) => value.as_str().is_some_and(|s| !s.ends_with(p.as_str())),
                AnythingBut::EqualsIgnoreCase(texts) => value.as_str().is_some_and(|s| {
                    let lower = s.to_lowercase();
                    !texts.iter().any(|t| t.to_lowercase() == lower)
                }),
                AnythingBut::Wildcard(globs) => value
                    .as_str()
                    .is_some_and(|s| !globs.iter().any(|g| wildcard_matches(g, s))),
            },
            Matcher::Numeric(conditions) => value
                .as_f64()
                .is_some_and(|n| conditions.iter().all(|(op, bound)| op.holds(n, *bound))),
            Matcher::Exists(_) => true,
            Matcher::Cidr { network, mask } => value
                .as_str()
                .and_then(parse_ipv4)
                .is_some_and(|ip| ip & mask == *network),
        }
    }
}

fn starts_with(s: &str, prefix: &str, ignore_case: bool) -> bool {
    if ignore_case {
        s.to_lowercase().starts_with(&prefix.to_lowercase())
    } else {
        s.starts_with(prefix)
    }
}

fn ends_with(s: &str, suffix: &str, ignore_case: bool) -> bool {
    if ignore_case {
        s.to_lowercase().ends_with(&suffix.to_lowercase())
    } else {
        s.ends_with(suffix)
    }
}

/// Numbers compare by value (`5` is `5.0`), everything else exactly.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// One piece of a wildcard: literal text, or `*` (any run of characters).
#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    Star,
}

/// Splits a wildcard into pieces: `*` is any run of characters, `\*` a
/// literal star, `\\` a literal backslash.
fn pieces(glob: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = glob.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.push(chars.next().unwrap_or('\\')),
            '*' => {
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(Piece::Star);
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

/// Whether `s` matches the wildcard `glob` (greedy-free: each literal piece
/// is found left to right, the last one anchored at the end).
pub(crate) fn wildcard_matches(glob: &str, s: &str) -> bool {
    let pieces = pieces(glob);
    let mut rest = s;
    let mut floating = false;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Star => floating = true,
            Piece::Text(text) => {
                let last = i + 1 == pieces.len();
                if !floating {
                    let Some(after) = rest.strip_prefix(text.as_str()) else {
                        return false;
                    };
                    rest = after;
                } else if last {
                    return rest.ends_with(text.as_str());
                } else {
                    let Some(at) = rest.find(text.as_str()) else {
                        return false;
                    };
                    rest = &rest[at + text.len()..];
                }
                floating = false;
            }
        }
    }
    floating || rest.is_empty()
}

fn parse_ipv4(text: &str) -> Option<u32> {
    let mut out = 0u32;
    let mut parts = 0;
    for part in text.split('.') {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let octet: u32 = part.parse().ok()?;
        if octet > 255 {
            return None;
        }
        out = (out << 8) | octet;
        parts += 1;
    }
    (parts == 4).then_some(out)
}

fn err(path: &str, message: impl Into<String>) -> PatternError {
    PatternError {
        path: if path.is_empty() {
            "the pattern".to_string()
        } else {
            path.to_string()
        },
        message: message.into(),
    }
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}

fn node(map: &Map<String, Value>, at: &str) -> Result<Node, PatternError> {
    let mut out = Node {
        fields: Vec::new(),
        any_of: Vec::new(),
    };
    for (name, value) in map {
        let path = join(at, name);
        if name == "$or" {
            out.any_of.push(alternatives(value, &path)?);
            continue;
        }
        let field = match value {
            Value::Object(inner) if inner.is_empty() => {
                return Err(err(&path, "an empty object matches nothing: name a field in it"))
            }
            Value::Object(inner) => Field::Nested(node(inner, &path)?),
            Value::Array(items) if items.is_empty() => {
                return Err(err(
                    &path,
                    "an empty array matches nothing: list at least one value",
                ))
            }
            Value::Array(items) => Field::Values(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| matcher(item, &format!("{path}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            other => {
                return Err(err(
                    &path,
                    format!(
                        "a value is written in an array: [{other}], not {other} (EventBridge matches any of an array's values)"
                    ),
                ))
            }
        };
        out.fields.push((name.clone(), field));
    }
    Ok(out)
}

fn alternatives(value: &Value, path: &str) -> Result<Vec<Node>, PatternError> {
    let Value::Array(items) = value else {
        return Err(err(path, "$or takes an array of patterns"));
    };
    if items.len() < 2 {
        return Err(err(path, "$or takes at least two patterns"));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Object(map) if !map.is_empty() => node(map, path).map_err(|mut e| {
                if e.path == path {
                    e.path = format!("{path}[{i}]");
                }
                e
            }),
            _ => Err(err(
                &format!("{path}[{i}]"),
                "each $or alternative is a non-empty object",
            )),
        })
        .collect()
}

fn matcher(item: &Value, path: &str) -> Result<Matcher, PatternError> {
    let map = match item {
        Value::Object(map) => map,
        Value::Array(_) => return Err(err(path, "arrays do not nest in a pattern")),
        scalar => return Ok(Matcher::Exact(scalar.clone())),
    };
    let mut entries = map.iter();
    let (Some((op, arg)), None) = (entries.next(), entries.next()) else {
        return Err(err(
            path,
            "an operator object holds exactly one operator, such as {\"prefix\": \"uploads/\"}",
        ));
    };
    let path = &format!("{path}.{op}");
    Ok(match op.as_str() {
        "prefix" => {
            let (text, ignore_case) = text_or_ignore_case(arg, path)?;
            Matcher::Prefix { text, ignore_case }
        }
        "suffix" => {
            let (text, ignore_case) = text_or_ignore_case(arg, path)?;
            Matcher::Suffix { text, ignore_case }
        }
        "equals-ignore-case" => Matcher::EqualsIgnoreCase(string(arg, path)?),
        "wildcard" => Matcher::Wildcard(wildcard(arg, path)?),
        "anything-but" => Matcher::AnythingBut(anything_but(arg, path)?),
        "numeric" => Matcher::Numeric(numeric(arg, path)?),
        "exists" => match arg {
            Value::Bool(b) => Matcher::Exists(*b),
            _ => return Err(err(path, "exists takes true or false")),
        },
        "cidr" => cidr(arg, path)?,
        other => {
            return Err(err(
                path,
                format!(
                    "\"{other}\" is not an EventBridge operator (prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr)"
                ),
            ))
        }
    })
}

fn string(arg: &Value, path: &str) -> Result<String, PatternError> {
    arg.as_str()
        .map(str::to_string)
        .ok_or_else(|| err(path, "takes a string"))
}

fn text_or_ignore_case(arg: &Value, path: &str) -> Result<(String, bool), PatternError> {
    match arg {
        Value::String(s) => Ok((s.clone(), false)),
        Value::Object(map) if map.len() == 1 && map.contains_key("equals-ignore-case") => {
            Ok((string(&map["equals-ignore-case"], path)?, true))
        }
        _ => Err(err(
            path,
            "takes a string, or {\"equals-ignore-case\": \"...\"}",
        )),
    }
}

fn wildcard(arg: &Value, path: &str) -> Result<String, PatternError> {
    let glob = string(arg, path)?;
    if glob.contains("**") {
        return Err(err(
            path,
            "consecutive wildcard characters (**) are not allowed",
        ));
    }
    Ok(glob)
}

fn strings(arg: &Value, path: &str) -> Result<Vec<String>, PatternError> {
    match arg {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) if !items.is_empty() => items.iter().map(|i| string(i, path)).collect(),
        _ => Err(err(path, "takes a string or a non-empty array of strings")),
    }
}

fn anything_but(arg: &Value, path: &str) -> Result<AnythingBut, PatternError> {
    match arg {
        Value::String(_) | Value::Number(_) => Ok(AnythingBut::Values(vec![arg.clone()])),
        Value::Array(items) => {
            let all_strings = items.iter().all(Value::is_string);
            let all_numbers = items.iter().all(Value::is_number);
            if items.is_empty() || !(all_strings || all_numbers) {
                return Err(err(
                    path,
                    "anything-but takes a non-empty array of strings, or of numbers",
                ));
            }
            Ok(AnythingBut::Values(items.clone()))
        }
        Value::Object(map) if map.len() == 1 => {
            let (op, inner) = map.iter().next().expect("one entry");
            let path = &format!("{path}.{op}");
            match op.as_str() {
                "prefix" => Ok(AnythingBut::Prefix(string(inner, path)?)),
                "suffix" => Ok(AnythingBut::Suffix(string(inner, path)?)),
                "equals-ignore-case" => Ok(AnythingBut::EqualsIgnoreCase(strings(inner, path)?)),
                "wildcard" => {
                    let globs = strings(inner, path)?;
                    if globs.iter().any(|g| g.contains("**")) {
                        return Err(err(
                            path,
                            "consecutive wildcard characters (**) are not allowed",
                        ));
                    }
                    Ok(AnythingBut::Wildcard(globs))
                }
                other => Err(err(
                    path,
                    format!("anything-but does not take \"{other}\" (prefix, suffix, equals-ignore-case, wildcard)"),
                )),
            }
        }
        _ => Err(err(
            path,
            "anything-but takes a string, a number, an array of them, or one of prefix, suffix, equals-ignore-case, wildcard",
        )),
    }
}

fn numeric(arg: &Value, path: &str) -> Result<Vec<(Comparison, f64)>, PatternError> {
    let shape = "numeric takes [\"op\", number] or a range [\">\"|\">=\", low, \"<\"|\"<=\", high]";
    let Value::Array(items) = arg else {
        return Err(err(path, shape));
    };
    if items.len() != 2 && items.len() != 4 {
        return Err(err(path, shape));
    }
    let mut out = Vec::new();
    for pair in items.chunks(2) {
        let op = pair[0]
            .as_str()
            .and_then(Comparison::parse)
            .ok_or_else(|| err(path, format!("{} is not one of =, <, <=, >, >=", pair[0])))?;
        let bound = pair[1]
            .as_f64()
            .ok_or_else(|| err(path, format!("{} is not a number", pair[1])))?;
        out.push((op, bound));
    }
    if let [(low_op, low), (high_op, high)] = out[..] {
        let lower = matches!(low_op, Comparison::Gt | Comparison::Ge);
        let upper = matches!(high_op, Comparison::Lt | Comparison::Le);
        if !lower || !upper {
            return Err(err(path, shape));
        }
        if low >= high {
            return Err(err(
                path,
                format!("the range's low bound {low} is not below its high bound {high}"),
            ));
        }
    }
    Ok(out)
}

fn cidr(arg: &Value, path: &str) -> Result<Matcher, PatternError> {
    let text = string(arg, path)?;
    let bad = || {
        err(
            path,
            format!("\"{text}\" is not an IPv4 CIDR block such as 10.0.0.0/24"),
        )
    };
    let (ip, bits) = text.split_once('/').ok_or_else(bad)?;
    let ip = parse_ipv4(ip).ok_or_else(bad)?;
    let bits: u32 = bits.parse().ok().filter(|b| *b <= 32).ok_or_else(bad)?;
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits)
    };
    Ok(Matcher::Cidr {
        network: ip & mask,
        mask,
    })
}

#[cfg(test)]
mod tests;

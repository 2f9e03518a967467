//! YAML and JSON text → a tree whose every node knows its line and column,
//! with CloudFormation's short-form intrinsics written out in full (`!Ref
//! X` is `{"Ref": "X"}`, `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`,
//! `!Sub …` is `{"Fn::Sub": …}`), so one reader serves both syntaxes of a
//! template. JSON is read as the YAML it is (a flow mapping).
//!
//! Bounded on hostile input: nesting deeper than [`MAX_DEPTH`], more than
//! [`MAX_NODES`] nodes, aliases copying more than [`MAX_ALIAS_NODES`] and an unknown
//! `!Tag` are errors naming the line and column, never a panic or a hang.

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// How deep mappings and sequences may nest (CloudFormation's own
/// templates stay far below; a deeper file is an attack or a mistake).
pub const MAX_DEPTH: usize = 128;
/// How many nodes a file may hold (a 50 MB template stays below).
pub const MAX_NODES: usize = 10_000_000;
/// How many nodes aliases may copy in all (templates rarely use them; a
/// billion-laughs file stops here, having copied little).
pub const MAX_ALIAS_NODES: usize = 100_000;

/// Where a node starts: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Span {
    /// 1-based line.
    pub line: u32,
    /// 1-based column (characters).
    pub column: u32,
    /// Which of the reading's files (0 for a reading of one file; a
    /// Terraform module is several).
    pub file: u16,
}

/// A node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A plain scalar that reads as a number, kept as written.
    Number(String),
    /// Any other scalar.
    String(String),
    /// A sequence.
    List(Vec<Spanned>),
    /// A mapping, in file order (keys are scalars; a complex key is an error).
    Map(Vec<(Spanned, Spanned)>),
}

/// A node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    /// The node.
    pub node: Node,
    /// Where it starts.
    pub span: Span,
}

impl Spanned {
    /// The text of a string or number scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.node {
            Node::String(s) | Node::Number(s) => Some(s),
            _ => None,
        }
    }

    /// The value of `key` when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Spanned> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value of `key` (the key's span is where a person
    /// looks for the property).
    pub fn entry(&self, key: &str) -> Option<(&Spanned, &Spanned)> {
        match &self.node {
            Node::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[(Spanned, Spanned)] {
        match &self.node {
            Node::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items of a sequence (empty for anything else).
    pub fn items(&self) -> &[Spanned] {
        match &self.node {
            Node::List(items) => items,
            _ => &[],
        }
    }

    /// The node as JSON (spans dropped), e.g. a policy document.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => n
                .parse::<serde_json::Number>()
                .map_or_else(|_| Value::String(n.clone()), Value::Number),
            Node::String(s) => Value::String(s.clone()),
            Node::List(items) => Value::Array(items.iter().map(Spanned::to_json).collect()),
            Node::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// A string node at `span`.
pub fn string_node(text: &str, span: Span) -> Spanned {
    Spanned {
        node: Node::String(text.into()),
        span,
    }
}

/// A mapping node of `entries` (string keys), every key at `span`.
pub fn map_node(entries: Vec<(&str, Spanned)>, span: Span) -> Spanned {
    Spanned {
        node: Node::Map(
            entries
                .into_iter()
                .map(|(k, v)| (string_node(k, span), v))
                .collect(),
        ),
        span,
    }
}

/// A sequence node of `items`.
pub fn list_node(items: Vec<Spanned>, span: Span) -> Spanned {
    Spanned {
        node: Node::List(items),
        span,
    }
}

/// An intrinsic in its long form, `{name: arg}` (`{"Ref": "X"}`).
pub fn intrinsic_node(name: &str, arg: Spanned, span: Span) -> Spanned {
    map_node(vec![(name, arg)], span)
}

impl Spanned {
    /// The value of `key` in a mapping, made by `default` when missing;
    /// `None` when this is not a mapping.
    pub fn entry_or_insert(
        &mut self,
        key: &str,
        default: impl FnOnce() -> Spanned,
    ) -> Option<&mut Spanned> {
        let Node::Map(entries) = &mut self.node else {
            return None;
        };
        let i = match entries.iter().position(|(k, _)| k.as_str() == Some(key)) {
            Some(i) => i,
            None => {
                let value = default();
                entries.push((string_node(key, value.span), value));
                entries.len() - 1
            }
        };
        Some(&mut entries[i].1)
    }

    /// Appends `item` to the list under `key` (made when missing); nothing
    /// when this is not a mapping or the value is not a list.
    pub fn push_to(&mut self, key: &str, item: Spanned) {
        let at = item.span;
        if let Some(Spanned {
            node: Node::List(items),
            ..
        }) = self.entry_or_insert(key, || list_node(Vec::new(), at))
        {
            items.push(item);
        }
    }
}

/// Why a file is not a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct YamlError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong, in words.
    pub message: String,
}

/// CloudFormation's short-form tags and the long form each stands for.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("If", "Fn::If"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("FindInMap", "Fn::FindInMap"),
    ("Equals", "Fn::Equals"),
    ("Not", "Fn::Not"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("GetAZs", "Fn::GetAZs"),
    ("Transform", "Fn::Transform"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Length", "Fn::Length"),
];

/// Reads the first document of `text`.
///
/// # Errors
/// [`YamlError`] naming the line and column: not YAML or JSON, an unknown
/// tag, nesting or expansion beyond the limits, an empty file.
pub fn parse(text: &str) -> Result<Spanned, YamlError> {
    let mut reader = Reader {
        parser: Parser::new_from_str(text),
        anchors: Vec::new(),
        nodes: 0,
        aliased: 0,
    };
    loop {
        let (event, mark) = reader.next()?;
        match event {
            Event::StreamStart | Event::DocumentStart | Event::Nothing => {}
            Event::StreamEnd => {
                return Err(error(mark, "the file is empty".into()));
            }
            other => return reader.node(other, mark, 0),
        }
    }
}

struct Reader<'a> {
    parser: Parser<std::str::Chars<'a>>,
    /// Anchored nodes by anchor id (0 is none), with their size in nodes.
    anchors: Vec<(usize, Spanned, usize)>,
    nodes: usize,
    aliased: usize,
}

fn span(mark: Marker) -> Span {
    Span {
        line: u32::try_from(mark.line()).unwrap_or(u32::MAX),
        column: u32::try_from(mark.col() + 1).unwrap_or(u32::MAX),
        file: 0,
    }
}

fn error(mark: Marker, message: String) -> YamlError {
    let s = span(mark);
    YamlError {
        line: s.line,
        column: s.column,
        message,
    }
}

impl Reader<'_> {
    fn next(&mut self) -> Result<(Event, Marker), YamlError> {
        self.parser.next_token().map_err(|e| {
            let m = *e.marker();
            error(m, e.info().to_string())
        })
    }

    fn count(&mut self, mark: Marker, n: usize) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(error(
                mark,
                format!("more than {MAX_NODES} nodes (an alias expanded too often?)"),
            ));
        }
        Ok(())
    }

    fn node(&mut self, event: Event, mark: Marker, depth: usize) -> Result<Spanned, YamlError> {
        if depth > MAX_DEPTH {
            return Err(error(
                mark,
                format!("nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        self.count(mark, 1)?;
        let at = span(mark);
        let (node, anchor, tag) = match event {
            Event::Scalar(value, style, anchor, tag) => {
                (scalar(value, style, tag.as_ref()), anchor, tag)
            }
            Event::SequenceStart(anchor, tag) => {
                let mut items = Vec::new();
                loop {
                    let (event, mark) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(event, mark, depth + 1)?);
                }
                (Node::List(items), anchor, tag)
            }
            Event::MappingStart(anchor, tag) => {
                let mut entries: Vec<(Spanned, Spanned)> = Vec::new();
                // Keys seen by hash, for the duplicate check once a mapping
                // is large (a CDK template's Resources has thousands of
                // keys; a small mapping is scanned).
                let mut seen: std::collections::HashMap<u64, usize> =
                    std::collections::HashMap::new();
                loop {
                    let (event, kmark) = self.next()?;
                    if matches!(event, Event::MappingEnd) {
                        break;
                    }
                    let key = self.node(event, kmark, depth + 1)?;
                    if !matches!(
                        key.node,
                        Node::String(_) | Node::Number(_) | Node::Bool(_) | Node::Null
                    ) {
                        return Err(error(kmark, "a mapping key must be a plain value".into()));
                    }
                    let (event, vmark) = self.next()?;
                    let value = self.node(event, vmark, depth + 1)?;
                    let key = match key.node {
                        Node::Bool(b) => Spanned {
                            node: Node::String(b.to_string()),
                            span: key.span,
                        },
                        Node::Null => Spanned {
                            node: Node::String(String::new()),
                            span: key.span,
                        },
                        _ => key,
                    };
                    let text = key.as_str().unwrap_or_default();
                    let first = if entries.len() < 16 {
                        entries.iter().find(|(k, _)| k.as_str() == Some(text))
                    } else {
                        if seen.is_empty() {
                            for (i, (k, _)) in entries.iter().enumerate() {
                                seen.insert(key_hash(k.as_str().unwrap_or_default()), i);
                            }
                        }
                        match seen.get(&key_hash(text)) {
                            Some(&i) if entries[i].0.as_str() == Some(text) => Some(&entries[i]),
                            // A hash shared by two keys: look the slow way.
                            Some(_) => entries.iter().find(|(k, _)| k.as_str() == Some(text)),
                            None => None,
                        }
                    };
                    if let Some((first, _)) = first {
                        return Err(error(
                            kmark,
                            format!(
                                "duplicate key {text} (first at line {}): CloudFormation keeps only one",
                                first.span.line
                            ),
                        ));
                    }
                    if !seen.is_empty() || entries.len() >= 16 {
                        seen.insert(key_hash(text), entries.len());
                    }
                    entries.push((key, value));
                }
                (Node::Map(entries), anchor, tag)
            }
            Event::Alias(id) => {
                let (index, n) = self
                    .anchors
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, (a, _, _))| *a == id)
                    .map(|(i, (_, _, n))| (i, *n))
                    .ok_or_else(|| {
                        error(mark, "an alias to an anchor not defined before it".into())
                    })?;
                // Counted before it is copied: a bomb stops here, small.
                self.aliased = self.aliased.saturating_add(n);
                if self.aliased > MAX_ALIAS_NODES {
                    return Err(error(
                        mark,
                        format!("aliases copy more than {MAX_ALIAS_NODES} nodes (an alias bomb?)"),
                    ));
                }
                self.count(mark, n)?;
                let found = self.anchors[index].1.clone();
                return Ok(Spanned {
                    node: found.node,
                    span: at,
                });
            }
            Event::SequenceEnd | Event::MappingEnd | Event::StreamEnd | Event::DocumentEnd => {
                return Err(error(mark, "the file ends in the middle of a value".into()));
            }
            Event::StreamStart | Event::DocumentStart | Event::Nothing => {
                return Err(error(mark, "unexpected start of a document".into()));
            }
        };
        let node = match tag {
            Some(tag) => intrinsic(tag, node, at).map_err(|m| error(mark, m))?,
            None => Spanned { node, span: at },
        };
        if anchor != 0 {
            self.anchors.push((anchor, node.clone(), size(&node)));
        }
        Ok(node)
    }
}

/// A key's hash, for the duplicate check.
fn key_hash(key: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(key)
}

/// How many nodes a subtree holds.
fn size(n: &Spanned) -> usize {
    match &n.node {
        Node::List(items) => 1 + items.iter().map(size).sum::<usize>(),
        Node::Map(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| size(k) + size(v))
                .sum::<usize>()
        }
        _ => 1,
    }
}

fn scalar(value: String, style: TScalarStyle, tag: Option<&Tag>) -> Node {
    if style != TScalarStyle::Plain || tag.is_some() {
        return Node::String(value);
    }
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Node::Null,
        "true" | "True" | "TRUE" => Node::Bool(true),
        "false" | "False" | "FALSE" => Node::Bool(false),
        v if looks_numeric(v) => Node::Number(value),
        _ => Node::String(value),
    }
}

fn looks_numeric(v: &str) -> bool {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    !digits.is_empty()
        && digits.chars().next().is_some_and(|c| c.is_ascii_digit())
        && digits.parse::<f64>().is_ok()
}

/// The long form of a short-form tag: `!GetAtt A.B` (text) is split at the
/// first dot; `!Ref`, `!Condition` keep their scalar; the others wrap the
/// node as it is. Standard tags (`!!str`) are dropped.
fn intrinsic(tag: Tag, node: Node, at: Span) -> Result<Spanned, String> {
    if tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:" {
        return Ok(Spanned { node, span: at });
    }
    let name = tag.suffix.as_str();
    let Some((_, long)) = SHORT_FORMS.iter().find(|(short, _)| *short == name) else {
        return Err(format!(
            "unknown tag !{name} (CloudFormation's short forms are !Ref, !GetAtt, !Sub, !Join, !If, !Select, !Split, !FindInMap, !Equals, !Not, !And, !Or, !ImportValue, !Base64, !Cidr, !GetAZs, !Condition)"
        ));
    };
    let value = match (name, node) {
        ("GetAtt", Node::String(text)) => match text.split_once('.') {
            Some((resource, attribute)) => Node::List(vec![
                Spanned {
                    node: Node::String(resource.into()),
                    span: at,
                },
                Spanned {
                    node: Node::String(attribute.into()),
                    span: at,
                },
            ]),
            None => return Err(format!("!GetAtt {text}: write RESOURCE.ATTRIBUTE")),
        },
        (_, node) => node,
    };
    Ok(Spanned {
        node: Node::Map(vec![(
            Spanned {
                node: Node::String((*long).into()),
                span: at,
            },
            Spanned {
                node: value,
                span: at,
            },
        )]),
        span: at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_become_long_forms_with_their_place() {
        let t = parse("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Name: !Ref Param\n      Arn: !GetAtt Fn.Arn\n      S: !Sub 'arn:${AWS::Partition}:s3:::${B}'\n      J: !Join ['', [a, !Ref X]]\n").expect("yaml");
        let props = t
            .get("Resources")
            .and_then(|r| r.get("B"))
            .and_then(|b| b.get("Properties"))
            .expect("props");
        assert_eq!(
            props.get("Name").map(Spanned::to_json),
            Some(serde_json::json!({"Ref": "Param"}))
        );
        assert_eq!(
            props.get("Arn").map(Spanned::to_json),
            Some(serde_json::json!({"Fn::GetAtt": ["Fn", "Arn"]}))
        );
        assert_eq!(
            props.get("J").map(Spanned::to_json),
            Some(serde_json::json!({"Fn::Join": ["", ["a", {"Ref": "X"}]]}))
        );
        let (key, _) = props.entry("Arn").expect("key");
        assert_eq!(
            key.span,
            Span {
                line: 6,
                column: 7,
                file: 0
            }
        );
    }

    #[test]
    fn json_is_read_with_places_too() {
        let t = parse(
            "{\n  \"Resources\": {\n    \"B\": {\"Type\": \"AWS::S3::Bucket\", \"N\": 3}\n  }\n}",
        )
        .expect("json");
        let b = t.get("Resources").and_then(|r| r.get("B")).expect("B");
        assert_eq!(b.span.line, 3);
        assert_eq!(b.get("N").map(Spanned::to_json), Some(serde_json::json!(3)));
    }

    #[test]
    fn bad_input_is_an_error_with_its_place() {
        let e = parse("a: [1, 2\nb: 3\n").expect_err("unclosed");
        assert!(e.line >= 1, "{e}");
        let e = parse("a: !Bogus x\n").expect_err("tag");
        assert!(e.message.contains("unknown tag !Bogus"), "{e}");
        assert_eq!(e.line, 1, "{e}");
        assert!(e.column >= 4, "at the tagged value: {e}");
        let mut many: String = "Resources:\n".into();
        for i in 0..40 {
            many += &format!("  R{i}: 1\n");
        }
        assert!(parse(&many).is_ok());
        many += "  R17: 2\n";
        let e = parse(&many).expect_err("a duplicate in a large mapping");
        assert!(
            e.message.contains("duplicate key R17 (first at line 19)"),
            "{e}"
        );
        let e = parse("Resources:\n  A: 1\n  A: 2\n").expect_err("duplicate");
        assert!(
            e.message.contains("duplicate key A (first at line 2)"),
            "{e}"
        );
        // Refused either by our limit or by the parser's own, never a
        // stack overflow.
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let e = parse(&deep).expect_err("deep");
        assert!(
            e.message.contains("nested") || e.message.contains("recursion limit"),
            "{e}"
        );
        assert!(parse("").is_err());
    }

    #[test]
    fn an_alias_bomb_stops_at_the_node_limit() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = parse(&bomb).expect_err("bomb");
        assert!(e.message.contains("alias bomb"), "{e}");
    }
}

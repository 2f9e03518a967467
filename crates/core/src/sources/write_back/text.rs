//! Where a node of the spanned tree is written in its file, and edits of
//! that text that leave every other byte as it was: a scalar replaced, a
//! list item or mapping entry taken out, one added after its siblings.
//!
//! Block YAML and flow collections (JSON is one) are told apart by the
//! text at a node's start. Anything these helpers cannot place exactly
//! (a block scalar, an entry sharing its line with another) answers
//! `None`, and the caller writes nothing there.

use crate::sources::yaml::{Node, Span, Spanned};
use std::ops::Range;

/// One replacement of a byte range of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The bytes replaced.
    pub range: Range<usize>,
    /// What goes there.
    pub text: String,
}

/// The file's text with its line starts (spans are 1-based line and
/// character column).
pub struct Source<'t> {
    /// The whole file.
    pub text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Source<'t> {
    /// Indexes `text`'s lines.
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source { text, starts }
    }

    /// The byte offset `span` starts at.
    pub fn offset(&self, span: Span) -> Option<usize> {
        let line = usize::try_from(span.line).ok()?.checked_sub(1)?;
        let start = *self.starts.get(line)?;
        let column = usize::try_from(span.column).ok()?.checked_sub(1)?;
        let rest = &self.text[start..];
        match rest.char_indices().nth(column) {
            Some((i, _)) => Some(start + i),
            None if rest.chars().count() == column => Some(self.text.len()),
            None => None,
        }
    }

    /// Where `node`'s text starts. A block mapping starts at its first
    /// key (the parser marks it a character later).
    pub fn start(&self, node: &Spanned) -> Option<usize> {
        let at = self.offset(node.span)?;
        match &node.node {
            Node::Map(entries) if !self.text[at..].starts_with('{') => match entries.first() {
                Some((key, _)) => self.offset(key.span),
                None => Some(at),
            },
            _ => Some(at),
        }
    }

    /// The start of the line holding `offset`.
    pub fn line_start(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => self.starts[i],
            Err(i) => self.starts[i - 1],
        }
    }

    /// The start of the line after the one holding `offset` (the file's
    /// end on the last line).
    pub fn next_line(&self, offset: usize) -> usize {
        self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i + 1)
    }

    /// Whether `place` is the end of a file whose last line has no newline.
    fn unterminated(&self, place: usize) -> bool {
        place == self.text.len() && !self.text.is_empty() && !self.text.ends_with('\n')
    }

    /// The text before `offset` on its line.
    fn before(&self, offset: usize) -> &str {
        &self.text[self.line_start(offset)..offset]
    }

    /// Whether the node at `offset` is a flow collection (`[`, `{`).
    pub fn is_flow(&self, node: &Spanned) -> bool {
        self.start(node)
            .and_then(|o| self.text[o..].chars().next())
            .is_some_and(|c| c == '[' || c == '{')
    }

    /// Where the text of `node` ends (exclusive). `flow`: the node is
    /// inside a flow collection (a plain scalar then ends at `,`, `]`, `}`).
    pub fn end(&self, node: &Spanned, flow: bool) -> Option<usize> {
        let start = self.start(node)?;
        let first = self.text[start..].chars().next()?;
        match first {
            '[' | '{' if !matches!(node.node, Node::String(_) | Node::Number(_)) => {
                self.flow_end(start)
            }
            '!' => {
                // A short-form tag: its argument follows on the line, or
                // is the block below it.
                let after_tag = start
                    + self.text[start..]
                        .find(|c: char| c.is_whitespace())
                        .unwrap_or(self.text.len() - start);
                let arg = after_tag
                    + self.text[after_tag..]
                        .find(|c: char| c != ' ' && c != '\t')
                        .unwrap_or(0);
                match self.text[arg..].chars().next() {
                    None | Some('\n' | '\r' | '#') => self.last_child_end(node, flow),
                    Some('[' | '{') => self.flow_end(arg),
                    Some(_) => self.scalar_end(arg, flow),
                }
            }
            _ => match &node.node {
                Node::Map(_) | Node::List(_) => self.last_child_end(node, flow),
                Node::Null => Some(start),
                _ => self.scalar_end(start, flow),
            },
        }
    }

    fn last_child_end(&self, node: &Spanned, flow: bool) -> Option<usize> {
        match &node.node {
            Node::Map(entries) => self.end(&entries.last()?.1, flow),
            Node::List(items) => self.end(items.last()?, flow),
            _ => None,
        }
    }

    /// The end of the bracketed collection starting at `start` (quoted
    /// scalars and comments inside skipped).
    fn flow_end(&self, start: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut depth = 0usize;
        let mut i = start;
        // The last byte that was not a space: a quote opens a scalar only
        // where one can start.
        let mut previous = b'[';
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                b'"' | b'\'' if matches!(previous, b'[' | b'{' | b',' | b':') => {
                    i = self.quoted_end(i, char::from(b))?;
                    previous = b'"';
                    continue;
                }
                b'#' if i > 0 && bytes[i - 1].is_ascii_whitespace() => {
                    i = self.next_line(i);
                    continue;
                }
                _ => {}
            }
            if !b.is_ascii_whitespace() {
                previous = b;
            }
            i += 1;
        }
        None
    }

    /// The end of the quoted scalar starting at `start` (after its quote).
    fn quoted_end(&self, start: usize, quote: char) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut i = start + 1;
        while i < bytes.len() {
            match (bytes[i], quote) {
                (b'\\', '"') => i += 2,
                (b'"', '"') => return Some(i + 1),
                (b'\'', '\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                (b'\'', '\'') => return Some(i + 1),
                _ => i += 1,
            }
        }
        None
    }

    /// The end of the scalar starting at `start`: a quoted one at its
    /// closing quote; a plain one before a comment, the line's end or (in
    /// a flow collection) its next separator. A block scalar (`|`, `>`) is
    /// `None`.
    pub fn scalar_end(&self, start: usize, flow: bool) -> Option<usize> {
        let rest = &self.text[start..];
        match rest.chars().next()? {
            '"' => self.quoted_end(start, '"'),
            '\'' => self.quoted_end(start, '\''),
            '|' | '>' => None,
            _ => {
                let mut end = rest.len();
                let mut previous = ' ';
                for (i, c) in rest.char_indices() {
                    if c == '\n'
                        || c == '\r'
                        || (c == '#' && previous.is_whitespace())
                        || (flow && matches!(c, ',' | ']' | '}'))
                    {
                        end = i;
                        break;
                    }
                    previous = c;
                }
                Some(start + rest[..end].trim_end().len())
            }
        }
    }

    /// Replaces the scalar `node` with `value`, written as the scalar was
    /// (quoted stays quoted; JSON is always quoted).
    pub fn replace_scalar(&self, node: &Spanned, value: &str, flow: bool) -> Option<Edit> {
        if !matches!(node.node, Node::String(_) | Node::Number(_)) {
            return None;
        }
        let start = self.start(node)?;
        let end = self.scalar_end(start, flow)?;
        let written = &self.text[start..end];
        Some(Edit {
            range: start..end,
            text: render_like(value, written, flow),
        })
    }

    /// Takes item `index` out of `list` (and the line or separator it
    /// leaves). A block item must start its own line (`- …`).
    pub fn remove_item(&self, list: &Spanned, index: usize, flow: bool) -> Option<Edit> {
        let items = list.items();
        let item = items.get(index)?;
        if flow || self.is_flow(list) {
            let values: Vec<&Spanned> = items.iter().collect();
            return self.remove_flow_entries(list, items, &values, index);
        }
        let at = self.start(item)?;
        let dash = self.before(at).trim();
        if dash != "-" {
            return None;
        }
        let end = self.end(item, false)?;
        Some(Edit {
            range: self.line_start(at)..self.next_line(end),
            text: String::new(),
        })
    }

    /// Takes entry `index` (key and value) out of `map`. A block entry
    /// must start its own line.
    pub fn remove_entry(&self, map: &Spanned, index: usize, flow: bool) -> Option<Edit> {
        let entries = map.entries();
        let (key, value) = entries.get(index)?;
        if flow || self.is_flow(map) {
            let spans: Vec<Spanned> = entries
                .iter()
                .map(|(k, _)| Spanned {
                    node: Node::Null,
                    span: k.span,
                })
                .collect();
            let values: Vec<&Spanned> = entries.iter().map(|(_, v)| v).collect();
            return self.remove_flow_entries(map, &spans, &values, index);
        }
        let at = self.offset(key.span)?;
        if !self.before(at).trim().is_empty() {
            return None;
        }
        let end = self.end(value, false)?.max(at);
        Some(Edit {
            range: self.line_start(at)..self.next_line(end),
            text: String::new(),
        })
    }

    /// Removes element `index` of a flow collection whose elements start
    /// at `starts[i]` and end with `values[i]`: with the separator before
    /// it, or after it for the first; an only element leaves `[]`/`{}`.
    fn remove_flow_entries(
        &self,
        collection: &Spanned,
        starts: &[Spanned],
        values: &[&Spanned],
        index: usize,
    ) -> Option<Edit> {
        if starts.len() == 1 {
            let start = self.start(collection)?;
            let end = self.flow_end(start)?;
            let (open, close) = if self.text[start..].starts_with('[') {
                ("[", "]")
            } else {
                ("{", "}")
            };
            return Some(Edit {
                range: start..end,
                text: format!("{open}{close}"),
            });
        }
        if index > 0 {
            let from = self.end(values[index - 1], true)?;
            let to = self.end(values[index], true)?;
            Some(Edit {
                range: from..to,
                text: String::new(),
            })
        } else {
            let from = self.start(&starts[0])?;
            let to = self.start(&starts[1])?;
            Some(Edit {
                range: from..to,
                text: String::new(),
            })
        }
    }

    /// The column (0-based) a block node's first line is indented to.
    pub fn column(&self, node: &Spanned) -> Option<usize> {
        let at = self.start(node)?;
        Some(self.before(at).chars().count())
    }

    /// Adds `lines` (written at column 0, one entry or more) after the
    /// last entry of the block mapping `map`, indented as its keys are.
    pub fn append_entry(&self, map: &Spanned, lines: &str) -> Option<Edit> {
        let (key, value) = map.entries().last()?;
        if self.is_flow(map) {
            return None;
        }
        let at = self.offset(key.span)?;
        let indent = " ".repeat(self.before(at).chars().count());
        let end = self.end(value, false)?.max(at);
        let place = self.next_line(end);
        Some(Edit {
            range: place..place,
            text: indented(lines, &indent, &indent, self.unterminated(place)),
        })
    }

    /// Adds an item (`lines`, its first line after the dash) after the
    /// last item of the block sequence `list`, dashed as its items are.
    pub fn append_item(&self, list: &Spanned, lines: &str) -> Option<Edit> {
        let last = list.items().last()?;
        if self.is_flow(list) {
            return None;
        }
        let at = self.start(last)?;
        let before = self.before(at);
        let dash = before.find('-')?;
        if before.trim() != "-" {
            return None;
        }
        let content = " ".repeat(before.chars().count());
        let first = format!("{}- ", " ".repeat(dash));
        let end = self.end(last, false)?;
        let place = self.next_line(end);
        Some(Edit {
            range: place..place,
            text: indented(lines, &first, &content, self.unterminated(place)),
        })
    }
}

/// `lines` with the first prefixed by `first` and the others by `rest`,
/// each ending in a newline (one before them too when the file's last
/// line has none).
fn indented(lines: &str, first: &str, rest: &str, at_end_without_newline: bool) -> String {
    let mut out = String::new();
    if at_end_without_newline {
        out.push('\n');
    }
    for (i, line) in lines.lines().enumerate() {
        out.push_str(if i == 0 { first } else { rest });
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `value` written as `like` was: single- or double-quoted when it was
/// (and always in JSON), plain when it was plain and stays plain-safe.
pub fn render_like(value: &str, like: &str, flow_json: bool) -> String {
    if like.starts_with('\'') && !flow_json {
        format!("'{}'", value.replace('\'', "''"))
    } else if like.starts_with('"') || flow_json || !plain_safe(value) {
        serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""))
    } else {
        value.to_string()
    }
}

/// Whether `value` reads back as the same string when written plain.
pub fn plain_safe(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    let reserved = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    (first.is_ascii_alphanumeric() || matches!(first, '.' | '/' | '_'))
        && !value.ends_with(' ')
        && !value.ends_with(':')
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.chars().any(|c| {
            matches!(
                c,
                '{' | '}' | '[' | ']' | ',' | '\n' | '\t' | '"' | '\'' | '`'
            )
        })
        && !reserved.contains(&value.to_ascii_lowercase().as_str())
        && value.parse::<f64>().is_err()
}

/// Applies `edits` to `text`. `None` when two overlap.
pub fn apply(text: &str, mut edits: Vec<Edit>) -> Option<String> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    for pair in edits.windows(2) {
        if pair[0].range.end > pair[1].range.start
            || (pair[0].range == pair[1].range && pair[0].range.is_empty())
        {
            return None;
        }
    }
    let mut out = text.to_string();
    for e in edits.iter().rev() {
        out.replace_range(e.range.clone(), &e.text);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::yaml::parse;

    #[test]
    fn scalars_end_where_they_are_written() {
        let text = "a: plain value # note\nb: \"q\\\"x\" \nc: 'it''s'\nd: [x, \"y\", {e: f}]\n";
        let src = Source::new(text);
        let tree = parse(text).expect("yaml");
        let end_of = |key: &str| {
            let v = tree.get(key).expect(key);
            let start = src.start(v).expect("offset");
            &text[start..src.end(v, false).expect("end")]
        };
        assert_eq!(end_of("a"), "plain value");
        assert_eq!(end_of("b"), "\"q\\\"x\"");
        assert_eq!(end_of("c"), "'it''s'");
        assert_eq!(end_of("d"), "[x, \"y\", {e: f}]");
    }

    #[test]
    fn items_and_entries_come_out_with_their_lines_or_separators() {
        let text = "l:\n  - a: 1\n    b: 2\n  # kept\n  - c: 3\nm: [1, 2, 3]\n";
        let src = Source::new(text);
        let tree = parse(text).expect("yaml");
        let l = tree.get("l").expect("l");
        let out = apply(text, vec![src.remove_item(l, 0, false).expect("edit")]).expect("apply");
        assert_eq!(out, "l:\n  # kept\n  - c: 3\nm: [1, 2, 3]\n");
        let m = tree.get("m").expect("m");
        let out = apply(text, vec![src.remove_item(m, 1, false).expect("edit")]).expect("apply");
        assert!(out.ends_with("m: [1, 3]\n"), "{out}");
        let out = apply(text, vec![src.remove_item(m, 0, false).expect("edit")]).expect("apply");
        assert!(out.ends_with("m: [2, 3]\n"), "{out}");
        let json = "{\n  \"a\": [\n    {\"x\": 1},\n    {\"y\": 2}\n  ]\n}\n";
        let src = Source::new(json);
        let tree = parse(json).expect("json");
        let a = tree.get("a").expect("a");
        let out = apply(json, vec![src.remove_item(a, 1, false).expect("edit")]).expect("apply");
        assert_eq!(out, "{\n  \"a\": [\n    {\"x\": 1}\n  ]\n}\n");
        let out =
            apply(json, vec![src.remove_entry(&tree, 0, false).expect("edit")]).expect("apply");
        assert_eq!(out, "{}\n");
    }

    #[test]
    fn new_entries_and_items_follow_their_siblings() {
        let text = "r:\n  k: v\n  l:\n    - x\n";
        let src = Source::new(text);
        let tree = parse(text).expect("yaml");
        let r = tree.get("r").expect("r");
        let e = src.append_entry(r, "n: w").expect("entry");
        assert_eq!(
            apply(text, vec![e]).expect("apply"),
            "r:\n  k: v\n  l:\n    - x\n  n: w\n"
        );
        let l = r.get("l").expect("l");
        let e = src.append_item(l, "y: 1\nz: 2").expect("item");
        assert_eq!(
            apply(text, vec![e]).expect("apply"),
            "r:\n  k: v\n  l:\n    - x\n    - y: 1\n      z: 2\n"
        );
    }

    #[test]
    fn values_keep_their_quoting() {
        assert_eq!(render_like("in/", "old/", false), "in/");
        assert_eq!(render_like("*.jpg", "old", false), "\"*.jpg\"");
        assert_eq!(render_like("a'b", "'x'", false), "'a''b'");
        assert_eq!(render_like("in/", "\"x\"", false), "\"in/\"");
        assert_eq!(render_like("true", "x", false), "\"true\"");
        assert_eq!(render_like("in/", "x", true), "\"in/\"");
    }
}

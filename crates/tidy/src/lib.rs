//! Reads a crate's `src/` folder as rust-analyzer's tidy tests do: every
//! `use crate::…`, `crate::…` path, `super::…` and `self::…` path, outside
//! comments, strings and `#[cfg(test)]` code, becomes an edge from the
//! module that writes it to the module it names. The tests in `tests/`
//! check those edges against the layers ARCHITECTURE.md draws.
//!
//! Text-based on purpose (no parser dependency): the code these rules are
//! about is ours and formatted by rustfmt. A path the reader cannot place
//! (a macro building one) is not an edge, so the checks can only miss an
//! edge, never invent one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// A module by its path below the crate root: `["plan", "queues"]`; the
/// crate root (`lib.rs`, `main.rs`) is the empty path.
pub type ModulePath = Vec<String>;

/// One reference from a module to another, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The module whose file holds the reference.
    pub from: ModulePath,
    /// The module the path resolves to (the longest module prefix of it).
    pub to: ModulePath,
    /// The file, relative to the crate's `src/`.
    pub file: PathBuf,
    /// 1-based line of the reference.
    pub line: usize,
    /// The path as written, after `crate::` (or `super::`), for messages.
    pub path: String,
}

impl fmt::Display for Edge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} uses {} (`{}`)",
            self.file.display(),
            self.line,
            show(&self.from),
            show(&self.to),
            self.path
        )
    }
}

/// `plan::queues`, or `the crate root` for the empty path.
pub fn show(module: &[String]) -> String {
    if module.is_empty() {
        "the crate root".into()
    } else {
        module.join("::")
    }
}

/// The modules of a crate and the references between them.
#[derive(Debug, Default)]
pub struct ModuleGraph {
    /// Every module, with the file that defines it.
    pub modules: BTreeMap<ModulePath, PathBuf>,
    /// Every reference, in file order.
    pub edges: Vec<Edge>,
}

/// Reads every `.rs` file under `src` into a [`ModuleGraph`].
///
/// # Errors
/// An I/O error reading the folder or a file.
pub fn read_crate(src: &Path) -> std::io::Result<ModuleGraph> {
    let mut files = Vec::new();
    collect(src, src, &mut files)?;
    files.sort();
    let mut graph = ModuleGraph::default();
    let mut texts = Vec::new();
    for rel in files {
        let text = std::fs::read_to_string(src.join(&rel))?;
        graph.modules.insert(module_of(&rel), rel.clone());
        texts.push((rel, text));
    }
    for (rel, text) in texts {
        if rel.file_name().is_some_and(|n| n == "tests.rs") {
            continue; // `#[cfg(test)] mod tests;`: test code throughout
        }
        let from = module_of(&rel);
        let code = without_tests(&code_only(&text));
        for (offset, path) in references(&code, &from, rel_is_dir_module(&rel)) {
            let line = code[..offset].matches('\n').count() + 1;
            let to = resolve(&graph.modules, &path.segments);
            if to != from {
                graph.edges.push(Edge {
                    from: from.clone(),
                    to,
                    file: rel.clone(),
                    line,
                    path: path.written,
                });
            }
        }
    }
    Ok(graph)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

/// `plan/queues.rs` → `plan::queues`; `plan/mod.rs` → `plan`; `lib.rs` → root.
pub fn module_of(rel: &Path) -> ModulePath {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        let root = parts.is_empty() && matches!(stem.as_str(), "lib" | "main");
        if stem != "mod" && !root {
            parts.push(stem);
        }
    }
    parts
}

fn rel_is_dir_module(rel: &Path) -> bool {
    rel.file_name()
        .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs")
}

/// The longest prefix of `segments` that names a module (the root when none).
fn resolve(modules: &BTreeMap<ModulePath, PathBuf>, segments: &[String]) -> ModulePath {
    (0..=segments.len())
        .rev()
        .map(|n| segments[..n].to_vec())
        .find(|prefix| prefix.is_empty() || modules.contains_key(prefix))
        .unwrap_or_default()
}

/// `text` with comments and string and char literals blanked out (their
/// newlines kept, so offsets still give the right line).
pub fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, s: &str| {
        out.extend(s.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
    };
    let mut i = 0;
    while i < b.len() {
        let rest = &text[i..];
        let end = if rest.starts_with("//") {
            rest.find('\n').map_or(b.len(), |n| i + n)
        } else if rest.starts_with("/*") {
            block_comment_end(text, i)
        } else if let Some(n) = raw_string_len(rest) {
            i + n
        } else if rest.starts_with('"') || rest.starts_with("b\"") {
            string_end(text, i + rest.find('"').unwrap_or(0))
        } else if let Some(n) = char_literal_len(rest) {
            i + n
        } else {
            let c = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&rest[..c]);
            i += c;
            continue;
        };
        blank(&mut out, &text[i..end]);
        i = end;
    }
    out
}

fn block_comment_end(text: &str, start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i < text.len() {
        if text[i..].starts_with("/*") {
            depth += 1;
            i += 2;
        } else if text[i..].starts_with("*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    text.len()
}

fn string_end(text: &str, quote: usize) -> usize {
    let b = text.as_bytes();
    let mut i = quote + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// The length of a raw string literal (`r"…"`, `r#"…"#`, `br#"…"#`) at the
/// start of `rest`.
fn raw_string_len(rest: &str) -> Option<usize> {
    let after_r = rest.strip_prefix("br").or_else(|| rest.strip_prefix('r'))?;
    let hashes = after_r.len() - after_r.trim_start_matches('#').len();
    let body = after_r[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let end = body.find(&close)?;
    Some(rest.len() - body.len() + end + close.len())
}

/// The length of a char literal (`'a'`, `'\n'`, `'"'`) at the start of
/// `rest`; `None` for a lifetime (`'a`).
fn char_literal_len(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix('\'')?;
    let mut chars = body.char_indices();
    let (_, first) = chars.next()?;
    let after = if first == '\\' {
        body[1..].find('\'')? + 1
    } else {
        first.len_utf8()
    };
    (body[after..].starts_with('\'')).then_some(after + 2)
}

/// `code` without `#[cfg(test)]` items: the attribute and the item after
/// it up to its matching `}` (or `;`), blanked.
pub fn without_tests(code: &str) -> String {
    let mut out = code.to_string();
    let mut from = 0;
    while let Some(at) = out[from..].find("#[cfg(test)]").map(|n| n + from) {
        let after = at + "#[cfg(test)]".len();
        let brace = out[after..].find('{').map(|n| n + after);
        let semi = out[after..].find(';').map(|n| n + after);
        let end = match (brace, semi) {
            (Some(b), Some(s)) if s < b => s + 1,
            (Some(b), _) => matching_brace(&out, b),
            (None, Some(s)) => s + 1,
            (None, None) => out.len(),
        };
        let blanked: String = out[at..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..end, &blanked);
        from = end;
    }
    out
}

fn matching_brace(code: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// A path a reference names, from the crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The segments from the crate root.
    pub segments: Vec<String>,
    /// As written, for messages.
    pub written: String,
}

/// Every `crate::`, `super::` and `self::` path in `code` (comments and
/// strings already blanked), each as the offset it starts at and the path
/// from the crate root; a `{…}` group gives one path per item. `dir` says
/// whether the file is a folder's `mod.rs` (or the root), which decides
/// what `super` means.
pub fn references(code: &str, module: &[String], dir: bool) -> Vec<(usize, Named)> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let starts_word = i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != b':';
        let base = if !starts_word {
            None
        } else if code[i..].starts_with("crate::") {
            Some((Vec::new(), "crate::".len()))
        } else if code[i..].starts_with("super::") || code[i..].starts_with("self::") {
            let here: Vec<String> = module.to_vec();
            // In `x.rs`, `self` is x and `super` its parent; in `x/mod.rs`
            // the same: the file *is* module x.
            let _ = dir;
            let mut at = i;
            let mut base = here;
            loop {
                if code[at..].starts_with("super::") {
                    base.pop();
                    at += "super::".len();
                } else if code[at..].starts_with("self::") {
                    at += "self::".len();
                } else {
                    break;
                }
            }
            Some((base, at - i))
        } else {
            None
        };
        let Some((base, skip)) = base else {
            i += code[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let start = i + skip;
        let (paths, end) = path_tree(code, start);
        for p in paths {
            let mut segments = base.clone();
            segments.extend(p.iter().cloned());
            out.push((
                i,
                Named {
                    written: p.join("::"),
                    segments,
                },
            ));
        }
        i = end.max(i + 1);
    }
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The paths of a `use` tree starting at `at` (`a::b`, `a::{b, c::d}`),
/// each as its segments (a `self` item names the prefix itself), and
/// where the tree ends.
fn path_tree(code: &str, at: usize) -> (Vec<Vec<String>>, usize) {
    let bytes = code.as_bytes();
    let mut i = at;
    let mut prefix = Vec::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'{' {
            let close = matching_brace(code, i);
            let inner = &code[i + 1..close.saturating_sub(1)];
            let mut paths = Vec::new();
            let mut depth = 0;
            let mut item_start = 0;
            for (k, c) in inner.char_indices().chain([(inner.len(), ',')]) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        let item = &inner[item_start..k];
                        let lead = item.len() - item.trim_start().len();
                        if !item.trim().is_empty() {
                            let (sub, _) = path_tree(inner, item_start + lead);
                            for s in sub {
                                let mut full = prefix.clone();
                                full.extend(s.into_iter().filter(|seg| seg != "self"));
                                paths.push(full);
                            }
                        }
                        item_start = k + 1;
                    }
                    _ => {}
                }
            }
            return (paths, close);
        }
        let seg_start = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        if i == seg_start {
            return (vec![prefix], i);
        }
        let seg = &code[seg_start..i];
        if seg != "self" {
            prefix.push(seg.to_string());
        }
        if code[i..].starts_with("::") {
            i += 2;
        } else {
            return (vec![prefix], i);
        }
    }
}

/// A cycle among modules, ignoring a module's references to its own
/// ancestors and descendants (a folder's `mod.rs` and its files): the
/// modules in order, the first repeated at the end. `None` when there is
/// none.
pub fn find_cycle(graph: &ModuleGraph) -> Option<Vec<ModulePath>> {
    let mut next: BTreeMap<&ModulePath, BTreeSet<&ModulePath>> = BTreeMap::new();
    for e in &graph.edges {
        let related = e.to.starts_with(&e.from) || e.from.starts_with(&e.to);
        if !related {
            next.entry(&e.from).or_default().insert(&e.to);
        }
    }
    let mut state: BTreeMap<&ModulePath, u8> = BTreeMap::new(); // 1 on stack, 2 done
    let mut stack: Vec<&ModulePath> = Vec::new();
    fn visit<'a>(
        m: &'a ModulePath,
        next: &BTreeMap<&'a ModulePath, BTreeSet<&'a ModulePath>>,
        state: &mut BTreeMap<&'a ModulePath, u8>,
        stack: &mut Vec<&'a ModulePath>,
    ) -> Option<Vec<ModulePath>> {
        state.insert(m, 1);
        stack.push(m);
        for &n in next.get(m).into_iter().flatten() {
            match state.get(n) {
                Some(1) => {
                    let from = stack.iter().position(|s| *s == n).unwrap_or(0);
                    let mut cycle: Vec<ModulePath> =
                        stack[from..].iter().map(|s| (*s).clone()).collect();
                    cycle.push(n.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(n, next, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(m, 2);
        None
    }
    let starts: Vec<&ModulePath> = next.keys().copied().collect();
    for m in starts {
        if !state.contains_key(m) {
            if let Some(c) = visit(m, &next, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

/// The core's layers, lowest first, as ARCHITECTURE.md draws them: a
/// module may use its own layer and the layers of a lower rank; layers of
/// one rank are peers and use none of each other.
pub const CORE_LAYERS: &[(&str, u8)] = &[
    ("model", 0),
    ("live", 1),
    ("desired", 2),
    ("checks", 3),
    ("plan", 4),
    ("simulate", 5),
    ("export", 5),
    ("import", 5),
    ("sources", 5),
    ("session", 6),
    ("samples", 7),
];

/// What is wrong with one reference against `layers`, if anything: it
/// points to a higher layer or a peer, or names an item of the crate root
/// (a re-export) instead of the layer that defines it.
pub fn layer_violation(edge: &Edge, layers: &[(&str, u8)]) -> Option<String> {
    let rank = |m: &ModulePath| {
        m.first()
            .and_then(|l| layers.iter().find(|(name, _)| name == l))
            .map(|(_, r)| *r)
    };
    let (Some(from_layer), Some(from_rank)) = (edge.from.first(), rank(&edge.from)) else {
        return None; // the root, or a folder the layer test reports itself
    };
    if edge.to.is_empty() {
        return Some(format!(
            "{edge}: name the layer that defines it, not the crate root's re-export"
        ));
    }
    let to_layer = &edge.to[0];
    let to_rank = rank(&edge.to)?;
    if to_layer == from_layer {
        None
    } else if to_rank > from_rank {
        Some(format!(
            "{edge}: {from_layer} (layer {from_rank}) may not use {to_layer} (layer {to_rank}), which is above it"
        ))
    } else if to_rank == from_rank {
        Some(format!(
            "{edge}: {from_layer} and {to_layer} are peers (layer {from_rank}) and use none of each other"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(code: &str, module: &[&str]) -> Vec<String> {
        let module: Vec<String> = module.iter().map(|s| s.to_string()).collect();
        references(&without_tests(&code_only(code)), &module, false)
            .into_iter()
            .map(|(_, n)| n.segments.join("::"))
            .collect()
    }

    #[test]
    fn reads_plain_grouped_nested_and_relative_paths() {
        assert_eq!(
            paths(
                "use crate::model::graph::Wiring;\nuse crate::{live::LiveState, desired::{context::Context, lambda}};\nfn f() { crate::checks::validate(w); super::x::y(); }",
                &["plan", "queues"]
            ),
            [
                "model::graph::Wiring",
                "live::LiveState",
                "desired::context::Context",
                "desired::lambda",
                "checks::validate",
                "plan::x::y"
            ]
        );
        assert_eq!(
            paths("use crate::model::policy::{self, compact};", &["x"]),
            ["model::policy", "model::policy::compact"]
        );
    }

    #[test]
    fn comments_strings_and_test_code_are_not_references() {
        let code = "// crate::plan::x\n/// [`crate::plan`]\n/* crate::plan */ let s = \"crate::plan\"; let r = r#\"crate::plan\"#; let c = '\"';\n#[cfg(test)]\nmod tests { use crate::plan::Plan; }\nuse crate::model::keys;";
        assert_eq!(paths(code, &["checks"]), ["model::keys"]);
        // The blanking keeps lines, so a reference is placed where written.
        assert_eq!(code_only(code).lines().count(), code.lines().count());
    }

    #[test]
    fn modules_are_named_by_their_files() {
        assert_eq!(module_of(Path::new("lib.rs")), Vec::<String>::new());
        assert_eq!(module_of(Path::new("plan/mod.rs")), ["plan"]);
        assert_eq!(module_of(Path::new("plan/queues.rs")), ["plan", "queues"]);
        assert_eq!(module_of(Path::new("editor.rs")), ["editor"]);
    }

    fn edge(from: &[&str], to: &[&str]) -> Edge {
        Edge {
            from: from.iter().map(|s| s.to_string()).collect(),
            to: to.iter().map(|s| s.to_string()).collect(),
            file: PathBuf::from("x.rs"),
            line: 1,
            path: to.join("::"),
        }
    }

    #[test]
    fn an_upward_peer_or_root_reference_is_a_violation_and_a_downward_one_is_not() {
        assert!(layer_violation(&edge(&["plan"], &["checks"]), CORE_LAYERS).is_none());
        assert!(layer_violation(
            &edge(&["checks", "roles"], &["desired", "lambda"]),
            CORE_LAYERS
        )
        .is_none());
        let up =
            layer_violation(&edge(&["model", "graph"], &["checks"]), CORE_LAYERS).expect("upward");
        assert!(up.contains("may not use checks"), "{up}");
        let peer = layer_violation(&edge(&["export"], &["import"]), CORE_LAYERS).expect("peer");
        assert!(peer.contains("peers"), "{peer}");
        assert!(layer_violation(&edge(&["plan"], &[]), CORE_LAYERS).is_some());
    }

    #[test]
    fn a_cycle_is_found_and_a_folder_with_its_files_is_not_one() {
        let mut g = ModuleGraph {
            edges: vec![
                edge(&["checks"], &["checks", "roles"]),
                edge(&["checks", "roles"], &["checks"]),
            ],
            ..ModuleGraph::default()
        };
        assert_eq!(find_cycle(&g), None);
        g.edges.push(edge(&["editor"], &["view"]));
        g.edges.push(edge(&["view"], &["editor"]));
        let cycle = find_cycle(&g).expect("editor ↔ view");
        assert_eq!(cycle.len(), 3);
    }
}

//! A document opened from a CloudFormation or SAM template, edited on the
//! canvas, written back into that template's text: only what changed is
//! touched, every other byte (comments, order, layout) stays as it was.
//!
//! What is written: a filter's prefix, suffix and event type changed, a
//! filter removed, a new filter from a bucket the template declares to a
//! function (with the invoke permission and the bucket's `DependsOn` on
//! it when the template has none). Anything else — or any of these where
//! the file's text cannot be edited exactly (an expression where a value
//! was expected, a flow collection where a block is needed) — is listed
//! as a change to make by hand, and nothing of it is written.
//!
//! Invariant: the text returned reads back (with [`super::read`]) to the
//! edited document's notifications, except those listed by hand. That is
//! checked before answering; when it does not hold, nothing is written
//! and every change is listed by hand.

mod text;

use crate::model::document::{Document, Filter, NodeId};
use crate::sources::cloudformation::intrinsics::Target;
use crate::sources::yaml::{self, Node, Span, Spanned};
use crate::sources::{Reading, SourceError};
use std::collections::{BTreeMap, BTreeSet};
use text::{Edit, Source};

/// What writing a document back into its template did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteBack {
    /// The template's new text (the old one when nothing was written).
    pub text: String,
    /// What was written, one sentence each.
    pub written: Vec<String>,
    /// What was not written and must be changed by hand, one sentence
    /// each saying what and why.
    pub by_hand: Vec<String>,
}

/// Writes `edited` (a document first read from `text`, template `file`,
/// for `target`) back into the template.
///
/// # Errors
/// [`SourceError`] when `text` itself does not read (it changed on disk
/// since it was opened, say).
pub fn write_back(
    file: &str,
    text: &str,
    edited: &Document,
    target: &Target,
) -> Result<WriteBack, SourceError> {
    let reading = super::read(file, text, target)?;
    let tree = yaml::parse(text).map_err(|e| SourceError::Syntax {
        file: file.into(),
        line: e.line,
        column: e.column,
        message: e.message,
    })?;
    let mut w = Writer {
        src: Source::new(text),
        tree: &tree,
        reading: &reading,
        edited,
        json: text.trim_start().starts_with('{'),
        unit: indent_unit(text, &tree),
        edits: Vec::new(),
        written: Vec::new(),
        by_hand: Vec::new(),
        expected: notifications(&reading.document),
    };
    w.filters();
    w.other_changes();
    let Writer {
        edits,
        written,
        mut by_hand,
        expected,
        ..
    } = w;
    if edits.is_empty() {
        return Ok(WriteBack {
            text: text.to_string(),
            written,
            by_hand,
        });
    }
    let new_text = text::apply(text, edits);
    let verified = new_text.as_deref().is_some_and(|t| {
        super::read(file, t, target).is_ok_and(|r| notifications(&r.document) == expected)
    });
    match new_text {
        Some(new_text) if verified => Ok(WriteBack {
            text: new_text,
            written,
            by_hand,
        }),
        _ => {
            let mut all: Vec<String> = written
                .into_iter()
                .map(|w| {
                    format!("{w} (not written: Bucketwire could not edit the file there exactly)")
                })
                .collect();
            all.append(&mut by_hand);
            Ok(WriteBack {
                text: text.to_string(),
                written: Vec::new(),
                by_hand: all,
            })
        }
    }
}

/// Why an edit was not made: the file's text there is not one these
/// edits can place exactly.
fn cannot_edit() -> String {
    "its place in the file cannot be edited exactly".into()
}

/// One notification as S3 receives it: bucket, event, prefix, suffix and
/// destination. A document's are a multiset of these.
type Notification = (String, String, Option<String>, Option<String>, String);

/// The notifications `doc` configures, counted.
fn notifications(doc: &Document) -> BTreeMap<Notification, usize> {
    let mut out = BTreeMap::new();
    for f in &doc.filters {
        for n in notifications_of(doc, f) {
            *out.entry(n).or_insert(0) += 1;
        }
    }
    out
}

fn notifications_of(doc: &Document, f: &Filter) -> Vec<Notification> {
    let Some(bucket) = bucket_of(doc, &f.id) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for to in destinations(doc, &f.id) {
        for event in &f.events {
            out.push((
                bucket.clone(),
                event.clone(),
                f.prefix.clone(),
                f.suffix.clone(),
                destination_key(doc, &to),
            ));
        }
    }
    out
}

/// The name of the bucket filter `id` hangs from.
fn bucket_of(doc: &Document, id: &NodeId) -> Option<String> {
    doc.edges
        .iter()
        .filter(|e| e.to == *id)
        .find_map(|e| doc.buckets.iter().find(|b| b.id == e.from))
        .map(|b| b.name.clone())
}

/// The id of the bucket filter `id` hangs from.
fn bucket_id_of<'d>(doc: &'d Document, id: &NodeId) -> Option<&'d NodeId> {
    doc.edges.iter().find(|e| e.to == *id).map(|e| &e.from)
}

/// The nodes filter `id` delivers to.
fn destinations(doc: &Document, id: &NodeId) -> Vec<NodeId> {
    doc.edges
        .iter()
        .filter(|e| e.from == *id)
        .map(|e| e.to.clone())
        .collect()
}

/// What a destination is, independent of its card's id.
fn destination_key(doc: &Document, id: &NodeId) -> String {
    if let Some(f) = doc.functions.iter().find(|f| f.id == *id) {
        return match &f.qualifier {
            Some(q) => format!("{}:{q}", f.arn),
            None => f.arn.clone(),
        };
    }
    if let Some(t) = doc.topics.iter().find(|t| t.id == *id) {
        return t.arn.clone();
    }
    if let Some(q) = doc.queues.iter().find(|q| q.id == *id) {
        return q.arn.clone();
    }
    id.to_string()
}

/// How many spaces the file indents a level by (2 when it cannot tell).
fn indent_unit(text: &str, tree: &Spanned) -> usize {
    let src = Source::new(text);
    tree.get("Resources")
        .and_then(|r| r.entries().first())
        .and_then(|(k, v)| src.column(v)?.checked_sub(src.column(k)?))
        .filter(|u| (1..=8).contains(u))
        .unwrap_or(2)
}

/// Where a filter's entry is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// In an `AWS::S3::Bucket`'s `NotificationConfiguration`.
    Bucket,
    /// As an S3 event of a SAM function.
    Sam,
}

struct Writer<'a> {
    src: Source<'a>,
    tree: &'a Spanned,
    reading: &'a Reading,
    edited: &'a Document,
    json: bool,
    unit: usize,
    edits: Vec<Edit>,
    written: Vec<String>,
    by_hand: Vec<String>,
    expected: BTreeMap<Notification, usize>,
}

impl<'a> Writer<'a> {
    /// Every filter removed, changed or added.
    fn filters(&mut self) {
        let original = &self.reading.document;
        let edited: BTreeMap<&NodeId, &Filter> =
            self.edited.filters.iter().map(|f| (&f.id, f)).collect();
        for o in &original.filters {
            let label = self.label(original, o);
            match edited.get(&o.id) {
                None => {
                    let result = self.remove(o);
                    self.record(result, &label, o, None, "removed");
                }
                Some(e) => {
                    let rewired = bucket_id_of(original, &o.id) != bucket_id_of(self.edited, &e.id)
                        || destinations(original, &o.id)
                            .iter()
                            .map(|d| destination_key(original, d))
                            .collect::<BTreeSet<_>>()
                            != destinations(self.edited, &e.id)
                                .iter()
                                .map(|d| destination_key(self.edited, d))
                                .collect::<BTreeSet<_>>();
                    if rewired {
                        self.by_hand.push(format!(
                            "{label} now delivers elsewhere or hangs from another bucket: move it in the template by hand"
                        ));
                    } else if (&o.events, &o.prefix, &o.suffix) != (&e.events, &e.prefix, &e.suffix)
                    {
                        let result = self.change(o, e);
                        self.record(result, &label, o, Some(e), &describe_change(o, e));
                    }
                }
            }
        }
        let known: BTreeSet<&NodeId> = original.filters.iter().map(|f| &f.id).collect();
        for e in self
            .edited
            .filters
            .iter()
            .filter(|f| !known.contains(&f.id))
        {
            let label = format!(
                "the new filter {} on bucket {}",
                e.configuration_id,
                bucket_of(self.edited, &e.id).unwrap_or_default()
            );
            let result = self.add(e);
            match result {
                Ok(mut done) => {
                    for n in notifications_of(self.edited, e) {
                        *self.expected.entry(n).or_insert(0) += 1;
                    }
                    self.written.append(&mut done);
                }
                Err(why) => self.by_hand.push(format!("{label}: {why}")),
            }
        }
    }

    /// Notes a removal or change: on success the expected notifications
    /// follow it and it is said as written; else it is said by hand.
    fn record(
        &mut self,
        result: Result<Vec<Edit>, String>,
        label: &str,
        before: &Filter,
        after: Option<&Filter>,
        what: &str,
    ) {
        match result {
            Ok(edits) => {
                self.edits.extend(edits);
                for n in notifications_of(&self.reading.document, before) {
                    if let Some(c) = self.expected.get_mut(&n) {
                        *c -= 1;
                        if *c == 0 {
                            self.expected.remove(&n);
                        }
                    }
                }
                if let Some(after) = after {
                    for n in notifications_of(self.edited, after) {
                        *self.expected.entry(n).or_insert(0) += 1;
                    }
                }
                self.written.push(format!("{label}: {what}"));
            }
            Err(why) => self
                .by_hand
                .push(format!("{label}: {what}, not written: {why}")),
        }
    }

    /// How a person finds filter `f` in the file.
    fn label(&self, doc: &Document, f: &Filter) -> String {
        let at = self.reading.origins.get(&f.id);
        format!(
            "filter {} of bucket {}{}",
            f.configuration_id,
            bucket_of(doc, &f.id).unwrap_or_default(),
            at.map(|l| format!(" (line {}, {})", l.line, l.resource))
                .unwrap_or_default()
        )
    }

    /// Where filter `id` is written, and its entry as read.
    fn entry(&self, id: &NodeId) -> Result<(Written, &Spanned), String> {
        let entry = self
            .reading
            .entries
            .get(id)
            .ok_or("the template does not write it as a notification entry")?;
        let origin = self.reading.origins.get(id).ok_or("its place is unknown")?;
        let kind = self
            .tree
            .get("Resources")
            .and_then(|r| r.get(&origin.resource))
            .and_then(|r| r.get("Type"))
            .and_then(Spanned::as_str)
            .unwrap_or_default();
        let written = match kind {
            "AWS::S3::Bucket" => Written::Bucket,
            "AWS::Serverless::Function" => Written::Sam,
            other => {
                return Err(format!(
                    "it is written by {} ({other}): change it where that resource is made",
                    origin.resource
                ))
            }
        };
        let shared = self
            .reading
            .entries
            .iter()
            .filter(|(other, e)| *other != id && e.span == entry.span)
            .count();
        if shared > 0 {
            return Err("one entry of the file makes several filters (a list of events)".into());
        }
        Ok((written, entry))
    }

    /// The file's node at `span` of the same kind as `like`, with the
    /// collection holding it and its index there.
    fn find(&self, like: &Spanned) -> Option<(&'a Spanned, Option<(&'a Spanned, usize)>)> {
        fn walk<'t>(
            node: &'t Spanned,
            like: &Spanned,
            parent: Option<(&'t Spanned, usize)>,
        ) -> Option<(&'t Spanned, Option<(&'t Spanned, usize)>)> {
            if node.span == like.span
                && std::mem::discriminant(&node.node) == std::mem::discriminant(&like.node)
            {
                return Some((node, parent));
            }
            if node.span > like.span && node.span.line > like.span.line {
                return None;
            }
            match &node.node {
                Node::Map(entries) => entries
                    .iter()
                    .enumerate()
                    .find_map(|(i, (_, v))| walk(v, like, Some((node, i)))),
                Node::List(items) => items
                    .iter()
                    .enumerate()
                    .find_map(|(i, v)| walk(v, like, Some((node, i)))),
                _ => None,
            }
        }
        walk(self.tree, like, None)
    }

    /// The file's mapping that has the entry whose key is at `key`.
    fn entry_at(&self, key: Span) -> Option<(&'a Spanned, usize)> {
        fn walk(node: &Spanned, key: Span) -> Option<(&Spanned, usize)> {
            match &node.node {
                Node::Map(entries) => entries
                    .iter()
                    .position(|(k, _)| k.span == key)
                    .map(|i| (node, i))
                    .or_else(|| entries.iter().find_map(|(_, v)| walk(v, key))),
                Node::List(items) => items.iter().find_map(|v| walk(v, key)),
                _ => None,
            }
        }
        walk(self.tree, key)
    }

    /// Whether the file node `node` sits inside a flow collection.
    fn in_flow(&self, node: &Spanned) -> bool {
        self.json || {
            fn walk(n: &Spanned, target: &Spanned, src: &Source<'_>, flow: bool) -> Option<bool> {
                if std::ptr::eq(n, target) {
                    return Some(flow);
                }
                let flow = flow || src.is_flow(n);
                match &n.node {
                    Node::Map(entries) => {
                        entries.iter().find_map(|(_, v)| walk(v, target, src, flow))
                    }
                    Node::List(items) => items.iter().find_map(|v| walk(v, target, src, flow)),
                    _ => None,
                }
            }
            walk(self.tree, node, &self.src, false).unwrap_or(false)
        }
    }

    /// Removes filter `o`'s entry (and the lists it leaves empty).
    fn remove(&self, o: &Filter) -> Result<Vec<Edit>, String> {
        let (written, entry) = self.entry(&o.id)?;
        match written {
            Written::Bucket => {
                let (item, parent) = self.find(entry).ok_or_else(cannot_edit)?;
                let (list, index) = parent.ok_or_else(cannot_edit)?;
                // The list, then the configuration, go when emptied.
                self.remove_child(list, index, self.in_flow(item), 2)
            }
            Written::Sam => {
                let origin = self.reading.origins.get(&o.id).ok_or_else(cannot_edit)?;
                let key = Span {
                    line: origin.line,
                    column: origin.column,
                    file: 0,
                };
                let (events, at) = self.entry_at(key).ok_or_else(cannot_edit)?;
                // `Events` goes when emptied.
                self.remove_child(events, at, self.in_flow(events), 1)
            }
        }
    }

    /// Removes child `index` of `container`; when it is the only one, the
    /// entry holding `container` goes instead, up to `up` levels.
    fn remove_child(
        &self,
        container: &'a Spanned,
        index: usize,
        flow: bool,
        up: usize,
    ) -> Result<Vec<Edit>, String> {
        let count = container.items().len() + container.entries().len();
        if count > 1 || up == 0 {
            let edit = match container.node {
                Node::List(_) => self.src.remove_item(container, index, flow),
                _ => self.src.remove_entry(container, index, flow),
            };
            return edit.map(|e| vec![e]).ok_or_else(cannot_edit);
        }
        let (_, holder) = self.find(container).ok_or_else(cannot_edit)?;
        let (parent, at) = holder.ok_or_else(cannot_edit)?;
        self.remove_child(parent, at, flow, up - 1)
    }

    /// Writes `e`'s event types, prefix and suffix over `o`'s.
    fn change(&self, o: &Filter, e: &Filter) -> Result<Vec<Edit>, String> {
        let (written, entry) = self.entry(&o.id)?;
        let mut edits = Vec::new();
        let event = entry.get("Event").ok_or("its event type is not written")?;
        let (event_node, _) = self.find(event).ok_or("its event type is not written")?;
        if o.events != e.events {
            let flow = self.in_flow(event_node);
            let edit = match (written, e.events.as_slice()) {
                (_, [one]) => self.src.replace_scalar(event_node, one, flow),
                (Written::Sam, many) if !many.is_empty() && !flow => {
                    let start = self.src.offset(event_node.span);
                    let end = self.src.end(event_node, flow);
                    match (start, end, &event_node.node) {
                        (Some(start), Some(end), Node::String(_)) => Some(Edit {
                            range: start..end,
                            text: format!(
                                "[{}]",
                                many.iter()
                                    .map(|m| text::render_like(m, "", false))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        }),
                        _ => None,
                    }
                }
                _ => None,
            };
            edits.push(edit.ok_or(
                "CloudFormation takes one event type per entry: write one entry per type by hand",
            )?);
        }
        if (&o.prefix, &o.suffix) != (&e.prefix, &e.suffix) {
            edits.extend(self.rules(event_node, entry, o, e)?);
        }
        Ok(edits)
    }

    /// The `Filter` rules of `entry` rewritten from `o`'s to `e`'s.
    fn rules(
        &self,
        event_node: &Spanned,
        entry: &Spanned,
        o: &Filter,
        e: &Filter,
    ) -> Result<Vec<Edit>, String> {
        let cannot = || "its filter rules cannot be edited exactly".to_string();
        let wanted = [("prefix", &e.prefix), ("suffix", &e.suffix)];
        let rules = entry
            .get("Filter")
            .and_then(|f| f.get("S3Key"))
            .and_then(|k| k.get("Rules"));
        let Some(rules) = rules else {
            // No rules yet: a Filter after the entry's other keys.
            let (_, holder) = self.find(event_node).ok_or_else(cannot)?;
            let (map, _) = holder.ok_or_else(cannot)?;
            if self.in_flow(map) || matches!(map.node, Node::List(_)) {
                return Err(cannot());
            }
            let lines = filter_lines(&e.prefix, &e.suffix, &" ".repeat(self.unit));
            return self
                .src
                .append_entry(map, &lines)
                .map(|e| vec![e])
                .ok_or_else(cannot);
        };
        let (rules_node, _) = self.find(rules).ok_or_else(cannot)?;
        let flow = self.in_flow(rules_node);
        let keeps = wanted.iter().filter(|(_, v)| v.is_some()).count();
        if keeps == 0 {
            // No rule left: the whole Filter goes.
            let filter = entry.get("Filter").ok_or_else(cannot)?;
            let (filter_node, holder) = self.find(filter).ok_or_else(cannot)?;
            let (map, at) = holder.ok_or_else(cannot)?;
            return self
                .src
                .remove_entry(map, at, flow || self.in_flow(filter_node))
                .map(|e| vec![e])
                .ok_or_else(cannot);
        }
        let mut edits = Vec::new();
        let mut added = String::new();
        for (name, value) in wanted {
            let before = if name == "prefix" {
                &o.prefix
            } else {
                &o.suffix
            };
            if before == value {
                continue;
            }
            let at = rules_node.items().iter().position(|r| {
                r.get("Name")
                    .and_then(Spanned::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            });
            match (at, value) {
                (Some(i), Some(v)) => {
                    let node = rules_node.items()[i].get("Value").ok_or_else(cannot)?;
                    if !matches!(node.node, Node::String(_) | Node::Number(_)) {
                        return Err(format!(
                            "its {name} is an expression: change the value it reads by hand"
                        ));
                    }
                    edits.push(self.src.replace_scalar(node, v, flow).ok_or_else(cannot)?);
                }
                (Some(i), None) => {
                    edits.push(
                        self.src
                            .remove_item(rules_node, i, flow)
                            .ok_or_else(cannot)?,
                    );
                }
                (None, Some(v)) => {
                    if flow {
                        return Err(cannot());
                    }
                    if !added.is_empty() {
                        added.push('\n');
                    }
                    added.push_str(&format!(
                        "Name: {name}\nValue: {}",
                        text::render_like(v, "", false)
                    ));
                }
                (None, None) => {}
            }
        }
        if !added.is_empty() {
            // One edit for every rule added (they go to the same place).
            let mut items = added.split("\nName: ");
            let first = items.next().unwrap_or_default().to_string();
            let mut edit = self
                .src
                .append_item(rules_node, &first)
                .ok_or_else(cannot)?;
            for more in items {
                let next = self
                    .src
                    .append_item(rules_node, &format!("Name: {more}"))
                    .ok_or_else(cannot)?;
                edit.text.push_str(&next.text);
            }
            edits.push(edit);
        }
        Ok(edits)
    }

    /// Writes the new filter `e`: an entry on its bucket's resource, and
    /// the invoke permission (with the bucket's `DependsOn`) when the
    /// template grants none. Answers what it wrote.
    fn add(&mut self, e: &Filter) -> Result<Vec<String>, String> {
        if self.json {
            return Err("Bucketwire adds entries to YAML templates only: add it to this JSON template by hand".into());
        }
        let reading: &'a Reading = self.reading;
        let edited: &'a Document = self.edited;
        let tree: &'a Spanned = self.tree;
        let original = &reading.document;
        let bucket = edited
            .edges
            .iter()
            .filter(|x| x.to == e.id)
            .find_map(|x| original.buckets.iter().find(|b| b.id == x.from))
            .ok_or("its bucket is not one the template declares")?;
        let resource_id = reading
            .origins
            .get(&bucket.id)
            .map(|l| l.resource.clone())
            .ok_or("its bucket is not one the template declares")?;
        let resources = tree
            .get("Resources")
            .ok_or("the template has no Resources")?;
        let resource = resources
            .get(&resource_id)
            .filter(|r| r.get("Type").and_then(Spanned::as_str) == Some("AWS::S3::Bucket"))
            .ok_or("its bucket is not an AWS::S3::Bucket of the template")?;
        let targets = destinations(edited, &e.id);
        let [to] = &targets[..] else {
            return Err("it does not deliver to one function".into());
        };
        let function = edited
            .functions
            .iter()
            .find(|f| f.id == *to)
            .ok_or("Bucketwire writes new filters to functions only: add it by hand")?;
        if e.events.is_empty() {
            return Err("it has no event type".into());
        }
        // The function: by its logical id when the template declares it.
        let declared = reading
            .origins
            .get(&function.id)
            .map(|l| l.resource.clone())
            .filter(|id| {
                resources
                    .get(id)
                    .and_then(|r| r.get("Type"))
                    .and_then(Spanned::as_str)
                    .is_some_and(|t| {
                        t == "AWS::Lambda::Function" || t == "AWS::Serverless::Function"
                    })
            });
        let function_ref = match (&declared, &function.qualifier) {
            (Some(id), None) => format!("!GetAtt {id}.Arn"),
            (_, Some(q)) => text::render_like(&format!("{}:{q}", function.arn), "", false),
            (None, None) => text::render_like(&function.arn, "", false),
        };
        let u = " ".repeat(self.unit);
        let mut items = Vec::new();
        for event in &e.events {
            let mut item = format!("Event: {}\n", text::render_like(event, "", false));
            if e.prefix.is_some() || e.suffix.is_some() {
                item.push_str(&filter_lines(&e.prefix, &e.suffix, &u));
            }
            item.push_str(&format!("Function: {function_ref}"));
            items.push(item);
        }
        let cannot = || "the bucket's resource cannot be edited exactly here".to_string();
        let notification = format!(
            "NotificationConfiguration:\n{}",
            indent_lines(
                &format!("LambdaConfigurations:\n{}", dashed(&items, &u)),
                &u
            )
        );
        let edit = match resource.get("Properties") {
            // A bucket with no properties: they start here.
            None => {
                let (resource, _) = self.find(resource).ok_or_else(cannot)?;
                self.src.append_entry(
                    resource,
                    &format!("Properties:\n{}", indent_lines(&notification, &u)),
                )
            }
            Some(properties) => {
                let (properties, _) = self.find(properties).ok_or_else(cannot)?;
                match properties.get("NotificationConfiguration") {
                    Some(config) => match config.get("LambdaConfigurations") {
                        Some(list) => items
                            .iter()
                            .try_fold(None::<Edit>, |edit, item| {
                                let next = self.src.append_item(list, item)?;
                                Some(Some(match edit {
                                    Some(mut edit) => {
                                        edit.text.push_str(&next.text);
                                        edit
                                    }
                                    None => next,
                                }))
                            })
                            .flatten(),
                        None => self.src.append_entry(
                            config,
                            &format!("LambdaConfigurations:\n{}", dashed(&items, &u)),
                        ),
                    },
                    None => self.src.append_entry(properties, &notification),
                }
            }
        }
        .ok_or_else(cannot)?;
        self.finish_add(
            e,
            bucket,
            function,
            declared,
            resource_id,
            resources,
            resource,
            edit,
        )
    }

    /// After a new filter's entry (`edit`): the permission S3 needs,
    /// unless the template grants one, and the bucket's `DependsOn` on it.
    #[allow(clippy::too_many_arguments)]
    fn finish_add(
        &mut self,
        e: &Filter,
        bucket: &crate::model::document::Bucket,
        function: &crate::model::document::Function,
        declared: Option<String>,
        resource_id: String,
        resources: &Spanned,
        resource: &Spanned,
        mut edit: Edit,
    ) -> Result<Vec<String>, String> {
        let cannot = || "the bucket's resource cannot be edited exactly here".to_string();
        let u = " ".repeat(self.unit);
        let mut done = vec![format!(
            "bucket {}: a notification of {} to {} ({})",
            bucket.name,
            e.events.join(", "),
            function.name(),
            filter_words(e)
        )];
        // The permission S3 needs, unless the template grants one.
        if !self.grants_s3(resources, declared.as_deref(), function, bucket) {
            let base: String = format!(
                "{resource_id}{}",
                declared.as_deref().unwrap_or(function.name())
            )
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
            let mut name = format!("{base}Permission");
            let mut n = 2;
            while resources.get(&name).is_some() {
                name = format!("{base}Permission{n}");
                n += 1;
            }
            let function_name = match &declared {
                Some(id) => format!("!Ref {id}"),
                None => text::render_like(&function.arn, "", false),
            };
            let source_arn = match resource.get("Properties").and_then(|p| p.get("BucketName")) {
                Some(n) if n.as_str().is_some() => Some(text::render_like(
                    &format!("arn:aws:s3:::{}", n.as_str().unwrap_or_default()),
                    "",
                    false,
                )),
                Some(n) => n
                    .get("Ref")
                    .and_then(Spanned::as_str)
                    .filter(|p| {
                        self.tree
                            .get("Parameters")
                            .and_then(|ps| ps.get(p))
                            .is_some()
                    })
                    .map(|p| format!("!Sub \"arn:${{AWS::Partition}}:s3:::${{{p}}}\"")),
                None => None,
            };
            let mut permission = format!(
                "{name}:\n{u}Type: AWS::Lambda::Permission\n{u}Properties:\n{u}{u}Action: lambda:InvokeFunction\n{u}{u}FunctionName: {function_name}\n{u}{u}Principal: s3.amazonaws.com\n{u}{u}SourceAccount: !Ref AWS::AccountId\n"
            );
            if let Some(arn) = &source_arn {
                permission.push_str(&format!("{u}{u}SourceArn: {arn}\n"));
            }
            let (resources_node, _) = self.find(resources).ok_or_else(cannot)?;
            let add = self
                .src
                .append_entry(resources_node, &permission)
                .ok_or_else(cannot)?;
            // The bucket waits for it (S3 checks the permission when the
            // notification is written).
            let depends = self.depends_on(resource, &name).ok_or_else(cannot)?;
            // Insertions at one place go in the file's order: the
            // bucket's DependsOn, its notification, the new resource.
            if depends.range == edit.range {
                edit.text.insert_str(0, &depends.text);
            } else {
                self.edits.push(depends);
            }
            if add.range == edit.range {
                edit.text.push_str(&add.text);
            } else {
                self.edits.push(add);
            }
            done.push(format!(
                "{name}: the permission for S3 to invoke {}{}, and bucket {resource_id} DependsOn it",
                function.name(),
                if source_arn.is_some() {
                    ""
                } else {
                    " (without SourceArn: the bucket's name is known only at deploy)"
                }
            ));
        }
        self.edits.push(edit);
        Ok(done)
    }

    /// Whether the template has a permission letting S3 invoke the
    /// function for the bucket: among what it grants as read (SAM's
    /// generated permissions too), or a permission resource naming it.
    fn grants_s3(
        &self,
        resources: &Spanned,
        declared: Option<&str>,
        function: &crate::model::document::Function,
        bucket: &crate::model::document::Bucket,
    ) -> bool {
        use crate::model::permission::{grants_s3_invoke, target_arn};
        let arn = function.arn.as_str();
        let target = target_arn(arn, function.qualifier.as_deref());
        let read = self.reading.document.live.as_ref().is_some_and(|live| {
            live.functions.iter().filter(|f| f.arn == arn).any(|f| {
                f.policy_statements.iter().any(|s| {
                    grants_s3_invoke(s, &target, &bucket.name, bucket.account.as_deref()).is_some()
                })
            })
        });
        read || resources.entries().iter().any(|(_, r)| {
            r.get("Type").and_then(Spanned::as_str) == Some("AWS::Lambda::Permission")
                && r.get("Properties").is_some_and(|p| {
                    let s3 =
                        p.get("Principal").and_then(Spanned::as_str) == Some("s3.amazonaws.com");
                    let target = p.get("FunctionName").is_some_and(|f| {
                        f.as_str() == Some(arn)
                            || declared.is_some_and(|d| {
                                f.get("Ref").and_then(Spanned::as_str) == Some(d)
                                    || f.get("Fn::GetAtt")
                                        .and_then(|g| g.items().first())
                                        .and_then(Spanned::as_str)
                                        == Some(d)
                            })
                    });
                    s3 && target
                })
        })
    }

    /// The bucket resource's `DependsOn` gaining `name`.
    fn depends_on(&self, resource: &Spanned, name: &str) -> Option<Edit> {
        let (resource, _) = self.find(resource)?;
        match resource.get("DependsOn") {
            None => {
                let (type_key, type_value) = resource.entry("Type")?;
                let at = self.src.offset(type_key.span)?;
                let end = self.src.end(type_value, false)?;
                let place = self.src.next_line(end);
                let indent = " ".repeat(self.src.column(type_key)?);
                debug_assert!(at < place);
                Some(Edit {
                    range: place..place,
                    text: format!("{indent}DependsOn: {name}\n"),
                })
            }
            Some(d) if d.as_str().is_some() => {
                let start = self.src.offset(d.span)?;
                let end = self.src.end(d, false)?;
                Some(Edit {
                    range: start..end,
                    text: format!("[{}, {name}]", &self.src.text[start..end]),
                })
            }
            Some(d) if self.src.is_flow(d) => {
                let start = self.src.offset(d.span)?;
                let end = self.src.end(d, false)?;
                let inner = self.src.text[start + 1..end - 1].trim_end();
                Some(Edit {
                    range: start..end,
                    text: format!("[{inner}, {name}]"),
                })
            }
            Some(d) => self.src.append_item(d, name),
        }
    }

    /// Changes this writer does not write: said by hand.
    fn other_changes(&mut self) {
        let original = &self.reading.document;
        let mut by_hand = Vec::new();
        let kinds = erased::cards(original)
            .into_iter()
            .zip(erased::cards(self.edited))
            .map(|((kind, before), (_, after))| (kind, before, after));
        for (kind, before, after) in kinds {
            let before: BTreeMap<NodeId, serde_json::Value> = before.into_iter().collect();
            let after: BTreeMap<NodeId, serde_json::Value> = after.into_iter().collect();
            for (id, v) in &after {
                match before.get(id) {
                    None if kind == "function" && self.edited.edges.iter().any(|e| e.to == *id) => {}
                    None => by_hand.push(format!(
                        "the new {kind} {}: declare it in the template by hand",
                        name_of(v, id)
                    )),
                    Some(b) if b != v => by_hand.push(format!(
                        "{kind} {}: its settings changed on the canvas; write them in the template by hand",
                        name_of(v, id)
                    )),
                    Some(_) => {}
                }
            }
            for (id, v) in &before {
                if !after.contains_key(id) {
                    by_hand.push(format!(
                        "{kind} {} was removed on the canvas: take it out of the template by hand",
                        name_of(v, id)
                    ));
                }
            }
        }
        self.by_hand.append(&mut by_hand);
    }
}

/// A card's name in a sentence: its `name` or `arn`, else its id.
fn name_of(v: &serde_json::Value, id: &NodeId) -> String {
    v.get("name")
        .or_else(|| v.get("arn"))
        .and_then(serde_json::Value::as_str)
        .map_or_else(|| id.to_string(), String::from)
}

/// Each card as JSON by id (what a comparison of settings reads).
mod erased {
    use crate::model::document::NodeId;

    pub trait Card: serde::Serialize {
        fn id(&self) -> &NodeId;
    }

    macro_rules! card {
        ($($t:ty),*) => {$(
            impl Card for $t {
                fn id(&self) -> &NodeId {
                    &self.id
                }
            }
        )*};
    }
    card!(
        crate::model::document::Bucket,
        crate::model::document::Function,
        crate::model::document::Topic,
        crate::model::document::Queue,
        crate::model::document::Rule
    );

    /// Cards of one kind, each as JSON by id.
    pub type Cards = Vec<(NodeId, serde_json::Value)>;

    /// Each kind of card of `doc` but filters, as JSON by id.
    pub fn cards(doc: &crate::model::document::Document) -> [(&'static str, Cards); 5] {
        [
            ("bucket", all(&doc.buckets)),
            ("function", all(&doc.functions)),
            ("topic", all(&doc.topics)),
            ("queue", all(&doc.queues)),
            ("rule", all(&doc.rules)),
        ]
    }

    /// `cards` as JSON by id.
    fn all<T: Card>(cards: &[T]) -> Cards {
        cards
            .iter()
            .map(|c| (c.id().clone(), serde_json::to_value(c).unwrap_or_default()))
            .collect()
    }
}

/// `items` as block-list lines at column 0 (each item's first line after
/// `- `, the rest under it), indented by `u`.
fn dashed(items: &[String], u: &str) -> String {
    let mut out = String::new();
    for item in items {
        for (i, line) in item.lines().enumerate() {
            out.push_str(u);
            out.push_str(if i == 0 { "- " } else { "  " });
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Every line of `lines` indented by `u`.
fn indent_lines(lines: &str, u: &str) -> String {
    lines.lines().map(|l| format!("{u}{l}\n")).collect()
}

/// A `Filter` of S3 key rules, as block YAML at column 0 indented by `u`.
fn filter_lines(prefix: &Option<String>, suffix: &Option<String>, u: &str) -> String {
    let mut lines = format!("Filter:\n{u}S3Key:\n{u}{u}Rules:\n");
    for (name, value) in [("prefix", prefix), ("suffix", suffix)] {
        if let Some(v) = value {
            lines.push_str(&format!(
                "{u}{u}{u}- Name: {name}\n{u}{u}{u}  Value: {}\n",
                text::render_like(v, "", false)
            ));
        }
    }
    lines
}

/// A filter's keys in words.
fn filter_words(f: &Filter) -> String {
    match (&f.prefix, &f.suffix) {
        (None, None) => "every key".into(),
        (Some(p), None) => format!("keys starting {p}"),
        (None, Some(s)) => format!("keys ending {s}"),
        (Some(p), Some(s)) => format!("keys starting {p} and ending {s}"),
    }
}

/// What changed between `o` and `e`, in words.
fn describe_change(o: &Filter, e: &Filter) -> String {
    let mut parts = Vec::new();
    if o.events != e.events {
        parts.push(format!(
            "event type {} (was {})",
            e.events.join(", "),
            o.events.join(", ")
        ));
    }
    for (name, before, after) in [
        ("prefix", &o.prefix, &e.prefix),
        ("suffix", &o.suffix, &e.suffix),
    ] {
        if before != after {
            parts.push(match after {
                Some(v) => format!("{name} {v}"),
                None => format!("no {name}"),
            });
        }
    }
    parts.join(", ")
}

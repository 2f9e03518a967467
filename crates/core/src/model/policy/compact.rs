//! Policies as an import stores them: each resource-policy statement and
//! each identity-policy document is kept as its compact JSON text beside a
//! summary of what the checks read (effect, actions, resources, whether S3
//! is the principal, the `SourceArn`/`SourceAccount` patterns), worked out
//! once when it is read.
//!
//! Why: an account's live facts are mostly policies. Held as
//! `serde_json::Value` trees they took 6–9 times their text in memory (a
//! map, a key and a value allocation per field), and the checks looked each
//! field up again for every configuration. The text is what round-trips
//! (saving writes it back out as the JSON it is); the summary is what
//! validation and planning evaluate.
//!
//! Invariants: the text is valid JSON without insignificant whitespace; the
//! summary is a function of the text (so equality, cloning and
//! serialisation only involve the text).

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// One resource-policy statement (of a Lambda function's policy), as JSON
/// text with its summary.
///
/// The summary is worked out the first time a check reads it: most
/// statements a validation makes (the fix of each missing permission, 32,000
/// of them in a large account) are only ever written out, never evaluated.
#[derive(Clone)]
pub struct PolicyStatement {
    text: Box<str>,
    /// Boxed: unread, it costs a pointer instead of a summary's room.
    summary: std::sync::OnceLock<Option<Box<Summary>>>,
}

/// An identity-policy document (`{"Version": ..., "Statement": [...]}`),
/// as JSON text with a summary of each statement.
#[derive(Clone)]
pub struct PolicyDocument {
    text: Box<str>,
    statements: Box<[Summary]>,
}

/// What a statement says, as far as the checks read it; its strings are
/// spans of the owner's text.
#[derive(Debug, Clone)]
struct Summary {
    sid: Option<Text>,
    allow: bool,
    actions: Box<[Text]>,
    actions_negated: bool,
    resources: Box<[Text]>,
    resources_negated: bool,
    has_condition: bool,
    /// Who the `Principal` lets in, as far as the checks ask ([`Principals`]).
    principals: Principals,
    /// The patterns of an `aws:SourceArn` condition key; `None` when the
    /// statement has none.
    source_arns: Option<Box<[Text]>>,
    /// The patterns of an `aws:SourceAccount` condition key.
    source_accounts: Option<Box<[Text]>>,
    /// Whether the `Condition` has keys other than those two (such as
    /// `aws:SourceOwner`, which S3's deliveries do not satisfy).
    other_conditions: bool,
}

/// A string of the text: a span when it is written without escapes (the
/// usual case), else its unescaped value.
#[derive(Debug, Clone)]
enum Text {
    At(u32, u32),
    Owned(Box<str>),
}

/// A statement read through its summary, borrowing the text.
#[derive(Debug, Clone, Copy)]
pub struct StatementView<'a> {
    text: &'a str,
    summary: &'a Summary,
}

impl Text {
    fn of<'a>(&'a self, text: &'a str) -> &'a str {
        match self {
            Self::At(start, end) => &text[*start as usize..*end as usize],
            Self::Owned(s) => s,
        }
    }
}

impl<'a> StatementView<'a> {
    /// `Sid`, when it is a string.
    pub fn sid(&self) -> Option<&'a str> {
        self.summary.sid.as_ref().map(|t| t.of(self.text))
    }

    /// True for `"Effect": "Allow"`, false for `"Deny"`.
    pub fn allow(&self) -> bool {
        self.summary.allow
    }

    /// Whether a `Condition` block is present.
    pub fn has_condition(&self) -> bool {
        self.summary.has_condition
    }

    /// Whether the `Principal` lets S3 in: the service
    /// `s3.amazonaws.com`, or anyone (`"*"`, `{"AWS": "*"}`).
    pub fn principal_is_s3(&self) -> bool {
        self.summary.principals.lets_in(Principals::S3)
    }

    /// Whether the `Principal` lets EventBridge in: the service
    /// `events.amazonaws.com`, or anyone.
    pub fn principal_is_events(&self) -> bool {
        self.summary.principals.lets_in(Principals::EVENTS)
    }

    /// Whether the `Principal` lets SNS in: the service
    /// `sns.amazonaws.com`, or anyone.
    pub fn principal_is_sns(&self) -> bool {
        self.summary.principals.lets_in(Principals::SNS)
    }

    /// Whether the `Principal` names S3's service itself (not only
    /// anyone).
    pub fn names_s3(&self) -> bool {
        self.summary.principals.0 & Principals::S3 != 0
    }

    /// Whether the `Condition` has keys other than `aws:SourceArn` and
    /// `aws:SourceAccount`.
    pub fn has_other_conditions(&self) -> bool {
        self.summary.other_conditions
    }

    /// The `Resource` strings (empty for `NotResource`).
    pub fn resources(&self) -> impl Iterator<Item = &'a str> + 'a {
        let (text, summary) = (self.text, self.summary);
        let listed = if summary.resources_negated {
            &[][..]
        } else {
            &summary.resources[..]
        };
        listed.iter().map(move |t| t.of(text))
    }

    /// The patterns of the `aws:SourceArn` condition key (any operator);
    /// `None` when there is no such key.
    pub fn source_arns(&self) -> Option<impl Iterator<Item = &'a str> + 'a> {
        let text = self.text;
        self.summary
            .source_arns
            .as_ref()
            .map(move |list| list.iter().map(move |t| t.of(text)))
    }

    /// The patterns of the `aws:SourceAccount` condition key.
    pub fn source_accounts(&self) -> Option<impl Iterator<Item = &'a str> + 'a> {
        let text = self.text;
        self.summary
            .source_accounts
            .as_ref()
            .map(move |list| list.iter().map(move |t| t.of(text)))
    }

    /// Whether the statement is about this action on this resource
    /// (`Action`/`NotAction` ignoring case, `Resource`/`NotResource`
    /// exactly, both with IAM wildcards).
    pub fn applies_to(&self, action: &str, resource: &str) -> bool {
        let s = self.summary;
        let any = |list: &[Text], value: &str, ignore_case: bool| {
            list.iter().any(|p| {
                crate::model::policy::wildcard::wildcard_match_with(
                    p.of(self.text),
                    value,
                    ignore_case,
                )
            })
        };
        any(&s.actions, action, true) != s.actions_negated
            && any(&s.resources, resource, false) != s.resources_negated
    }
}

impl PolicyStatement {
    /// The statement as a JSON value.
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    /// The compact JSON text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Its summary; `None` when it is not a statement the checks can read
    /// (not an object, or an `Effect` other than Allow/Deny).
    pub fn view(&self) -> Option<StatementView<'_>> {
        let summary = self.summary.get_or_init(|| {
            let mut de = serde_json::Deserializer::from_str(&self.text);
            StatementSeed(Base(&self.text))
                .deserialize(&mut de)
                .ok()
                .flatten()
                .map(Box::new)
        });
        summary.as_ref().map(|summary| StatementView {
            text: &self.text,
            summary,
        })
    }

    /// The `Sid`, when it is a string.
    pub fn sid(&self) -> Option<&str> {
        self.view().and_then(|v| v.sid())
    }

    /// The first `Resource`, or "" when there is none.
    pub fn first_resource(&self) -> &str {
        self.view()
            .and_then(|v| v.resources().next())
            .unwrap_or_default()
    }

    fn from_text(text: String) -> Self {
        Self {
            text: text.into_boxed_str(),
            summary: std::sync::OnceLock::new(),
        }
    }
}

impl PolicyDocument {
    /// The document as a JSON value.
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    /// The compact JSON text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Its statements the checks can read, in order.
    pub fn statements(&self) -> impl Iterator<Item = StatementView<'_>> {
        self.statements.iter().map(|summary| StatementView {
            text: &self.text,
            summary,
        })
    }

    fn from_text(text: String) -> Self {
        let mut de = serde_json::Deserializer::from_str(&text);
        let statements = DocumentSeed(Base(&text))
            .deserialize(&mut de)
            .unwrap_or_default();
        Self {
            text: text.into_boxed_str(),
            statements: statements.into_boxed_slice(),
        }
    }
}

impl From<Value> for PolicyStatement {
    fn from(value: Value) -> Self {
        Self::from(&value)
    }
}

impl From<&Value> for PolicyStatement {
    fn from(value: &Value) -> Self {
        Self::from_text(value.to_string())
    }
}

impl From<Value> for PolicyDocument {
    fn from(value: Value) -> Self {
        Self::from(&value)
    }
}

impl From<&Value> for PolicyDocument {
    fn from(value: &Value) -> Self {
        Self::from_text(value.to_string())
    }
}

/// Equal when they hold the same JSON (key order aside, as for `Value`).
fn same_json(a: &str, b: &str) -> bool {
    a == b || serde_json::from_str::<Value>(a).ok() == serde_json::from_str::<Value>(b).ok()
}

impl PartialEq for PolicyStatement {
    fn eq(&self, other: &Self) -> bool {
        same_json(&self.text, &other.text)
    }
}

impl PartialEq for PolicyDocument {
    fn eq(&self, other: &Self) -> bool {
        same_json(&self.text, &other.text)
    }
}

impl fmt::Debug for PolicyStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for PolicyStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for PolicyDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for PolicyDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

// Written out as the JSON value it is, so a pretty-printed document stays
// pretty throughout.
impl Serialize for PolicyStatement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PolicyStatement {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Ok(Self::from_text(minify(raw.get())))
    }
}

impl<'de> Deserialize<'de> for PolicyDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Ok(Self::from_text(minify(raw.get())))
    }
}

impl JsonSchema for PolicyStatement {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "PolicyStatement".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        Value::json_schema(generator)
    }
}

impl JsonSchema for PolicyDocument {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "PolicyDocument".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        Value::json_schema(generator)
    }
}

/// Valid JSON text without the whitespace between tokens (a document read
/// from a pretty-printed file holds its policies indented).
fn minify(json: &str) -> String {
    let bytes = json.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let (mut in_string, mut escaped) = (false, false);
    // Runs of bytes to keep are copied whole; only ASCII whitespace between
    // tokens is dropped, so the result is still UTF-8.
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b.is_ascii_whitespace() {
            out.extend_from_slice(&bytes[run..i]);
            run = i + 1;
        } else if b == b'"' {
            in_string = true;
        }
    }
    out.extend_from_slice(&bytes[run..]);
    String::from_utf8(out).unwrap_or_else(|_| json.to_string())
}

/// The `visit_*` methods for booleans, numbers and null, each giving
/// `$value`: what a lenient reader makes of a field of the wrong type.
macro_rules! other_values_are {
    ($value:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

/// The text being summarised: where spans start.
#[derive(Clone, Copy)]
struct Base<'de>(&'de str);

impl Base<'_> {
    fn text(self, s: Cow<'_, str>) -> Text {
        match s {
            Cow::Borrowed(b) => {
                let start = (b.as_ptr() as usize).checked_sub(self.0.as_ptr() as usize);
                match start {
                    Some(start) if start + b.len() <= self.0.len() => {
                        Text::At(start as u32, (start + b.len()) as u32)
                    }
                    _ => Text::Owned(b.into()),
                }
            }
            Cow::Owned(o) => Text::Owned(o.into_boxed_str()),
        }
    }
}

/// One string, or nothing when the value is something else.
struct AnyStr<'de>(Option<Cow<'de, str>>);

impl<'de> Deserialize<'de> for AnyStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnyStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(AnyStr(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(AnyStr(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(AnyStr(Some(Cow::Owned(v))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(AnyStr(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(AnyStr(None))
            }
            other_values_are!(AnyStr(None));
        }
        d.deserialize_any(V)
    }
}

/// One string or a list of them (other items and types are skipped).
struct StrList<'de>(Vec<Cow<'de, str>>);

impl<'de> Deserialize<'de> for StrList<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StrList<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<AnyStr<'de>>()? {
                    out.extend(item.0);
                }
                Ok(StrList(out))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(StrList(vec![Cow::Borrowed(v)]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(StrList(vec![Cow::Owned(v.to_string())]))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(StrList(Vec::new()))
            }
            other_values_are!(StrList(Vec::new()));
        }
        d.deserialize_any(V)
    }
}

/// Who a `Principal` lets in, among those the checks ask about: anyone
/// (`"*"`, `{"AWS": "*"}`) and the services S3, EventBridge and SNS invoke
/// as.
#[derive(Debug, Clone, Copy, Default)]
struct Principals(u8);

impl Principals {
    const ANYONE: u8 = 1;
    const S3: u8 = 2;
    const EVENTS: u8 = 4;
    const SNS: u8 = 8;

    /// Whether `service` (one of the constants) is let in, by name or as
    /// anyone.
    fn lets_in(self, service: u8) -> bool {
        self.0 & (service | Self::ANYONE) != 0
    }
}

impl<'de> Deserialize<'de> for Principals {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Principals;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a principal")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Principals(if v == "*" { Principals::ANYONE } else { 0 }))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut who = 0;
                while let Some(key) = map
                    .next_key::<AnyStr<'de>>()?
                    .map(|k| k.0.unwrap_or_default())
                {
                    match key.as_ref() {
                        "Service" => {
                            for service in map.next_value::<StrList>()?.0 {
                                who |= match service.as_ref() {
                                    "s3.amazonaws.com" => Principals::S3,
                                    "events.amazonaws.com" => Principals::EVENTS,
                                    "sns.amazonaws.com" => Principals::SNS,
                                    _ => 0,
                                };
                            }
                        }
                        "AWS" => {
                            if map.next_value::<AnyStr>()?.0.as_deref() == Some("*") {
                                who |= Principals::ANYONE;
                            }
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Principals(who))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Principals(0))
            }
            other_values_are!(Principals(0));
        }
        d.deserialize_any(V)
    }
}

/// The `aws:SourceArn` and `aws:SourceAccount` patterns of a `Condition`
/// (under any operator; keys ignore case, as IAM's do).
#[derive(Default)]
struct ConditionKeys<'de> {
    source_arns: Option<Vec<Cow<'de, str>>>,
    source_accounts: Option<Vec<Cow<'de, str>>>,
    others: bool,
}

/// The entries of one condition operator, added to the keys found so far.
struct OperatorSeed<'s, 'de>(&'s mut ConditionKeys<'de>);

impl<'de> DeserializeSeed<'de> for OperatorSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OperatorSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("condition keys")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map
            .next_key::<AnyStr<'de>>()?
            .map(|k| k.0.unwrap_or_default())
        {
            let slot = if key.eq_ignore_ascii_case("aws:SourceArn") {
                &mut self.0.source_arns
            } else if key.eq_ignore_ascii_case("aws:SourceAccount") {
                &mut self.0.source_accounts
            } else {
                self.0.others = true;
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let values = map.next_value::<StrList<'de>>()?.0;
            slot.get_or_insert_with(Vec::new).extend(values);
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    other_values_are!(());
}

impl<'de> Deserialize<'de> for ConditionKeys<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ConditionKeys<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a condition block")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut keys = ConditionKeys::default();
                while map.next_key::<IgnoredAny>()?.is_some() {
                    map.next_value_seed(OperatorSeed(&mut keys))?;
                }
                Ok(keys)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ConditionKeys::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(ConditionKeys::default())
            }
            other_values_are!(ConditionKeys::default());
        }
        d.deserialize_any(V)
    }
}

/// A statement's summary read from text (`None`: not a statement the
/// checks can read). Spans are relative to the text given as base.
struct StatementSeed<'de>(Base<'de>);

impl<'de> DeserializeSeed<'de> for StatementSeed<'de> {
    type Value = Option<Summary>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StatementSeed<'de> {
    type Value = Option<Summary>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a policy statement")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let base = self.0;
        let mut sid = None;
        let mut effect = None;
        let (mut action, mut not_action) = (None, None);
        let (mut resource, mut not_resource) = (None, None);
        let mut has_condition = false;
        let mut keys = ConditionKeys::default();
        let mut principals = Principals::default();
        // Later keys win, as in a JSON object read into a map.
        while let Some(key) = map
            .next_key::<AnyStr<'de>>()?
            .map(|k| k.0.unwrap_or_default())
        {
            match key.as_ref() {
                "Sid" => sid = map.next_value::<AnyStr<'de>>()?.0,
                "Effect" => effect = map.next_value::<AnyStr<'de>>()?.0,
                "Action" => action = Some(map.next_value::<StrList<'de>>()?.0),
                "NotAction" => not_action = Some(map.next_value::<StrList<'de>>()?.0),
                "Resource" => resource = Some(map.next_value::<StrList<'de>>()?.0),
                "NotResource" => not_resource = Some(map.next_value::<StrList<'de>>()?.0),
                "Principal" => principals = map.next_value::<Principals>()?,
                "Condition" => {
                    has_condition = true;
                    keys = map.next_value::<ConditionKeys<'de>>()?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let allow = match effect.as_deref() {
            Some("Allow") => true,
            Some("Deny") => false,
            _ => return Ok(None),
        };
        let texts = |list: Vec<Cow<'de, str>>| -> Box<[Text]> {
            list.into_iter().map(|s| base.text(s)).collect()
        };
        let (actions, actions_negated) = match not_action {
            Some(list) => (texts(list), true),
            None => (texts(action.unwrap_or_default()), false),
        };
        let (resources, resources_negated) = match not_resource {
            Some(list) => (texts(list), true),
            None => (texts(resource.unwrap_or_default()), false),
        };
        Ok(Some(Summary {
            sid: sid.map(|s| base.text(s)),
            allow,
            actions,
            actions_negated,
            resources,
            resources_negated,
            has_condition,
            principals,
            source_arns: keys.source_arns.map(texts),
            source_accounts: keys.source_accounts.map(texts),
            other_conditions: keys.others,
        }))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    other_values_are!(None);
}

/// A document's `Statement`: one statement or a list of them.
struct StatementsSeed<'de>(Base<'de>);

impl<'de> DeserializeSeed<'de> for StatementsSeed<'de> {
    type Value = Vec<Summary>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StatementsSeed<'de> {
    type Value = Vec<Summary>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("policy statements")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element_seed(StatementSeed(self.0))? {
            out.extend(item);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(StatementSeed(self.0).visit_map(map)?.into_iter().collect())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    other_values_are!(Vec::new());
}

/// A policy document: the statements under its `Statement` key.
struct DocumentSeed<'de>(Base<'de>);

impl<'de> DeserializeSeed<'de> for DocumentSeed<'de> {
    type Value = Vec<Summary>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'de> {
    type Value = Vec<Summary>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a policy document")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map
            .next_key::<AnyStr<'de>>()?
            .map(|k| k.0.unwrap_or_default())
        {
            if key == "Statement" {
                out = map.next_value_seed(StatementsSeed(self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    other_values_are!(Vec::new());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const S3_GRANT: &str = r#"{
        "Sid": "bucketwire-photos-thumbs",
        "Effect": "Allow",
        "Principal": { "Service": "s3.amazonaws.com" },
        "Action": "lambda:InvokeFunction",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:thumbs",
        "Condition": {
            "ArnLike": { "AWS:SourceArn": "arn:aws:s3:::photos" },
            "StringEquals": { "aws:sourceaccount": ["123456789012"] }
        }
    }"#;

    #[test]
    fn a_pretty_statement_is_kept_compact_and_written_back_as_the_same_json() {
        let st: PolicyStatement = serde_json::from_str(S3_GRANT).expect("statement");
        let value: Value = serde_json::from_str(S3_GRANT).expect("json");
        assert_eq!(st.as_str(), value.to_string());
        assert_eq!(st.to_value(), value);
        assert_eq!(serde_json::to_value(&st).expect("serialise"), value);
        // Read from a value as from text.
        let from_value: PolicyStatement = serde_json::from_value(value.clone()).expect("value");
        assert_eq!(from_value.as_str(), st.as_str());
        assert_eq!(PolicyStatement::from(&value).as_str(), st.as_str());
    }

    #[test]
    fn the_summary_says_what_the_checks_read() {
        let st: PolicyStatement = serde_json::from_str(S3_GRANT).expect("statement");
        let v = st.view().expect("readable");
        assert_eq!(v.sid(), Some("bucketwire-photos-thumbs"));
        assert!(v.allow() && v.principal_is_s3() && v.has_condition());
        assert!(v.applies_to(
            "Lambda:invokefunction",
            "arn:aws:lambda:us-east-1:123456789012:function:thumbs"
        ));
        assert!(!v.applies_to(
            "lambda:InvokeFunction",
            "arn:aws:lambda:us-east-1:123456789012:function:thumbs:live"
        ));
        assert_eq!(
            v.source_arns().expect("arn key").collect::<Vec<_>>(),
            ["arn:aws:s3:::photos"]
        );
        // Condition keys ignore case, as IAM's do.
        assert_eq!(
            v.source_accounts()
                .expect("account key")
                .collect::<Vec<_>>(),
            ["123456789012"]
        );
        assert_eq!(
            st.first_resource(),
            "arn:aws:lambda:us-east-1:123456789012:function:thumbs"
        );
    }

    #[test]
    fn escaped_strings_and_spaces_inside_strings_survive() {
        let text = r#"{ "Sid" : "a \"quoted\" sid", "Effect":"Allow",
            "Action" : [ "s3:Get Object", "s3:\u0047etObject" ], "Resource": "arn:aws:s3:::b/a key" }"#;
        let st: PolicyStatement = serde_json::from_str(text).expect("statement");
        assert_eq!(
            st.as_str(),
            r#"{"Sid":"a \"quoted\" sid","Effect":"Allow","Action":["s3:Get Object","s3:\u0047etObject"],"Resource":"arn:aws:s3:::b/a key"}"#
        );
        let v = st.view().expect("readable");
        assert_eq!(v.sid(), Some(r#"a "quoted" sid"#));
        assert!(v.applies_to("s3:GetObject", "arn:aws:s3:::b/a key"));
        assert_eq!(
            st.to_value(),
            serde_json::from_str::<Value>(text).expect("json")
        );
    }

    #[test]
    fn fields_of_unexpected_types_count_as_absent_and_are_kept() {
        let value = json!({"Sid": 5, "Effect": "Allow", "Principal": ["x"],
            "Action": [1, "s3:GetObject", null], "Resource": {"odd": true}, "Condition": 7});
        let st = PolicyStatement::from(&value);
        let v = st.view().expect("readable");
        assert_eq!(v.sid(), None);
        assert!(!v.principal_is_s3());
        assert!(v.has_condition());
        assert!(v.source_arns().is_none());
        assert!(!v.applies_to("s3:GetObject", "arn:aws:s3:::b/k"));
        assert_eq!(st.to_value(), value);
        for unreadable in [json!(5), json!({"Effect": "Maybe"}), json!({"Action": "*"})] {
            let st = PolicyStatement::from(&unreadable);
            assert!(st.view().is_none(), "{unreadable}");
            assert_eq!(st.to_value(), unreadable);
        }
    }

    #[test]
    fn s3_is_the_principal_by_service_or_as_anyone() {
        let principal = |p: Value| {
            PolicyStatement::from(json!({"Effect": "Allow", "Principal": p, "Action": "*"}))
                .view()
                .expect("readable")
                .principal_is_s3()
        };
        assert!(principal(json!({"Service": "s3.amazonaws.com"})));
        assert!(principal(
            json!({"Service": ["sns.amazonaws.com", "s3.amazonaws.com"]})
        ));
        assert!(principal(json!("*")));
        assert!(principal(json!({"AWS": "*"})));
        assert!(!principal(json!({"Service": "sns.amazonaws.com"})));
        assert!(!principal(json!({"AWS": "arn:aws:iam::123456789012:root"})));
        assert!(!principal(json!(["s3.amazonaws.com"])));
    }

    #[test]
    fn minifying_keeps_strings_whole() {
        assert_eq!(
            minify("{ \"a b\" : [ 1 ,\n\t\"c\\\" d\" ], \"é \" : \"\\\\\" }"),
            "{\"a b\":[1,\"c\\\" d\"],\"é \":\"\\\\\"}"
        );
        assert_eq!(minify("5"), "5");
    }

    #[test]
    fn a_later_key_wins_as_in_a_json_map() {
        let st: PolicyStatement = serde_json::from_str(
            r#"{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}"#,
        )
        .expect("statement");
        assert!(st.view().expect("readable").allow());
    }

    #[test]
    fn a_document_holds_one_statement_or_a_list() {
        let one = PolicyDocument::from(json!({"Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}}));
        let [st] = one.statements().collect::<Vec<_>>()[..] else {
            panic!("one statement");
        };
        assert!(st.applies_to("s3:GetObject", "arn:aws:s3:::photos/a"));
        assert!(!st.applies_to("iam:PassRole", "arn:aws:s3:::photos/a"));
        assert!(!st.applies_to("s3:GetObject", "arn:aws:s3:::secret/a"));
        assert_eq!(st.resources().count(), 0);
        let list = PolicyDocument::from(json!({"Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, 5, {"Effect": "Maybe"},
            {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}));
        assert_eq!(
            list.statements().map(|s| s.allow()).collect::<Vec<_>>(),
            [true, false]
        );
        assert_eq!(
            PolicyDocument::from(json!({"Version": "x"}))
                .statements()
                .count(),
            0
        );
    }

    #[test]
    fn equal_means_the_same_json_whatever_the_key_order() {
        let a = PolicyDocument::from(json!({"Version": "2012-10-17", "Statement": []}));
        let b: PolicyDocument =
            serde_json::from_str(r#"{ "Statement": [], "Version": "2012-10-17" }"#).expect("doc");
        assert_eq!(a, b);
        assert_ne!(a, PolicyDocument::from(json!({"Statement": []})));
        assert_eq!(format!("{a}"), r#"{"Version":"2012-10-17","Statement":[]}"#);
    }
}

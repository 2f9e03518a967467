//! `invalid-filter` (docs/rules.md §5): key rules have no wildcards and are
//! at most 1,024 characters. `incomplete-configuration` (§2): a filter that
//! is not connected to both a bucket and a destination (a function or a
//! topic) is not written at all.

use super::source_of;
use crate::checks::finding::{Finding, Fix, Severity};
use crate::desired::context::Context;

const INVALID: &str = "invalid-filter";
const INCOMPLETE: &str = "incomplete-configuration";
/// S3's limit on a filter rule value (§5).
pub(crate) const MAX_RULE_LEN: usize = 1024;

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for filter in ctx.wiring.filters() {
        let bucket = ctx.wiring.bucket_of(&filter.id);
        let delivers = ctx.wiring.function_of(&filter.id).is_some()
            || ctx.wiring.topic_of(&filter.id).is_some()
            || ctx.wiring.queue_of(&filter.id).is_some();
        let subjects = || {
            let mut s: Vec<String> = bucket.map(|b| b.name.clone()).into_iter().collect();
            s.push(filter.configuration_id.clone());
            s
        };
        let name = &filter.configuration_id;
        for (rule_name, value) in [("prefix", &filter.prefix), ("suffix", &filter.suffix)] {
            let Some(value) = value else { continue };
            if value.chars().count() > MAX_RULE_LEN {
                out.push(Finding {
                    rule: INVALID,
                    severity: Severity::Error,
                    message: format!(
                        "filter \"{name}\": the {rule_name} is {} characters long; S3 allows at most {MAX_RULE_LEN}",
                        value.chars().count()
                    ),
                    subjects: subjects(),
                    nodes: vec![filter.id.clone()],
                    source: source_of(INVALID),
                    fix: None,
                });
            }
            if value.contains('*') {
                out.push(Finding {
                    rule: INVALID,
                    severity: Severity::Error,
                    message: format!(
                        "filter \"{name}\": the {rule_name} \"{value}\" contains *, but S3 key filters have no wildcards (a * only matches a literal *); use a prefix and a suffix instead"
                    ),
                    subjects: subjects(),
                    nodes: vec![filter.id.clone()],
                    source: source_of(INVALID),
                    fix: split_wildcard(filter.prefix.as_deref(), filter.suffix.as_deref()).map(
                        |(prefix, suffix)| Fix::SetKeyFilter {
                            filter: filter.id.clone(),
                            prefix,
                            suffix,
                        },
                    ),
                });
            }
        }
        let missing = match (bucket, delivers) {
            (Some(_), true) => continue,
            (None, true) => "is not connected to a bucket",
            (Some(_), false) => "does not invoke a function or send to a topic or queue",
            (None, false) => "is connected to neither a bucket nor a destination",
        };
        out.push(Finding {
            rule: INCOMPLETE,
            severity: Severity::Warning,
            message: format!(
                "filter \"{name}\" {missing}, so it will not be written to any bucket"
            ),
            subjects: subjects(),
            nodes: vec![filter.id.clone()],
            source: source_of(INCOMPLETE),
            fix: None,
        });
    }
}

/// `uploads/*.jpg` as a prefix (or `*.jpg` as a suffix) means prefix
/// `uploads/` and suffix `.jpg`. Only offered when there is one `*` in all
/// and the other rule is absent or agrees.
fn split_wildcard(
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> Option<(Option<String>, Option<String>)> {
    let stars =
        prefix.map_or(0, |p| p.matches('*').count()) + suffix.map_or(0, |s| s.matches('*').count());
    if stars != 1 {
        return None;
    }
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    match (prefix, suffix) {
        (Some(p), s) if p.contains('*') => {
            let (head, tail) = p.split_once('*')?;
            match s {
                None | Some("") => Some((some(head), some(tail))),
                Some(s) if tail.is_empty() || s == tail => Some((some(head), some(s))),
                Some(_) => None,
            }
        }
        (p, Some(s)) => {
            let (head, tail) = s.split_once('*')?;
            match p {
                None | Some("") => Some((some(head), some(tail))),
                Some(p) if head.is_empty() || p == head => Some((some(p), some(tail))),
                Some(_) => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::split_wildcard;

    #[test]
    fn splits_one_wildcard_into_prefix_and_suffix() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            split_wildcard(Some("uploads/*.jpg"), None),
            Some((s("uploads/"), s(".jpg")))
        );
        assert_eq!(split_wildcard(None, Some("*.jpg")), Some((None, s(".jpg"))));
        assert_eq!(
            split_wildcard(Some("uploads/*"), Some(".jpg")),
            Some((s("uploads/"), s(".jpg")))
        );
        assert_eq!(split_wildcard(Some("a/*/b*"), None), None);
        assert_eq!(split_wildcard(Some("a/*.png"), Some(".jpg")), None);
    }
}

//! What a document asks of EventBridge (docs/rules.md §14): each rule as
//! it is written to the region's default bus — its pattern with
//! `detail.bucket.name` listing the buckets drawn into it — its targets,
//! and the permission each target function needs so that EventBridge may
//! invoke it for that rule (principal `events.amazonaws.com`, the rule's
//! ARN as `SourceArn`). The exports write these out; the planner diffs them.

use crate::desired::change::Change;
use crate::live::LiveRule;
use crate::model::document::LiveFunction;
use crate::model::document::{Function, Rule};
use crate::model::graph::{Node, Wiring};
use crate::model::permission::{clean_id as clean, target_arn, SID_PREFIX};
use crate::model::permission::{grants_service_invoke, Invoker};
use serde_json::{json, Value};
use std::borrow::Cow;

/// The service principal EventBridge invokes targets as.
pub const EVENTS_PRINCIPAL: &str = "events.amazonaws.com";

/// One rule as the document asks for it.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredRule<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// The names of the buckets drawn into it, sorted and unique.
    pub buckets: Vec<&'a str>,
    /// Its targets, in document order.
    pub targets: Vec<RuleTarget<'a>>,
}

/// One target of a rule: a function, possibly an alias or version.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleTarget<'a> {
    /// The function.
    pub function: &'a Function,
    /// The alias or version it targets, when it targets one.
    pub qualifier: Option<&'a str>,
    /// The ARN invoked (qualified for an alias or version).
    pub arn: Cow<'a, str>,
}

impl<'a> DesiredRule<'a> {
    /// The pattern written to EventBridge: the rule's own, with
    /// `detail.bucket.name` listing its buckets (left out when it has none).
    pub fn pattern(&self) -> Value {
        let mut pattern = self.rule.pattern.clone();
        if self.buckets.is_empty() {
            return pattern;
        }
        if let Value::Object(map) = &mut pattern {
            let detail = map.entry("detail").or_insert_with(|| json!({}));
            if let Value::Object(detail) = detail {
                let bucket = detail.entry("bucket").or_insert_with(|| json!({}));
                if let Value::Object(bucket) = bucket {
                    bucket.insert("name".into(), json!(self.buckets));
                }
            }
        }
        pattern
    }

    /// Whether the rule can deliver events about objects a target reads
    /// (created, or restored): its `detail-type` admits one of those, and
    /// its pattern is valid.
    pub fn delivers_objects(&self) -> bool {
        crate::model::event_pattern::EventPattern::from_value(&self.rule.pattern).is_ok_and(|p| {
            p.admits(
                "detail-type",
                &["Object Created", "Object Restore Completed"],
            ) != Some(false)
        })
    }

    /// The key prefix every object the rule matches starts with, as far as
    /// its pattern says (the common start of its `detail.object.key`
    /// conditions: prefixes, and wildcards up to their first `*`); empty
    /// when it does not say.
    pub fn key_prefix(&self) -> String {
        let starts: Option<Vec<String>> = self
            .rule
            .pattern
            .pointer("/detail/object/key")
            .and_then(Value::as_array)
            .map(|conditions| {
                conditions
                    .iter()
                    .map(|c| match c {
                        Value::String(exact) => exact.clone(),
                        Value::Object(op) => match (op.get("prefix"), op.get("wildcard")) {
                            (Some(Value::String(p)), _) => p.clone(),
                            (_, Some(Value::String(w))) if !w.contains('\\') => {
                                w.split('*').next().unwrap_or_default().to_string()
                            }
                            _ => String::new(),
                        },
                        _ => String::new(),
                    })
                    .collect()
            });
        let Some(starts) = starts.filter(|s| !s.is_empty()) else {
            return String::new();
        };
        // The longest start they share, in characters.
        let first: Vec<char> = starts[0].chars().collect();
        let common = starts.iter().skip(1).fold(first.len(), |len, s| {
            first
                .iter()
                .zip(s.chars())
                .take(len)
                .take_while(|(a, b)| **a == *b)
                .count()
        });
        first[..common].iter().collect()
    }

    /// `ENABLED` or `DISABLED`, as `PutRule` takes the rule's state.
    pub fn state(&self) -> &'static str {
        if self.rule.enabled {
            "ENABLED"
        } else {
            "DISABLED"
        }
    }
}

impl RuleTarget<'_> {
    /// The target's `Id` on its rule: `bucketwire-NAME[-QUALIFIER]`,
    /// characters EventBridge refuses replaced by `-`, at most 64.
    pub fn id(&self) -> String {
        let raw = match self.qualifier {
            Some(q) => format!("{SID_PREFIX}{}-{q}", self.function.name()),
            None => format!("{SID_PREFIX}{}", self.function.name()),
        };
        clean(&raw, 64)
    }

    /// The statement id of the permission that lets `rule` invoke this
    /// target: `bucketwire-rule-RULE`, at most 100 characters.
    pub fn statement_id(&self, rule: &Rule) -> String {
        clean(&format!("{SID_PREFIX}rule-{}", rule.name), 100)
    }

    /// The permission statement, as Lambda stores it, for a rule whose ARN
    /// is `rule_arn`.
    pub fn statement(&self, rule: &Rule, rule_arn: &str) -> Value {
        json!({
            "Sid": self.statement_id(rule),
            "Effect": "Allow",
            "Principal": {"Service": EVENTS_PRINCIPAL},
            "Action": "lambda:InvokeFunction",
            "Resource": self.arn,
            "Condition": {"ArnLike": {"AWS:SourceArn": rule_arn}},
        })
    }
}

/// Every rule of the document, in document order, with its buckets and
/// targets.
pub fn rules(wiring: &Wiring) -> Vec<DesiredRule<'_>> {
    wiring
        .rules()
        .map(|rule| {
            let mut buckets: Vec<&str> = wiring
                .upstream(&rule.id)
                .into_iter()
                .filter_map(|n| match n {
                    Node::Bucket(b) => Some(b.name.as_str()),
                    _ => None,
                })
                .collect();
            buckets.sort_unstable();
            buckets.dedup();
            let targets = wiring
                .downstream(&rule.id)
                .into_iter()
                .filter_map(|n| match n {
                    Node::Function(f) => Some(RuleTarget {
                        function: f,
                        qualifier: f.qualifier.as_deref().filter(|q| !q.is_empty()),
                        arn: target_arn(&f.arn, f.qualifier.as_deref()),
                    }),
                    _ => None,
                })
                .collect();
            DesiredRule {
                rule,
                buckets,
                targets,
            }
        })
        .collect()
}

/// The rule's ARN: as read, or made from its region, its account (the
/// rule's own, else its first target's) and its name.
pub(crate) fn rule_arn(rule: &DesiredRule<'_>, found: Option<&LiveRule>) -> Option<String> {
    if let Some(l) = found {
        return Some(l.arn.clone());
    }
    let account = rule.rule.account.clone().or_else(|| {
        rule.targets
            .first()
            .and_then(|t| crate::model::permission::arn_account(&t.function.arn))
            .map(str::to_string)
    })?;
    Some(format!(
        "arn:aws:events:{}:{account}:rule/{}",
        rule.rule.region, rule.rule.name
    ))
}

/// What lets `rule` (its ARN `rule_arn`) invoke `target`, given the
/// function as read: `None` when a statement already grants it, else the
/// statement to add, with the removal of a stale statement under the same
/// Sid first (the add would fail with 409). The one place that decides
/// it, for the plan and for the `missing-events-permission` finding's fix.
pub(crate) fn events_permission(
    rule: &DesiredRule<'_>,
    target: &RuleTarget<'_>,
    rule_arn: &str,
    function: &LiveFunction,
) -> Option<(Option<Change>, Change)> {
    let statements = &function.policy_statements;
    if statements
        .iter()
        .any(|st| grants_service_invoke(st, Invoker::Events, &target.arn, rule_arn))
    {
        return None;
    }
    let sid = target.statement_id(rule.rule);
    let stale = statements
        .iter()
        .find(|st| st.sid() == Some(sid.as_str()) && st.first_resource() == target.arn)
        .map(|stale| Change::RemovePermission {
            function_arn: target.arn.to_string(),
            statement_id: sid.clone(),
            statement: stale.clone(),
        });
    let add = Change::AddPermission {
        function_arn: target.arn.to_string(),
        statement_id: sid,
        statement: target.statement(rule.rule, rule_arn).into(),
    };
    Some((stale, add))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::read::read_document;

    fn wiring() -> Wiring {
        let doc = json!({
            "version": 2,
            "buckets": [
                {"id": "b1", "name": "photos", "region": "us-east-1", "eventBridge": true},
                {"id": "b2", "name": "archive", "region": "us-east-1", "eventBridge": true}
            ],
            "functions": [
                {"id": "f", "arn": "arn:aws:lambda:us-east-1:123456789012:function:resize", "qualifier": "live"}
            ],
            "rules": [{"id": "r", "name": "images", "region": "us-east-1", "enabled": false,
                       "pattern": {"source": ["aws.s3"], "detail": {"object": {"key": [{"prefix": "uploads/"}]}}}}],
            "edges": [{"from": "b1", "to": "r"}, {"from": "b2", "to": "r"}, {"from": "r", "to": "f"}]
        });
        let doc = read_document(&serde_json::to_vec(&doc).expect("json")).expect("document");
        Wiring::from_document(&doc).expect("wiring")
    }

    #[test]
    fn the_pattern_written_lists_the_buckets_drawn_into_the_rule() {
        let w = wiring();
        let rules = rules(&w);
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].buckets, ["archive", "photos"]);
        assert_eq!(
            rules[0].pattern(),
            json!({"source": ["aws.s3"], "detail": {
                "object": {"key": [{"prefix": "uploads/"}]},
                "bucket": {"name": ["archive", "photos"]}}})
        );
        assert_eq!(rules[0].state(), "DISABLED");
        assert_eq!(rules[0].key_prefix(), "uploads/");
        let mut two = rules[0].clone();
        let rule = Rule {
            pattern: json!({"detail": {"object": {"key": [{"wildcard": "uploads/img/*.jpg"}, {"prefix": "uploads/raw/"}]}}}),
            ..rules[0].rule.clone()
        };
        two.rule = &rule;
        assert_eq!(two.key_prefix(), "uploads/");
        assert!(rules[0].delivers_objects());
        // What is written is a pattern EventBridge takes.
        crate::model::event_pattern::EventPattern::from_value(&rules[0].pattern()).expect("valid");
    }

    #[test]
    fn a_target_is_named_and_permitted_for_its_rule_only() {
        let w = wiring();
        let rules = rules(&w);
        let target = &rules[0].targets[0];
        assert_eq!(
            target.arn,
            "arn:aws:lambda:us-east-1:123456789012:function:resize:live"
        );
        assert_eq!(target.id(), "bucketwire-resize-live");
        let arn = "arn:aws:events:us-east-1:123456789012:rule/images";
        let statement = target.statement(rules[0].rule, arn);
        assert_eq!(statement["Sid"], "bucketwire-rule-images");
        assert_eq!(statement["Principal"]["Service"], "events.amazonaws.com");
        assert_eq!(statement["Condition"]["ArnLike"]["AWS:SourceArn"], arn);
        assert_eq!(statement["Resource"], target.arn.as_ref());
        assert_eq!(clean(&"x".repeat(80), 64).len(), 64);
    }
}

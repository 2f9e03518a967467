//! The plan's part for EventBridge rules (docs/rules.md §14): for each rule
//! of the document, as [`crate::desired::event_rules`] writes it, the permission
//! each target function needs for the rule, the rule itself on its region's
//! default bus, then its targets. The document is the truth for its rules
//! (by name and region) and for the targets Bucketwire set on them (ids
//! starting with [`SID_PREFIX`]); targets others set are kept. Rules the
//! document does not have are never touched.

use crate::desired::event_rules::{events_permission, rule_arn};
use crate::desired::event_rules::{DesiredRule, RuleTarget};
use crate::live::{LiveRule, LiveState, LiveTarget};
use crate::model::document::LiveFunction;
use crate::model::event_pattern::EventPattern;
use crate::model::graph::Wiring;
use crate::model::permission::SID_PREFIX;
use crate::plan::{Blocked, BlockedKind, Change, Unread};
use rustc_hash::FxHashMap;

/// The functions as read, by unqualified ARN (the planner's index).
pub(crate) type Functions<'l> = FxHashMap<&'l str, &'l LiveFunction>;

/// What the plan does for the document's rules, by place in the safe order.
#[derive(Default)]
pub(crate) struct RuleChanges {
    /// Stale statements under a Sid the plan adds again (removed first).
    pub replace_first: Vec<Change>,
    /// Permissions for the rules to invoke their targets.
    pub permissions: Vec<Change>,
    /// The rules, then their targets (after the permissions, so the first
    /// event a rule delivers is allowed).
    pub rules: Vec<Change>,
    /// Rules left as they are, with why.
    pub blocked: Vec<Blocked>,
}

/// Plans the document's rules against `live`. With `selected`, only the
/// rules with a selected bucket drawn into them (as the exports write
/// them); a rule with no bucket is never written (it would match every
/// bucket of its region). A rule in `unread` is blocked.
pub(crate) fn rule_changes(
    desired: &Wiring,
    live: &LiveState,
    functions: &Functions<'_>,
    selected: &dyn Fn(&str) -> bool,
    unread: &[Unread],
) -> RuleChanges {
    let mut out = RuleChanges::default();
    let live_rules: FxHashMap<(&str, &str), &LiveRule> = live
        .rules
        .iter()
        .map(|r| ((r.name.as_str(), r.region.as_str()), r))
        .collect();
    for rule in crate::desired::event_rules::rules(desired) {
        if !rule.buckets.iter().any(|b| selected(b)) {
            continue;
        }
        let found = live_rules
            .get(&(rule.rule.name.as_str(), rule.rule.region.as_str()))
            .copied();
        let unread_why = unread.iter().find_map(|u| match u {
            Unread::Rule(name, why) if *name == rule.rule.name => {
                Some(vec![format!("it could not be read: {why}")])
            }
            _ => None,
        });
        match unread_why.or_else(|| blocked_reasons(&rule, functions, found)) {
            Some(reasons) => out.blocked.push(Blocked {
                kind: BlockedKind::Rule,
                name: rule.rule.name.clone(),
                region: rule.rule.region.clone(),
                reasons,
            }),
            None => plan_rule(&rule, functions, found, &mut out),
        }
    }
    out
}

/// Why a rule cannot be planned: its pattern is not one EventBridge takes,
/// a target function was not found, or its ARN cannot be known.
fn blocked_reasons(
    rule: &DesiredRule<'_>,
    functions: &Functions<'_>,
    found: Option<&LiveRule>,
) -> Option<Vec<String>> {
    let mut reasons = Vec::new();
    if let Err(e) = EventPattern::from_value(&rule.pattern()) {
        reasons.push(format!("invalid-event-pattern: {e}"));
    }
    for target in &rule.targets {
        if !functions.contains_key(target.function.arn.as_str()) {
            reasons.push(format!(
                "its target {} was not found in the account",
                target.function.arn
            ));
        }
    }
    if found.is_none() && rule_arn(rule, None).is_none() && !rule.targets.is_empty() {
        reasons.push("its account is not known: give the rule an account".into());
    }
    (!reasons.is_empty()).then_some(reasons)
}

fn plan_rule(
    rule: &DesiredRule<'_>,
    functions: &Functions<'_>,
    found: Option<&LiveRule>,
    out: &mut RuleChanges,
) {
    let name = &rule.rule.name;
    let region = &rule.rule.region;
    let pattern = rule.pattern();
    let state = rule.state();
    let arn = rule_arn(rule, found);
    if found.is_none_or(|l| l.pattern.as_ref() != Some(&pattern) || l.state != state) {
        out.rules.push(Change::PutRule {
            name: name.clone(),
            region: region.clone(),
            arn: arn.clone().unwrap_or_default(),
            pattern,
            state: state.to_string(),
            previous: found.cloned().map(Box::new),
        });
    }
    if let Some(arn) = arn {
        for target in &rule.targets {
            permission(rule, target, &arn, functions, out);
        }
    }
    // Targets: the document's, where missing or invoking something else;
    // Bucketwire's own that the document no longer has are removed.
    let have: &[LiveTarget] = found.map_or(&[], |l| l.targets.as_slice());
    let wanted: Vec<LiveTarget> = rule
        .targets
        .iter()
        .map(|t| LiveTarget {
            id: t.id(),
            arn: t.arn.to_string(),
        })
        .collect();
    // A target invoking the same function under another id (one set by
    // hand, then imported) already delivers: it is kept, not doubled.
    let put: Vec<LiveTarget> = wanted
        .iter()
        .filter(|w| !have.iter().any(|h| h.arn == w.arn))
        .cloned()
        .collect();
    if !put.is_empty() {
        let previous = have
            .iter()
            .filter(|h| put.iter().any(|p| p.id == h.id))
            .cloned()
            .collect();
        out.rules.push(Change::PutTargets {
            rule: name.clone(),
            region: region.clone(),
            targets: put,
            previous,
        });
    }
    let stale: Vec<LiveTarget> = have
        .iter()
        .filter(|h| {
            h.id.starts_with(SID_PREFIX) && !wanted.iter().any(|w| w.id == h.id || w.arn == h.arn)
        })
        .cloned()
        .collect();
    if !stale.is_empty() {
        out.rules.push(Change::RemoveTargets {
            rule: name.clone(),
            region: region.clone(),
            targets: stale,
        });
    }
}

/// The permission that lets the rule invoke `target`, unless a live
/// statement already grants it.
fn permission(
    rule: &DesiredRule<'_>,
    target: &RuleTarget<'_>,
    rule_arn: &str,
    functions: &Functions<'_>,
    out: &mut RuleChanges,
) {
    let Some(function) = functions.get(target.function.arn.as_str()) else {
        return;
    };
    if let Some((stale, add)) = events_permission(rule, target, rule_arn, function) {
        out.replace_first.extend(stale);
        out.permissions.push(add);
    }
}

/// The live rule named `name` in `region`, to change.
fn rule_mut<'l>(live: &'l mut LiveState, name: &str, region: &str) -> Option<&'l mut LiveRule> {
    live.rules
        .iter_mut()
        .find(|r| r.name == name && r.region == region)
}

/// The account after the rule changes run (the planner's model of apply).
pub(crate) fn apply_rule_change(next: &mut LiveState, change: &Change) {
    match change {
        Change::PutRule {
            name,
            region,
            arn,
            pattern,
            state,
            ..
        } => match rule_mut(next, name, region) {
            Some(r) => {
                r.pattern = Some(pattern.clone());
                r.state.clone_from(state);
            }
            None => next.rules.push(LiveRule {
                name: name.clone(),
                region: region.clone(),
                arn: arn.clone(),
                pattern: Some(pattern.clone()),
                state: state.clone(),
                targets: Vec::new(),
            }),
        },
        Change::PutTargets {
            rule,
            region,
            targets,
            ..
        }
        | Change::RemoveTargets {
            rule,
            region,
            targets,
        } => {
            if let Some(r) = rule_mut(next, rule, region) {
                r.targets.retain(|t| !targets.iter().any(|n| n.id == t.id));
                if matches!(change, Change::PutTargets { .. }) {
                    r.targets.extend(targets.iter().cloned());
                }
            }
        }
        _ => {}
    }
}

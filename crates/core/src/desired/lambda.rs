//! What a document asks of the account, independent of what is there now:
//! the invoke permissions, the managed role policies, each bucket's Lambda
//! entries, and the functions' async settings and recursion guards. The planner diffs these against live state; the exports
//! write them out. Each takes a validation [`Context`] so that callers build
//! it once.

use crate::desired::change::{role_policies_apart, Change};
use crate::desired::context::{Context, WrittenEntry};
use crate::live::NotificationEntry;
use crate::model::document::{AsyncInvoke, Bucket, Function, RecursiveLoop};
use crate::model::graph::Wiring;
use crate::model::permission::grants_s3_invoke;
use crate::model::permission::{bucket_arn, invoke_statement, statement_id, target_arn};
use crate::model::policy::compact::PolicyStatement;
use crate::model::policy::evaluate::{evaluate, string_or_list};
use rustc_hash::FxHashMap;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// The inline role policy Bucketwire manages on each execution role: read
/// access to the objects the function's triggers announce (docs/rules.md §7).
pub const ROLE_POLICY_NAME: &str = "bucketwire-s3-read";

/// One invoke permission the document needs, borrowed from the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Permission<'a> {
    /// The unqualified function ARN.
    pub function_arn: &'a str,
    /// The alias or version, when the notification targets one.
    pub qualifier: Option<&'a str>,
    /// The ARN the statement is for (qualified when there is a qualifier).
    pub target: Cow<'a, str>,
    /// The bucket that may invoke.
    pub bucket: &'a str,
    /// The bucket's account, when known.
    pub account: Option<&'a str>,
    /// The configuration the permission serves (names the statement).
    pub configuration_id: &'a str,
}

impl Permission<'_> {
    /// The statement id Bucketwire gives it ([`statement_id`]).
    pub fn statement_id(&self) -> String {
        statement_id(self.bucket, self.configuration_id)
    }

    /// The statement itself, as Bucketwire writes it, under `statement_id`
    /// (the caller's [`Permission::statement_id`], computed once). Built on
    /// demand: most plans find the permission already granted.
    pub fn statement(&self, statement_id: &str) -> Value {
        invoke_statement(&self.target, self.bucket, self.account, statement_id)
    }
}

/// Every invoke permission the document's configurations need, in
/// document order.
pub fn permissions<'a>(ctx: &Context<'a>) -> Vec<Permission<'a>> {
    ctx.invocations()
        .map(|(config, filter, function)| Permission::of(config, filter, function))
        .collect()
}

impl<'a> Permission<'a> {
    /// The permission configuration `config` (filter `filter` on its
    /// bucket) needs to invoke `function`.
    pub fn of(
        config: &crate::desired::context::Configuration<'a>,
        filter: &'a crate::model::document::Filter,
        function: &'a Function,
    ) -> Self {
        Permission {
            function_arn: &function.arn,
            qualifier: function.qualifier.as_deref().filter(|q| !q.is_empty()),
            target: target_arn(&function.arn, function.qualifier.as_deref()),
            bucket: &config.bucket.name,
            account: config.bucket.account.as_deref(),
            configuration_id: &filter.configuration_id,
        }
    }
}

/// Per execution role of the document's functions (sorted by role ARN):
/// the object ARNs (`arn:aws:s3:::BUCKET/PREFIX*`) its functions' triggers
/// announce; empty when they need no object reads.
pub fn role_read_resources<'a>(ctx: &Context<'a>) -> Vec<(&'a str, BTreeSet<String>)> {
    role_read_resources_where(ctx, &|_| true, true)
}

/// [`role_read_resources`] counting only the triggers of buckets for which
/// `include` holds. With `every_role`, every role of the document's
/// functions is listed (empty when it needs nothing); without, only the
/// roles of functions an included bucket invokes.
pub fn role_read_resources_where<'a>(
    ctx: &Context<'a>,
    include: &dyn Fn(&str) -> bool,
    every_role: bool,
) -> Vec<(&'a str, BTreeSet<String>)> {
    let mut reads: FxHashMap<&'a str, BTreeSet<String>> = FxHashMap::default();
    if every_role {
        for function in ctx.wiring.functions() {
            if let Some(role) = &function.role {
                reads.entry(role).or_default();
            }
        }
    }
    // Directly or through a topic (docs/rules.md §15).
    for (config, filter, function, _) in ctx.deliveries() {
        let Some(role) = &function.role else { continue };
        if !include(&config.bucket.name) {
            continue;
        }
        reads.entry(role).or_default();
        if config.reads_objects() {
            let prefix = filter.prefix.as_deref().unwrap_or("");
            reads
                .entry(role)
                .or_default()
                .insert(format!("{}/{prefix}*", bucket_arn(&config.bucket.name)));
        }
    }
    // EventBridge rules: each target reads the objects of the buckets drawn
    // into its rule (docs/rules.md §7, §14).
    for rule in crate::desired::event_rules::rules(ctx.wiring) {
        if !rule.delivers_objects() {
            continue;
        }
        for target in &rule.targets {
            let Some(role) = &target.function.role else {
                continue;
            };
            for bucket in rule.buckets.iter().filter(|b| include(b)) {
                reads.entry(role).or_default().insert(format!(
                    "{}/{}*",
                    bucket_arn(bucket),
                    rule.key_prefix()
                ));
            }
        }
    }
    let mut out: Vec<_> = reads.into_iter().collect();
    out.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out
}

/// The managed role policy granting read access to `resources`.
pub fn role_policy_document(resources: &BTreeSet<String>) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "BucketwireReadTriggeringObjects",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": resources.iter().collect::<Vec<_>>(),
        }]
    })
}

/// Whether `document` is exactly [`role_policy_document`]`(resources)`,
/// checked without building it.
pub fn is_role_policy_document(document: &Value, resources: &BTreeSet<String>) -> bool {
    let Some([st]) = document
        .get("Statement")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    else {
        return false;
    };
    let same_resources = st
        .get("Resource")
        .and_then(Value::as_array)
        .is_some_and(|list| {
            list.len() == resources.len()
                && list
                    .iter()
                    .zip(resources)
                    .all(|(a, b)| a.as_str() == Some(b.as_str()))
        });
    document.as_object().is_some_and(|o| o.len() == 2)
        && document.get("Version").and_then(Value::as_str) == Some("2012-10-17")
        && st.as_object().is_some_and(|o| o.len() == 4)
        && st.get("Sid").and_then(Value::as_str) == Some("BucketwireReadTriggeringObjects")
        && st.get("Effect").and_then(Value::as_str) == Some("Allow")
        && st.get("Action").and_then(Value::as_str) == Some("s3:GetObject")
        && same_resources
}

/// A Lambda entry the document wants on a bucket, borrowed from it.
#[derive(Debug, Clone)]
pub struct DesiredEntry<'a> {
    /// The configuration `Id`.
    pub id: &'a str,
    /// The entry as it is written.
    pub written: WrittenEntry<'a>,
}

impl DesiredEntry<'_> {
    /// Whether a live entry already configures exactly this
    /// ([`NotificationEntry::same_as`]).
    pub fn same_as(&self, live: &NotificationEntry) -> bool {
        let w = &self.written;
        live.same_as_parts(self.id, &w.arn, w.events, w.prefix, w.suffix)
    }

    /// The entry as an owned [`NotificationEntry`].
    pub fn to_entry(&self) -> NotificationEntry {
        let w = &self.written;
        NotificationEntry {
            id: self.id.to_string(),
            arn: w.arn.to_string(),
            events: w.events.to_vec(),
            prefix: w.prefix.map(str::to_string),
            suffix: w.suffix.map(str::to_string),
        }
    }
}

/// Per bucket (document order): the bucket and the entries the document
/// manages on it, Lambda and SNS topic entries alike (the caller tells
/// them apart by [`WrittenEntry::kind`]). Filters without a destination
/// are left out.
pub fn managed_entries<'a, 'c>(
    ctx: &'c Context<'a>,
) -> impl Iterator<Item = (&'c Bucket, Vec<DesiredEntry<'a>>)> + 'c {
    ctx.buckets.iter().map(|group| {
        let entries = group
            .configs
            .iter()
            .filter(|c| c.filter().is_some())
            .filter_map(|c| {
                let written = c.written()?;
                Some(DesiredEntry { id: c.id, written })
            })
            .collect();
        (&*group.bucket, entries)
    })
}

/// The asynchronous invocation settings the document manages, one per
/// function and qualifier, in document order (where two nodes disagree the
/// first wins; the validator reports `conflicting-function-settings`).
pub fn async_settings(wiring: &Wiring) -> Vec<(&Function, &AsyncInvoke)> {
    let mut seen = rustc_hash::FxHashSet::default();
    wiring
        .functions()
        .filter_map(|f| f.async_invoke.as_ref().map(|s| (f, s)))
        .filter(|(f, _)| seen.insert((f.arn.as_str(), f.qualifier.as_deref())))
        .collect()
}

/// The recursion guards the document manages, one per function (the guard
/// is function-wide), in document order.
pub fn recursion_guards(wiring: &Wiring) -> Vec<(&Function, RecursiveLoop)> {
    let mut seen = rustc_hash::FxHashSet::default();
    wiring
        .functions()
        .filter_map(|f| f.recursive_loop.map(|r| (f, r)))
        .filter(|(f, _)| seen.insert(f.arn.as_str()))
        .collect()
}

/// Whether a function already lets S3 invoke it for a need.
pub(crate) enum Grant<'l> {
    /// This live statement grants.
    Granted(&'l PolicyStatement),
    /// Nothing grants: the planner adds `add`, removing first a `stale`
    /// statement under the same Sid (the add would fail with 409).
    Missing {
        /// The stale statement's removal.
        stale: Option<Box<Change>>,
        /// The statement to add.
        add: Box<Change>,
    },
}

/// What the planner does for one invoke permission the document needs:
/// the one place that decides it, for the plan and for the fix a
/// `missing-invoke-permission` finding offers.
pub(crate) fn permission_changes<'l>(
    need: &Permission<'_>,
    statement_id: &str,
    live_fn: &'l crate::model::document::LiveFunction,
) -> Grant<'l> {
    let statements = &live_fn.policy_statements;
    if let Some(st) = statements
        .iter()
        .find(|st| grants_s3_invoke(st, &need.target, need.bucket, need.account).is_some())
    {
        return Grant::Granted(st);
    }
    let stale = statements
        .iter()
        .find(|st| st.sid() == Some(statement_id) && st.first_resource() == need.target)
        .map(|stale| {
            Box::new(Change::RemovePermission {
                function_arn: need.target.to_string(),
                statement_id: statement_id.to_string(),
                statement: stale.clone(),
            })
        });
    Grant::Missing {
        stale,
        add: Box::new(Change::AddPermission {
            statement: need.statement(statement_id).into(),
            function_arn: need.target.to_string(),
            statement_id: statement_id.to_string(),
        }),
    }
}

/// What the planner does to a role's managed read policy: it grants
/// `resources` (the object ARNs the role's functions' triggers announce),
/// less what the role's other policies already grant, plus what the
/// managed policy grants today for buckets `left_alone` says are not
/// planned (kept as they are). `None` when the policy is already right.
/// The one place that decides it, for the plan and for the fix a
/// `role-cannot-read-objects` finding offers.
pub(crate) fn role_policy_change(
    role_arn: &str,
    mut resources: BTreeSet<String>,
    live_role: Option<&crate::model::document::LiveRole>,
    left_alone: &dyn Fn(&str) -> bool,
) -> Option<Change> {
    let (previous, others) = role_policies_apart(live_role, ROLE_POLICY_NAME);
    let previous = previous.as_ref();
    let preserved: BTreeSet<String> = previous.map_or_else(BTreeSet::new, |previous| {
        string_or_list(previous["Statement"][0].get("Resource"))
            .into_iter()
            .filter(|r| object_bucket(r).is_some_and(left_alone))
            .collect()
    });
    resources.extend(preserved.iter().cloned());
    // Without other policies (the usual case) everything is needed; what
    // is kept for buckets left alone is needed as it is.
    let needed: Cow<'_, BTreeSet<String>> = if others.is_empty() {
        Cow::Borrowed(&resources)
    } else {
        Cow::Owned(
            resources
                .iter()
                .filter(|r| {
                    preserved.contains(*r)
                        || !evaluate(others.iter().copied(), "s3:GetObject", r).allowed()
                })
                .cloned()
                .collect(),
        )
    };
    match previous {
        // Already right, whether it grants everything or only the rest.
        Some(previous)
            if !resources.is_empty()
                && (is_role_policy_document(previous, &needed)
                    || is_role_policy_document(previous, &resources)) =>
        {
            None
        }
        Some(previous) if needed.is_empty() => Some(Change::DeleteRolePolicy {
            role_arn: role_arn.to_string(),
            policy_name: ROLE_POLICY_NAME.into(),
            previous: previous.clone(),
        }),
        _ if needed.is_empty() => None,
        previous => Some(Change::PutRolePolicy {
            role_arn: role_arn.to_string(),
            policy_name: ROLE_POLICY_NAME.into(),
            document: role_policy_document(&needed),
            previous: previous.cloned().map(Box::new),
        }),
    }
}

/// The bucket of an object ARN (`arn:aws:s3:::BUCKET/...`).
fn object_bucket(resource: &str) -> Option<&str> {
    resource
        .strip_prefix("arn:aws:s3:::")
        .and_then(|rest| rest.split_once('/'))
        .map(|(bucket, _)| bucket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_role_policy_check_agrees_with_the_document_it_builds() {
        let resources: BTreeSet<String> = [
            "arn:aws:s3:::a/*".to_string(),
            "arn:aws:s3:::b/in/*".to_string(),
        ]
        .into();
        let doc = role_policy_document(&resources);
        assert!(is_role_policy_document(&doc, &resources));
        let fewer: BTreeSet<String> = ["arn:aws:s3:::a/*".to_string()].into();
        assert!(!is_role_policy_document(&doc, &fewer));
        let mut edited = doc.clone();
        edited["Statement"][0]["Action"] = json!("s3:*");
        assert!(!is_role_policy_document(&edited, &resources));
        edited = doc;
        edited["Statement"][0]["Condition"] = json!({});
        assert!(!is_role_policy_document(&edited, &resources));
    }
}

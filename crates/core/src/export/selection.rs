//! What an export writes, for every format alike: the buckets whose
//! configuration the document manages (a filter connected to a function on
//! any of its cards) — or the buckets the user chose —, and only the
//! permissions, role policies and function settings those buckets need.
//! An imported account's hundreds of buckets without notifications are not
//! exported as hundreds of empty configurations.

use crate::desired::context::{BucketGroup, Configuration, Context, Origin};
use crate::desired::event_rules::DesiredRule;
use crate::desired::lambda::{self, Permission};
use crate::desired::queues::DesiredQueue;
use crate::desired::topics::DesiredTopic;
use crate::model::document::{AsyncInvoke, Function, RecursiveLoop};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;

/// Why an export cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// A chosen bucket is not in the document.
    #[error("the document has no bucket named \"{name}\" (buckets: {known})")]
    UnknownBucket {
        /// The name asked for.
        name: String,
        /// The bucket names the document has.
        known: String,
    },
}

/// The buckets an export writes, and what they need.
pub struct Selection<'c, 'a> {
    /// The validation context the selection was made from.
    pub ctx: &'c Context<'a>,
    chosen: FxHashSet<&'c str>,
    /// Whether the user chose the buckets (else: every managed bucket).
    by_choice: bool,
    /// With `by_choice`, the functions (unqualified ARNs) the chosen
    /// buckets invoke.
    invoked: FxHashSet<&'a str>,
    /// The EventBridge rules written: those with a written bucket drawn
    /// into them.
    rules: Vec<DesiredRule<'a>>,
    /// The SNS topics written: those a written bucket publishes to.
    topics: Vec<DesiredTopic<'a>>,
    /// The SQS queues written: those a written bucket sends to.
    queues: Vec<DesiredQueue<'a>>,
}

impl<'c, 'a> Selection<'c, 'a> {
    /// Every bucket the document manages, or the buckets `only` names.
    ///
    /// # Errors
    /// [`ExportError::UnknownBucket`] when `only` names a bucket the
    /// document does not have.
    pub fn new(ctx: &'c Context<'a>, only: &'c [String]) -> Result<Self, ExportError> {
        let all_rules = crate::desired::event_rules::rules(ctx.wiring);
        let chosen: FxHashSet<&'c str> = if only.is_empty() {
            let in_rules: FxHashSet<&str> = all_rules
                .iter()
                .flat_map(|r| r.buckets.iter().copied())
                .collect();
            ctx.buckets
                .iter()
                .filter(|g| manages(g) || in_rules.contains(g.bucket.name.as_str()))
                .map(|g| g.bucket.name.as_str())
                .collect()
        } else {
            for name in only {
                if ctx.bucket_named(name).is_none() {
                    return Err(ExportError::UnknownBucket {
                        name: name.clone(),
                        known: ctx.bucket_names(),
                    });
                }
            }
            only.iter().map(String::as_str).collect()
        };
        let by_choice = !only.is_empty();
        let topics: Vec<DesiredTopic<'a>> = crate::desired::topics::topics(ctx)
            .into_iter()
            .filter(|t| t.buckets.iter().any(|b| chosen.contains(b)))
            .collect();
        let queues: Vec<DesiredQueue<'a>> = crate::desired::queues::queues(ctx)
            .into_iter()
            .filter(|q| q.buckets.iter().any(|b| chosen.contains(b)))
            .collect();
        let invoked = if by_choice {
            let through_rules: Vec<&'a str> = all_rules
                .iter()
                .filter(|r| r.buckets.iter().any(|b| chosen.contains(b)))
                .flat_map(|r| r.targets.iter().map(|t| t.function.arn.as_str()))
                .collect();
            let through_topics = topics
                .iter()
                .flat_map(|t| t.subscribers.iter().map(|s| s.function.arn.as_str()));
            ctx.invocations()
                .filter(|(c, _, _)| chosen.contains(c.bucket.name.as_str()))
                .map(|(_, _, f)| f.arn.as_str())
                .chain(through_rules)
                .chain(through_topics)
                .chain(
                    queues
                        .iter()
                        .filter_map(|q| q.consumer.as_ref().map(|(f, _)| f.arn.as_str())),
                )
                .collect()
        } else {
            FxHashSet::default()
        };
        // A rule with no written bucket is not written (one with no bucket
        // at all would match every bucket of its region).
        let rules = all_rules
            .into_iter()
            .filter(|r| r.buckets.iter().any(|b| chosen.contains(b)))
            .collect();
        Ok(Self {
            ctx,
            chosen,
            by_choice,
            invoked,
            rules,
            topics,
            queues,
        })
    }

    /// The SQS queues written: those a written bucket sends to.
    pub fn queues(&self) -> &[DesiredQueue<'a>] {
        &self.queues
    }

    /// The access policy a queue is written with (as a plan writes it):
    /// its policy as the import read it with Bucketwire's statement letting
    /// S3 send for its buckets (docs/rules.md §16).
    pub fn queue_policy(&self, queue: &DesiredQueue<'_>) -> serde_json::Value {
        let read = self
            .ctx
            .live_queue(queue.arn())
            .and_then(|q| q.policy.as_ref())
            .map(|p| p.to_value());
        queue.policy_with_statement(read.as_ref())
    }

    /// Per role of the functions polling the written queues, the queues
    /// its consume policy lists.
    pub fn role_consumes(&self) -> Vec<(&'a str, BTreeSet<&'a str>)> {
        crate::desired::queues::role_consume_resources(&self.queues)
    }

    /// The SNS topics written: those a written bucket publishes to.
    pub fn topics(&self) -> &[DesiredTopic<'a>] {
        &self.topics
    }

    /// The access policy a topic is written with: its policy as the
    /// document's import read it (SNS's default for a topic it did not
    /// read) with Bucketwire's statement letting S3 publish for its
    /// buckets (docs/rules.md §15), as a plan writes it.
    pub fn topic_policy(&self, topic: &DesiredTopic<'_>) -> serde_json::Value {
        let read = self
            .ctx
            .live_topic(topic.arn())
            .and_then(|t| t.policy.as_ref())
            .map(|p| p.to_value());
        topic.policy_with_statement(read.as_ref())
    }

    /// Whether the export writes this bucket.
    pub fn includes(&self, bucket: &str) -> bool {
        self.chosen.contains(bucket)
    }

    /// The buckets written, in document order.
    pub fn buckets(&self) -> impl Iterator<Item = &'c BucketGroup<'a>> + '_ {
        self.ctx
            .buckets
            .iter()
            .filter(|g| self.includes(&g.bucket.name))
    }

    /// The EventBridge rules written: those with a written bucket drawn
    /// into them (a rule with no bucket would match every bucket of its
    /// region, so it is never written).
    pub fn rules(&self) -> &[DesiredRule<'a>] {
        &self.rules
    }

    /// The invoke permissions the written buckets' configurations need.
    pub fn permissions(&self) -> Vec<Permission<'a>> {
        lambda::permissions(self.ctx)
            .into_iter()
            .filter(|p| self.includes(p.bucket))
            .collect()
    }

    /// Per role (sorted by ARN), the objects its managed read policy lets
    /// it read for the written buckets' triggers; roles that need none are
    /// left out. Each policy is made when it is written
    /// ([`lambda::role_policy_document`]), never all at once.
    pub fn role_reads(&self) -> Vec<(&'a str, BTreeSet<String>)> {
        let include = |b: &str| self.includes(b);
        let mut reads: Vec<(&'a str, BTreeSet<String>)> =
            lambda::role_read_resources_where(self.ctx, &include, false)
                .into_iter()
                .filter(|(_, resources)| !resources.is_empty())
                .collect();
        reads.sort_unstable_by(|a, b| a.0.cmp(b.0));
        reads
    }

    /// Whether the export writes this function's settings: every
    /// function's when the export is not limited by choice, else those the
    /// chosen buckets invoke.
    fn writes_settings_of(&self, function: &Function) -> bool {
        !self.by_choice || self.invoked.contains(function.arn.as_str())
    }

    /// The async settings to write ([`lambda::async_settings`]).
    pub fn async_settings(&self) -> Vec<(&'a Function, &'a AsyncInvoke)> {
        lambda::async_settings(self.ctx.wiring)
            .into_iter()
            .filter(|(f, _)| self.writes_settings_of(f))
            .collect()
    }

    /// The recursion guards to write ([`lambda::recursion_guards`]).
    pub fn recursion_guards(&self) -> Vec<(&'a Function, RecursiveLoop)> {
        lambda::recursion_guards(self.ctx.wiring)
            .into_iter()
            .filter(|(f, _)| self.writes_settings_of(f))
            .collect()
    }

    /// Per role, the regions of its functions that serve the written
    /// buckets (sorted): where a regional export puts the role's policy.
    /// One pass over the deliveries, for every role at once.
    pub fn role_regions(&self) -> FxHashMap<&'a str, BTreeSet<&'a str>> {
        let mut regions: FxHashMap<&'a str, BTreeSet<&'a str>> = FxHashMap::default();
        for (c, _, f, _) in self.ctx.deliveries() {
            if let (Some(role), true) = (f.role.as_deref(), self.includes(&c.bucket.name)) {
                regions
                    .entry(role)
                    .or_default()
                    .insert(f.region().unwrap_or(c.bucket.region.as_str()));
            }
        }
        regions
    }

    /// Every region the export writes to (sorted): the buckets' and the
    /// functions' with settings.
    pub fn regions(&self) -> BTreeSet<&'a str> {
        let mut regions: BTreeSet<&'a str> = self
            .ctx
            .buckets
            .iter()
            .filter(|g| self.includes(&g.bucket.name))
            .flat_map(|g| g.cards.iter().map(|c| c.region.as_str()))
            .collect();
        for (f, _) in self.async_settings() {
            regions.extend(f.region());
        }
        for (f, _) in self.recursion_guards() {
            regions.extend(f.region());
        }
        regions
    }
}

/// Whether the document manages the bucket's configuration: a filter on one
/// of its cards invokes a function or publishes to a topic.
fn manages(group: &BucketGroup<'_>) -> bool {
    group.configs.iter().any(|c| {
        matches!(
            c.origin,
            Origin::Managed {
                function: Some(_),
                ..
            } | Origin::Managed { topic: Some(_), .. }
                | Origin::Managed { queue: Some(_), .. }
        )
    })
}

/// What one bucket's configuration depends on in an export that names its
/// dependencies (CloudFormation `DependsOn`, Terraform `depends_on`), in
/// the safe order (docs/rules.md §2): the read policies of the roles of the
/// functions it invokes, those functions' settings, the policies of the
/// topics it publishes to, then its own invoke permissions. Only what the bucket needs: a bucket never waits on every
/// role of the account (which made a large account's export quadratic).
#[derive(Default)]
pub struct Dependencies<'k> {
    /// By what it is for: (order handed out, the id or reference).
    by_key: FxHashMap<Needed<'k>, (usize, String)>,
    /// Per bucket name, its permissions' ids, in the order handed out.
    permissions: FxHashMap<&'k str, Vec<String>>,
}

/// What a dependency is for.
#[derive(PartialEq, Eq, Hash)]
enum Needed<'k> {
    /// A role's read policy, by role ARN.
    RolePolicy(&'k str),
    /// A function's async settings, by unqualified ARN and qualifier.
    AsyncSettings(&'k str, Option<&'k str>),
    /// A function's recursion guard, by unqualified ARN.
    RecursionGuard(&'k str),
    /// A topic's or queue's access policy (letting S3 deliver), by ARN.
    DeliveryPolicy(&'k str),
}

impl<'k> Dependencies<'k> {
    /// Records the id of a role's read policy.
    pub fn role_policy(&mut self, role_arn: &'k str, id: String) {
        self.insert(Needed::RolePolicy(role_arn), id);
    }

    /// Records the id of a function's async settings.
    pub fn async_settings(&mut self, function: &'k Function, id: String) {
        self.insert(
            Needed::AsyncSettings(&function.arn, function.qualifier.as_deref()),
            id,
        );
    }

    /// Records the id of a function's recursion guard.
    pub fn recursion_guard(&mut self, function: &'k Function, id: String) {
        self.insert(Needed::RecursionGuard(&function.arn), id);
    }

    /// Records the id of a topic's or queue's access policy.
    pub fn delivery_policy(&mut self, arn: &'k str, id: String) {
        self.insert(Needed::DeliveryPolicy(arn), id);
    }

    /// Records the id of an invoke permission a bucket's entries need.
    pub fn permission(&mut self, bucket: &'k str, id: String) {
        self.permissions.entry(bucket).or_default().push(id);
    }

    fn insert(&mut self, key: Needed<'k>, id: String) {
        let order = self.by_key.len();
        self.by_key.entry(key).or_insert((order, id));
    }

    /// The ids the configuration of `bucket` (its entries `configs`)
    /// depends on, each once: role policies and settings in the order they
    /// were recorded, then the bucket's permissions.
    pub fn of(&self, bucket: &str, configs: &[Configuration<'k>]) -> Vec<&str> {
        let mut found: Vec<(usize, &str)> = Vec::new();
        for c in configs {
            match c.origin {
                Origin::Managed {
                    function: Some(f), ..
                } => self.of_function(f, &mut found),
                // S3 checks the topic's or queue's policy when the bucket
                // names it (and the policy waits for what it delivers to).
                Origin::Managed { topic: Some(t), .. } => {
                    self.found(&Needed::DeliveryPolicy(t.arn.as_str()), &mut found);
                }
                Origin::Managed { queue: Some(q), .. } => {
                    self.found(&Needed::DeliveryPolicy(q.arn.as_str()), &mut found);
                }
                _ => {}
            }
        }
        let mut ids = Self::ordered(found);
        if let Some(permissions) = self.permissions.get(bucket) {
            ids.extend(permissions.iter().map(String::as_str));
        }
        ids
    }

    /// The ids what function `f` receives depends on, each once: its
    /// role's read policy and its settings, in the order recorded.
    pub fn of_subscriber(&self, f: &'k Function) -> Vec<&str> {
        let mut found = Vec::new();
        self.of_function(f, &mut found);
        Self::ordered(found)
    }

    fn of_function<'s>(&'s self, f: &'k Function, found: &mut Vec<(usize, &'s str)>) {
        for key in [
            f.role.as_deref().map(Needed::RolePolicy),
            Some(Needed::AsyncSettings(&f.arn, f.qualifier.as_deref())),
            Some(Needed::RecursionGuard(&f.arn)),
        ]
        .into_iter()
        .flatten()
        {
            self.found(&key, found);
        }
    }

    fn found<'s>(&'s self, key: &Needed<'k>, found: &mut Vec<(usize, &'s str)>) {
        if let Some((order, id)) = self.by_key.get(key) {
            found.push((*order, id.as_str()));
        }
    }

    fn ordered(mut found: Vec<(usize, &str)>) -> Vec<&str> {
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|(_, id)| id).collect()
    }
}

//! What rules look at: every notification configuration per bucket, managed
//! or foreign, with its parsed event types and key filter.
//!
//! One bucket, one truth: cards that name one S3 bucket (drawn twice, or a
//! hand-drawn card beside an imported one) are one bucket here. Their
//! configurations are pooled, so overlaps between them are found and the
//! planner and the exports write them as one configuration; the same
//! foreign entry read onto two cards counts once.

use crate::model::document::NodeId;
use crate::model::document::{
    Bucket, Filter, ForeignConfiguration, Function, LiveFunction, LiveQueue, LiveRole, LiveTopic,
    Queue, Topic,
};
use crate::model::events::EventType;
use crate::model::graph::Wiring;
use crate::model::keys::KeyFilter;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// Where a configuration comes from.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// A filter of the document, and the function it invokes, the topic it
    /// publishes to or the queue it sends to, if connected (at most one).
    Managed {
        /// The filter node.
        filter: &'a Filter,
        /// The connected function.
        function: Option<&'a Function>,
        /// The connected SNS topic (docs/rules.md §15).
        topic: Option<&'a Topic>,
        /// The connected SQS queue (docs/rules.md §16).
        queue: Option<&'a Queue>,
    },
    /// An SQS or SNS entry kept as read.
    Foreign(&'a ForeignConfiguration),
}

/// One notification configuration on one bucket.
#[derive(Debug, Clone)]
pub struct Configuration<'a> {
    /// The bucket it lives on.
    pub bucket: &'a Bucket,
    /// Its `Id`.
    pub id: &'a str,
    /// Managed or foreign.
    pub origin: Origin<'a>,
    /// The valid event types (invalid ones are reported by their own rule).
    pub events: Vec<EventType>,
    /// The key filter.
    pub keys: KeyFilter<'a>,
}

/// What kind of destination an entry has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestinationKind {
    /// A Lambda function (`LambdaFunctionConfigurations`).
    Lambda,
    /// An SQS queue (`QueueConfigurations`).
    Queue,
    /// An SNS topic (`TopicConfigurations`).
    Topic,
}

/// A configuration as it is written to the bucket: the one shape the
/// exports and the planner need, whatever the origin.
#[derive(Debug, Clone)]
pub struct WrittenEntry<'a> {
    /// Lambda, queue or topic.
    pub kind: DestinationKind,
    /// The destination ARN (qualified for a function alias or version).
    pub arn: Cow<'a, str>,
    /// Event types as written (invalid ones included).
    pub events: &'a [String],
    /// Prefix rule, absent when empty.
    pub prefix: Option<&'a str>,
    /// Suffix rule, absent when empty.
    pub suffix: Option<&'a str>,
}

impl<'a> Configuration<'a> {
    /// The entry written to the bucket; `None` for a filter without a
    /// destination (it is not written).
    pub fn written(&self) -> Option<WrittenEntry<'a>> {
        let non_empty = |v: &'a Option<String>| v.as_deref().filter(|v| !v.is_empty());
        let (kind, arn, events, prefix, suffix) = match self.origin {
            Origin::Managed {
                filter,
                function: Some(f),
                ..
            } => (
                DestinationKind::Lambda,
                crate::model::permission::target_arn(&f.arn, f.qualifier.as_deref()),
                &filter.events,
                &filter.prefix,
                &filter.suffix,
            ),
            Origin::Managed {
                filter,
                topic: Some(t),
                ..
            } => (
                DestinationKind::Topic,
                Cow::Borrowed(t.arn.as_str()),
                &filter.events,
                &filter.prefix,
                &filter.suffix,
            ),
            Origin::Managed {
                filter,
                queue: Some(q),
                ..
            } => (
                DestinationKind::Queue,
                Cow::Borrowed(q.arn.as_str()),
                &filter.events,
                &filter.prefix,
                &filter.suffix,
            ),
            Origin::Managed { .. } => return None,
            Origin::Foreign(f) => (
                match f.kind {
                    crate::model::document::ForeignKind::Sqs => DestinationKind::Queue,
                    crate::model::document::ForeignKind::Sns => DestinationKind::Topic,
                },
                Cow::Borrowed(f.arn.as_str()),
                &f.events,
                &f.prefix,
                &f.suffix,
            ),
        };
        Some(WrittenEntry {
            kind,
            arn,
            events,
            prefix: non_empty(prefix),
            suffix: non_empty(suffix),
        })
    }
}

impl Configuration<'_> {
    /// Whether its events tell a function about an object it then reads:
    /// one created or restored (docs/rules.md §7).
    pub fn reads_objects(&self) -> bool {
        self.events
            .iter()
            .any(|e| matches!(e.family(), "ObjectCreated" | "ObjectRestore"))
    }

    /// `"thumbs" (Created:*, uploads/…)` — how messages name a configuration.
    pub fn describe(&self) -> String {
        let chips: Vec<String> = self.events.iter().map(|e| e.chip()).collect();
        let dest = match self.origin {
            Origin::Managed { .. } => String::new(),
            Origin::Foreign(f) => format!(" → {}", short_arn(&f.arn)),
        };
        format!(
            "\"{}\" ({}, {}){dest}",
            self.id,
            chips.join(" "),
            self.keys.describe()
        )
    }

    /// The filter node, for managed configurations.
    pub fn filter(&self) -> Option<&Filter> {
        match self.origin {
            Origin::Managed { filter, .. } => Some(filter),
            Origin::Foreign(_) => None,
        }
    }
}

fn short_arn(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// One S3 bucket as the rules see it: every card that names it, pooled.
#[derive(Debug, Clone)]
pub struct BucketGroup<'a> {
    /// The bucket: its first card, or, when several cards name it, that
    /// card with the EventBridge switch on if any card has it on.
    pub bucket: GroupBucket<'a>,
    /// Every card naming the bucket, in document order (usually one).
    pub cards: Vec<&'a Bucket>,
    /// Its configurations, managed first (each names the card it is on).
    pub configs: Vec<Configuration<'a>>,
}

/// A [`BucketGroup`]'s bucket: its card as drawn, or, rarely, a copy
/// merging several cards. Boxed when copied, so a group holds a pointer,
/// not a whole [`Bucket`] (100,000 groups held 15 MB of copies' room).
#[derive(Debug, Clone)]
pub enum GroupBucket<'a> {
    /// The card itself.
    Card(&'a Bucket),
    /// The first card with what another card adds (its EventBridge switch).
    Merged(Box<Bucket>),
}

impl GroupBucket<'_> {
    /// Turns the bucket's EventBridge switch on (a copy of the card).
    fn switch_event_bridge_on(&mut self) {
        let mut merged = Box::new((**self).clone());
        merged.event_bridge = true;
        *self = GroupBucket::Merged(merged);
    }
}

impl std::ops::Deref for GroupBucket<'_> {
    type Target = Bucket;

    fn deref(&self) -> &Bucket {
        match self {
            GroupBucket::Card(card) => card,
            GroupBucket::Merged(bucket) => bucket,
        }
    }
}

/// Everything the rules need, computed once per validation.
pub struct Context<'a> {
    /// The wiring being validated.
    pub wiring: &'a Wiring,
    /// Per bucket name (document order of first appearance): the bucket
    /// and its configurations.
    pub buckets: Vec<BucketGroup<'a>>,
    /// Bucket name → its index in `buckets`.
    by_name: FxHashMap<&'a str, usize>,
    live_functions: FxHashMap<&'a str, &'a LiveFunction>,
    live_roles: FxHashMap<&'a str, &'a LiveRole>,
    live_topics: FxHashMap<&'a str, &'a LiveTopic>,
    live_queues: FxHashMap<&'a str, &'a LiveQueue>,
    /// Whether live facts exist (a function missing from them is missing
    /// from the account).
    has_live: bool,
}

impl<'a> Context<'a> {
    /// Collects the configurations of every bucket, against the document's
    /// own live facts (from its import), if any.
    pub fn new(wiring: &'a Wiring) -> Self {
        match wiring.live() {
            Some(live) => Self::with_live(wiring, &live.functions, &live.roles)
                .with_topics(&live.topics)
                .with_queues(&live.queues),
            None => Self::build(wiring, &[], &[], false),
        }
    }

    /// This context reading the queues as `queues` says (an import's, or
    /// the planner's read).
    pub fn with_queues(mut self, queues: &'a [LiveQueue]) -> Self {
        self.live_queues = queues.iter().map(|q| (q.arn.as_str(), q)).collect();
        self
    }

    /// This context reading the topics as `topics` says (an import's, or
    /// the planner's read).
    pub fn with_topics(mut self, topics: &'a [LiveTopic]) -> Self {
        self.live_topics = topics.iter().map(|t| (t.arn.as_str(), t)).collect();
        self
    }

    /// Collects the configurations of every bucket, against live facts read
    /// just now (the planner's own read of the account).
    pub fn with_live(
        wiring: &'a Wiring,
        functions: &'a [LiveFunction],
        roles: &'a [LiveRole],
    ) -> Self {
        Self::build(wiring, functions, roles, true)
    }

    fn build(
        wiring: &'a Wiring,
        functions: &'a [LiveFunction],
        roles: &'a [LiveRole],
        has_live: bool,
    ) -> Self {
        let cards = wiring.buckets().count();
        let mut index: FxHashMap<&'a str, usize> = FxHashMap::default();
        index.reserve(cards);
        let mut buckets: Vec<BucketGroup<'a>> = Vec::with_capacity(cards);
        for card in wiring.buckets() {
            let managed = wiring
                .filters_of(&card.id)
                .into_iter()
                .map(|filter| Configuration {
                    bucket: card,
                    id: &filter.configuration_id,
                    origin: Origin::Managed {
                        filter,
                        function: wiring.function_of(&filter.id),
                        topic: wiring.topic_of(&filter.id),
                        queue: wiring.queue_of(&filter.id),
                    },
                    events: parse_valid(&filter.events),
                    keys: KeyFilter::new(filter.prefix.as_deref(), filter.suffix.as_deref()),
                });
            let foreign = card.foreign.iter().map(|f| Configuration {
                bucket: card,
                id: &f.configuration_id,
                origin: Origin::Foreign(f),
                events: parse_valid(&f.events),
                keys: KeyFilter::new(f.prefix.as_deref(), f.suffix.as_deref()),
            });
            match index.get(card.name.as_str()) {
                None => {
                    index.insert(&card.name, buckets.len());
                    let mut configs: Vec<Configuration<'a>> = managed.collect();
                    configs.extend(foreign);
                    buckets.push(BucketGroup {
                        bucket: GroupBucket::Card(card),
                        cards: vec![card],
                        configs,
                    });
                }
                Some(&i) => {
                    let group = &mut buckets[i];
                    group.cards.push(card);
                    if card.event_bridge && !group.bucket.event_bridge {
                        group.bucket.switch_event_bridge_on();
                    }
                    // Managed configurations go before the foreign ones.
                    let first_foreign = group
                        .configs
                        .iter()
                        .position(|c| c.filter().is_none())
                        .unwrap_or(group.configs.len());
                    let managed: Vec<_> = managed.collect();
                    group.configs.splice(first_foreign..first_foreign, managed);
                    // The same entry read onto two cards is one entry.
                    for f in foreign {
                        let Origin::Foreign(entry) = f.origin else {
                            continue;
                        };
                        let seen = group
                            .configs
                            .iter()
                            .any(|c| matches!(c.origin, Origin::Foreign(other) if other == entry));
                        if !seen {
                            group.configs.push(f);
                        }
                    }
                }
            }
        }
        Self {
            wiring,
            buckets,
            by_name: index,
            live_functions: functions.iter().map(|f| (f.arn.as_str(), f)).collect(),
            live_roles: roles.iter().map(|r| (r.arn.as_str(), r)).collect(),
            live_topics: FxHashMap::default(),
            live_queues: FxHashMap::default(),
            has_live,
        }
    }

    /// Whether the rules run against live facts (an import's, or the
    /// planner's read): only then is a function missing from them missing
    /// from the account.
    pub fn has_live(&self) -> bool {
        self.has_live
    }

    /// The document's bucket names, comma-separated (`none` when it has
    /// none): what an error about an unknown bucket lists.
    pub fn bucket_names(&self) -> String {
        if self.buckets.is_empty() {
            return "none".into();
        }
        let names: Vec<&str> = self
            .buckets
            .iter()
            .map(|g| g.bucket.name.as_str())
            .collect();
        names.join(", ")
    }

    /// The bucket (every card of it) with this name.
    pub fn bucket_named(&self, name: &str) -> Option<&BucketGroup<'a>> {
        self.by_name.get(name).map(|&i| &self.buckets[i])
    }

    /// Managed configurations that invoke a function, with that function.
    pub fn invocations(
        &self,
    ) -> impl Iterator<Item = (&Configuration<'a>, &'a Filter, &'a Function)> + '_ {
        self.buckets.iter().flat_map(|group| {
            group.configs.iter().filter_map(|c| match c.origin {
                Origin::Managed {
                    filter,
                    function: Some(function),
                    ..
                } => Some((c, filter, function)),
                _ => None,
            })
        })
    }

    /// Managed configurations that publish to a topic, with that topic.
    pub fn publications(
        &self,
    ) -> impl Iterator<Item = (&Configuration<'a>, &'a Filter, &'a Topic)> + '_ {
        self.buckets.iter().flat_map(|group| {
            group.configs.iter().filter_map(|c| match c.origin {
                Origin::Managed {
                    filter,
                    topic: Some(topic),
                    ..
                } => Some((c, filter, topic)),
                _ => None,
            })
        })
    }

    /// Managed configurations that send to a queue, with that queue.
    pub fn sends(&self) -> impl Iterator<Item = (&Configuration<'a>, &'a Filter, &'a Queue)> + '_ {
        self.buckets.iter().flat_map(|group| {
            group.configs.iter().filter_map(|c| match c.origin {
                Origin::Managed {
                    filter,
                    queue: Some(queue),
                    ..
                } => Some((c, filter, queue)),
                _ => None,
            })
        })
    }

    /// Every function a managed configuration's events reach, directly,
    /// through a topic it is subscribed to (docs/rules.md §15) or through
    /// a queue it polls (§16), with the topic when there is one: what the
    /// role and recursion checks follow.
    pub fn deliveries(
        &self,
    ) -> impl Iterator<
        Item = (
            &Configuration<'a>,
            &'a Filter,
            &'a Function,
            Option<&'a Topic>,
        ),
    > + '_ {
        let direct = self
            .invocations()
            .map(|(c, filter, function)| (c, filter, function, None));
        let fanned = self.publications().flat_map(|(c, filter, topic)| {
            self.wiring
                .subscribers_of(&topic.id)
                .into_iter()
                .map(move |function| (c, filter, function, Some(topic)))
        });
        let buffered = self.sends().filter_map(|(c, filter, queue)| {
            self.wiring
                .consumer_of(&queue.id)
                .map(|function| (c, filter, function, None))
        });
        direct.chain(fanned).chain(buffered)
    }

    /// The live record of a queue, when live facts hold it.
    pub fn live_queue(&self, arn: &str) -> Option<&'a LiveQueue> {
        self.live_queues.get(arn).copied()
    }

    /// The live record of a topic, when live facts hold it.
    pub fn live_topic(&self, arn: &str) -> Option<&'a LiveTopic> {
        self.live_topics.get(arn).copied()
    }

    /// The live record of a function, when live facts exist and hold it.
    pub fn live_function(&self, arn: &str) -> Option<&'a LiveFunction> {
        self.live_functions.get(arn).copied()
    }

    /// The live record of a role, when live facts exist and hold it.
    pub fn live_role(&self, arn: &str) -> Option<&'a LiveRole> {
        self.live_roles.get(arn).copied()
    }
}

fn parse_valid(events: &[String]) -> Vec<EventType> {
    events
        .iter()
        .filter_map(|e| EventType::parse(e).ok())
        .collect()
}

/// The canvas nodes a finding about two configurations of one bucket
/// concerns: the card each side is on (one, or two when the bucket is drawn
/// twice) and each managed side's filter.
pub fn pair_nodes(a: &Configuration<'_>, b: &Configuration<'_>) -> Vec<NodeId> {
    let mut nodes = vec![a.bucket.id.clone()];
    if b.bucket.id != a.bucket.id {
        nodes.push(b.bucket.id.clone());
    }
    nodes.extend(a.filter().map(|f| f.id.clone()));
    nodes.extend(b.filter().map(|f| f.id.clone()));
    nodes
}

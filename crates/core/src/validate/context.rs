//! What rules look at: every notification configuration per bucket, managed
//! or foreign, with its parsed event types and key filter.

use crate::document::{Bucket, Filter, ForeignConfiguration, Function, LiveFunction, LiveRole};
use crate::events::EventType;
use crate::graph::Wiring;
use crate::keys::KeyFilter;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// Where a configuration comes from.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// A filter of the document, and the function it invokes if connected.
    Managed {
        /// The filter node.
        filter: &'a Filter,
        /// The connected function.
        function: Option<&'a Function>,
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
    /// function (it is not written).
    pub fn written(&self) -> Option<WrittenEntry<'a>> {
        let non_empty = |v: &'a Option<String>| v.as_deref().filter(|v| !v.is_empty());
        let (kind, arn, events, prefix, suffix) = match self.origin {
            Origin::Managed {
                filter,
                function: Some(f),
            } => (
                DestinationKind::Lambda,
                crate::permission::target_arn(&f.arn, f.qualifier.as_deref()),
                &filter.events,
                &filter.prefix,
                &filter.suffix,
            ),
            Origin::Managed { function: None, .. } => return None,
            Origin::Foreign(f) => (
                match f.kind {
                    crate::document::ForeignKind::Sqs => DestinationKind::Queue,
                    crate::document::ForeignKind::Sns => DestinationKind::Topic,
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

/// Everything the rules need, computed once per validation.
pub struct Context<'a> {
    /// The wiring being validated.
    pub wiring: &'a Wiring,
    /// Per bucket (insertion order): its configurations, managed first.
    pub buckets: Vec<(&'a Bucket, Vec<Configuration<'a>>)>,
    live_functions: FxHashMap<&'a str, &'a LiveFunction>,
    live_roles: FxHashMap<&'a str, &'a LiveRole>,
}

impl<'a> Context<'a> {
    /// Collects the configurations of every bucket.
    pub fn new(wiring: &'a Wiring) -> Self {
        let buckets = wiring
            .buckets()
            .map(|bucket| {
                let mut configs: Vec<Configuration<'a>> = wiring
                    .filters_of(&bucket.id)
                    .into_iter()
                    .map(|filter| Configuration {
                        bucket,
                        id: &filter.configuration_id,
                        origin: Origin::Managed {
                            filter,
                            function: wiring.function_of(&filter.id),
                        },
                        events: parse_valid(&filter.events),
                        keys: KeyFilter::new(filter.prefix.as_deref(), filter.suffix.as_deref()),
                    })
                    .collect();
                configs.extend(bucket.foreign.iter().map(|f| Configuration {
                    bucket,
                    id: &f.configuration_id,
                    origin: Origin::Foreign(f),
                    events: parse_valid(&f.events),
                    keys: KeyFilter::new(f.prefix.as_deref(), f.suffix.as_deref()),
                }));
                (bucket, configs)
            })
            .collect();
        let live = wiring.live();
        let live_functions = live
            .map(|l| l.functions.iter().map(|f| (f.arn.as_str(), f)).collect())
            .unwrap_or_default();
        let live_roles = live
            .map(|l| l.roles.iter().map(|r| (r.arn.as_str(), r)).collect())
            .unwrap_or_default();
        Self {
            wiring,
            buckets,
            live_functions,
            live_roles,
        }
    }

    /// Managed configurations that invoke a function, with that function.
    pub fn invocations(
        &self,
    ) -> impl Iterator<Item = (&Configuration<'a>, &'a Filter, &'a Function)> + '_ {
        self.buckets.iter().flat_map(|(_, configs)| {
            configs.iter().filter_map(|c| match c.origin {
                Origin::Managed {
                    filter,
                    function: Some(function),
                } => Some((c, filter, function)),
                _ => None,
            })
        })
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
/// concerns: the bucket and each managed side's filter.
pub fn pair_nodes(
    bucket: &Bucket,
    a: &Configuration<'_>,
    b: &Configuration<'_>,
) -> Vec<crate::document::NodeId> {
    let mut nodes = vec![bucket.id.clone()];
    nodes.extend(a.filter().map(|f| f.id.clone()));
    nodes.extend(b.filter().map(|f| f.id.clone()));
    nodes
}

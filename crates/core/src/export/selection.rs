//! What an export writes, for every format alike: the buckets whose
//! configuration the document manages (a filter connected to a function on
//! any of its cards) — or the buckets the user chose —, and only the
//! permissions, role policies and function settings those buckets need.
//! An imported account's hundreds of buckets without notifications are not
//! exported as hundreds of empty configurations.

use crate::desired::{self, Permission};
use crate::document::{AsyncInvoke, Function, RecursiveLoop};
use crate::validate::{BucketGroup, Context, Origin};
use rustc_hash::FxHashSet;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

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
}

impl<'c, 'a> Selection<'c, 'a> {
    /// Every bucket the document manages, or the buckets `only` names.
    ///
    /// # Errors
    /// [`ExportError::UnknownBucket`] when `only` names a bucket the
    /// document does not have.
    pub fn new(ctx: &'c Context<'a>, only: &'c [String]) -> Result<Self, ExportError> {
        let chosen = if only.is_empty() {
            ctx.buckets
                .iter()
                .filter(|g| manages(g))
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
        Ok(Self {
            ctx,
            chosen,
            by_choice: !only.is_empty(),
        })
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

    /// The invoke permissions the written buckets' configurations need.
    pub fn permissions(&self) -> Vec<Permission<'a>> {
        desired::permissions(self.ctx)
            .into_iter()
            .filter(|p| self.includes(p.bucket))
            .collect()
    }

    /// Per role (sorted), the managed read policy the written buckets'
    /// triggers need; roles that need none are left out.
    pub fn role_policies(&self) -> BTreeMap<String, Value> {
        let include = |b: &str| self.includes(b);
        desired::role_read_resources_where(self.ctx, &include, false)
            .into_iter()
            .filter(|(_, resources)| !resources.is_empty())
            .map(|(role, resources)| (role.to_string(), desired::role_policy_document(&resources)))
            .collect()
    }

    /// Whether the export writes this function's settings: every
    /// function's when the export is not limited by choice, else those the
    /// chosen buckets invoke.
    fn writes_settings_of(&self, function: &Function) -> bool {
        !self.by_choice
            || self
                .ctx
                .invocations()
                .any(|(c, _, f)| f.arn == function.arn && self.includes(&c.bucket.name))
    }

    /// The async settings to write ([`desired::async_settings`]).
    pub fn async_settings(&self) -> Vec<(&'a Function, &'a AsyncInvoke)> {
        desired::async_settings(self.ctx.wiring)
            .into_iter()
            .filter(|(f, _)| self.writes_settings_of(f))
            .collect()
    }

    /// The recursion guards to write ([`desired::recursion_guards`]).
    pub fn recursion_guards(&self) -> Vec<(&'a Function, RecursiveLoop)> {
        desired::recursion_guards(self.ctx.wiring)
            .into_iter()
            .filter(|(f, _)| self.writes_settings_of(f))
            .collect()
    }

    /// The regions of a role's functions that serve the written buckets
    /// (sorted): where a regional export puts the role's policy.
    pub fn role_regions(&self, role_arn: &str) -> BTreeSet<&'a str> {
        self.ctx
            .invocations()
            .filter(|(c, _, f)| {
                f.role.as_deref() == Some(role_arn) && self.includes(&c.bucket.name)
            })
            .map(|(c, _, f)| f.region().unwrap_or(c.bucket.region.as_str()))
            .collect()
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
/// of its cards invokes a function.
fn manages(group: &BucketGroup<'_>) -> bool {
    group.configs.iter().any(|c| {
        matches!(
            c.origin,
            Origin::Managed {
                function: Some(_),
                ..
            }
        )
    })
}

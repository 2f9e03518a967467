//! Reading live state: buckets and their whole notification configuration,
//! the functions they invoke (aliases, versions, resource policy per
//! qualifier), and those functions' execution roles (inline and attached
//! policies). Concurrent, bounded, cancellable, with progress; a failure on
//! one resource is collected and the others go on.

use crate::account::{function_region, Account};
use crate::convert::{notification_from_sdk, percent_decode};
use crate::error::{resource_error, AccountError, ResourceError};
use crate::function_settings::{read_event_invoke_configs, read_recursion};
use bucketwire_core::import::split_qualifier;
use bucketwire_core::live::{LiveBucket, LiveState, NotificationConfiguration};
use bucketwire_core::model::document::{LiveFunction, LiveRole, NamedPolicy};
use bucketwire_core::model::policy::compact::{PolicyDocument, PolicyStatement};
use bucketwire_core::Wiring;
use futures_util::stream::{FuturesUnordered, StreamExt};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Shared flag to cancel a running import from another task or thread.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A flag that is not set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the operation to stop as soon as it can.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// What a long read reports as it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// `buckets`, `functions` or `roles`.
    pub stage: &'static str,
    /// Resources of this stage finished so far.
    pub done: usize,
    /// Resources in this stage.
    pub total: usize,
}

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Bucket names; empty means every bucket the credentials can list.
    pub buckets: Vec<String>,
    /// Regions to keep; empty means all.
    pub regions: Vec<String>,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Regions already known for some of `buckets` (from
    /// [`list_bucket_regions`]), so their GetBucketLocation is skipped.
    pub known_regions: BTreeMap<String, String>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            buckets: Vec::new(),
            regions: Vec::new(),
            concurrency: 32,
            known_regions: BTreeMap::new(),
        }
    }
}

/// What an import read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportResult {
    /// Everything that could be read.
    pub live: LiveState,
    /// The account id (STS), when it could be read.
    pub account: Option<String>,
    /// Every resource that could not be read, with the reason.
    pub errors: Vec<ResourceError>,
}

/// Progress callback type.
pub type OnProgress<'a> = &'a (dyn Fn(Progress) + Send + Sync);

/// Imports buckets, their configurations, functions and roles.
///
/// # Errors
/// [`AccountError::Call`] when the bucket list itself cannot be read;
/// [`AccountError::Cancelled`] when cancelled. Failures on single resources
/// are in [`ImportResult::errors`].
pub async fn import(
    account: &Account,
    options: &ImportOptions,
    progress: OnProgress<'_>,
    cancel: &Cancel,
) -> Result<ImportResult, AccountError> {
    // The caller's identity is read alongside everything else.
    let identity = async { account.identity().await.ok().map(|i| i.account) };
    let read = async {
        // ListBuckets names each bucket's region on AWS (BucketRegion),
        // which saves a GetBucketLocation per bucket; other endpoints leave
        // it out.
        let buckets: Vec<(String, Option<String>)> = if options.buckets.is_empty() {
            list_buckets(account).await?
        } else {
            options
                .buckets
                .iter()
                .map(|b| (b.clone(), options.known_regions.get(b).cloned()))
                .collect()
        };
        let reader = Reader {
            account,
            concurrency: options.concurrency,
            regions: &options.regions,
            progress,
            cancel,
        };
        reader.read(buckets, &[], &[]).await
    };
    let (read, account_id) = tokio::join!(read, identity);
    let (mut live, mut errors) = read?;
    import_routes(account, options.concurrency, &mut live, &mut errors, cancel).await?;
    Ok(ImportResult {
        live,
        account: account_id,
        errors,
    })
}

/// The routes beyond direct notifications of the imported buckets: the
/// EventBridge rules over them (docs/rules.md §14), on the default bus of
/// each of their regions (one ListRules a region); the SNS topics they
/// publish to (§15), with their policies and subscriptions; the SQS queues
/// they send to (§16), with their attributes and mappings; and the
/// functions those rules, topics and queues deliver to that no bucket
/// entry named (with their roles). A bus, topic or queue that cannot be
/// read is reported with the other errors.
async fn import_routes(
    account: &Account,
    concurrency: usize,
    live: &mut LiveState,
    errors: &mut Vec<ResourceError>,
    cancel: &Cancel,
) -> Result<(), AccountError> {
    let names: BTreeSet<&str> = live.buckets.iter().map(|b| b.name.as_str()).collect();
    // Every imported bucket's region: a rule over a bucket whose switch is
    // off is still a rule over it (it never fires: the checks say so).
    let regions: BTreeSet<&str> = live.buckets.iter().map(|b| b.region.as_str()).collect();
    let reads = regions
        .iter()
        .map(|region| crate::rules::read_rules_over(account, region, &names));
    let mut rules = Vec::new();
    for read in futures_util::future::join_all(reads).await {
        match read {
            Ok(found) => rules.extend(found),
            Err(e) => errors.push(e),
        }
    }
    let topic_arns: BTreeSet<&str> = live
        .buckets
        .iter()
        .flat_map(|b| &b.notification.topics)
        .map(|e| e.arn.as_str())
        .collect();
    let reads = topic_arns
        .iter()
        .map(|arn| crate::topics::read_topic(account, arn))
        .collect();
    let read_topics = found(reads, concurrency, errors).await;
    let queue_arns: BTreeSet<String> = live
        .buckets
        .iter()
        .flat_map(|b| &b.notification.queues)
        .map(|e| e.arn.clone())
        .collect();
    let read_queue = |arn| crate::queues::read_queue(account, arn);
    let reads = queue_arns.iter().map(|a| read_queue(a)).collect();
    let mut read_queues = found(reads, concurrency, errors).await;
    // Their dead-letter queues too: a plan of the import reads them.
    let dead_letters: BTreeSet<String> = read_queues
        .iter()
        .filter_map(|q| q.dead_letter.as_ref().map(|d| d.arn.clone()))
        .filter(|arn| !queue_arns.contains(arn))
        .collect();
    let reads = dead_letters.iter().map(|a| read_queue(a)).collect();
    read_queues.extend(found(reads, concurrency, errors).await);
    let rule_targets = rules.iter().flat_map(|r| &r.targets).map(|t| &t.arn);
    let subscribers = read_topics
        .iter()
        .flat_map(|t| &t.subscriptions)
        .filter(|s| s.protocol == "lambda")
        .map(|s| &s.endpoint);
    let consumers = read_queues
        .iter()
        .flat_map(|q| &q.mappings)
        .map(|m| &m.function_arn);
    let delivered_to: Vec<String> = rule_targets
        .chain(subscribers)
        .chain(consumers)
        .cloned()
        .collect();
    live.topics = read_topics;
    live.queues = read_queues;
    read_encryption(account, concurrency, live, errors, &|_| true).await;
    let known: BTreeSet<&str> = live.functions.iter().map(|f| f.arn.as_str()).collect();
    let missing: BTreeSet<String> = delivered_to
        .iter()
        .filter(|arn| arn.starts_with("arn:aws:lambda:"))
        .map(|arn| split_qualifier(arn).0.to_string())
        .filter(|arn| !known.contains(arn.as_str()))
        .collect();
    live.rules = rules;
    if missing.is_empty() {
        return Ok(());
    }
    let reader = Reader::quiet(account, concurrency, cancel);
    let missing: Vec<String> = missing.into_iter().collect();
    let (more, more_errors) = reader.read(Vec::new(), &missing, &[]).await?;
    for role in more.roles {
        if live.role(&role.arn).is_none() {
            live.roles.push(role);
        }
    }
    live.functions.extend(more.functions);
    errors.extend(more_errors);
    Ok(())
}

/// Each bucket's default encryption (those `include` holds for), then
/// every KMS key a
/// bucket, topic or queue names (docs/rules.md §18), at most `concurrency`
/// reads in flight. A bucket whose encryption cannot be read is reported
/// with the other errors; a key that cannot be read is kept, saying why.
async fn read_encryption(
    account: &Account,
    concurrency: usize,
    live: &mut LiveState,
    errors: &mut Vec<ResourceError>,
    include: &(dyn Fn(&bucketwire_core::live::LiveBucket) -> bool + Sync),
) {
    let reads = live
        .buckets
        .iter()
        .filter(|b| include(b))
        .map(|b| crate::keys::read_bucket_encryption(account, &b.name, &b.region))
        .collect();
    live.bucket_encryption = found(reads, concurrency, errors).await;
    // Each key reference with the region of what names it.
    let mut references: BTreeSet<(String, String)> = BTreeSet::new();
    let regions: std::collections::HashMap<&str, &str> = live
        .buckets
        .iter()
        .map(|b| (b.name.as_str(), b.region.as_str()))
        .collect();
    for e in &live.bucket_encryption {
        if let (Some(key), Some(region)) = (&e.kms_key, regions.get(e.bucket.as_str())) {
            references.insert((key.clone(), region.to_string()));
        }
    }
    let arn_region = |arn: &str| {
        arn.split(':')
            .nth(3)
            .unwrap_or(account.region())
            .to_string()
    };
    for t in &live.topics {
        if let Some(key) = &t.kms_master_key_id {
            references.insert((key.clone(), arn_region(&t.arn)));
        }
    }
    for q in &live.queues {
        if let Some(key) = &q.kms_master_key_id {
            references.insert((key.clone(), arn_region(&q.arn)));
        }
    }
    let reads: Vec<_> = references
        .iter()
        .map(|(reference, region)| crate::keys::read_key(account, reference, region))
        .collect();
    let keys: Vec<bucketwire_core::model::document::LiveKey> = futures_util::stream::iter(reads)
        .buffered(concurrency.max(1))
        .collect()
        .await;
    // Two references (an alias and an id) may name one key: kept once,
    // with every alias.
    let mut by_arn: std::collections::BTreeMap<String, bucketwire_core::model::document::LiveKey> =
        std::collections::BTreeMap::new();
    for key in keys {
        match by_arn.get_mut(&key.arn) {
            Some(known) => {
                for alias in key.aliases {
                    if !known.aliases.contains(&alias) {
                        known.aliases.push(alias);
                    }
                }
            }
            None => {
                by_arn.insert(key.arn.clone(), key);
            }
        }
    }
    live.keys = by_arn.into_values().collect();
}

/// Runs `reads` (each answering its resource, or `None` when there is
/// none), at most `concurrency` at once, and answers what they found in
/// their order; a read that failed goes to `errors`, reported with the
/// others (the plan blocks what depends on it). The reads are made before
/// the stream, so it holds no closure (one makes the future not Send for
/// Tauri's commands).
async fn found<T, F>(reads: Vec<F>, concurrency: usize, errors: &mut Vec<ResourceError>) -> Vec<T>
where
    F: std::future::Future<Output = Result<Option<T>, ResourceError>>,
{
    let mut out = Vec::new();
    for read in futures_util::stream::iter(reads)
        .buffered(concurrency.max(1))
        .collect::<Vec<_>>()
        .await
    {
        match read {
            Ok(Some(resource)) => out.push(resource),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    out
}

/// A bucket the credentials can list, with its region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedBucket {
    /// The bucket name.
    pub name: String,
    /// Its region (from ListBuckets, else GetBucketLocation).
    pub region: String,
}

/// Every bucket the credentials can list, with its region, sorted by name:
/// what an import can choose from. Regions ListBuckets leaves out are asked
/// for (at most `concurrency` at once); a bucket whose region cannot be read
/// is reported in the second list and left out of the first.
///
/// # Errors
/// [`AccountError::Call`] when the bucket list cannot be read;
/// [`AccountError::Cancelled`] when cancelled.
pub async fn list_bucket_regions(
    account: &Account,
    concurrency: usize,
    cancel: &Cancel,
) -> Result<(Vec<ListedBucket>, Vec<ResourceError>), AccountError> {
    let listed = list_buckets(account).await?;
    let mut buckets = Vec::with_capacity(listed.len());
    let mut errors = Vec::new();
    let mut unknown = Vec::new();
    for (name, region) in listed {
        match region {
            Some(region) => buckets.push(ListedBucket { name, region }),
            None => unknown.push(name),
        }
    }
    let mut located = futures_util::stream::iter(unknown)
        .map(|name| async move {
            let resource = format!("bucket {name}");
            let region = bucket_region(account, &name, &resource).await;
            (name, region)
        })
        .buffer_unordered(concurrency.max(1));
    while let Some((name, region)) = located.next().await {
        if cancel.is_cancelled() {
            return Err(AccountError::Cancelled);
        }
        match region {
            Ok(Some(region)) => buckets.push(ListedBucket { name, region }),
            // Deleted between the list and the question.
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    errors.sort_by(|a, b| a.resource.cmp(&b.resource));
    Ok((buckets, errors))
}

/// Reads what planning `wiring` needs: its buckets, the functions it (or
/// the buckets' live Lambda entries) names, and their roles. A bucket that
/// does not exist is simply absent; other failures are returned.
///
/// # Errors
/// [`AccountError::Cancelled`] when cancelled.
pub async fn read_for_plan(
    account: &Account,
    wiring: &Wiring,
    concurrency: usize,
    cancel: &Cancel,
) -> Result<(LiveState, Vec<ResourceError>), AccountError> {
    read_for_plan_of(account, wiring, &[], concurrency, cancel).await
}

/// [`read_for_plan`] for the buckets `only` names (every bucket when it
/// names none), the functions those buckets' cards invoke and their roles,
/// and the document's EventBridge rules those buckets are drawn into (with
/// their targets' functions). A bucket drawn on several cards is read once.
///
/// # Errors
/// [`AccountError::Cancelled`] when cancelled.
pub async fn read_for_plan_of(
    account: &Account,
    wiring: &Wiring,
    only: &[String],
    concurrency: usize,
    cancel: &Cancel,
) -> Result<(LiveState, Vec<ResourceError>), AccountError> {
    let chosen = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let mut names = BTreeSet::new();
    let buckets = wiring
        .buckets()
        .filter(|b| chosen(&b.name) && names.insert(b.name.as_str()))
        // The document knows each bucket's region: GetBucketLocation is
        // asked only when S3 says the bucket is elsewhere.
        .map(|b| (b.name.clone(), Some(b.region.clone())))
        .collect();
    // The document's rules this plan writes: those with a chosen bucket
    // drawn into them (docs/rules.md §14).
    let rules: Vec<_> = bucketwire_core::desired::event_rules::rules(wiring)
        .into_iter()
        .filter(|r| r.buckets.iter().any(|b| chosen(b)))
        .collect();
    // The document's topics and queues a chosen bucket delivers to (§15,
    // §16), with the functions they deliver to and a queue's dead-letter
    // queue.
    let fed = |id: &bucketwire_core::NodeId| {
        wiring
            .upstream(id)
            .iter()
            .any(|f| wiring.bucket_of(f.id()).is_some_and(|b| chosen(&b.name)))
    };
    let mut topics: BTreeSet<&str> = BTreeSet::new();
    let mut subscribers: Vec<&str> = Vec::new();
    for topic in wiring.topics().filter(|t| fed(&t.id)) {
        topics.insert(&topic.arn);
        subscribers.extend(
            wiring
                .subscribers_of(&topic.id)
                .iter()
                .map(|f| f.arn.as_str()),
        );
    }
    let mut queues: BTreeSet<&str> = BTreeSet::new();
    for queue in wiring.queues().filter(|q| fed(&q.id)) {
        queues.insert(&queue.arn);
        queues.extend(queue.dead_letter.as_ref().map(|d| d.arn.as_str()));
        subscribers.extend(wiring.consumer_of(&queue.id).map(|f| f.arn.as_str()));
    }
    let invoked: BTreeSet<&str> = if only.is_empty() {
        wiring.functions().map(|f| f.arn.as_str()).collect()
    } else {
        wiring
            .filters()
            .filter(|f| wiring.bucket_of(&f.id).is_some_and(|b| chosen(&b.name)))
            .filter_map(|f| wiring.function_of(&f.id))
            .map(|f| f.arn.as_str())
            .chain(
                rules
                    .iter()
                    .flat_map(|r| r.targets.iter().map(|t| t.function.arn.as_str())),
            )
            .chain(subscribers)
            .collect()
    };
    let functions: Vec<String> = invoked.iter().map(|a| a.to_string()).collect();
    let roles: Vec<String> = wiring
        .functions()
        .filter(|f| invoked.contains(f.arn.as_str()))
        .filter_map(|f| f.role.clone())
        .collect();
    let reader = Reader::quiet(account, concurrency, cancel);
    let (mut live, mut errors) = reader.read(buckets, &functions, &roles).await?;
    // A rule that cannot be read blocks that rule alone; a topic or queue
    // that cannot be read, its buckets; one not there yet is created.
    let reads = rules
        .iter()
        .map(|r| crate::rules::read_rule(account, &r.rule.name, &r.rule.region))
        .collect();
    live.rules = found(reads, concurrency, &mut errors).await;
    let reads = topics
        .iter()
        .map(|arn| crate::topics::read_topic(account, arn))
        .collect();
    live.topics = found(reads, concurrency, &mut errors).await;
    let reads = queues
        .iter()
        .map(|arn| crate::queues::read_queue(account, arn))
        .collect();
    live.queues = found(reads, concurrency, &mut errors).await;
    // What the roles must be let decrypt with (docs/rules.md §18), for the
    // buckets where the document says they are (one elsewhere is blocked
    // for that).
    let drawn: BTreeSet<(&str, &str)> = wiring
        .buckets()
        .map(|d| (d.name.as_str(), d.region.as_str()))
        .collect();
    let where_drawn = |b: &bucketwire_core::live::LiveBucket| {
        drawn.contains(&(b.name.as_str(), b.region.as_str()))
    };
    read_encryption(account, concurrency, &mut live, &mut errors, &where_drawn).await;
    Ok((live, errors))
}

/// One read of one resource.
enum Job {
    Bucket(usize, String, Option<String>),
    Function(String),
    Role(String),
}

/// What a job found.
enum Done {
    Bucket(usize, Result<Option<LiveBucket>, ResourceError>),
    Function(Result<Option<LiveFunction>, ResourceError>),
    Role(Result<Option<LiveRole>, ResourceError>),
}

/// Reads buckets, the functions their Lambda entries name and those
/// functions' roles as one pipeline: a function is read as soon as the
/// first bucket naming it has been read, a role as soon as its function
/// has, with at most `concurrency` reads in flight. No stage waits for the
/// previous one to finish, so the slowest chain, not the sum of the stages,
/// sets the time.
struct Reader<'a> {
    account: &'a Account,
    concurrency: usize,
    /// Regions whose buckets are kept; empty keeps all.
    regions: &'a [String],
    progress: OnProgress<'a>,
    cancel: &'a Cancel,
}

impl<'a> Reader<'a> {
    /// A reader of every region that reports no progress.
    fn quiet(account: &'a Account, concurrency: usize, cancel: &'a Cancel) -> Self {
        Self {
            account,
            concurrency,
            regions: &[],
            progress: &|_| {},
            cancel,
        }
    }
}

/// Per-stage progress counters: done and known so far.
#[derive(Default)]
struct Tally {
    buckets: (usize, usize),
    functions: (usize, usize),
    roles: (usize, usize),
}

impl Reader<'_> {
    async fn read(
        &self,
        buckets: Vec<(String, Option<String>)>,
        extra_functions: &[String],
        extra_roles: &[String],
    ) -> Result<(LiveState, Vec<ResourceError>), AccountError> {
        let mut tally = Tally {
            buckets: (0, buckets.len()),
            ..Tally::default()
        };
        let mut seen_functions: BTreeSet<String> = BTreeSet::new();
        let mut seen_roles: BTreeSet<String> = BTreeSet::new();
        // Functions and roles are read before waiting buckets: their reads
        // are chains of several requests, so they should start early.
        let mut urgent: VecDeque<Job> = VecDeque::new();
        let mut waiting: VecDeque<Job> = buckets
            .into_iter()
            .enumerate()
            .map(|(i, (name, region))| Job::Bucket(i, name, region))
            .collect();
        for arn in extra_functions {
            if seen_functions.insert(arn.clone()) {
                tally.functions.1 += 1;
                urgent.push_back(Job::Function(arn.clone()));
            }
        }
        for arn in extra_roles {
            if seen_roles.insert(arn.clone()) {
                tally.roles.1 += 1;
                urgent.push_back(Job::Role(arn.clone()));
            }
        }
        self.report(&tally);

        let mut read_buckets: Vec<(usize, LiveBucket)> = Vec::new();
        let mut live = LiveState::default();
        let mut errors = Vec::new();
        let mut in_flight = FuturesUnordered::new();
        loop {
            while in_flight.len() < self.concurrency.max(1) {
                let Some(job) = urgent.pop_front().or_else(|| waiting.pop_front()) else {
                    break;
                };
                in_flight.push(self.run(job));
            }
            let Some(done) = in_flight.next().await else {
                break;
            };
            if self.cancel.is_cancelled() {
                return Err(AccountError::Cancelled);
            }
            match done {
                Done::Bucket(i, result) => {
                    tally.buckets.0 += 1;
                    match result {
                        Ok(Some(b))
                            if self.regions.is_empty() || self.regions.contains(&b.region) =>
                        {
                            for e in &b.notification.lambda {
                                let arn = split_qualifier(&e.arn).0;
                                if seen_functions.insert(arn.to_string()) {
                                    tally.functions.1 += 1;
                                    urgent.push_back(Job::Function(arn.to_string()));
                                }
                            }
                            read_buckets.push((i, b));
                        }
                        Ok(_) => {}
                        Err(e) => errors.push(e),
                    }
                }
                Done::Function(result) => {
                    tally.functions.0 += 1;
                    match result {
                        Ok(Some(f)) => {
                            if let Some(role) = &f.role {
                                if seen_roles.insert(role.clone()) {
                                    tally.roles.1 += 1;
                                    urgent.push_back(Job::Role(role.clone()));
                                }
                            }
                            live.functions.push(f);
                        }
                        Ok(None) => {}
                        Err(e) => errors.push(e),
                    }
                }
                Done::Role(result) => {
                    tally.roles.0 += 1;
                    match result {
                        Ok(Some(r)) => live.roles.push(r),
                        Ok(None) => {}
                        Err(e) => errors.push(e),
                    }
                }
            }
            self.report(&tally);
        }
        // Deterministic output whatever order the reads finished in.
        read_buckets.sort_by_key(|(i, _)| *i);
        live.buckets = read_buckets.into_iter().map(|(_, b)| b).collect();
        live.functions.sort_by(|a, b| a.arn.cmp(&b.arn));
        live.roles.sort_by(|a, b| a.arn.cmp(&b.arn));
        errors.sort_by(|a, b| a.resource.cmp(&b.resource));
        Ok((live, errors))
    }

    async fn run(&self, job: Job) -> Done {
        match job {
            Job::Bucket(i, name, region) => Done::Bucket(
                i,
                read_bucket_in(self.account, &name, region.as_deref()).await,
            ),
            Job::Function(arn) => Done::Function(read_function(self.account, &arn).await),
            Job::Role(arn) => Done::Role(read_role(self.account, &arn).await),
        }
    }

    fn report(&self, tally: &Tally) {
        for (stage, (done, total)) in [
            ("buckets", tally.buckets),
            ("functions", tally.functions),
            ("roles", tally.roles),
        ] {
            (self.progress)(Progress { stage, done, total });
        }
    }
}

async fn list_buckets(account: &Account) -> Result<Vec<(String, Option<String>)>, AccountError> {
    let s3 = account.s3(account.region());
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = s3
            .list_buckets()
            .set_continuation_token(token.clone())
            .send()
            .await
            .map_err(|e| AccountError::Call(resource_error("the account", "ListBuckets", &e)))?;
        names.extend(out.buckets().iter().filter_map(|b| {
            let region = b
                .bucket_region()
                .filter(|r| !r.is_empty())
                .map(str::to_string);
            b.name().map(|n| (n.to_string(), region))
        }));
        match out.continuation_token() {
            Some(t) if !t.is_empty() && Some(t) != token.as_deref() => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(names)
}

/// A bucket's region and whole notification configuration; `None` when the
/// bucket does not exist.
pub async fn read_bucket(
    account: &Account,
    name: &str,
) -> Result<Option<LiveBucket>, ResourceError> {
    read_bucket_in(account, name, None).await
}

/// [`read_bucket`], skipping GetBucketLocation when the region is known.
async fn read_bucket_in(
    account: &Account,
    name: &str,
    known_region: Option<&str>,
) -> Result<Option<LiveBucket>, ResourceError> {
    let resource = format!("bucket {name}");
    let Some(known) = known_region else {
        return match bucket_region(account, name, &resource).await? {
            Some(region) => read_notification(account, name, region, &resource).await,
            None => Ok(None),
        };
    };
    match read_notification(account, name, known.to_string(), &resource).await {
        Err(e) if e.code == "NoSuchBucket" => Ok(None),
        // Asked in the wrong region, S3 redirects: the bucket is elsewhere
        // (a document that says another region, or a bucket made again).
        // Its region is what the planner needs to block it; its
        // configuration there is not read.
        Err(e) if WRONG_REGION.contains(&e.code.as_str()) => {
            match bucket_region(account, name, &resource).await? {
                None => Ok(None),
                Some(region) if region == known => Err(e),
                Some(region) => Ok(Some(LiveBucket {
                    name: name.to_string(),
                    region,
                    notification: NotificationConfiguration::default(),
                    owner: None,
                })),
            }
        }
        other => other,
    }
}

/// S3's answers to a request sent to another region than the bucket's.
const WRONG_REGION: &[&str] = &[
    "PermanentRedirect",
    "AuthorizationHeaderMalformed",
    "IllegalLocationConstraintException",
];

/// The bucket's region; `None` when the bucket does not exist.
async fn bucket_region(
    account: &Account,
    name: &str,
    resource: &str,
) -> Result<Option<String>, ResourceError> {
    let location = account
        .s3(account.region())
        .get_bucket_location()
        .bucket(name)
        .send()
        .await;
    let region = match location {
        Ok(out) => match out.location_constraint().map(|c| c.as_str()) {
            // us-east-1 reports an empty location; "EU" is eu-west-1's old name.
            None | Some("") => "us-east-1".to_string(),
            Some("EU") => "eu-west-1".to_string(),
            Some(r) => r.to_string(),
        },
        Err(e) => {
            let err = resource_error(resource, "GetBucketLocation", &e);
            if err.code == "NoSuchBucket" {
                return Ok(None);
            }
            return Err(err);
        }
    };
    Ok(Some(region))
}

async fn read_notification(
    account: &Account,
    name: &str,
    region: String,
    resource: &str,
) -> Result<Option<LiveBucket>, ResourceError> {
    let s3 = account.s3(&region);
    // The tags (who owns the bucket) are read alongside: one round trip.
    let (notification, owner) = futures_util::future::join(
        notification_of(&s3, name, resource),
        bucket_owner(&s3, name),
    )
    .await;
    Ok(Some(LiveBucket {
        name: name.to_string(),
        region,
        notification: notification?,
        owner,
    }))
}

/// A bucket's whole notification configuration.
async fn notification_of(
    s3: &aws_sdk_s3::Client,
    name: &str,
    resource: &str,
) -> Result<NotificationConfiguration, ResourceError> {
    match s3
        .get_bucket_notification_configuration()
        .bucket(name)
        .send()
        .await
    {
        Ok(out) => Ok(notification_from_sdk(&out)),
        Err(e) => {
            let err = resource_error(resource, "GetBucketNotificationConfiguration", &e);
            // moto (the local sandbox) answers a bucket without any
            // configuration with an empty <GetBucketNotificationResponse/>
            // root, which the SDK cannot parse; S3 answers an empty
            // <NotificationConfiguration/>. Both mean "nothing configured".
            if err.message.contains("GetBucketNotificationResponse")
                && err.message.contains("closed: true")
            {
                Ok(NotificationConfiguration::default())
            } else {
                Err(err)
            }
        }
    }
}

/// The import wizard's look before an import: each listed bucket's
/// notification configuration (one request a bucket, at most `concurrency`
/// in flight), in the order listed, so the wizard can say which buckets
/// have notifications and of which kinds.
///
/// # Errors
/// [`AccountError::Cancelled`] when cancelled.
pub async fn survey(
    account: &Account,
    buckets: &[ListedBucket],
    concurrency: usize,
    cancel: &Cancel,
) -> Result<Vec<Result<NotificationConfiguration, ResourceError>>, AccountError> {
    // Owned inputs: the futures hold no borrow of `buckets` (they must be
    // Send for the app's commands).
    let jobs: Vec<(usize, aws_sdk_s3::Client, String)> = buckets
        .iter()
        .enumerate()
        .map(|(i, b)| (i, account.s3(&b.region), b.name.clone()))
        .collect();
    let mut read = futures_util::stream::iter(jobs)
        .map(|(i, s3, name)| async move {
            let resource = format!("bucket {name}");
            (i, notification_of(&s3, &name, &resource).await)
        })
        .buffer_unordered(concurrency.max(1));
    let mut out: Vec<Option<Result<NotificationConfiguration, ResourceError>>> =
        vec![None; buckets.len()];
    while let Some((i, result)) = read.next().await {
        if cancel.is_cancelled() {
            return Err(AccountError::Cancelled);
        }
        out[i] = Some(result);
    }
    Ok(out.into_iter().flatten().collect())
}

/// Who owns the bucket, from its tags (docs/rules.md §12); `None` when it
/// has no tags (S3 answers `NoSuchTagSet`), none that names an owner, or
/// they cannot be read: ownership only adds a warning, so a role without
/// `s3:GetBucketTagging` still imports and plans.
async fn bucket_owner(s3: &aws_sdk_s3::Client, name: &str) -> Option<String> {
    let out = s3.get_bucket_tagging().bucket(name).send().await.ok()?;
    bucketwire_core::model::ownership::owner_from_tags(
        out.tag_set().iter().map(|t| (t.key(), t.value())),
    )
}

/// A function's role, aliases, versions and every resource-policy statement
/// (unqualified and per alias); `None` when it does not exist.
pub async fn read_function(
    account: &Account,
    arn: &str,
) -> Result<Option<LiveFunction>, ResourceError> {
    let resource = format!("function {arn}");
    let lambda = account.lambda(function_region(arn, &resource, "GetFunction")?);
    let (role, timeout, owner) = match lambda.get_function().function_name(arn).send().await {
        Ok(out) => (
            out.configuration()
                .and_then(|c| c.role())
                .map(str::to_string),
            out.configuration()
                .and_then(|c| c.timeout())
                .and_then(|t| u32::try_from(t).ok()),
            // GetFunction answers the tags too: ownership costs nothing.
            bucketwire_core::model::ownership::function_owner(
                arn.rsplit(':').next().unwrap_or(arn),
                out.tags()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.as_str(), v.as_str())),
            ),
        ),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(resource_error(&resource, "GetFunction", &e)),
    };
    // Some endpoints (moto) take only the name in the list calls: the ARN
    // is tried first (functions of other accounts work on AWS), and the
    // name when the first page says the ARN is not found.
    let name = arn.rsplit(':').next().unwrap_or(arn);
    let mut list_name = arn;
    let mut aliases = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let out = match lambda
            .list_aliases()
            .function_name(list_name)
            .set_marker(marker.clone())
            .send()
            .await
        {
            Ok(out) => out,
            Err(e)
                if list_name == arn
                    && name != arn
                    && marker.is_none()
                    && e.as_service_error()
                        .is_some_and(|s| s.is_resource_not_found_exception()) =>
            {
                list_name = name;
                continue;
            }
            Err(e) => return Err(resource_error(&resource, "ListAliases", &e)),
        };
        aliases.extend(
            out.aliases()
                .iter()
                .filter_map(|a| a.name().map(str::to_string)),
        );
        match out.next_marker() {
            Some(m) if Some(m) != marker.as_deref() => marker = Some(m.to_string()),
            _ => break,
        }
    }
    let mut versions = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let out = lambda
            .list_versions_by_function()
            .function_name(list_name)
            .set_marker(marker.clone())
            .send()
            .await
            .map_err(|e| resource_error(&resource, "ListVersionsByFunction", &e))?;
        versions.extend(
            out.versions()
                .iter()
                .filter_map(|v| v.version())
                .filter(|v| *v != "$LATEST")
                .map(str::to_string),
        );
        match out.next_marker() {
            Some(m) if Some(m) != marker.as_deref() => marker = Some(m.to_string()),
            _ => break,
        }
    }
    let mut statements: Vec<Value> = Vec::new();
    let qualifiers = std::iter::once(None).chain(aliases.iter().map(|a| Some(a.as_str())));
    for qualifier in qualifiers {
        let out = lambda
            .get_policy()
            .function_name(arn)
            .set_qualifier(qualifier.map(str::to_string))
            .send()
            .await;
        let policy = match out {
            Ok(out) => out.policy().map(str::to_string),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_not_found_exception()) =>
            {
                None
            }
            Err(e) => return Err(resource_error(&resource, "GetPolicy", &e)),
        };
        let Some(policy) = policy else { continue };
        let doc: Value = serde_json::from_str(&policy).map_err(|e| ResourceError {
            resource: resource.clone(),
            operation: "GetPolicy".into(),
            code: "InvalidPolicy".into(),
            message: format!("the policy is not JSON: {e}"),
        })?;
        // Each statement's Resource says which qualifier it is for; some
        // endpoints return the unqualified policy for every qualifier, so
        // keep each (Sid, Resource) once.
        for st in bucketwire_core::model::policy::evaluate::statements_raw(&doc) {
            if !statements.iter().any(|s: &Value| {
                s.get("Sid") == st.get("Sid") && s.get("Resource") == st.get("Resource")
            }) {
                statements.push(st.clone());
            }
        }
    }
    // Independent of each other: one round trip, not two.
    let (event_invoke_configs, recursive_loop) = futures_util::future::try_join(
        read_event_invoke_configs(account, arn, list_name),
        read_recursion(account, arn),
    )
    .await?;
    Ok(Some(LiveFunction {
        arn: arn.to_string(),
        aliases,
        versions,
        role,
        policy_statements: statements.iter().map(PolicyStatement::from).collect(),
        event_invoke_configs,
        recursive_loop,
        owner,
        timeout_seconds: timeout,
    }))
}

/// A role's inline and attached managed policies; `None` when it does not
/// exist.
pub async fn read_role(account: &Account, arn: &str) -> Result<Option<LiveRole>, ResourceError> {
    let resource = format!("role {arn}");
    let name = arn.rsplit('/').next().unwrap_or(arn);
    let iam = account.iam();
    let not_found = |code: &str| code == "NoSuchEntity";
    let mut policies = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let out = match iam
            .list_role_policies()
            .role_name(name)
            .set_marker(marker.clone())
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                let err = resource_error(&resource, "ListRolePolicies", &e);
                if not_found(&err.code) {
                    return Ok(None);
                }
                return Err(err);
            }
        };
        for policy_name in out.policy_names() {
            let doc = iam
                .get_role_policy()
                .role_name(name)
                .policy_name(policy_name)
                .send()
                .await
                .map_err(|e| resource_error(&resource, "GetRolePolicy", &e))?;
            policies.push(NamedPolicy {
                name: policy_name.clone(),
                document: parse_policy(&resource, doc.policy_document())?,
            });
        }
        match (out.is_truncated(), out.marker()) {
            (true, Some(m)) => marker = Some(m.to_string()),
            _ => break,
        }
    }
    let mut marker: Option<String> = None;
    loop {
        let out = iam
            .list_attached_role_policies()
            .role_name(name)
            .set_marker(marker.clone())
            .send()
            .await
            .map_err(|e| resource_error(&resource, "ListAttachedRolePolicies", &e))?;
        for attached in out.attached_policies() {
            let Some(policy_arn) = attached.policy_arn() else {
                continue;
            };
            let policy = iam
                .get_policy()
                .policy_arn(policy_arn)
                .send()
                .await
                .map_err(|e| resource_error(&resource, "GetPolicy", &e))?;
            let Some(version) = policy.policy().and_then(|p| p.default_version_id()) else {
                continue;
            };
            let doc = iam
                .get_policy_version()
                .policy_arn(policy_arn)
                .version_id(version)
                .send()
                .await
                .map_err(|e| resource_error(&resource, "GetPolicyVersion", &e))?;
            let Some(text) = doc.policy_version().and_then(|v| v.document()) else {
                continue;
            };
            policies.push(NamedPolicy {
                name: policy_arn.to_string(),
                document: parse_policy(&resource, text)?,
            });
        }
        match (out.is_truncated(), out.marker()) {
            (true, Some(m)) => marker = Some(m.to_string()),
            _ => break,
        }
    }
    Ok(Some(LiveRole {
        arn: arn.to_string(),
        policies,
    }))
}

fn parse_policy(resource: &str, text: &str) -> Result<PolicyDocument, ResourceError> {
    serde_json::from_str(&percent_decode(text)).map_err(|e| ResourceError {
        resource: resource.to_string(),
        operation: "GetRolePolicy".into(),
        code: "InvalidPolicy".into(),
        message: format!("the policy document is not JSON: {e}"),
    })
}

//! Encryption that breaks delivery (docs/rules.md §18), checked when the
//! document holds what an import read: the buckets' default encryption and
//! the KMS keys the buckets, topics and queues name.
//! - `role-cannot-decrypt-objects` (warning): a bucket encrypted with a
//!   customer-managed key whose policy, with the function role's own, does
//!   not let the role `kms:Decrypt`: `GetObject` fails for every object;
//! - `key-denies-s3` (warning): a topic's or queue's customer-managed key
//!   does not let `s3.amazonaws.com` `kms:GenerateDataKey` and
//!   `kms:Decrypt`, so S3 cannot deliver to it;
//! - `role-cannot-decrypt-queue` (warning): the role of the function
//!   polling an encrypted queue may not decrypt its messages, so the
//!   mapping never receives a batch;
//! - `topic-aws-managed-key` / `queue-aws-managed-key` (error, §15, §16)
//!   when the key is named by id or ARN and the read says AWS manages it;
//! - `key-not-enabled` (error): a key that is disabled or pending deletion
//!   refuses every use;
//! - `key-not-read` (warning): a key that could not be read; the checks
//!   that needed it say so instead of passing.

use super::finding;
use crate::checks::finding::{Finding, Fix, Severity};
use crate::desired::change::Changes;
use crate::desired::context::{Configuration, Context};
use crate::desired::encryption::{
    bucket_key_use, decrypt_policy_change, encryption_by_bucket, key_statement_for_role,
    key_statement_for_s3, key_use, queue_key, queue_region, role_decrypt_access,
    role_decrypt_needs, role_decrypt_statement, topic_key, KeyUse,
};
use crate::model::document::{Function, LiveKey, NodeId};
use crate::model::policy::key_policy::{key_allows, Caller, KeyAccess, Refusal};
use rustc_hash::{FxHashMap, FxHashSet};

const OBJECTS: &str = "role-cannot-decrypt-objects";
const DENIES_S3: &str = "key-denies-s3";
const QUEUE: &str = "role-cannot-decrypt-queue";
const TOPIC_AWS: &str = "topic-aws-managed-key";
const QUEUE_AWS: &str = "queue-aws-managed-key";
const DISABLED: &str = "key-not-enabled";
const UNREAD: &str = "key-not-read";

/// Who uses a key, for `key-not-enabled` and `key-not-read` (one finding
/// per key, naming every user once, in the order met; one key often
/// encrypts every bucket of an account, so the sets keep that linear).
#[derive(Default)]
struct Users {
    names: Vec<String>,
    nodes: Vec<NodeId>,
    named: FxHashSet<String>,
    drawn: FxHashSet<NodeId>,
}

/// The keys that refuse every use, and those not read, with their users.
#[derive(Default)]
struct KeyUsers<'a> {
    disabled: FxHashMap<&'a str, (&'a LiveKey, Users)>,
    unread: FxHashMap<&'a str, (Option<&'a str>, Users)>,
}

impl<'a> KeyUsers<'a> {
    /// Notes that `user` (drawn as `nodes`) uses a key as `use_` says.
    fn note(&mut self, use_: KeyUse<'a>, user: String, nodes: &[&NodeId]) {
        match use_ {
            KeyUse::Customer(key) if !enabled(key) => {
                let entry = self
                    .disabled
                    .entry(key.arn.as_str())
                    .or_insert_with(|| (key, Users::default()));
                push_user(&mut entry.1, user, nodes);
            }
            KeyUse::Unread(reference, found) => {
                let reason = found.and_then(|k| k.unreadable.as_deref());
                let entry = self
                    .unread
                    .entry(reference)
                    .or_insert_with(|| (reason, Users::default()));
                push_user(&mut entry.1, user, nodes);
            }
            _ => {}
        }
    }
}

pub(super) fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(live) = ctx.wiring.live() else {
        return;
    };
    if live.keys.is_empty() && live.bucket_encryption.is_empty() {
        return;
    }
    let mut users = KeyUsers::default();
    // Each role's decrypt policy, as the plan writes it: the fix of every
    // finding about that role that the role's own policy can fix, shared;
    // worked out the first time a role cannot decrypt.
    let fixes: std::cell::OnceCell<FxHashMap<&str, Changes>> = std::cell::OnceCell::new();
    let with_fix = |mut f: Finding| {
        let fixes = fixes.get_or_init(|| {
            role_decrypt_needs(ctx, &live.keys, &live.bucket_encryption, &|_| true)
                .into_iter()
                .filter_map(|(role, needs)| {
                    let change =
                        decrypt_policy_change(role, &needs, &live.keys, ctx.live_role(role))?;
                    Some((role, Changes::from(vec![change])))
                })
                .collect()
        });
        let role = f.subjects.iter().find(|s| s.contains(":role/"));
        if let Some(changes) = role.and_then(|r| fixes.get(r.as_str())) {
            f.fix = Some(Fix::Apply {
                changes: changes.clone(),
            });
        }
        f
    };
    let encryption = encryption_by_bucket(&live.bucket_encryption);
    // A function reads the objects it is told about (directly, through a
    // topic or through a queue).
    for (config, filter, function, _) in ctx.deliveries() {
        let Some(encryption) = encryption.get(config.bucket.name.as_str()) else {
            continue;
        };
        let use_ = bucket_key_use(&live.keys, encryption);
        if !config.reads_objects() {
            continue;
        }
        users.note(
            use_,
            format!("bucket \"{}\"", config.bucket.name),
            &[&config.bucket.id],
        );
        if let KeyUse::Customer(key) = use_ {
            if let Some(finding) = role_cannot_decrypt_objects(ctx, config, filter, function, key) {
                out.push(with_fix(finding));
            }
        }
    }
    for topic in crate::desired::topics::topics(ctx) {
        let Some(reference) = topic_key(ctx, &topic) else {
            continue;
        };
        let use_ = key_use(&live.keys, reference, "aws/sns");
        let cards = &topic.cards;
        users.note(use_, format!("topic \"{}\"", topic.topic.name()), cards);
        match use_ {
            KeyUse::AwsManaged(_) if !crate::desired::topics::is_aws_managed_key(reference) => {
                out.push(finding(
                    TOPIC_AWS,
                    Severity::Error,
                    format!(
                        "topic \"{}\" is encrypted with key {reference}, which AWS manages for SNS; S3 cannot use that key, so none of its events reach the topic. Encrypt it with a customer-managed key whose key policy lets s3.amazonaws.com use kms:GenerateDataKey and kms:Decrypt, or turn encryption off",
                        topic.topic.name()
                    ),
                    cards.iter().map(|c| (*c).clone()).collect(),
                    vec![topic.topic.arn.clone(), reference.to_string()],
                ));
            }
            KeyUse::Customer(key) => {
                let what = format!("topic \"{}\"", topic.topic.name());
                if let Some(f) = key_denies_s3(
                    key,
                    &what,
                    &topic.buckets,
                    &topic.accounts,
                    cards,
                    &topic.topic.arn,
                ) {
                    out.push(f);
                }
            }
            _ => {}
        }
    }
    for queue in crate::desired::queues::queues(ctx) {
        let Some(reference) = queue_key(ctx, &queue) else {
            continue;
        };
        let name = queue.arn().rsplit(':').next().unwrap_or(queue.arn());
        let what = format!("queue \"{name}\"");
        let use_ = key_use(&live.keys, reference, "aws/sqs");
        let cards = &queue.cards;
        users.note(use_, what.clone(), cards);
        match use_ {
            KeyUse::AwsManaged(_) if !crate::desired::queues::is_aws_managed_key(reference) => {
                out.push(finding(
                    QUEUE_AWS,
                    Severity::Error,
                    format!(
                        "{what} is encrypted with key {reference}, which AWS manages for SQS; S3 cannot use that key, so none of its events reach the queue. Use SQS-managed encryption (SSE-SQS), or a customer-managed key whose key policy lets s3.amazonaws.com use kms:GenerateDataKey and kms:Decrypt"
                    ),
                    cards.iter().map(|c| (*c).clone()).collect(),
                    vec![queue.arn().to_string(), reference.to_string()],
                ));
            }
            KeyUse::Customer(key) => {
                if !queue.buckets.is_empty() {
                    if let Some(f) = key_denies_s3(
                        key,
                        &what,
                        &queue.buckets,
                        &queue.accounts,
                        cards,
                        queue.arn(),
                    ) {
                        out.push(f);
                    }
                }
                if let Some((function, _)) = &queue.consumer {
                    if let Some(f) = role_cannot_decrypt_queue(ctx, &what, &queue, function, key) {
                        out.push(with_fix(f));
                    }
                }
            }
            _ => {}
        }
    }
    let mut disabled: Vec<_> = users.disabled.into_values().collect();
    disabled.sort_by(|a, b| a.0.arn.cmp(&b.0.arn));
    for (key, users) in disabled {
        let state = key.state.as_deref().unwrap_or("unknown");
        out.push(finding(
            DISABLED,
            Severity::Error,
            format!(
                "KMS key {} is {state}: every use of it is refused, so {} cannot be read or delivered to. Enable the key (or cancel its deletion), or encrypt with another",
                key_label(key),
                users.names.join(", ")
            ),
            users.nodes,
            vec![key.arn.clone()],
        ));
    }
    let mut unread: Vec<_> = users.unread.into_iter().collect();
    unread.sort_by(|a, b| a.0.cmp(b.0));
    for (reference, (reason, users)) in unread {
        // Read and refused, or not among what was read at all (a key a
        // template names but does not declare).
        let (why, what_to_do) = match reason {
            Some(r) => (
                format!(" ({r})"),
                "Let the reader call kms:DescribeKey and kms:GetKeyPolicy on it and import again",
            ),
            None => (
                String::new(),
                "Import the account that holds it, or declare the key where the wiring is written",
            ),
        };
        out.push(finding(
            UNREAD,
            Severity::Warning,
            format!(
                "KMS key {reference} could not be read{why}: whether the functions and S3 may use it for {} is not known, so those checks did not run. {what_to_do}",
                users.names.join(", ")
            ),
            users.nodes,
            vec![reference.to_string()],
        ));
    }
}

fn push_user(users: &mut Users, user: String, nodes: &[&NodeId]) {
    if users.named.insert(user.clone()) {
        users.names.push(user);
    }
    for node in nodes {
        if users.drawn.insert((*node).clone()) {
            users.nodes.push((*node).clone());
        }
    }
}

fn enabled(key: &LiveKey) -> bool {
    key.state.as_deref().is_none_or(|s| s == "Enabled")
}

/// The key as a person knows it: its first alias, else its ARN.
fn key_label(key: &LiveKey) -> String {
    match key.aliases.first() {
        Some(alias) => format!("{alias} ({})", key.arn),
        None => key.arn.clone(),
    }
}

/// What the role (of `role_arn`) is refused, and what would let it in: the
/// role's statement, the key's, or both.
fn remedy(
    access: &KeyAccess,
    role_arn: &str,
    key: &LiveKey,
    service: &str,
    region: &str,
) -> String {
    let identity = role_decrypt_statement(&key.arn, service, region);
    let key_statement = key_statement_for_role(role_arn);
    match access.refusal {
        Some(Refusal::DeniedByKeyPolicy) => {
            "a Deny statement of the key policy refuses it; only the key's owner can change that".into()
        }
        Some(Refusal::DeniedByIdentity) => {
            "a Deny statement of the role's policies refuses it; remove it".into()
        }
        Some(Refusal::IdentityDoesNotAllow) => format!(
            "the key policy leaves it to the role's policies, which do not allow kms:Decrypt on the key. Add to the role: {identity}"
        ),
        Some(Refusal::KeyPolicyIgnoresIam) => format!(
            "the role's policies allow kms:Decrypt, but the key policy does not enable IAM policies (no statement lets the account's root use the key), so they do nothing. Add to the key policy: {key_statement}"
        ),
        Some(Refusal::NotAllowed) | None => format!(
            "neither the key policy nor the role's policies allow kms:Decrypt. Add to the role: {identity}; and, as the key policy does not enable IAM policies, to the key policy: {key_statement}"
        ),
    }
}

fn role_access(
    ctx: &Context<'_>,
    function: &Function,
    key: &LiveKey,
) -> Option<(String, KeyAccess)> {
    let role_arn = function.role.as_deref()?;
    let role = ctx.live_role(role_arn)?;
    let access = role_decrypt_access(key, role_arn, role.policies.iter().map(|p| &p.document))?;
    Some((role_arn.to_string(), access))
}

/// When the function's role (read) may not decrypt with `key` through
/// `service` in `region`: its ARN, and what would let it in.
fn refused(
    ctx: &Context<'_>,
    function: &Function,
    key: &LiveKey,
    service: &str,
    region: &str,
) -> Option<(String, String)> {
    let (role_arn, access) = role_access(ctx, function, key)?;
    if access.allowed() {
        return None;
    }
    let remedy = remedy(&access, &role_arn, key, service, region);
    Some((role_arn, remedy))
}

fn role_cannot_decrypt_objects(
    ctx: &Context<'_>,
    config: &Configuration<'_>,
    filter: &crate::model::document::Filter,
    function: &Function,
    key: &LiveKey,
) -> Option<Finding> {
    let (role_arn, remedy) = refused(ctx, function, key, "s3", &config.bucket.region)?;
    Some(finding(
        OBJECTS,
        Severity::Warning,
        format!(
            "the role of function \"{}\" cannot decrypt the objects filter \"{}\" tells it about: bucket \"{}\" encrypts them with KMS key {}, so GetObject fails for every one; {remedy}",
            function.name(),
            filter.configuration_id,
            config.bucket.name,
            key_label(key)
        ),
        vec![filter.id.clone(), function.id.clone()],
        vec![config.bucket.name.clone(), filter.configuration_id.clone(), role_arn, key.arn.clone()],
    ))
}

fn role_cannot_decrypt_queue(
    ctx: &Context<'_>,
    what: &str,
    queue: &crate::desired::queues::DesiredQueue<'_>,
    function: &Function,
    key: &LiveKey,
) -> Option<Finding> {
    let queue_arn = queue.arn();
    let (role_arn, remedy) = refused(ctx, function, key, "sqs", queue_region(queue))?;
    let mut nodes: Vec<NodeId> = queue.cards.iter().map(|c| (*c).clone()).collect();
    nodes.push(function.id.clone());
    Some(finding(
        QUEUE,
        Severity::Warning,
        format!(
            "the role of function \"{}\" cannot decrypt the messages of {what}, encrypted with KMS key {}: Lambda's poller receives nothing for it; {remedy}",
            function.name(),
            key_label(key)
        ),
        nodes,
        vec![queue_arn.to_string(), role_arn, key.arn.clone()],
    ))
}

fn key_denies_s3(
    key: &LiveKey,
    what: &str,
    buckets: &[&str],
    accounts: &[&str],
    cards: &[&NodeId],
    arn: &str,
) -> Option<Finding> {
    let policy = key.policy.as_ref()?.to_value();
    let s3 = |action| {
        key_allows(
            &policy,
            &key.grants,
            &key.arn,
            Caller::Service("s3.amazonaws.com"),
            action,
        )
    };
    let missing: Vec<&str> = ["kms:GenerateDataKey", "kms:Decrypt"]
        .into_iter()
        .filter(|a| !s3(a).allowed())
        .collect();
    if missing.is_empty() {
        return None;
    }
    let statement = key_statement_for_s3(buckets, accounts);
    Some(finding(
        DENIES_S3,
        Severity::Warning,
        format!(
            "{what} is encrypted with KMS key {}, whose key policy does not let s3.amazonaws.com use {}: S3 cannot encrypt the events it delivers, so none reach it. Add to the key policy (every other statement kept): {statement}",
            key_label(key),
            missing.join(" and ")
        ),
        cards.iter().map(|c| (*c).clone()).collect(),
        vec![arn.to_string(), key.arn.clone()],
    ))
}

//! S3's events as EventBridge delivers them (docs/rules.md §14): which S3
//! event becomes which `detail-type` and `reason`, the exact event a rule's
//! target receives (its shape differs from a notification record: no
//! `Records`, the key not URL-encoded), and why a rule over S3's events
//! can never fire for a bucket.

use crate::model::event_pattern::EventPattern;
use crate::model::events::EventType;
use serde_json::{json, Value};

/// Every `detail-type` S3 sends to EventBridge.
pub const DETAIL_TYPES: &[&str] = &[
    "Object Created",
    "Object Deleted",
    "Object Restore Initiated",
    "Object Restore Completed",
    "Object Restore Expired",
    "Object Tags Added",
    "Object Tags Deleted",
    "Object ACL Updated",
    "Object Storage Class Changed",
    "Object Access Tier Changed",
];

/// The `source` of every S3 event on EventBridge.
pub const SOURCE: &str = "aws.s3";

/// Every field path an S3 event on EventBridge can carry, leaves only
/// (the envelope and `detail`); `detail.bucket.aws-generated-tags` holds
/// tags of any name.
pub const FIELDS: &[&str] = &[
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "replay-name",
    "detail.version",
    "detail.event-version",
    "detail.bucket.name",
    "detail.object.key",
    "detail.object.size",
    "detail.object.etag",
    "detail.object.version-id",
    "detail.object.sequencer",
    "detail.request-id",
    "detail.requester",
    "detail.source-ip-address",
    "detail.reason",
    "detail.deletion-type",
    "detail.restore-expiry-time",
    "detail.source-storage-class",
    "detail.destination-storage-class",
    "detail.destination-access-tier",
];

/// How S3 reports one event on EventBridge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BridgeEvent {
    /// The `detail-type`.
    pub detail_type: &'static str,
    /// `detail.reason`, for the events that carry one.
    pub reason: Option<&'static str>,
    /// `detail.deletion-type`, for deletions.
    pub deletion_type: Option<&'static str>,
}

/// The EventBridge form of a concrete S3 event, or `None` for the events S3
/// does not send to EventBridge (reduced-redundancy loss, replication).
pub fn bridge_event(event: EventType) -> Option<BridgeEvent> {
    let (detail_type, reason, deletion_type) = match event.event_name().as_str() {
        "ObjectCreated:Put" => ("Object Created", Some("PutObject"), None),
        "ObjectCreated:Post" => ("Object Created", Some("POST Object"), None),
        "ObjectCreated:Copy" => ("Object Created", Some("CopyObject"), None),
        "ObjectCreated:CompleteMultipartUpload" => {
            ("Object Created", Some("CompleteMultipartUpload"), None)
        }
        "ObjectRemoved:Delete" => (
            "Object Deleted",
            Some("DeleteObject"),
            Some("Permanently Deleted"),
        ),
        "ObjectRemoved:DeleteMarkerCreated" => (
            "Object Deleted",
            Some("DeleteObject"),
            Some("Delete Marker Created"),
        ),
        "LifecycleExpiration:Delete" => (
            "Object Deleted",
            Some("Lifecycle Expiration"),
            Some("Permanently Deleted"),
        ),
        "LifecycleExpiration:DeleteMarkerCreated" => (
            "Object Deleted",
            Some("Lifecycle Expiration"),
            Some("Delete Marker Created"),
        ),
        "ObjectRestore:Post" => ("Object Restore Initiated", None, None),
        "ObjectRestore:Completed" => ("Object Restore Completed", None, None),
        "ObjectRestore:Delete" => ("Object Restore Expired", None, None),
        "ObjectTagging:Put" => ("Object Tags Added", None, None),
        "ObjectTagging:Delete" => ("Object Tags Deleted", None, None),
        "ObjectAcl:Put" => ("Object ACL Updated", None, None),
        "LifecycleTransition" => ("Object Storage Class Changed", None, None),
        "IntelligentTiering" => ("Object Access Tier Changed", None, None),
        _ => return None,
    };
    Some(BridgeEvent {
        detail_type,
        reason,
        deletion_type,
    })
}

/// The EventBridge pattern that matches what an S3 notification filter
/// matches (docs/rules.md §1, §14): its event types as `detail-type`s —
/// narrowed by `detail.reason` when they are some of one detail-type's
/// events —, and its prefix and suffix on `detail.object.key` (both: a
/// wildcard, `*` in them escaped). `None` when the events cannot be said
/// so (one S3 does not send to EventBridge, or a mix a single pattern
/// cannot name).
pub fn pattern_of_filter(
    events: &[String],
    prefix: Option<&str>,
    suffix: Option<&str>,
) -> Option<serde_json::Value> {
    use crate::model::events::{concrete_events, EventType};
    use serde_json::json;
    let configured: Vec<EventType> = events
        .iter()
        .map(|e| EventType::parse(e).ok())
        .collect::<Option<_>>()?;
    let all = concrete_events();
    let chosen: Vec<EventType> = all
        .iter()
        .copied()
        .filter(|e| configured.iter().any(|c| c.covers(*e)))
        .collect();
    if chosen.is_empty() {
        return None;
    }
    let bridged: Vec<BridgeEvent> = chosen
        .iter()
        .map(|e| bridge_event(*e))
        .collect::<Option<_>>()?;
    let mut types: Vec<&str> = bridged.iter().map(|b| b.detail_type).collect();
    types.sort_unstable();
    types.dedup();
    // Every S3 event of a detail-type, in its EventBridge form.
    let of_type = |t: &str| -> Vec<BridgeEvent> {
        all.iter()
            .filter_map(|e| bridge_event(*e))
            .filter(|b| b.detail_type == t)
            .collect()
    };
    let whole = |t: &str| of_type(t).iter().all(|b| bridged.contains(b));
    let mut pattern = json!({"source": ["aws.s3"], "detail-type": types});
    let mut detail = serde_json::Map::new();
    if !types.iter().all(|t| whole(t)) {
        // Some events of one detail-type: say which by their reason, when
        // the reasons name exactly those.
        let [only] = types.as_slice() else {
            return None;
        };
        let mut reasons: Vec<&str> = bridged.iter().filter_map(|b| b.reason).collect();
        reasons.sort_unstable();
        reasons.dedup();
        let by_reason: Vec<BridgeEvent> = of_type(only)
            .into_iter()
            .filter(|b| b.reason.is_some_and(|r| reasons.contains(&r)))
            .collect();
        if reasons.is_empty() || !by_reason.iter().all(|b| bridged.contains(b)) {
            return None;
        }
        detail.insert("reason".into(), json!(reasons));
    }
    let escape = |s: &str| s.replace('\\', "\\\\").replace('*', "\\*");
    let key = match (
        prefix.filter(|p| !p.is_empty()),
        suffix.filter(|s| !s.is_empty()),
    ) {
        (None, None) => None,
        (Some(p), None) => Some(json!([{"prefix": p}])),
        (None, Some(s)) => Some(json!([{"suffix": s}])),
        (Some(p), Some(s)) => Some(json!([{"wildcard": format!("{}*{}", escape(p), escape(s))}])),
    };
    if let Some(key) = key {
        detail.insert("object".into(), json!({"key": key}));
    }
    if !detail.is_empty() {
        pattern["detail"] = serde_json::Value::Object(detail);
    }
    Some(pattern)
}

/// The event EventBridge delivers to a rule's target for `event` on `key`
/// in `bucket`: the envelope and `detail` as S3 writes them. The key is as
/// typed (not URL-encoded, unlike a notification record); ids, times, size
/// and eTag are fixed example values, so the output is reproducible.
/// `None` for an event S3 does not send to EventBridge.
pub fn event_json(
    bucket: &str,
    region: &str,
    account: &str,
    key: &str,
    event: EventType,
) -> Option<Value> {
    let kind = bridge_event(event)?;
    let mut object = json!({ "key": key });
    if matches!(event.family(), "ObjectCreated" | "ObjectRestore") {
        object["size"] = json!(1024);
        object["etag"] = json!("0123456789abcdef0123456789abcdef");
    }
    if matches!(event.family(), "ObjectCreated" | "ObjectRemoved") {
        object["sequencer"] = json!("0A1B2C3D4E5F678901");
    }
    let mut detail = json!({
        "version": "0",
        "bucket": { "name": bucket },
        "object": object,
        "request-id": "EXAMPLE123456789",
        "requester": account,
    });
    if let Some(reason) = kind.reason {
        detail["source-ip-address"] = json!("127.0.0.1");
        detail["reason"] = json!(reason);
    }
    if let Some(deletion) = kind.deletion_type {
        detail["deletion-type"] = json!(deletion);
    }
    Some(json!({
        "version": "0",
        "id": "00000000-0000-0000-0000-000000000000",
        "detail-type": kind.detail_type,
        "source": SOURCE,
        "account": account,
        "time": "1970-01-01T00:00:00Z",
        "region": region,
        "resources": [crate::model::permission::bucket_arn(bucket)],
        "detail": detail,
    }))
}

/// Why a rule's pattern can never match an S3 event from `bucket`, in
/// plain words, one reason per mistake; empty when some event could.
/// Judged field by field from what S3 sends (its `source`, its detail
/// types, the bucket's name, ARN, region and account, the fields its
/// events carry); conditions inside `$or` and on the key and size are
/// left to Try a key.
pub fn never_matches(
    pattern: &EventPattern,
    bucket: &str,
    region: &str,
    account: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    if pattern.admits("source", &[SOURCE]) == Some(false) {
        out.push(format!(
            "its source does not admit \"{SOURCE}\", the source of every S3 event"
        ));
    }
    if pattern.admits("detail-type", DETAIL_TYPES) == Some(false) {
        out.push(format!(
            "its detail-type admits none of S3's ({}); S3 writes them with spaces, e.g. \"Object Created\", not \"ObjectCreated\" or \"s3:ObjectCreated:*\"",
            DETAIL_TYPES.join(", ")
        ));
    }
    if pattern.admits("detail.bucket.name", &[bucket]) == Some(false) {
        out.push(format!(
            "its detail.bucket.name does not admit \"{bucket}\""
        ));
    }
    let arn = crate::model::permission::bucket_arn(bucket);
    if pattern.admits("resources", &[arn.as_str()]) == Some(false) {
        out.push(format!("its resources do not admit \"{arn}\""));
    }
    if pattern.admits("region", &[region]) == Some(false) {
        out.push(format!(
            "its region does not admit \"{region}\", the bucket's region"
        ));
    }
    if let Some(account) = account {
        if pattern.admits("account", &[account]) == Some(false) {
            out.push(format!(
                "its account does not admit \"{account}\", the bucket's account"
            ));
        }
    }
    for path in pattern.leaf_paths() {
        let known = FIELDS.contains(&path.as_str())
            || path.starts_with("detail.bucket.aws-generated-tags.");
        if !known && pattern.admits_absence(&path) == Some(false) {
            out.push(format!(
                "it asks for {path}, a field S3's events do not carry{}",
                hint(&path)
            ));
        }
    }
    out
}

/// A likely intended field for a misspelt path, as ", did you mean …?".
fn hint(path: &str) -> String {
    let last = path.rsplit('.').next().unwrap_or(path);
    let guess = match last {
        "key" | "Key" | "objectKey" => Some("detail.object.key"),
        "size" | "Size" => Some("detail.object.size"),
        "name" | "bucket" | "bucketName" | "Name" => Some("detail.bucket.name"),
        "eventName" | "detailType" | "detail_type" => Some("detail-type"),
        _ => None,
    };
    guess
        .filter(|g| *g != path)
        .map(|g| format!(" (did you mean {g}?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::events::concrete_events;

    fn pattern(text: &str) -> EventPattern {
        EventPattern::parse(text).expect("valid pattern")
    }

    #[test]
    fn every_object_event_has_its_bridge_form_and_the_rest_none() {
        for event in concrete_events() {
            let bridged = bridge_event(event);
            let expected = !matches!(
                event.family(),
                "ReducedRedundancyLostObject" | "Replication"
            );
            assert_eq!(bridged.is_some(), expected, "{event}");
            if let Some(b) = bridged {
                assert!(DETAIL_TYPES.contains(&b.detail_type), "{event}");
            }
        }
    }

    #[test]
    fn the_event_a_target_receives() {
        let put = EventType::parse("s3:ObjectCreated:Put").expect("valid");
        let e = event_json(
            "acme-photos",
            "eu-west-1",
            "123456789012",
            "uploads/red flower.jpg",
            put,
        )
        .expect("bridged");
        assert_eq!(e["detail-type"], "Object Created");
        assert_eq!(e["source"], "aws.s3");
        assert_eq!(e["resources"][0], "arn:aws:s3:::acme-photos");
        assert_eq!(e["detail"]["object"]["key"], "uploads/red flower.jpg");
        assert_eq!(e["detail"]["reason"], "PutObject");
        assert!(e.get("Records").is_none());
        // Every leaf it carries is one S3 documents.
        let mut leaves = Vec::new();
        collect_leaves(&e, "", &mut leaves);
        for leaf in leaves {
            assert!(FIELDS.contains(&leaf.as_str()), "{leaf}");
        }
        let gone = EventType::parse("s3:ObjectRemoved:DeleteMarkerCreated").expect("valid");
        let e = event_json("b", "us-east-1", "1", "k", gone).expect("bridged");
        assert_eq!(e["detail"]["deletion-type"], "Delete Marker Created");
        assert!(e["detail"]["object"].get("size").is_none());
    }

    fn collect_leaves(v: &Value, at: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, inner) in map {
                    let path = if at.is_empty() {
                        k.clone()
                    } else {
                        format!("{at}.{k}")
                    };
                    collect_leaves(inner, &path, out);
                }
            }
            _ => out.push(at.to_string()),
        }
    }

    #[test]
    fn a_rule_for_uploads_images_matches_the_event_it_should() {
        let p = pattern(
            r#"{"source":["aws.s3"],"detail-type":["Object Created"],
                "detail":{"bucket":{"name":["acme-photos"]},
                          "object":{"key":[{"wildcard":"uploads/*.jpg"},{"wildcard":"uploads/*.png"}]}}}"#,
        );
        let put = EventType::parse("s3:ObjectCreated:Put").expect("valid");
        let event = |key: &str| {
            event_json("acme-photos", "us-east-1", "123456789012", key, put).expect("bridged")
        };
        assert!(p.matches(&event("uploads/cat.jpg")));
        assert!(p.matches(&event("uploads/2024/cat.png")));
        assert!(!p.matches(&event("uploads/cat.gif")));
        assert!(never_matches(&p, "acme-photos", "us-east-1", Some("123456789012")).is_empty());
    }

    #[test]
    fn why_a_rule_never_matches() {
        fn check(text: &str, says: &[&str]) {
            let reasons = never_matches(
                &pattern(text),
                "acme-photos",
                "us-east-1",
                Some("123456789012"),
            );
            assert_eq!(reasons.len(), says.len(), "{text}: {reasons:?}");
            for (reason, said) in reasons.iter().zip(says) {
                assert!(reason.contains(said), "{text}: {reason}");
            }
        }
        check(
            r#"{"source":["s3"]}"#,
            &["source does not admit \"aws.s3\""],
        );
        check(
            r#"{"detail-type":["ObjectCreated"]}"#,
            &["detail-type admits none of S3's"],
        );
        check(
            r#"{"detail-type":["s3:ObjectCreated:*"]}"#,
            &["not \"ObjectCreated\""],
        );
        check(
            r#"{"detail":{"bucket":{"name":["acme-logs"]}}}"#,
            &["does not admit \"acme-photos\""],
        );
        check(
            r#"{"resources":["arn:aws:s3:::acme-logs"]}"#,
            &["resources do not admit"],
        );
        check(
            r#"{"region":["eu-west-1"]}"#,
            &["region does not admit \"us-east-1\""],
        );
        check(
            r#"{"account":["999999999999"]}"#,
            &["account does not admit"],
        );
        check(
            r#"{"detail":{"key":[{"prefix":"uploads/"}]}}"#,
            &["asks for detail.key, a field S3's events do not carry (did you mean detail.object.key?)"],
        );
        check(
            r#"{"source":["aws.s3"],"detail":{"object":{"version-id":[{"exists":false}]},"foo":[{"exists":false}]}}"#,
            &[],
        );
        check(
            r#"{"detail-type":[{"prefix":"Object"}],"detail":{"bucket":{"name":[{"prefix":"acme-"}]}}}"#,
            &[],
        );
        check(
            r#"{"source":["aws.s3"],"detail-type":["Object Created"],"detail":{"bucket":{"name":["other"]}}}"#,
            &["detail.bucket.name does not admit"],
        );
    }
}

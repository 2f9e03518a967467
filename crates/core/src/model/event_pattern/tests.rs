use super::*;
use serde_json::json;

/// An S3 "Object Created" event as EventBridge delivers it (the shape of
/// the S3 user guide's example), with the key and size given.
fn created(key: &str, size: u64) -> Value {
    json!({
        "version": "0",
        "id": "17793124-05d4-b198-2fde-7ededc63b103",
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": "123456789012",
        "time": "2021-11-12T00:00:00Z",
        "region": "us-east-1",
        "resources": ["arn:aws:s3:::acme-photos"],
        "detail": {
            "version": "0",
            "bucket": {"name": "acme-photos"},
            "object": {"key": key, "size": size, "etag": "b1946ac9", "sequencer": "617f08299329d189"},
            "request-id": "N4N7GDK58NMKJ12R",
            "requester": "123456789012",
            "source-ip-address": "10.1.2.3",
            "reason": "PutObject"
        }
    })
}

/// Whether `pattern` (JSON text) matches `event`; panics on a bad pattern.
fn check(pattern: &str, event: &Value, expected: bool) {
    let parsed = EventPattern::parse(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
    assert_eq!(parsed.matches(event), expected, "{pattern} on {event}");
}

#[test]
fn exact_values_and_nesting() {
    let e = created("uploads/cat.jpg", 5);
    check(r#"{"source":["aws.s3"]}"#, &e, true);
    check(
        r#"{"source":["aws.s3"],"detail-type":["Object Created"]}"#,
        &e,
        true,
    );
    check(r#"{"detail-type":["Object Deleted"]}"#, &e, false);
    check(r#"{"detail-type":["ObjectCreated"]}"#, &e, false);
    check(
        r#"{"detail":{"bucket":{"name":["acme-photos","other"]}}}"#,
        &e,
        true,
    );
    check(r#"{"detail":{"bucket":{"name":["other"]}}}"#, &e, false);
    check(r#"{"detail":{"object":{"size":[5]}}}"#, &e, true);
    check(r#"{"detail":{"object":{"size":[5.0]}}}"#, &e, true);
    check(r#"{"detail":{"object":{"size":["5"]}}}"#, &e, false);
    // A field the event lacks never matches a value.
    check(r#"{"detail":{"key":["uploads/cat.jpg"]}}"#, &e, false);
    // An array in the event matches when any element does.
    check(r#"{"resources":["arn:aws:s3:::acme-photos"]}"#, &e, true);
}

#[test]
fn prefix_suffix_and_case() {
    let e = created("uploads/Cat.JPG", 5);
    check(
        r#"{"detail":{"object":{"key":[{"prefix":"uploads/"}]}}}"#,
        &e,
        true,
    );
    check(
        r#"{"detail":{"object":{"key":[{"prefix":"/uploads/"}]}}}"#,
        &e,
        false,
    );
    check(
        r#"{"detail":{"object":{"key":[{"suffix":".jpg"}]}}}"#,
        &e,
        false,
    );
    check(
        r#"{"detail":{"object":{"key":[{"suffix":{"equals-ignore-case":".jpg"}}]}}}"#,
        &e,
        true,
    );
    check(
        r#"{"detail":{"object":{"key":[{"prefix":{"equals-ignore-case":"UPLOADS/"}}]}}}"#,
        &e,
        true,
    );
    check(
        r#"{"detail":{"object":{"key":[{"equals-ignore-case":"uploads/cat.jpg"}]}}}"#,
        &e,
        true,
    );
    // Several conditions on one field are alternatives.
    check(
        r#"{"detail":{"object":{"key":[{"suffix":".png"},{"suffix":".JPG"}]}}}"#,
        &e,
        true,
    );
}

#[test]
fn wildcards() {
    for (glob, key, expected) in [
        ("uploads/*.jpg", "uploads/cat.jpg", true),
        ("uploads/*.jpg", "uploads/2024/cat.jpg", true),
        ("uploads/*.jpg", "uploads/cat.png", false),
        ("uploads/*.jpg", "other/uploads/cat.jpg", false),
        ("*/thumbs/*", "a/thumbs/b.jpg", true),
        ("*/thumbs/*", "thumbs/b.jpg", false),
        ("*.jpg", ".jpg", true),
        ("a*b*c", "abc", true),
        ("a*b*c", "acb", false),
        ("a*bc", "abcbc", true),
        (r"star\*.txt", "star*.txt", true),
        (r"star\*.txt", "starry.txt", false),
        ("exact", "exact", true),
        ("exact", "exactly", false),
        ("*", "", true),
    ] {
        assert_eq!(wildcard_matches(glob, key), expected, "{glob} on {key}");
    }
    let e = created("uploads/cat.png", 5);
    check(
        r#"{"detail":{"object":{"key":[{"wildcard":"uploads/*.jpg"},{"wildcard":"uploads/*.png"}]}}}"#,
        &e,
        true,
    );
}

#[test]
fn anything_but() {
    let e = created("uploads/cat.jpg", 5);
    check(
        r#"{"detail":{"reason":[{"anything-but":"CopyObject"}]}}"#,
        &e,
        true,
    );
    check(
        r#"{"detail":{"reason":[{"anything-but":["PutObject","CopyObject"]}]}}"#,
        &e,
        false,
    );
    check(
        r#"{"detail":{"object":{"key":[{"anything-but":{"prefix":"thumbs/"}}]}}}"#,
        &e,
        true,
    );
    check(
        r#"{"detail":{"object":{"key":[{"anything-but":{"prefix":"uploads/"}}]}}}"#,
        &e,
        false,
    );
    check(
        r#"{"detail":{"object":{"key":[{"anything-but":{"suffix":".png"}}]}}}"#,
        &e,
        true,
    );
    check(
        r#"{"detail":{"object":{"key":[{"anything-but":{"wildcard":"*/cat.*"}}]}}}"#,
        &e,
        false,
    );
    check(
        r#"{"detail":{"reason":[{"anything-but":{"equals-ignore-case":["putobject"]}}]}}"#,
        &e,
        false,
    );
    check(
        r#"{"detail":{"object":{"size":[{"anything-but":[0]}]}}}"#,
        &e,
        true,
    );
    // anything-but needs the field to be there.
    check(
        r#"{"detail":{"missing":[{"anything-but":"x"}]}}"#,
        &e,
        false,
    );
}

#[test]
fn numeric_exists_and_cidr() {
    let e = created("uploads/cat.jpg", 5_000);
    check(
        r#"{"detail":{"object":{"size":[{"numeric":[">",1024]}]}}}"#,
        &e,
        true,
    );
    check(
        r#"{"detail":{"object":{"size":[{"numeric":[">",0,"<=",4096]}]}}}"#,
        &e,
        false,
    );
    check(
        r#"{"detail":{"object":{"size":[{"numeric":["=",5000]}]}}}"#,
        &e,
        true,
    );
    check(
        r#"{"detail":{"object":{"key":[{"numeric":[">",0]}]}}}"#,
        &e,
        false,
    );
    check(
        r#"{"detail":{"object":{"version-id":[{"exists":false}]}}}"#,
        &e,
        true,
    );
    check(
        r#"{"detail":{"object":{"etag":[{"exists":true}]}}}"#,
        &e,
        true,
    );
    // exists looks at leaves: an object is not one.
    check(r#"{"detail":{"object":[{"exists":true}]}}"#, &e, false);
    // A nested pattern over a missing object holds when it asks only absence.
    check(
        r#"{"detail":{"restore":{"expiry":[{"exists":false}]}}}"#,
        &e,
        true,
    );
    check(
        r#"{"detail":{"source-ip-address":[{"cidr":"10.0.0.0/8"}]}}"#,
        &e,
        true,
    );
    check(
        r#"{"detail":{"source-ip-address":[{"cidr":"192.168.0.0/16"}]}}"#,
        &e,
        false,
    );
}

#[test]
fn or_of_alternatives() {
    let jpg = created("uploads/cat.jpg", 5);
    let big = created("raw/cat.tif", 50_000_000);
    let small_raw = created("raw/cat.tif", 5);
    let pattern = r#"{"source":["aws.s3"],"$or":[
        {"detail":{"object":{"key":[{"suffix":".jpg"}]}}},
        {"detail":{"object":{"size":[{"numeric":[">",1000000]}]}}}
    ]}"#;
    check(pattern, &jpg, true);
    check(pattern, &big, true);
    check(pattern, &small_raw, false);
}

#[test]
fn leaf_paths_and_admits() {
    let p = EventPattern::parse(
        r#"{"source":["aws.s3"],"detail-type":["Object Created"],
            "detail":{"bucket":{"name":["acme-photos"]},"object":{"key":[{"prefix":"uploads/"}]}}}"#,
    )
    .expect("valid");
    assert_eq!(
        p.leaf_paths(),
        [
            "source",
            "detail-type",
            "detail.bucket.name",
            "detail.object.key"
        ]
    );
    assert_eq!(p.admits("source", &["aws.s3"]), Some(true));
    assert_eq!(p.admits("detail.bucket.name", &["acme-logs"]), Some(false));
    assert_eq!(
        p.admits("detail.bucket.name", &["acme-logs", "acme-photos"]),
        Some(true)
    );
    assert_eq!(p.admits("account", &["123456789012"]), None);
}

#[test]
fn refuses_what_eventbridge_refuses() {
    for (pattern, path, says) in [
        ("not json", "the pattern", "not JSON"),
        ("[]", "the pattern", "a pattern is a JSON object"),
        ("{}", "the pattern", "an empty pattern matches nothing"),
        (
            r#"{"source":"aws.s3"}"#,
            "source",
            "written in an array: [\"aws.s3\"], not \"aws.s3\"",
        ),
        (
            r#"{"source":[]}"#,
            "source",
            "an empty array matches nothing",
        ),
        (
            r#"{"detail":{}}"#,
            "detail",
            "an empty object matches nothing",
        ),
        (
            r#"{"source":[["aws.s3"]]}"#,
            "source[0]",
            "arrays do not nest",
        ),
        (
            r#"{"d":{"key":[{"begins-with":"a"}]}}"#,
            "d.key[0].begins-with",
            "\"begins-with\" is not an EventBridge operator",
        ),
        (
            r#"{"k":[{"prefix":"a","suffix":"b"}]}"#,
            "k[0]",
            "exactly one operator",
        ),
        (r#"{"k":[{"prefix":5}]}"#, "k[0].prefix", "takes a string"),
        (
            r#"{"k":[{"wildcard":"a**b"}]}"#,
            "k[0].wildcard",
            "consecutive wildcard characters",
        ),
        (
            r#"{"k":[{"anything-but":{"wildcard":["a**"]}}]}"#,
            "k[0].anything-but.wildcard",
            "consecutive wildcard characters",
        ),
        (
            r#"{"k":[{"anything-but":[]}]}"#,
            "k[0].anything-but",
            "non-empty array of strings, or of numbers",
        ),
        (
            r#"{"k":[{"anything-but":["a",1]}]}"#,
            "k[0].anything-but",
            "non-empty array of strings, or of numbers",
        ),
        (
            r#"{"k":[{"anything-but":{"numeric":[">",1]}}]}"#,
            "k[0].anything-but.numeric",
            "anything-but does not take \"numeric\"",
        ),
        (
            r#"{"k":[{"numeric":[">"]}]}"#,
            "k[0].numeric",
            "numeric takes",
        ),
        (
            r#"{"k":[{"numeric":["<",5,">",1]}]}"#,
            "k[0].numeric",
            "numeric takes",
        ),
        (
            r#"{"k":[{"numeric":[">",5,"<",1]}]}"#,
            "k[0].numeric",
            "low bound 5 is not below its high bound 1",
        ),
        (
            r#"{"k":[{"numeric":["!=",5]}]}"#,
            "k[0].numeric",
            "is not one of =, <, <=, >, >=",
        ),
        (
            r#"{"k":[{"exists":"yes"}]}"#,
            "k[0].exists",
            "exists takes true or false",
        ),
        (
            r#"{"k":[{"cidr":"10.0.0.0/33"}]}"#,
            "k[0].cidr",
            "not an IPv4 CIDR block",
        ),
        (
            r#"{"k":[{"cidr":"10.0.0/8"}]}"#,
            "k[0].cidr",
            "not an IPv4 CIDR block",
        ),
        (
            r#"{"$or":[{"k":["a"]}]}"#,
            "$or",
            "$or takes at least two patterns",
        ),
        (
            r#"{"$or":[{"k":["a"]},{}]}"#,
            "$or[1]",
            "each $or alternative is a non-empty object",
        ),
    ] {
        let e = EventPattern::parse(pattern).expect_err(pattern);
        assert_eq!(e.path, path, "{pattern}: {e}");
        assert!(e.message.contains(says), "{pattern}: {e}");
    }
    let long = format!(r#"{{"k":["{}"]}}"#, "a".repeat(MAX_PATTERN_LENGTH));
    let e = EventPattern::parse(&long).expect_err("too long");
    assert!(e.message.contains("at most 4096 characters"), "{e}");
}

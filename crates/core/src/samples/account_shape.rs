//! A generated account of a real account's shape, for benchmarks and for
//! the canvas at scale: what an import of a mid-size company's account
//! reads, replicated to any number of buckets.
//!
//! The shape (measured on the accounts the product was tried on):
//! - buckets round robin over `us-east-1`, `eu-west-1` and `ap-southeast-2`;
//! - one bucket in six wired to Lambda (three in a row of every eighteen,
//!   so each region gets its share); most of those with one configuration,
//!   one in four with two to four;
//! - a function serves about ten configurations, across buckets; one
//!   function in seven is invoked through an alias `live`;
//! - an execution role is shared by five functions and reads the buckets
//!   that invoke them;
//! - one wired bucket in twelve also sends to an SQS queue or SNS topic,
//!   one in thirty has EventBridge on;
//! - a few broken, as real accounts are: one configuration in fifty has no
//!   invoke permission, one in sixty a permission without `SourceAccount`,
//!   every twentieth role cannot read its buckets, the first wired bucket of
//!   each region has an overlapping pair, and one configuration per region
//!   points at a function that was deleted.
//!
//! The live state is the account in sync with the document (a plan of the
//! document against it is empty apart from what the broken ones need).

use crate::live::{LiveBucket, LiveState, NotificationConfiguration, NotificationEntry};
use crate::model::document::{Document, LiveFunction, LiveRole, NamedPolicy};
use std::collections::BTreeMap;

/// The account every generated resource belongs to.
pub const ACCOUNT: &str = "123456789012";
/// The regions buckets are spread over, round robin.
pub const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];
/// About how many configurations one function serves.
const CONFIGS_PER_FUNCTION: usize = 10;
/// How many functions share one execution role.
const FUNCTIONS_PER_ROLE: usize = 5;

/// Whether bucket number `b` is wired (has notifications).
pub fn is_wired(b: usize) -> bool {
    b % 18 < 3
}

/// The account as read (`LiveState`) and the document an import of it makes.
pub fn account_shaped(buckets: usize) -> (Document, LiveState) {
    let live = live_account(buckets);
    let doc = crate::import::document_from_live(&live, Some(ACCOUNT));
    (doc, live)
}

/// The account as read: buckets with their notification configurations,
/// the functions they invoke with resource policies, and the roles.
pub fn live_account(buckets: usize) -> LiveState {
    let mut live = LiveState::default();
    // Per region: how many configurations were handed out, to pick functions.
    let mut handed: BTreeMap<&str, usize> = BTreeMap::new();
    // Function ARN → (statements, buckets it reads from).
    let mut functions: BTreeMap<String, (Vec<serde_json::Value>, Vec<String>)> = BTreeMap::new();
    let mut config_no = 0usize;
    for b in 0..buckets {
        let region = REGIONS[b % REGIONS.len()];
        let name = format!("acct-{b:06}-{region}");
        let mut notification = NotificationConfiguration::default();
        if is_wired(b) {
            let wired_no = (b / 18) * 3 + b % 18;
            let count = if b < 18 || wired_no % 4 == 0 {
                2 + wired_no % 3
            } else {
                1
            };
            let first_in_region = b < 18;
            for c in 0..count {
                let n = handed.entry(region).or_default();
                let fn_no = *n / CONFIGS_PER_FUNCTION;
                *n += 1;
                config_no += 1;
                let unqualified = function_arn(region, fn_no);
                let target = if fn_no % 7 == 0 {
                    format!("{unqualified}:live")
                } else {
                    unqualified.clone()
                };
                let kinds = ["uploads/", "incoming/", "exports/", "logs/"];
                let (prefix, suffix) = if first_in_region && c == 1 {
                    // Overlaps the first configuration (uploads/ and .jpg).
                    (Some("uploads/raw/".to_string()), Some(".jpg".to_string()))
                } else {
                    (
                        Some(kinds[c % kinds.len()].to_string()),
                        [".jpg", ".csv", ".json", ".gz"]
                            .get(c)
                            .map(|s| s.to_string()),
                    )
                };
                let id = format!("lambda-{c}");
                let deleted =
                    b == 18 * 5 + REGIONS.iter().position(|r| *r == region).unwrap_or(0) && c == 0;
                let arn = if deleted {
                    format!("arn:aws:lambda:{region}:{ACCOUNT}:function:deleted-{b}")
                } else {
                    target.clone()
                };
                notification.lambda.push(NotificationEntry {
                    id: id.clone(),
                    arn,
                    events: vec!["s3:ObjectCreated:*".into()],
                    prefix,
                    suffix,
                });
                if deleted {
                    continue;
                }
                let entry = functions.entry(unqualified).or_default();
                entry.1.push(name.clone());
                if config_no % 50 == 0 {
                    // Missing permission.
                    continue;
                }
                let sid = crate::model::permission::statement_id(&name, &id);
                let account = if config_no % 60 == 0 {
                    None
                } else {
                    Some(ACCOUNT)
                };
                entry.0.push(crate::model::permission::invoke_statement(
                    &target, &name, account, &sid,
                ));
            }
            if wired_no % 12 == 5 {
                let (kind, arn) = if wired_no % 24 == 5 {
                    ("queue", format!("arn:aws:sqs:{region}:{ACCOUNT}:audit"))
                } else {
                    ("topic", format!("arn:aws:sns:{region}:{ACCOUNT}:changes"))
                };
                let entry = NotificationEntry {
                    id: format!("{kind}-audit"),
                    arn,
                    events: vec!["s3:ObjectRemoved:*".into()],
                    prefix: None,
                    suffix: None,
                };
                if kind == "queue" {
                    notification.queues.push(entry);
                } else {
                    notification.topics.push(entry);
                }
            }
            notification.event_bridge = wired_no % 30 == 7;
        }
        live.buckets.push(LiveBucket {
            name,
            region: region.into(),
            notification,
            owner: None,
        });
    }
    // Roles: every FUNCTIONS_PER_ROLE functions of a region share one.
    let mut roles: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, (arn, (statements, reads))) in functions.into_iter().enumerate() {
        let role_no = i / FUNCTIONS_PER_ROLE;
        let role = format!("arn:aws:iam::{ACCOUNT}:role/workers-{role_no:04}");
        let fn_no: usize = arn
            .rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        roles.entry(role.clone()).or_default().extend(reads);
        live.functions.push(LiveFunction {
            arn,
            aliases: if fn_no % 7 == 0 {
                vec!["live".into()]
            } else {
                Vec::new()
            },
            versions: if fn_no % 7 == 0 {
                vec!["1".into()]
            } else {
                Vec::new()
            },
            role: Some(role),
            policy_statements: statements.into_iter().map(Into::into).collect(),
            ..Default::default()
        });
    }
    for (i, (arn, mut reads)) in roles.into_iter().enumerate() {
        reads.sort();
        reads.dedup();
        // Every twentieth role lost its read policy.
        let policies = if i % 20 == 19 {
            vec![logs_policy()]
        } else {
            let resources: Vec<String> = reads
                .iter()
                .map(|b| format!("arn:aws:s3:::{b}/*"))
                .collect();
            vec![
                logs_policy(),
                NamedPolicy {
                    name: "read-sources".into(),
                    document: serde_json::json!({
                        "Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": resources}]
                    })
                    .into(),
                },
            ]
        };
        live.roles.push(LiveRole { arn, policies });
    }
    live
}

/// Function number `n` of a region.
fn function_arn(region: &str, n: usize) -> String {
    format!("arn:aws:lambda:{region}:{ACCOUNT}:function:worker-{region}-{n:04}")
}

/// The basic execution policy every role has (CloudWatch Logs).
fn logs_policy() -> NamedPolicy {
    NamedPolicy {
        name: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole".into(),
        document: serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]
        })
        .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::finding::Severity;

    #[test]
    fn the_shape_is_a_real_accounts() {
        let (doc, live) = account_shaped(1800);
        let wired = live
            .buckets
            .iter()
            .filter(|b| !b.notification.lambda.is_empty())
            .count();
        assert_eq!(wired, 300, "one in six wired");
        let configs: usize = live
            .buckets
            .iter()
            .map(|b| b.notification.lambda.len())
            .sum();
        // A function serves about ten configurations.
        let per_function = configs as f64 / live.functions.len() as f64;
        assert!((8.0..=11.0).contains(&per_function), "{per_function}");
        assert!(live.roles.len() * FUNCTIONS_PER_ROLE >= live.functions.len());
        // Every region has buckets and functions.
        for region in REGIONS {
            assert!(live.functions.iter().any(|f| f.arn.contains(region)));
        }
        // Most buckets are parked; the import draws the wired ones.
        assert_eq!(doc.buckets.len(), 1800);
        assert_eq!(
            doc.layout
                .keys()
                .filter(|id| doc.buckets.iter().any(|b| &b.id == *id))
                .count(),
            300
        );
        // A few broken ones, as said.
        let wiring = crate::model::graph::Wiring::from_document(&doc).expect("a valid document");
        let findings = crate::checks::validate(&wiring);
        let rules = |severity: Severity| {
            let mut r: Vec<&str> = findings
                .iter()
                .filter(|f| f.severity == severity)
                .map(|f| f.rule)
                .collect();
            r.sort();
            r.dedup();
            r
        };
        let errors = rules(Severity::Error);
        assert!(errors.contains(&"overlapping-configurations"), "{errors:?}");
        assert!(errors.contains(&"function-not-found"), "{errors:?}");
        let warnings = rules(Severity::Warning);
        assert!(
            warnings.contains(&"missing-invoke-permission")
                || errors.contains(&"missing-invoke-permission")
        );
    }
}

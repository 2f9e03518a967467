//! Rendering core results for people (text) and machines (JSON).

use bucketwire_core::simulate::{Destination, Outcome, Simulation};
use bucketwire_core::{Finding, Severity};
use std::fmt::Write;

fn icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "⛔ error",
        Severity::Warning => "⚠ warning",
        Severity::Info => "ⓘ info",
    }
}

/// Findings as text: a summary line, then one block per finding, written
/// as they are made (an account's findings can be tens of megabytes).
pub fn write_findings_text(
    out: &mut impl std::io::Write,
    file: &str,
    findings: &[Finding],
) -> std::io::Result<()> {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    if findings.is_empty() {
        return writeln!(out, "{file}: no findings. AWS would accept this wiring.");
    }
    writeln!(
        out,
        "{file}: {} error(s), {} warning(s), {} info\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    )?;
    for f in findings {
        writeln!(out, "{}  {}  ({})", icon(f.severity), f.rule, f.source)?;
        writeln!(out, "  {}", f.message)?;
        if !f.subjects.is_empty() {
            writeln!(out, "  concerns: {}", f.subjects.join(", "))?;
        }
        if let Some(fix) = &f.fix {
            writeln!(out, "  fix: {}", fix.summary())?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Findings as `{"findings":[...],"changeSets":[...]}`, serialised straight
/// from the findings into `out` (no JSON tree and no whole text in between).
///
/// A fix that Apply makes in the account names its changes by index:
/// `"fix":{"kind":"apply","changeSet":N}` is `changeSets[N]`. A role's read
/// policy is the fix of every finding about that role, so each set is
/// written once however many findings offer it (on the seeded shape at
/// 100,000 buckets, written inline, the policies were 56% of a 281 MB
/// output). Every other fix is written inline, as the core serialises it.
pub fn write_findings_json(
    out: &mut impl std::io::Write,
    findings: &[Finding],
) -> std::io::Result<()> {
    use bucketwire_core::checks::finding::Fix;
    use bucketwire_core::desired::change::Changes;
    use std::collections::HashMap;

    #[derive(serde::Serialize)]
    #[serde(untagged)]
    enum FixOut<'a> {
        #[serde(rename_all = "camelCase")]
        Apply {
            kind: &'static str,
            change_set: usize,
        },
        Inline(&'a Fix),
    }
    #[derive(serde::Serialize)]
    struct FindingOut<'a> {
        rule: &'a str,
        severity: Severity,
        message: &'a str,
        subjects: &'a [String],
        nodes: &'a [bucketwire_core::NodeId],
        source: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        fix: Option<FixOut<'a>>,
    }
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Out<'a> {
        findings: Vec<FindingOut<'a>>,
        change_sets: Vec<&'a Changes>,
    }

    let mut change_sets: Vec<&Changes> = Vec::new();
    let mut index: HashMap<usize, usize> = HashMap::new();
    let findings = findings
        .iter()
        .map(|f| FindingOut {
            rule: f.rule,
            severity: f.severity,
            message: &f.message,
            subjects: &f.subjects,
            nodes: &f.nodes,
            source: f.source,
            fix: f.fix.as_ref().map(|fix| match fix {
                Fix::Apply { changes } => FixOut::Apply {
                    kind: "apply",
                    change_set: *index.entry(changes.identity()).or_insert_with(|| {
                        change_sets.push(changes);
                        change_sets.len() - 1
                    }),
                },
                other => FixOut::Inline(other),
            }),
        })
        .collect();
    serde_json::to_writer_pretty(
        &mut *out,
        &Out {
            findings,
            change_sets,
        },
    )
    .map_err(std::io::Error::other)?;
    writeln!(out)
}

/// A simulation as text.
pub fn simulation_text(sim: &Simulation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} on s3://{}/{}", sim.event, sim.bucket, sim.key);
    match &sim.outcome {
        Outcome::NoMatch { closest } => {
            let _ = writeln!(out, "nothing fires.");
            if let Some(miss) = closest {
                let _ = writeln!(
                    out,
                    "closest: \"{}\": {}",
                    miss.configuration_id,
                    miss.reasons.join("; ")
                );
            }
        }
        Outcome::Conflict { configuration_ids } => {
            let _ = writeln!(
                out,
                "conflict: {} all match, so S3 refuses this bucket's configuration (overlapping-configurations).",
                configuration_ids
                    .iter()
                    .map(|id| format!("\"{id}\""))
                    .collect::<Vec<_>>()
                    .join(" and ")
            );
        }
        Outcome::Fires {
            configuration_id,
            destination,
            event_json,
        } => {
            // Through a topic, each subscriber receives the SNS envelope.
            let (target, received) = match destination {
                Destination::Function { arn, .. } => (format!("function {arn}"), event_json),
                Destination::Queue { arn } => (
                    format!("queue {arn} (not managed by Bucketwire)"),
                    event_json,
                ),
                Destination::Topic { arn } => (
                    format!("topic {arn} (not managed by Bucketwire)"),
                    event_json,
                ),
                Destination::Buffered {
                    arn,
                    consumer,
                    batch,
                    ..
                } => (
                    format!(
                        "queue {arn} → {}",
                        consumer.as_deref().unwrap_or("no function polls it")
                    ),
                    batch,
                ),
                Destination::FanOut {
                    arn,
                    subscribers,
                    envelope,
                    ..
                } => (
                    format!(
                        "topic {arn} → {}",
                        if subscribers.is_empty() {
                            "no subscriber".to_string()
                        } else {
                            subscribers.join(", ")
                        }
                    ),
                    envelope,
                ),
            };
            let _ = writeln!(out, "fires: \"{configuration_id}\" → {target}");
            let _ = writeln!(out, "\nevent received:");
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(received).unwrap_or_default()
            );
        }
    }
    if sim.event_bridge && sim.rules.is_empty() {
        let _ = writeln!(out, "(the bucket also sends every event to EventBridge)");
    }
    for rule in &sim.rules {
        if rule.fires {
            let _ = writeln!(
                out,
                "\nEventBridge rule \"{}\" fires → {}",
                rule.name,
                if rule.targets.is_empty() {
                    "no target".to_string()
                } else {
                    rule.targets.join(", ")
                }
            );
            if let Some(event) = &rule.event_json {
                let _ = writeln!(out, "event received:");
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(event).unwrap_or_default()
                );
            }
        } else {
            let _ = writeln!(
                out,
                "\nEventBridge rule \"{}\" does not fire: {}",
                rule.name, rule.reason
            );
        }
    }
    out
}

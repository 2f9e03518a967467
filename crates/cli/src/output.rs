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

/// Findings as text: a summary line, then one block per finding.
pub fn findings_text(file: &str, findings: &[Finding]) -> String {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    let mut out = String::new();
    if findings.is_empty() {
        let _ = writeln!(out, "{file}: no findings. AWS would accept this wiring.");
        return out;
    }
    let _ = writeln!(
        out,
        "{file}: {} error(s), {} warning(s), {} info\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    for f in findings {
        let _ = writeln!(out, "{}  {}  ({})", icon(f.severity), f.rule, f.source);
        let _ = writeln!(out, "  {}", f.message);
        if !f.subjects.is_empty() {
            let _ = writeln!(out, "  concerns: {}", f.subjects.join(", "));
        }
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "  fix: {}", fix.summary());
        }
        out.push('\n');
    }
    out
}

/// Findings as `{"findings":[...]}`.
pub fn findings_json(findings: &[Finding]) -> String {
    // Serialised straight from the findings: no JSON tree in between.
    #[derive(serde::Serialize)]
    struct Out<'a> {
        findings: &'a [Finding],
    }
    serde_json::to_string_pretty(&Out { findings }).unwrap_or_default()
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

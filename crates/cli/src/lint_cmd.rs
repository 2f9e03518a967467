//! `bucketwire lint PATH…` and `bucketwire import --from PATH`: templates
//! found on disk, read by the core's `sources`, printed as text, JSON or
//! SARIF 2.1.0. The only I/O is here: walking directories and reading
//! files.

use crate::Failure;
use bucketwire_core::sources::cloudformation::intrinsics::Target;
use bucketwire_core::sources::{self, LintFinding, Reading, SourceError};
use bucketwire_core::Severity;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Folders a search never enters: version control, dependencies, build
/// output of other tools (SAM's `.aws-sam` copies the template it built).
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "target",
    ".aws-sam",
    ".terraform",
    "__pycache__",
    ".venv",
];

/// Extensions a template has (`tf`: a Terraform module's files, read
/// together per folder).
const EXTENSIONS: &[&str] = &["yaml", "yml", "json", "template", "tf"];

/// Every template file under `paths`: a file named is taken as it is; a
/// folder is searched for files with a template's extension whose text
/// looks like a template (so `package.json` and CI workflows are passed
/// over), in name order.
fn template_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>, Failure> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|e| Failure(format!("cannot read {}: {e}", p.display())))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)
                .map_err(|e| Failure(format!("cannot search {}: {e}", p.display())))?;
            found.sort();
            out.extend(found.into_iter().map(|f| (f, false)));
        } else {
            out.push((p.clone(), true));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_ref()) && !name.starts_with('.') {
                walk(&path, out)?;
            }
        } else if kind.is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// A template read, or why not.
enum Outcome {
    Read(Box<Reading>),
    Failed(SourceError),
}

/// Reads the templates under `paths`; a file found by a search that does
/// not look like a template is left out, a file named explicitly is read.
fn read_all(paths: &[PathBuf], target: &Target) -> Result<Vec<Outcome>, Failure> {
    let mut out = Vec::new();
    let (tf, templates): (Vec<_>, Vec<_>) = template_files(paths)?
        .into_iter()
        .partition(|(p, _)| p.extension().is_some_and(|e| e == "tf"));
    // Terraform: a folder's .tf files are one module.
    let mut modules: std::collections::BTreeMap<PathBuf, Vec<(PathBuf, bool)>> = Default::default();
    for (path, named) in tf {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        modules.entry(dir).or_default().push((path, named));
    }
    for (dir, files) in modules {
        let named = files.iter().any(|(_, n)| *n);
        let mut texts = Vec::new();
        for (path, _) in &files {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure(format!("cannot read {shown}: {e}")))?;
            texts.push((shown, text));
        }
        if !named && !texts.iter().any(|(_, t)| sources::terraform::has_wiring(t)) {
            continue;
        }
        let shown = if dir.as_os_str().is_empty() {
            ".".to_string()
        } else {
            dir.display().to_string()
        };
        out.push(match sources::read_terraform(&shown, &texts, target) {
            Ok(r) => Outcome::Read(Box::new(r)),
            Err(e) => Outcome::Failed(e),
        });
    }
    for (path, named) in templates {
        let shown = path.display().to_string();
        let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if usize::try_from(len).unwrap_or(usize::MAX) > sources::MAX_TEMPLATE_BYTES {
            if named {
                out.push(Outcome::Failed(SourceError::TooLarge {
                    file: shown,
                    bytes: usize::try_from(len).unwrap_or(usize::MAX),
                }));
            }
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|e| Failure(format!("cannot read {shown}: {e}")))?;
        let Ok(text) = String::from_utf8(bytes) else {
            if named {
                out.push(Outcome::Failed(SourceError::Syntax {
                    file: shown,
                    line: 1,
                    column: 1,
                    message: "not UTF-8 text".into(),
                }));
            }
            continue;
        };
        if !named && !sources::looks_like_template(&text) {
            continue;
        }
        out.push(match sources::read(&shown, &text, target) {
            Ok(r) => Outcome::Read(Box::new(r)),
            Err(e) => Outcome::Failed(e),
        });
    }
    Ok(out)
}

/// Output formats of `lint`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    /// For people: `FILE:LINE:COLUMN: severity rule: message`.
    Text,
    /// `{"findings":[…], "errors":[…]}`.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

/// `bucketwire lint`: exit 1 on an error-level finding or a file that
/// could not be read, else 0.
pub fn lint_cmd(
    paths: &[PathBuf],
    format: LintFormat,
    target: &Target,
) -> Result<ExitCode, Failure> {
    let outcomes = read_all(paths, target)?;
    let mut findings: Vec<LintFinding> = Vec::new();
    let mut errors: Vec<SourceError> = Vec::new();
    let mut files = 0;
    for o in outcomes {
        match o {
            Outcome::Read(r) => {
                files += 1;
                findings
                    .extend(sources::lint(&r).map_err(|e| Failure(format!("{}: {e}", r.file)))?);
            }
            Outcome::Failed(e) => errors.push(e),
        }
    }
    match format {
        LintFormat::Text => print!("{}", text(&findings, &errors, files, target)),
        LintFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&as_json(&findings, &errors)).unwrap_or_default()
        ),
        LintFormat::Sarif => println!(
            "{}",
            serde_json::to_string_pretty(&sarif(&findings, &errors)).unwrap_or_default()
        ),
    }
    let failed = !errors.is_empty()
        || findings
            .iter()
            .any(|f| f.finding.severity == Severity::Error);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn text(findings: &[LintFinding], errors: &[SourceError], files: usize, target: &Target) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for e in errors {
        let _ = writeln!(out, "{e}");
    }
    for f in findings {
        let place = f.locations.first().map_or_else(String::new, |l| {
            format!("{}:{}:{}: ", l.file, l.line, l.column)
        });
        let _ = writeln!(
            out,
            "{place}{} {}: {} ({})",
            severity(f.finding.severity),
            f.finding.rule,
            f.finding.message,
            f.finding.source
        );
        if let Some(fix) = f.fix {
            let _ = writeln!(out, "  fix: {fix}");
        }
        for l in f.locations.iter().skip(1) {
            let _ = writeln!(
                out,
                "  also {}:{}:{}{}",
                l.file,
                l.line,
                l.column,
                if l.resource.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", l.resource)
                }
            );
        }
    }
    let count = |s| findings.iter().filter(|f| f.finding.severity == s).count();
    let _ = writeln!(
        out,
        "{files} template(s): {} error(s), {} warning(s), {} info{}; AWS::Region taken as {}, AWS::AccountId as {} (--region, --account)",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
        if errors.is_empty() { String::new() } else { format!(", {} file(s) not read", errors.len()) },
        target.region,
        target.account
    );
    out
}

fn location_json(l: &sources::Location) -> Value {
    json!({"file": l.file, "line": l.line, "column": l.column, "resource": l.resource})
}

fn error_parts(e: &SourceError) -> (String, u32, u32, String) {
    match e {
        SourceError::Syntax {
            file,
            line,
            column,
            message,
        } => (file.clone(), *line, *column, message.clone()),
        SourceError::TooLarge { file, .. } => (file.clone(), 1, 1, e.to_string()),
    }
}

fn as_json(findings: &[LintFinding], errors: &[SourceError]) -> Value {
    json!({
        "findings": findings.iter().map(|f| json!({
            "rule": f.finding.rule,
            "severity": severity(f.finding.severity),
            "message": f.finding.message,
            "subjects": f.finding.subjects,
            "source": f.finding.source,
            "locations": f.locations.iter().map(location_json).collect::<Vec<_>>(),
            "fix": f.fix,
        })).collect::<Vec<_>>(),
        "errors": errors.iter().map(|e| {
            let (file, line, column, message) = error_parts(e);
            json!({"file": file, "line": line, "column": column, "message": message})
        }).collect::<Vec<_>>(),
    })
}

/// A path as a SARIF artifact URI (forward slashes, relative as given).
fn uri(file: &str) -> String {
    file.replace('\\', "/").trim_start_matches("./").to_string()
}

fn sarif(findings: &[LintFinding], errors: &[SourceError]) -> Value {
    let mut rules: Vec<&str> = findings.iter().map(|f| f.finding.rule).collect();
    rules.sort_unstable();
    rules.dedup();
    let sources_of = |rule: &str| bucketwire_core::checks::source_of(rule);
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let level = match f.finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            json!({
                "ruleId": f.finding.rule,
                "ruleIndex": rules.iter().position(|r| *r == f.finding.rule).unwrap_or(0),
                "level": level,
                "message": {"text": match f.fix {
                    Some(fix) => format!("{} Fix: {fix}.", f.finding.message),
                    None => f.finding.message.clone(),
                }},
                "locations": f.locations.iter().map(|l| {
                    let mut loc = json!({
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri(&l.file)},
                            "region": {"startLine": l.line.max(1), "startColumn": l.column.max(1)}
                        }
                    });
                    if !l.resource.is_empty() {
                        loc["logicalLocations"] = json!([{"name": l.resource, "kind": "resource"}]);
                    }
                    loc
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let notifications: Vec<Value> = errors
        .iter()
        .map(|e| {
            let (file, line, column, message) = error_parts(e);
            json!({
                "level": "error",
                "message": {"text": message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&file)}, "region": {"startLine": line.max(1), "startColumn": column.max(1)}}}]
            })
        })
        .collect();
    json!({
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "bucketwire",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| json!({
                    "id": r,
                    "shortDescription": {"text": format!("{r} ({})", sources_of(r))},
                    "help": {"text": format!("See {} in Bucketwire's rules page.", sources_of(r))}
                })).collect::<Vec<_>>(),
            }},
            "results": results,
            "invocations": [{
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
        }],
    })
}

/// `bucketwire import --from PATH -o DOC`: one template's wiring as a
/// document.
pub fn import_from(path: &Path, output: &Path, target: &Target) -> Result<ExitCode, Failure> {
    let outcomes = read_all(&[path.to_path_buf()], target)?;
    let mut readings = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Read(r) => readings.push(r),
            Outcome::Failed(e) => return Err(Failure(e.to_string())),
        }
    }
    let reading = match readings.len() {
        0 => return Err(Failure(format!("no template found in {}", path.display()))),
        1 => readings.remove(0),
        n => {
            let names: Vec<&str> = readings.iter().map(|r| r.file.as_str()).collect();
            return Err(Failure(format!(
                "{} holds {n} templates ({}); name one",
                path.display(),
                names.join(", ")
            )));
        }
    };
    let json =
        serde_json::to_string_pretty(&reading.document).map_err(|e| Failure(e.to_string()))?;
    crate::sink::write_text(Some(output), &(json + "\n")).map_err(Failure)?;
    let d = &reading.document;
    println!(
        "imported {} bucket(s), {} configuration(s), {} function(s) from {} into {}",
        d.buckets.len(),
        d.filters.len(),
        d.functions.len(),
        reading.file,
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

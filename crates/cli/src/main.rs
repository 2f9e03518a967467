//! `bucketwire`: argument parsing and printing around the core.
//!
//! Exit codes follow Terraform: 0 success, 1 error (for `validate`: at
//! least one error-level finding); clap's usage errors exit 2.

mod account_cmds;
mod lint_cmd;
mod output;
mod sink;

use bucketwire_core::{export, read_document, simulate, Wiring};
use clap::{Parser, Subcommand, ValueEnum};
use sink::Sink;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// mimalloc: planning and validating large accounts is allocation-bound, and
// glibc's allocator made them ~1.5× slower (bench/core.sh). Version 2 (the
// workspace's `v2` feature): version 3 held 256 MB where it holds 206 MB
// for `validate` at 100,000 buckets, in the same time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "bucketwire",
    version,
    about = "Wire S3 event notifications to Lambda, safely.",
    long_about = "Wire S3 event notifications to Lambda, safely.\n\nExit codes: 0 success, 1 error (validate: an error-level finding), 2 usage."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    account: account_cmds::AccountFlags,
}

#[derive(Subcommand)]
enum Command {
    /// Read buckets, their notifications, functions and roles into a
    /// document: from the account, or from a template (--from).
    Import {
        /// Read this CloudFormation, SAM or CDK template (or the folder
        /// holding it) instead of the account.
        #[arg(long, value_name = "PATH")]
        from: Option<PathBuf>,
        /// With --from: the account id AWS::AccountId stands for.
        #[arg(long, default_value = "123456789012", requires = "from")]
        account: String,
        /// Regions to import (repeatable; default: all). The first is also
        /// the region for API calls when none is configured.
        #[arg(long = "region")]
        regions: Vec<String>,
        /// Buckets to import (repeatable; default: every bucket listed).
        #[arg(long = "bucket")]
        buckets: Vec<String>,
        /// Requests in flight at once.
        #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=256))]
        concurrency: u16,
        /// The document to write.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Show what apply would change in the account, and what is blocked
    /// (exit 1). Writes nothing.
    Plan {
        /// The `*.bucketwire.json` document.
        file: PathBuf,
        /// Text for people, JSON for machines.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 2 when there are changes (0: none, 1: error or blocked).
        #[arg(long)]
        detailed_exitcode: bool,
        /// Plan only this bucket (repeatable), like `terraform -target`.
        #[arg(long = "bucket", value_name = "NAME")]
        buckets: Vec<String>,
        /// Region for API calls, when none is configured.
        #[arg(long)]
        region: Option<String>,
    },
    /// Make the account match the document, safely (drift check, rollback);
    /// blocked buckets are left as they are (exit 1).
    Apply {
        /// The `*.bucketwire.json` document.
        file: PathBuf,
        /// Apply without asking.
        #[arg(long)]
        auto_approve: bool,
        /// Apply only this bucket (repeatable), like `terraform -target`.
        #[arg(long = "bucket", value_name = "NAME")]
        buckets: Vec<String>,
        /// Region for API calls, when none is configured.
        #[arg(long)]
        region: Option<String>,
    },
    /// Check CloudFormation, SAM and CDK templates: every check of a
    /// document plus what only a template can get wrong, at file, line and
    /// column (exit 1 on an error).
    Lint {
        /// Templates, or folders to search for them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Text for people, JSON for machines, SARIF for code scanning.
        #[arg(long, value_enum, default_value_t = lint_cmd::LintFormat::Text)]
        format: lint_cmd::LintFormat,
        /// The region AWS::Region stands for.
        #[arg(long, default_value = "us-east-1")]
        region: String,
        /// The account id AWS::AccountId stands for.
        #[arg(long, default_value = "123456789012")]
        account: String,
    },
    /// Report what AWS would reject and what would go wrong at run time.
    Validate {
        /// The `*.bucketwire.json` document.
        file: PathBuf,
        /// Text for people, JSON (`{"findings":[...]}`) for machines.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show which configuration fires for one object event, and the event JSON.
    Simulate {
        /// The `*.bucketwire.json` document.
        file: PathBuf,
        /// The bucket name.
        #[arg(long)]
        bucket: String,
        /// The object key, as uploaded (not URL-encoded).
        #[arg(long)]
        key: String,
        /// A concrete S3 event.
        #[arg(long, default_value = "s3:ObjectCreated:Put")]
        event: String,
        /// Text for people, JSON for machines.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write the wiring in another tool's format.
    Export {
        /// The `*.bucketwire.json` document.
        file: PathBuf,
        /// The format.
        #[arg(long, value_enum)]
        to: ExportFormat,
        /// Output: a directory for `s3` (one BUCKET.json each) and for
        /// `cloudformation` across regions (one REGION.yaml each, a
        /// template being regional), else a file. Default: stdout (for `s3`
        /// and `cloudformation`, only when there is one file).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Export only this bucket (repeatable); default: every bucket the
        /// document manages (one with a filter wired to a function).
        #[arg(long = "bucket", value_name = "NAME")]
        buckets: Vec<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// Per bucket, the NotificationConfiguration for `aws s3api put-bucket-notification-configuration`.
    S3,
    /// A bash script of `aws` CLI calls in the safe order.
    Cli,
    /// CloudFormation / SAM YAML.
    Cloudformation,
    /// Terraform HCL.
    Terraform,
    /// The JSON Schema of the document format.
    Schema,
}

/// A failure worth one line on stderr and exit code 1.
pub(crate) struct Failure(pub(crate) String);

impl From<export::ExportError> for Failure {
    fn from(e: export::ExportError) -> Self {
        Self(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let flags = cli.account;
    let result = match cli.command {
        Command::Import {
            from: Some(path),
            account,
            regions,
            output,
            ..
        } => lint_cmd::import_from(
            &path,
            &output,
            &target(
                regions.first().map_or("us-east-1", String::as_str),
                &account,
            ),
        ),
        Command::Import {
            regions,
            buckets,
            concurrency,
            output,
            ..
        } => account_cmds::import_cmd(
            &flags,
            &regions,
            &buckets,
            usize::from(concurrency),
            &output,
        ),
        Command::Plan {
            file,
            format,
            detailed_exitcode,
            buckets,
            region,
        } => read_wiring(&file).and_then(|w| {
            account_cmds::plan_cmd(
                &flags,
                region.as_deref(),
                w,
                &buckets,
                format == Format::Json,
                detailed_exitcode,
            )
        }),
        Command::Apply {
            file,
            auto_approve,
            buckets,
            region,
        } => read_wiring(&file).and_then(|w| {
            account_cmds::apply_cmd(&flags, region.as_deref(), w, &buckets, auto_approve)
        }),
        Command::Lint {
            paths,
            format,
            region,
            account,
        } => lint_cmd::lint_cmd(&paths, format, &target(&region, &account)),
        Command::Validate { file, format } => validate(&file, format),
        Command::Simulate {
            file,
            bucket,
            key,
            event,
            format,
        } => simulate_cmd(&file, &bucket, &key, &event, format),
        Command::Export {
            file,
            to,
            output,
            buckets,
        } => export_cmd(&file, to, output.as_deref(), &buckets),
    };
    match result {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// What `AWS::Region` and `AWS::AccountId` stand for in a template.
fn target(
    region: &str,
    account: &str,
) -> bucketwire_core::sources::cloudformation::intrinsics::Target {
    bucketwire_core::sources::cloudformation::intrinsics::Target {
        region: region.into(),
        account: account.into(),
    }
}

/// The wiring of the document at `file`. The file's text is freed once
/// read, before the graph is built, so a large account is never in memory
/// as text, document and graph at once. The wiring is never freed: it
/// lives until the process exits, and the OS takes the memory back at
/// once, where freeing a large account's millions of allocations one by
/// one would cost a share of the command (bench/cli.sh).
fn read_wiring(file: &Path) -> Result<&'static Wiring, Failure> {
    let bytes =
        std::fs::read(file).map_err(|e| Failure(format!("cannot read {}: {e}", file.display())))?;
    let failed = |e: &dyn std::fmt::Display| Failure(format!("{}: {e}", file.display()));
    let doc = read_document(&bytes).map_err(|e| failed(&e))?;
    drop(bytes);
    let wiring = Wiring::from_owned_document(doc).map_err(|e| failed(&e))?;
    Ok(Box::leak(Box::new(wiring)))
}

fn validate(file: &Path, format: Format) -> Result<ExitCode, Failure> {
    let wiring = read_wiring(file)?;
    let findings = bucketwire_core::checks::validate(wiring);
    // A large account's findings are tens of megabytes: written in 1 MB
    // pieces, not the 4 KB standard output's line buffer passes on.
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let written = match format {
        Format::Text => {
            output::write_findings_text(&mut out, &file.display().to_string(), &findings)
        }
        Format::Json => output::write_findings_json(&mut out, &findings),
    };
    written
        .and_then(|()| std::io::Write::flush(&mut out))
        .map_err(|e| Failure(format!("cannot write the findings: {e}")))?;
    let failed = findings
        .iter()
        .any(|f| f.severity == bucketwire_core::Severity::Error);
    // As the wiring: the process is about to exit.
    std::mem::forget(findings);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn simulate_cmd(
    file: &Path,
    bucket: &str,
    key: &str,
    event: &str,
    format: Format,
) -> Result<ExitCode, Failure> {
    let wiring = read_wiring(file)?;
    let sim = simulate(wiring, bucket, key, event).map_err(|e| Failure(e.to_string()))?;
    match format {
        Format::Text => print!("{}", output::simulation_text(&sim)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&sim).unwrap_or_default()),
    }
    let conflict = matches!(
        sim.outcome,
        bucketwire_core::simulate::Outcome::Conflict { .. }
    );
    Ok(if conflict {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn export_cmd(
    file: &Path,
    to: ExportFormat,
    out: Option<&Path>,
    only: &[String],
) -> Result<ExitCode, Failure> {
    // Each export is written as it is made, straight into its file (or
    // standard output): an account's export is never held whole.
    match to {
        ExportFormat::Schema => write_text(out, &export::schema::document_schema())?,
        ExportFormat::Cli | ExportFormat::Terraform => {
            let write = if matches!(to, ExportFormat::Cli) {
                export::cli::write_script
            } else {
                export::terraform::write_configuration
            };
            let mut sink = out.map_or_else(Sink::stdout, Sink::file);
            write(read_wiring(file)?, only, &mut sink)?;
            sink.finish().map_err(Failure)?;
        }
        ExportFormat::Cloudformation => export_templates(read_wiring(file)?, only, out)?,
        ExportFormat::S3 => export_notification_files(read_wiring(file)?, only, out)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// One template per region: the one to standard output or to the file
/// `out`, several into the directory `out` as REGION.yaml.
fn export_templates(wiring: &Wiring, only: &[String], out: Option<&Path>) -> Result<(), Failure> {
    let sinks =
        export::cloudformation::write_templates(wiring, only, |regions| match (out, regions) {
            (None, [_]) => Ok(vec![Sink::stdout()]),
            (Some(path), [_]) if !path.is_dir() => Ok(vec![Sink::file(path)]),
            (None, _) => Err(one_file_each(
                regions.len(),
                "regions, and a template is regional",
            )),
            (Some(dir), _) => {
                create_dir(dir)?;
                Ok(regions
                    .iter()
                    .map(|region| Sink::file(&dir.join(format!("{region}.yaml"))))
                    .collect())
            }
        })?;
    for sink in sinks {
        sink.finish().map_err(Failure)?;
    }
    Ok(())
}

/// Each written bucket's configuration: the one to standard output, or
/// each into the directory `out` as BUCKET.json (made at the first file).
fn export_notification_files(
    wiring: &Wiring,
    only: &[String],
    out: Option<&Path>,
) -> Result<(), Failure> {
    let mut dir_made = false;
    let total =
        export::s3::write_notification_files(wiring, only, |bucket, text, total| match out {
            None if total == 1 => write_text(None, text),
            None => Err(one_file_each(total, "buckets to export")),
            Some(dir) => {
                if !dir_made {
                    create_dir(dir)?;
                    dir_made = true;
                }
                write_text(Some(&dir.join(format!("{bucket}.json"))), text)
            }
        })?;
    match out {
        None if total == 0 => Err(Failure(NOTHING_TO_EXPORT.into())),
        Some(dir) if total == 0 => create_dir(dir),
        _ => Ok(()),
    }
}

const NOTHING_TO_EXPORT: &str = "nothing to export: no bucket of the document has a filter wired to a function (choose buckets with --bucket)";

/// The error for several files and no directory to put them in.
fn one_file_each(n: usize, what: &str) -> Failure {
    Failure(format!(
        "there are {n} {what}; name a directory with -o to get one file each"
    ))
}

fn create_dir(dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure(format!("cannot create {}: {e}", dir.display())))
}

fn write_text(out: Option<&Path>, text: &str) -> Result<(), Failure> {
    sink::write_text(out, text).map_err(Failure)
}

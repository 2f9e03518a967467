//! `import`, `plan` and `apply`: the commands that talk to an account.

use crate::Failure;
use bucketwire_aws::{
    apply, import, plan_account, Account, ApplyOptions, Cancel, ConnectionStore, ImportOptions,
    Progress, SecretStore, StepEvent, Target,
};
use bucketwire_core::import::document_from_live;
use bucketwire_core::plan::Plan;
use bucketwire_core::Wiring;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Flags shared by the account commands.
#[derive(clap::Args, Debug, Clone)]
pub struct AccountFlags {
    /// Use this profile from the shared AWS config.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// A custom endpoint (moto, LocalStack); also read from AWS_ENDPOINT_URL.
    #[arg(long, global = true)]
    pub endpoint_url: Option<String>,
    /// A connection saved by the app (its secret comes from the OS keyring).
    #[arg(long, global = true, conflicts_with_all = ["profile", "endpoint_url"])]
    pub connection: Option<String>,
}

fn target(flags: &AccountFlags, region: Option<&str>) -> Result<Target, Failure> {
    if let Some(name) = &flags.connection {
        let store = ConnectionStore::default_location()
            .ok_or_else(|| Failure("no config directory for saved connections".into()))?;
        let connection = store.get(name).map_err(|e| Failure(e.to_string()))?;
        let mut target = connection
            .target(&SecretStore::os())
            .map_err(|e| Failure(e.to_string()))?;
        if let Some(r) = region {
            target.region = Some(r.to_string());
        }
        return Ok(target);
    }
    Ok(Target {
        region: region.map(str::to_string),
        endpoint_url: flags.endpoint_url.clone(),
        profile: flags.profile.clone(),
        access_key: None,
        path_style: false,
        max_attempts: None,
        initial_backoff: None,
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(format!("cannot start the async runtime: {e}")))
}

async fn connect(target: &Target) -> Result<Account, Failure> {
    Account::connect(target)
        .await
        .map_err(|e| Failure(e.to_string()))
}

/// Progress on stderr when it is a terminal: `buckets 12/500`.
fn progress_printer() -> impl Fn(Progress) + Send + Sync {
    let tty = std::io::stderr().is_terminal();
    move |p: Progress| {
        if tty {
            eprint!("\r\x1b[2K{} {}/{}", p.stage, p.done, p.total);
            if p.done == p.total {
                eprintln!();
            }
        }
    }
}

/// `bucketwire import [--region R]... [--bucket NAME]... -o FILE`
pub fn import_cmd(
    flags: &AccountFlags,
    regions: &[String],
    buckets: &[String],
    concurrency: usize,
    out: &Path,
) -> Result<ExitCode, Failure> {
    let rt = runtime()?;
    rt.block_on(async {
        let account = connect(&target(flags, regions.first().map(String::as_str))?).await?;
        let options = ImportOptions {
            buckets: buckets.to_vec(),
            regions: regions.to_vec(),
            concurrency,
            ..ImportOptions::default()
        };
        let cancel = Cancel::new();
        let on_ctrl_c = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                on_ctrl_c.cancel();
            }
        });
        let printer = progress_printer();
        let result = import(&account, &options, &printer, &cancel)
            .await
            .map_err(|e| Failure(e.to_string()))?;
        let doc = document_from_live(&result.live, result.account.as_deref());
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        std::fs::write(out, text)
            .map_err(|e| Failure(format!("cannot write {}: {e}", out.display())))?;
        println!(
            "imported {} bucket(s), {} function(s), {} role(s) into {}",
            result.live.buckets.len(),
            result.live.functions.len(),
            result.live.roles.len(),
            out.display()
        );
        for e in &result.errors {
            eprintln!("could not read {e}");
        }
        for (resource, note) in bucketwire_core::import::unrepresented(&result.live) {
            eprintln!("not represented: {resource}: {note} (plans leave this bucket as it is)");
        }
        Ok(if result.errors.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

/// Reads in flight at once when planning: as many as an import's default
/// (`import --concurrency`), so a plan reads an account as fast.
const PLAN_CONCURRENCY: usize = 32;

async fn plan_for(account: &Account, wiring: &Wiring, only: &[String]) -> Result<Plan, Failure> {
    plan_account(account, wiring, only, PLAN_CONCURRENCY, &Cancel::new())
        .await
        .map(|planned| planned.plan)
        .map_err(|e| Failure(e.to_string()))
}

/// `bucketwire plan FILE [--bucket NAME]... [--format text|json]
/// [--detailed-exitcode]`: exits 1 when a bucket or function is blocked,
/// else 2 with `--detailed-exitcode` and changes pending, else 0.
pub fn plan_cmd(
    flags: &AccountFlags,
    region: Option<&str>,
    wiring: &Wiring,
    only: &[String],
    json: bool,
    detailed: bool,
) -> Result<ExitCode, Failure> {
    let rt = runtime()?;
    rt.block_on(async {
        let account = connect(&target(flags, region)?).await?;
        let p = plan_for(&account, wiring, only).await?;
        if json {
            println!("{}", serde_json::to_string_pretty(&p).unwrap_or_default());
        } else {
            print!("{}", p.to_text());
        }
        Ok(if p.has_blocked() {
            ExitCode::from(1)
        } else if detailed && !p.is_empty() {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        })
    })
}

/// Where apply records go: `$BUCKETWIRE_DATA_DIR` or the OS data directory.
pub fn log_path() -> Option<PathBuf> {
    std::env::var_os("BUCKETWIRE_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("bucketwire")))
        .map(|d| d.join("apply.log"))
}

/// `bucketwire apply FILE [--bucket NAME]... [--auto-approve]`: applies
/// what can be planned; exits 1 when a bucket or function is blocked (it is
/// left as it is) or the apply fails.
pub fn apply_cmd(
    flags: &AccountFlags,
    region: Option<&str>,
    wiring: &Wiring,
    only: &[String],
    auto_approve: bool,
) -> Result<ExitCode, Failure> {
    let rt = runtime()?;
    rt.block_on(async {
        let account = connect(&target(flags, region)?).await?;
        let p = plan_for(&account, wiring, only).await?;
        print!("{}", p.to_text());
        let blocked_exit = if p.has_blocked() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
        if p.is_empty() {
            return Ok(blocked_exit);
        }
        if p.has_blocked() {
            println!(
                "\n{} blocked: applying the rest; the blocked ones are left exactly as they are.",
                p.blocked.len()
            );
        }
        if !auto_approve {
            if !std::io::stdin().is_terminal() {
                return Err(Failure(
                    "refusing to apply without confirmation: stdin is not a terminal (pass --auto-approve)".into(),
                ));
            }
            print!("\nApply these changes? Only 'yes' will be accepted: ");
            let _ = std::io::stdout().flush();
            let mut answer = String::new();
            let _ = std::io::stdin().lock().read_line(&mut answer);
            if answer.trim() != "yes" {
                println!("Apply cancelled; nothing was written.");
                return Ok(ExitCode::from(1));
            }
        }
        let options = ApplyOptions {
            log: log_path(),
            ..Default::default()
        };
        // Ctrl+C stops after the step under way and undoes what was made.
        let on_ctrl_c = options.cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                on_ctrl_c.cancel();
            }
        });
        let on_step = |e: StepEvent| match e {
            StepEvent::Started { .. } => {}
            StepEvent::Done { step } => println!("✓ {step}"),
            StepEvent::Failed { step, error } => println!("✗ {step}: {error}"),
            StepEvent::Undone { step } => println!("  ↺ undid: {step}"),
            StepEvent::UndoFailed { step, error } => println!("  ✗ could not undo {step}: {error}"),
        };
        match apply(&account, wiring, &p, &options, &on_step).await {
            Ok(report) => {
                println!("\nApplied {} change(s).", report.applied.len());
                Ok(blocked_exit)
            }
            Err(e) => Err(Failure(e.to_string())),
        }
    })
}

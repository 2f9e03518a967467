//! `bucketwire`: argument parsing and printing around the core.
//!
//! Exit codes follow Terraform: 0 success, 1 error; clap's usage errors
//! exit 2.

use bucketwire_core::read_document;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "bucketwire",
    version,
    about = "Wire S3 event notifications to Lambda, safely."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read a document and report what AWS would reject or what would go wrong.
    Validate {
        /// The `*.bucketwire.json` document.
        file: PathBuf,
        /// Text for people, JSON for machines.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { file, format } => validate(&file, format),
    }
}

fn validate(file: &PathBuf, format: Format) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return ExitCode::from(1);
        }
    };
    match read_document(&bytes) {
        Ok(_) => {
            match format {
                Format::Text => println!("{}: the document reads cleanly", file.display()),
                Format::Json => println!("{}", serde_json::json!({ "findings": [] })),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", file.display());
            ExitCode::from(1)
        }
    }
}

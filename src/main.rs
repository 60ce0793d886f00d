//! The `bitext` command: parses arguments, calls the library, maps errors to exit codes.
//!
//! Exit codes: 0 success, 1 runtime failure, 2 usage or input error. A broken pipe on
//! standard output ends the program quietly with 0.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Turn translations of the same document into a parallel corpus.
#[derive(Debug, Parser)]
#[command(name = "bitext", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Segment(cmd::segment::Args),
    EvalSeg(cmd::eval_seg::Args),
    Align(cmd::align::Args),
    Eval(cmd::eval::Args),
    Batch(cmd::batch::Args),
    Stream(cmd::stream::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Segment(args) => cmd::segment::run(args),
        Command::EvalSeg(args) => cmd::eval_seg::run(args),
        Command::Align(args) => cmd::align::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Batch(args) => cmd::batch::run(args),
        Command::Stream(args) => cmd::stream::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => report(&err),
    }
}

/// Prints `err` and picks the exit code: 0 for a broken pipe, 2 for bad input, 1 otherwise.
fn report(err: &anyhow::Error) -> ExitCode {
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::BrokenPipe
        {
            return ExitCode::SUCCESS;
        }
    }
    // `{:#}` is the message and each cause after `: `; library errors keep their cause
    // out of their own message, so each is printed once.
    eprintln!("bitext: {err:#}");
    let input = err.chain().any(|cause| {
        cause
            .downcast_ref::<bitext::Error>()
            .is_some_and(|e| e.is_input_error())
            || cause.downcast_ref::<cmd::UsageError>().is_some()
    });
    if input {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

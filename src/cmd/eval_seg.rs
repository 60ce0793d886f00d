//! `bitext eval_seg`. (Placeholder.)

use std::process::ExitCode;

/// Arguments of `bitext eval_seg`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}

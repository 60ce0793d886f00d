//! `bitext stream`. (Placeholder.)

use std::process::ExitCode;

/// Arguments of `bitext stream`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}

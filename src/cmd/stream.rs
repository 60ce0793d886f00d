//! `bitext stream`: JSON Lines of document pairs in, JSON Lines of sentence pairs out.

use std::process::ExitCode;

use bitext::batch::{self, StreamOptions};
use bitext::{Aligner, Mode};

use super::align::ModeArg;

/// Align document pairs read as JSON Lines on standard input, for Spark's `RDD.pipe`,
/// Hadoop Streaming or GNU parallel.
///
/// Input, one pair per line: {"id": .., "src": "text", "tgt": "text", "src_lang": "en",
/// "tgt_lang": "fr"} (languages optional). Output, one line per input line in input
/// order: {"id": .., "pairs": [{"src", "tgt", "confidence", "src_ids", "tgt_ids"}],
/// "error": null}. A bad line gets an "error" and processing goes on.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Worker threads (default: one per core; more than 4 per core are capped).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Leave out pairs below this confidence.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub min_confidence: f64,
    /// Texts are already split: one sentence per line.
    #[arg(long)]
    pub presegmented: bool,
    /// Alignment mode.
    #[arg(long, value_enum, default_value_t = ModeArg::Parallel)]
    pub mode: ModeArg,
    /// Replace invalid UTF-8 with U+FFFD instead of rejecting the line.
    #[arg(long)]
    pub lossy: bool,
    #[command(flatten)]
    pub lexicon: super::LexiconArgs,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    super::check_min_confidence(args.min_confidence)?;
    let threads = super::jobs(args.jobs)?;
    let mode = Mode::from(args.mode);
    let mut builder = Aligner::builder().mode(mode);
    if let Some(table) = args.lexicon.load()? {
        builder = builder.lexicon(table);
    }
    let aligner = builder.build()?;
    let options = StreamOptions {
        min_confidence: args.min_confidence,
        presegmented: args.presegmented,
        lossy: args.lossy,
        ..StreamOptions::default()
    };
    let pool = batch::thread_pool(threads)?;
    let stdin = std::io::stdin().lock();
    let mut out = super::stdout()?;
    // Bad lines are reported in the output itself; the exit code stays 0 so that a
    // cluster engine does not retry a whole partition for one bad record.
    batch::stream(stdin, &mut out, &aligner, &options, &pool)?;
    Ok(ExitCode::SUCCESS)
}

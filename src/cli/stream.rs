//! `bitext stream`: JSON Lines of document pairs in, JSON Lines of sentence pairs out.

use std::process::ExitCode;

use crate::batch::{self, StreamOptions};

use super::options::PipelineArgs;

/// Align document pairs read as JSON Lines on standard input, for Spark's `RDD.pipe`,
/// Hadoop Streaming, GNU parallel, or as a worker that a program feeds line by line.
///
/// Input, one pair per line: {"id": .., "src": "text", "tgt": "text", "src_lang": "en",
/// "tgt_lang": "fr"} (languages optional: --src-lang and --tgt-lang by default). Output,
/// one line per input line in input order, written and flushed as soon as that line and
/// every line before it are done: {"id": .., "pairs": [{"src", "tgt", "confidence",
/// "src_ids", "tgt_ids"}], "error": null}. A bad line gets an "error" and processing goes
/// on.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Worker threads (default: one per core; more than 4 per core are capped).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

/// Runs the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let pipeline = args.pipeline.resolve()?;
    if pipeline.input_format != crate::read::InputFormat::Auto {
        return Err(super::UsageError(
            "--input-format does not apply to stream: its documents are JSON strings".into(),
        )
        .into());
    }
    let threads = super::jobs(args.jobs)?;
    let aligner = pipeline.aligner.build()?;
    let options = StreamOptions {
        min_confidence: pipeline.min_confidence,
        documents: pipeline.documents,
        src_lang: pipeline.src_lang,
        tgt_lang: pipeline.tgt_lang,
        lossy: pipeline.lossy,
        ..StreamOptions::default()
    };
    let pool = batch::thread_pool(threads)?;
    // Read on a thread of its own, so not through the (thread-bound) lock.
    let stdin = std::io::BufReader::new(std::io::stdin());
    let mut out = super::stdout()?;
    // Bad lines are reported in the output itself; the exit code stays 0 so that a
    // cluster engine does not retry a whole partition for one bad record.
    batch::stream(stdin, &mut out, &aligner, &options, &pool)?;
    Ok(ExitCode::SUCCESS)
}

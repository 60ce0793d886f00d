//! The `bitext` command: parses arguments, calls the library, maps errors to exit codes.
//!
//! Exit codes: 0 success, 1 runtime failure, 2 usage or input error. A broken pipe on
//! standard output ends the program quietly with 0; a standard output that was closed
//! before the start is an error (exit 1). Messages escape the control characters of the
//! file names and manifest fields they quote.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Turn translations of the same document into a parallel corpus.
#[derive(Debug, Parser)]
#[command(name = "bitext", version, about, propagate_version = true)]
struct Cli {
    /// No progress bar, notes or summary on standard error (warnings and errors are still
    /// printed).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Segment(cmd::segment::Args),
    EvalSeg(cmd::eval_seg::Args),
    Align(cmd::align::Args),
    AlignMany(cmd::align_many::Args),
    Eval(cmd::eval::Args),
    Batch(cmd::batch::Args),
    Stream(cmd::stream::Args),
}

/// True when standard output was closed when the program started (`bitext … >&-`).
///
/// The Rust runtime reopens a closed standard stream on /dev/null before `main` runs,
/// so every write would vanish and the program report success. The check therefore
/// runs earlier, from the ELF initialiser array, on Linux; elsewhere it says `false`.
pub fn stdout_was_closed() -> bool {
    closed_stdout::CLOSED.load(std::sync::atomic::Ordering::Relaxed)
}

mod closed_stdout {
    use std::sync::atomic::AtomicBool;

    pub static CLOSED: AtomicBool = AtomicBool::new(false);

    #[cfg(target_os = "linux")]
    extern "C" fn check() {
        // SAFETY: F_GETFD only reads the descriptor's flags; it touches no memory.
        let closed = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1;
        CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
    }

    #[cfg(target_os = "linux")]
    #[used]
    #[unsafe(link_section = ".init_array")]
    static CHECK: extern "C" fn() = check;
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // A usage error quotes the arguments: escape them, as every other message does
        // (clap would pass an escape sequence through to a terminal).
        Err(err) if err.use_stderr() => {
            let text = err.render().to_string();
            for line in text.lines() {
                eprintln!("{}", cmd::escape(line));
            }
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
        Err(err) => err.exit(),
    };
    cmd::set_quiet(cli.quiet);
    let result = match cli.command {
        Command::Segment(args) => cmd::segment::run(args),
        Command::EvalSeg(args) => cmd::eval_seg::run(args),
        Command::Align(args) => cmd::align::run(args),
        Command::AlignMany(args) => cmd::align_many::run(args),
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
    say!("{err:#}");
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

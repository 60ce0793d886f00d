//! The `bitext` command. Everything but this entry point is the library's `cli` module
//! (behind the default `cli` feature), so that what only the command needs stays private
//! to the crate.

fn main() -> std::process::ExitCode {
    bitext::cli::main()
}

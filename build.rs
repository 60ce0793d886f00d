//! Generates the table of built-in segmentation profiles from `data/lang/*.txt`, so that
//! adding a language is adding one data file.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/lang");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut codes: Vec<String> = std::fs::read_dir(&dir)
        .expect("data/lang")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_str()?;
            let code = name.strip_suffix(".txt")?;
            let valid = code == "generic"
                || ((2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase()));
            valid.then(|| code.to_owned())
        })
        .collect();
    codes.sort();
    // The generic profile goes last: every other profile is merged with it.
    codes.retain(|c| c != "generic");
    let mut out = String::new();
    out.push_str("/// The language codes with their own profile (one per `data/lang/CODE.txt`).\n");
    out.push_str("pub const LANGUAGES: &[&str] = &[");
    for c in &codes {
        write!(out, "{c:?}, ").unwrap();
    }
    out.push_str("];\n\n");
    out.push_str("/// The profiles compiled into the binary, by code (`generic` last).\n");
    out.push_str("pub(crate) const BUILTIN: &[(&str, &str)] = &[\n");
    for c in codes.iter().chain(std::iter::once(&"generic".to_owned())) {
        let path = dir.join(format!("{c}.txt"));
        println!("cargo::rerun-if-changed={}", path.display());
        writeln!(
            out,
            "    ({c:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("profiles.rs");
    std::fs::write(dest, out).expect("write profiles.rs");
}

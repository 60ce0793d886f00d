//! Zip packages (Word and OpenDocument files): reading one part, bounded in size.

use std::io::{Cursor, Read};
use std::path::Path;

use crate::error::{Error, Result};

use super::ReadOptions;

/// The most bytes a part of a package may uncompress to. The XML of a long book is a few
/// tens of megabytes; a part that claims, or turns out, to be larger is refused rather
/// than inflated into memory, since a few kilobytes of zip can hold gigabytes of zeros.
pub(super) const MAX_PART_BYTES: u64 = 256 << 20;

/// An open zip package, with the name of its kind of document for errors.
pub(super) struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    path: &'a Path,
    kind: &'static str,
}

impl<'a> Archive<'a> {
    /// Opens `bytes`, read from `path`, as a package of `kind`, named with its article
    /// for errors (`"a Word document"`).
    pub fn open(bytes: &'a [u8], path: &'a Path, kind: &'static str) -> Result<Archive<'a>> {
        match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(zip) => Ok(Archive { zip, path, kind }),
            Err(err) => Err(Error::Input {
                path: path.to_path_buf(),
                message: format!("not {kind}: not a zip archive ({err})"),
            }),
        }
    }

    /// An input error about this package.
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error::Input {
            path: self.path.to_path_buf(),
            message: message.into(),
        }
    }

    /// True when the package has a part named `name`.
    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// The bytes of the part `name`, or `None` when there is no such part.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        self.read_limited(name, MAX_PART_BYTES)
    }

    /// [`Archive::read`], refusing a part of more than `limit` bytes.
    fn read_limited(&mut self, name: &str, limit: u64) -> Result<Option<Vec<u8>>> {
        let path = self.path;
        let error = |message: String| Error::Input {
            path: path.to_path_buf(),
            message,
        };
        let mut file = match self.zip.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(err) => return Err(error(format!("cannot read {name}: {err}"))),
        };
        let too_big = || {
            error(format!(
                "{name} uncompresses to more than {}: refused (a damaged file or a zip bomb)",
                size(limit)
            ))
        };
        if file.size() > limit {
            return Err(too_big());
        }
        // The size in the header is the writer's word: the limit holds whatever it said.
        let mut out = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
        (&mut file)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|err| error(format!("{name} is corrupt: {err}")))?;
        if out.len() as u64 > limit {
            return Err(too_big());
        }
        Ok(Some(out))
    }

    /// The part `name` decoded as text (UTF-8, or UTF-16 with a byte-order mark), or an
    /// error saying that this kind of document must have it.
    pub fn read_required_text(&mut self, name: &str, options: ReadOptions) -> Result<String> {
        match self.read(name)? {
            Some(bytes) => super::decode(bytes, &self.path.join(name), options),
            None => Err(self.error(format!("not {}: it has no {name}", self.kind))),
        }
    }
}

/// `bytes` for a person: in MiB when it is a whole number of them.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn parts_are_read_or_missing() {
        let bytes = zip_of(&[("a.xml", b"<a/>")]);
        let mut archive = Archive::open(&bytes, Path::new("x.docx"), "a Word document").unwrap();
        assert!(archive.has("a.xml"));
        assert_eq!(
            archive.read("a.xml").unwrap().as_deref(),
            Some(&b"<a/>"[..])
        );
        assert_eq!(archive.read("b.xml").unwrap(), None);
        let err = archive
            .read_required_text("b.xml", ReadOptions::default())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.docx: not a Word document: it has no b.xml"
        );
        assert!(err.is_input_error());
    }

    #[test]
    fn not_a_zip_is_an_input_error() {
        let err = Archive::open(b"hello", Path::new("x.odt"), "an OpenDocument text")
            .err()
            .unwrap();
        assert!(
            err.to_string()
                .starts_with("x.odt: not an OpenDocument text: not a zip archive"),
            "{err}"
        );
        assert!(err.is_input_error());
    }

    #[test]
    fn a_part_over_the_limit_is_refused() {
        let big = vec![b' '; 10_000];
        let bytes = zip_of(&[("big.xml", &big)]);
        let mut archive = Archive::open(&bytes, Path::new("x.docx"), "a Word document").unwrap();
        let err = archive.read_limited("big.xml", 9_999).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.docx: big.xml uncompresses to more than 9999 bytes: refused (a damaged file or a zip bomb)"
        );
        assert!(err.is_input_error());
        assert_eq!(
            archive
                .read_limited("big.xml", 10_000)
                .unwrap()
                .unwrap()
                .len(),
            10_000
        );
    }
}

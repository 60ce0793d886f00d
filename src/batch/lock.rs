//! The lock that keeps a second batch out of an output folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The lock that keeps a second batch out of an output folder while one runs.
///
/// It is an advisory lock (`flock`) on `.bitext.lock` in the folder, which the kernel
/// releases when the process ends in any way, `kill -9` included, so a crashed run never
/// leaves the folder locked; the file is removed when the lock is dropped. Elsewhere than
/// on Unix there is no lock.
#[derive(Debug)]
pub struct OutDirLock {
    #[cfg_attr(not(unix), allow(dead_code))]
    file: Option<std::fs::File>,
    path: PathBuf,
}

/// The lock file's name in the output folder.
pub const LOCK_FILE: &str = ".bitext.lock";

impl OutDirLock {
    /// Locks `dir` (which must exist), or fails with an input error when another
    /// process holds it.
    pub fn acquire(dir: &Path) -> Result<OutDirLock> {
        let path = dir.join(LOCK_FILE);
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        #[cfg(unix)]
        {
            use std::io::{Read, Seek};
            use std::os::unix::fs::MetadataExt;
            use std::os::unix::io::AsRawFd;
            // A holder removes the file before it unlocks it, so a file locked here may
            // be one already removed: then open the new one and try again.
            for _ in 0..100 {
                let mut file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(&path)
                    .map_err(io)?;
                // SAFETY: flock on a descriptor this function owns; no memory is shared.
                let locked =
                    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
                if !locked {
                    let err = std::io::Error::last_os_error();
                    if err.kind() != std::io::ErrorKind::WouldBlock {
                        return Err(io(err));
                    }
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    let who = if holder.is_empty() || !holder.bytes().all(|b| b.is_ascii_digit()) {
                        "another bitext batch".to_owned()
                    } else {
                        format!("another bitext batch (process {holder})")
                    };
                    return Err(Error::Input {
                        path: dir.to_path_buf(),
                        message: format!(
                            "{who} is writing into this folder (it holds {LOCK_FILE}); wait \
                             for it to finish or choose another --out-dir"
                        ),
                    });
                }
                let held = file.metadata().map_err(io)?;
                let current = std::fs::metadata(&path);
                if current.is_ok_and(|m| m.dev() == held.dev() && m.ino() == held.ino()) {
                    // Best effort: the process id only makes the refusal message clearer.
                    let _ = file.set_len(0);
                    let _ = file.rewind();
                    let _ = write!(file, "{}", std::process::id());
                    let _ = file.flush();
                    return Ok(OutDirLock {
                        file: Some(file),
                        path,
                    });
                }
            }
            Err(io(std::io::Error::other("the lock file keeps changing")))
        }
        #[cfg(not(unix))]
        {
            let _ = io;
            Ok(OutDirLock { file: None, path })
        }
    }
}

impl Drop for OutDirLock {
    fn drop(&mut self) {
        // Remove, then unlock (by closing): a process waiting on the removed file sees it
        // is gone and opens a new one.
        if self.file.is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
        self.file = None;
    }
}

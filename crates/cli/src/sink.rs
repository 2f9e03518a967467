//! Where an export's text goes as it is made: standard output, or a file
//! that is written only where it differs from what it already holds.
//!
//! A re-export of an unchanged account must not rewrite its files (a
//! rewritten file changes its time for every tool that watches it, and on
//! ext4 a truncated-then-rewritten file is forced out to disk at close), yet
//! the text is never held whole in memory. So a [`Sink`] on an existing
//! regular file compares the text with the file a buffer at a time; at the
//! first difference it writes from there on, and at the end it cuts the
//! file to the text's length. A file that already holds exactly the text is
//! left untouched.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// How much text is gathered before it is compared or written.
const BUFFER: usize = 64 * 1024;

/// A text sink for an export ([`fmt::Write`]). Write errors are kept (every
/// later write fails at once) and reported by [`Sink::finish`].
pub struct Sink {
    buffer: Vec<u8>,
    target: Target,
    error: Option<io::Error>,
}

enum Target {
    Stdout(io::Stdout),
    /// A file not opened yet: it is opened (or created) at the first
    /// write, so an export that fails before writing leaves no file.
    Pending(PathBuf),
    /// A regular file, compared until the first difference.
    Compared {
        file: File,
        path: PathBuf,
        /// Bytes of the text already settled in the file (equal or written).
        done: u64,
        /// The file's length when opened.
        old_len: u64,
        /// Whether the text differed from the file (from `done` on, the
        /// text is written).
        differs: bool,
        scratch: Vec<u8>,
    },
    /// Anything else the path names (a device, a pipe): written through.
    Through {
        file: File,
        path: PathBuf,
    },
}

impl Target {
    /// Opens a pending file: compared when it is a regular file (or new),
    /// written through otherwise.
    fn open(path: PathBuf) -> io::Result<Self> {
        let old = std::fs::metadata(&path).ok();
        if old.as_ref().is_some_and(|m| !m.is_file()) {
            let file = OpenOptions::new().write(true).open(&path)?;
            return Ok(Self::Through { file, path });
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)?;
        let old_len = old.map_or(0, |m| m.len());
        Ok(Self::Compared {
            file,
            path,
            done: 0,
            old_len,
            differs: old_len == 0,
            scratch: Vec::new(),
        })
    }

    /// Opens a pending file (the first write, or the end of an empty text).
    fn open_if_pending(&mut self) -> io::Result<()> {
        if let Self::Pending(path) = self {
            *self = Self::open(path.clone())?;
        }
        Ok(())
    }

    fn path(&self) -> Option<&Path> {
        match self {
            Self::Stdout(_) => None,
            Self::Pending(path) | Self::Compared { path, .. } | Self::Through { path, .. } => {
                Some(path)
            }
        }
    }
}

impl Sink {
    /// A sink on standard output.
    pub fn stdout() -> Self {
        Self::on(Target::Stdout(io::stdout()))
    }

    /// A sink on the file at `path`, created if missing (at the first
    /// write: nothing is opened before).
    pub fn file(path: &Path) -> Self {
        Self::on(Target::Pending(path.to_path_buf()))
    }

    fn on(target: Target) -> Self {
        Self {
            buffer: Vec::with_capacity(BUFFER),
            target,
            error: None,
        }
    }

    /// Writes what is left and settles the file's length.
    ///
    /// # Errors
    /// The first write error, naming the file.
    pub fn finish(mut self) -> Result<(), String> {
        self.flush_buffer();
        if self.error.is_none() {
            if let Err(e) = settle_length(&mut self.target) {
                self.error = Some(e);
            }
        }
        match self.error {
            None => Ok(()),
            Some(e) => Err(match self.target.path() {
                None => format!("cannot write to standard output: {e}"),
                Some(path) => format!("cannot write {}: {e}", path.display()),
            }),
        }
    }

    fn flush_buffer(&mut self) {
        if self.buffer.is_empty() || self.error.is_some() {
            return;
        }
        if let Err(e) = settle(&mut self.target, &self.buffer) {
            self.error = Some(e);
        }
        self.buffer.clear();
    }
}

/// Puts `chunk` (the text's next bytes) into the target.
fn settle(target: &mut Target, chunk: &[u8]) -> io::Result<()> {
    target.open_if_pending()?;
    match target {
        Target::Pending(_) => Ok(()),
        Target::Stdout(out) => out.write_all(chunk),
        Target::Through { file, .. } => file.write_all(chunk),
        Target::Compared {
            file,
            done,
            differs,
            scratch,
            ..
        } => {
            if !*differs {
                scratch.resize(chunk.len(), 0);
                let read = read_up_to(file, scratch)?;
                if read == chunk.len() && scratch[..] == *chunk {
                    *done += chunk.len() as u64;
                    return Ok(());
                }
                *differs = true;
                file.seek(SeekFrom::Start(*done))?;
            }
            file.write_all(chunk)?;
            *done += chunk.len() as u64;
            Ok(())
        }
    }
}

/// Once all text is settled: flushes, and cuts a compared file to the
/// text's length (an empty text still makes its file).
fn settle_length(target: &mut Target) -> io::Result<()> {
    target.open_if_pending()?;
    match target {
        Target::Pending(_) => Ok(()),
        Target::Stdout(out) => out.flush(),
        Target::Through { file, .. } => file.flush(),
        Target::Compared {
            file,
            done,
            old_len,
            ..
        } => {
            // Text that reached the old end overwrote all of it.
            if *done < *old_len {
                file.set_len(*done)
            } else {
                Ok(())
            }
        }
    }
}

/// Reads into `buf` until it is full or the file ends; answers how much.
fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

impl fmt::Write for Sink {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        if self.error.is_some() {
            return Err(fmt::Error);
        }
        self.buffer.extend_from_slice(text.as_bytes());
        if self.buffer.len() >= BUFFER {
            self.flush_buffer();
        }
        if self.error.is_some() {
            Err(fmt::Error)
        } else {
            Ok(())
        }
    }
}

/// Writes `text` whole to `out` (a file, as [`Sink::file`]) or to standard
/// output.
///
/// # Errors
/// As [`Sink::finish`].
pub fn write_text(out: Option<&Path>, text: &str) -> Result<(), String> {
    let mut sink = match out {
        Some(path) => Sink::file(path),
        None => Sink::stdout(),
    };
    let _ = fmt::Write::write_str(&mut sink, text);
    sink.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn written(path: &Path, text: &str) -> String {
        write_text(Some(path), text).expect("written");
        std::fs::read_to_string(path).expect("read")
    }

    fn long(seed: char) -> String {
        (0..50_000).map(|i| format!("{seed}{i}\n")).collect()
    }

    #[test]
    fn a_new_file_gets_the_text() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.txt");
        assert_eq!(written(&path, &long('a')), long('a'));
    }

    #[test]
    fn a_file_holding_the_text_is_not_touched() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.txt");
        written(&path, &long('a'));
        let before = std::fs::metadata(&path).expect("meta");
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(written(&path, &long('a')), long('a'));
        let after = std::fs::metadata(&path).expect("meta");
        assert_eq!(
            (before.mtime(), before.mtime_nsec()),
            (after.mtime(), after.mtime_nsec()),
            "an unchanged export must not rewrite the file"
        );
    }

    #[test]
    fn a_longer_shorter_or_different_text_replaces_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.txt");
        let text = long('a');
        written(&path, &text);
        // Shorter: a prefix of what the file holds.
        assert_eq!(written(&path, &text[..1000]), &text[..1000]);
        // Longer than the file, beginning alike.
        assert_eq!(written(&path, &text), text);
        // Differing past the first buffer.
        let mut changed = text.clone();
        changed.replace_range(100_000..100_001, "Z");
        assert_eq!(written(&path, &changed), changed);
        // Wholly different and shorter.
        assert_eq!(written(&path, "x\n"), "x\n");
        // Empty.
        assert_eq!(written(&path, ""), "");
    }

    #[test]
    fn a_file_that_cannot_be_written_is_named() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("missing").join("out.txt");
        let err = write_text(Some(&path), "x").expect_err("no directory");
        assert!(err.contains("out.txt"), "{err}");
    }

    #[test]
    fn a_full_device_is_reported() {
        let path = Path::new("/dev/full");
        let err = write_text(Some(path), &long('a')).expect_err("full");
        assert!(err.contains("/dev/full"), "{err}");
    }
}

//! What the app keeps on disk besides documents: the recent-files list (in
//! the config directory) and the recovery copy of unsaved work (in the data
//! directory). Every write goes to a temporary file that is then renamed,
//! so a crash mid-write never leaves a torn file.

use std::path::{Path, PathBuf};

/// How many recent files are remembered.
pub const RECENT_LIMIT: usize = 10;

/// Writes `bytes` to `path` through a temporary sibling and a rename.
///
/// # Errors
/// The I/O error; `path` is then as before.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

/// The most recently opened or saved documents, newest first.
#[derive(Debug, Default)]
pub struct RecentFiles {
    store: Option<PathBuf>,
    list: Vec<String>,
}

impl RecentFiles {
    /// Loads the list kept in `store` (a JSON array); a missing or
    /// unreadable file is an empty list.
    pub fn load(store: Option<PathBuf>) -> Self {
        let list = store
            .as_deref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice::<Vec<String>>(&b).ok())
            .unwrap_or_default();
        Self { store, list }
    }

    /// The list, newest first.
    pub fn list(&self) -> &[String] {
        &self.list
    }

    /// Moves `path` to the front and saves the list. Failing to save it
    /// is not worth interrupting the user for: the list is a convenience.
    pub fn touch(&mut self, path: &Path) {
        let path = path.display().to_string();
        self.list.retain(|p| *p != path);
        self.list.insert(0, path);
        self.list.truncate(RECENT_LIMIT);
        if let Some(store) = &self.store {
            let json = serde_json::to_vec_pretty(&self.list).unwrap_or_default();
            let _ = store
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| write_atomically(store, &json));
        }
    }
}

/// The recovery copy: the unsaved document, and the file it belongs to.
///
/// The copy is written on a thread of its own, so an edit never waits for
/// the document (live facts included: megabytes at thousands of buckets)
/// to be serialised and written; when edits come faster than writes, only
/// the newest copy is written. [`Recovery::clear`] waits for the writes
/// queued before it, so a copy never comes back after it was cleared, and
/// dropping the `Recovery` finishes what is queued.
#[derive(Debug)]
pub struct Recovery {
    dir: PathBuf,
    writer: Option<Writer>,
}

/// A serialiser of the document to keep, run on the writer's thread.
type MakeDocument = Box<dyn FnOnce() -> Vec<u8> + Send>;

enum Job {
    Keep {
        document: MakeDocument,
        origin: String,
    },
    /// Answered once the copy is gone.
    Clear(std::sync::mpsc::Sender<()>),
}

struct Writer {
    jobs: Option<std::sync::mpsc::Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writer")
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Recovery {
    /// Recovery files live in `dir` (the app's data directory).
    pub fn new(dir: PathBuf) -> Self {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let files = Files { dir: dir.clone() };
        let thread = std::thread::Builder::new()
            .name("recovery-copy".into())
            .spawn(move || files.serve(&queue))
            .ok();
        let writer = thread.map(|thread| Writer {
            jobs: Some(jobs),
            thread: Some(thread),
        });
        Self { dir, writer }
    }

    /// Keeps the document `make` serialises (on the writer's thread) and
    /// where it belongs. Best effort: a failed write is retried with the
    /// next edit's copy.
    pub fn keep(&self, make: impl FnOnce() -> Vec<u8> + Send + 'static, origin: Option<&Path>) {
        let origin = origin.map(|p| p.display().to_string()).unwrap_or_default();
        let job = Job::Keep {
            document: Box::new(make),
            origin,
        };
        let Some(jobs) = self.writer.as_ref().and_then(|w| w.jobs.as_ref()) else {
            Files {
                dir: self.dir.clone(),
            }
            .run(job);
            return;
        };
        if let Err(std::sync::mpsc::SendError(job)) = jobs.send(job) {
            Files {
                dir: self.dir.clone(),
            }
            .run(job);
        }
    }

    /// Removes the copy (the work was saved, or the user discarded it),
    /// after the writes queued before it.
    pub fn clear(&self) {
        let (done, answered) = std::sync::mpsc::channel();
        let sent = self
            .writer
            .as_ref()
            .and_then(|w| w.jobs.as_ref())
            .is_some_and(|jobs| jobs.send(Job::Clear(done.clone())).is_ok());
        if !sent || answered.recv().is_err() {
            Files {
                dir: self.dir.clone(),
            }
            .run(Job::Clear(done));
        }
    }

    /// The kept copy and the file it belongs to (`None`: never saved).
    pub fn read(&self) -> Option<(Vec<u8>, Option<PathBuf>)> {
        let files = Files {
            dir: self.dir.clone(),
        };
        let document = std::fs::read(files.document()).ok()?;
        let origin = std::fs::read_to_string(files.origin())
            .ok()
            .filter(|o| !o.is_empty())
            .map(PathBuf::from);
        Some((document, origin))
    }
}

/// The recovery files, as the writer's thread writes them.
struct Files {
    dir: PathBuf,
}

impl Files {
    fn document(&self) -> PathBuf {
        self.dir.join("recovery.bucketwire.json")
    }

    fn origin(&self) -> PathBuf {
        self.dir.join("recovery-origin.txt")
    }

    /// Runs jobs until the queue closes. Of the jobs waiting, only the
    /// newest copy after the last clear is written.
    fn serve(&self, queue: &std::sync::mpsc::Receiver<Job>) {
        while let Ok(first) = queue.recv() {
            let mut waiting = vec![first];
            waiting.extend(queue.try_iter());
            let last_clear = waiting.iter().rposition(|j| matches!(j, Job::Clear(_)));
            let newest_keep = waiting.iter().rposition(|j| matches!(j, Job::Keep { .. }));
            for (i, job) in waiting.into_iter().enumerate() {
                let needed = match job {
                    Job::Clear(_) => Some(i) == last_clear,
                    Job::Keep { .. } => Some(i) == newest_keep && last_clear.is_none_or(|c| i > c),
                };
                if needed {
                    self.run(job);
                } else if let Job::Clear(done) = job {
                    let _ = done.send(());
                }
            }
        }
    }

    fn run(&self, job: Job) {
        match job {
            Job::Keep { document, origin } => {
                let _ = std::fs::create_dir_all(&self.dir)
                    .and_then(|()| write_atomically(&self.origin(), origin.as_bytes()))
                    .and_then(|()| write_atomically(&self.document(), &document()));
            }
            Job::Clear(done) => {
                let _ = std::fs::remove_file(self.document());
                let _ = std::fs::remove_file(self.origin());
                let _ = done.send(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_newest_first_unique_bounded_and_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = dir.path().join("recent.json");
        let mut recent = RecentFiles::load(Some(store.clone()));
        for i in 0..12 {
            recent.touch(Path::new(&format!("/docs/{i}.bucketwire.json")));
        }
        recent.touch(Path::new("/docs/5.bucketwire.json"));
        let list = RecentFiles::load(Some(store)).list().to_vec();
        assert_eq!(list.len(), RECENT_LIMIT);
        assert_eq!(list[0], "/docs/5.bucketwire.json");
        assert_eq!(list[1], "/docs/11.bucketwire.json");
        assert_eq!(
            list.iter()
                .filter(|p| p.ends_with("/5.bucketwire.json"))
                .count(),
            1
        );
    }

    /// Finishes what `recovery` queued (dropping it), and answers a new one
    /// over the same directory.
    fn flushed(recovery: Recovery, dir: &Path) -> Recovery {
        drop(recovery);
        Recovery::new(dir.join("data"))
    }

    #[test]
    fn only_the_newest_copy_is_kept_and_a_clear_is_never_undone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let recovery = Recovery::new(dir.path().join("data"));
        for n in 0..50 {
            recovery.keep(move || format!("{{\"n\":{n}}}").into_bytes(), None);
        }
        recovery.clear();
        assert!(recovery.read().is_none(), "cleared after every queued copy");
        recovery.keep(|| b"last".to_vec(), None);
        let recovery = flushed(recovery, dir.path());
        assert_eq!(recovery.read().expect("kept").0, b"last");
    }

    #[test]
    fn a_recovery_copy_round_trips_and_clears() {
        let dir = tempfile::tempdir().expect("tempdir");
        let recovery = Recovery::new(dir.path().join("data"));
        assert!(recovery.read().is_none());
        recovery.keep(
            || b"{}".to_vec(),
            Some(Path::new("/docs/a.bucketwire.json")),
        );
        // Written on its own thread: read once the queue is done (clear
        // waits for it; here a second Recovery is not needed).
        let recovery = flushed(recovery, dir.path());
        let (doc, origin) = recovery.read().expect("kept");
        assert_eq!(doc, b"{}");
        assert_eq!(
            origin.as_deref(),
            Some(Path::new("/docs/a.bucketwire.json"))
        );
        recovery.keep(|| b"{ }".to_vec(), None);
        let recovery = flushed(recovery, dir.path());
        assert_eq!(recovery.read().expect("kept").1, None);
        recovery.clear();
        assert!(recovery.read().is_none());
        // No temporary file is left behind.
        let left: Vec<_> = std::fs::read_dir(dir.path().join("data"))
            .expect("dir")
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}

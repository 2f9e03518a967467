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
#[derive(Debug, Clone)]
pub struct Recovery {
    dir: PathBuf,
}

impl Recovery {
    /// Recovery files live in `dir` (the app's data directory).
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    fn document(&self) -> PathBuf {
        self.dir.join("recovery.bucketwire.json")
    }

    fn origin(&self) -> PathBuf {
        self.dir.join("recovery-origin.txt")
    }

    /// Keeps `document` (the serialised unsaved work) and where it belongs.
    ///
    /// # Errors
    /// The I/O error (the caller keeps working; the next edit tries again).
    pub fn keep(&self, document: &[u8], origin: Option<&Path>) -> std::io::Result<()> {
        let origin = origin.map(|p| p.display().to_string()).unwrap_or_default();
        std::fs::create_dir_all(&self.dir)?;
        write_atomically(&self.origin(), origin.as_bytes())?;
        write_atomically(&self.document(), document)
    }

    /// Removes the copy (the work was saved, or the user discarded it).
    pub fn clear(&self) {
        let _ = std::fs::remove_file(self.document());
        let _ = std::fs::remove_file(self.origin());
    }

    /// The kept copy and the file it belongs to (`None`: never saved).
    pub fn read(&self) -> Option<(Vec<u8>, Option<PathBuf>)> {
        let document = std::fs::read(self.document()).ok()?;
        let origin = std::fs::read_to_string(self.origin())
            .ok()
            .filter(|o| !o.is_empty())
            .map(PathBuf::from);
        Some((document, origin))
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

    #[test]
    fn a_recovery_copy_round_trips_and_clears() {
        let dir = tempfile::tempdir().expect("tempdir");
        let recovery = Recovery::new(dir.path().join("data"));
        assert!(recovery.read().is_none());
        recovery
            .keep(b"{}", Some(Path::new("/docs/a.bucketwire.json")))
            .expect("keep");
        let (doc, origin) = recovery.read().expect("kept");
        assert_eq!(doc, b"{}");
        assert_eq!(
            origin.as_deref(),
            Some(Path::new("/docs/a.bucketwire.json"))
        );
        recovery.keep(b"{ }", None).expect("keep");
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

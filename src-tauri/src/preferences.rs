//! The window's remembered choices (panel sizes, collapsed panels, the
//! theme, the current connection): a small map of names to text, kept as
//! JSON in the config directory so it survives a restart and stays away
//! from the documents. The UI owns what the values mean; this module only
//! keeps them, and refuses what would not be a preference.

use crate::error::{CommandError, ErrorCode};
use crate::files::write_atomically;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The longest name a preference may have.
pub const NAME_LIMIT: usize = 100;
/// The most text one preference may hold (a panel layout is tens of bytes).
pub const VALUE_LIMIT: usize = 4096;
/// How many preferences are kept at most.
pub const COUNT_LIMIT: usize = 200;

/// The preferences, and the file they are kept in (none: only for this run).
#[derive(Debug, Default)]
pub struct Preferences {
    store: Option<PathBuf>,
    values: BTreeMap<String, String>,
}

impl Preferences {
    /// Loads what `store` holds (a JSON object of strings); a missing or
    /// unreadable file is no preferences, never an error: they are a
    /// convenience.
    pub fn load(store: Option<PathBuf>) -> Self {
        let values = store
            .as_deref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice::<BTreeMap<String, String>>(&b).ok())
            .unwrap_or_default();
        Self { store, values }
    }

    /// Every preference, by name.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.values
    }

    /// Sets `name` to `value` (`None` forgets it) and saves the file.
    ///
    /// # Errors
    /// `invalidInput` for an empty or over-long name, an over-long value or
    /// one preference too many (nothing changes); `fileUnwritable` when the
    /// file cannot be written (the value is kept for this run).
    pub fn set(&mut self, name: &str, value: Option<String>) -> Result<(), CommandError> {
        let invalid = |message: String| CommandError::new(ErrorCode::InvalidInput, message);
        if name.trim().is_empty() || name.len() > NAME_LIMIT {
            return Err(invalid(format!(
                "a preference's name must be 1 to {NAME_LIMIT} characters, not \"{name}\""
            )));
        }
        match value {
            Some(v) if v.len() > VALUE_LIMIT => {
                return Err(invalid(format!(
                    "preference \"{name}\" is {} bytes; at most {VALUE_LIMIT} are kept",
                    v.len()
                )))
            }
            Some(_) if !self.values.contains_key(name) && self.values.len() >= COUNT_LIMIT => {
                return Err(invalid(format!(
                    "at most {COUNT_LIMIT} preferences are kept; \"{name}\" is one too many"
                )))
            }
            Some(v) => {
                if self.values.get(name) == Some(&v) {
                    return Ok(());
                }
                self.values.insert(name.to_owned(), v);
            }
            None => {
                if self.values.remove(name).is_none() {
                    return Ok(());
                }
            }
        }
        self.save()
    }

    fn save(&self) -> Result<(), CommandError> {
        let Some(store) = &self.store else {
            return Ok(());
        };
        let json = serde_json::to_vec_pretty(&self.values).unwrap_or_default();
        store
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| write_atomically(store, &json))
            .map_err(|e| {
                CommandError::new(
                    ErrorCode::FileUnwritable,
                    format!("cannot remember preferences in {}: {e}", store.display()),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferences_survive_a_reload_and_forgetting_removes_them() {
        let dir = tempfile::tempdir().expect("works");
        let file = dir.path().join("config").join("preferences.json");
        let mut p = Preferences::load(Some(file.clone()));
        assert!(p.all().is_empty());
        p.set("panel.inspector", Some("320".into())).expect("works");
        p.set("theme", Some("dark".into())).expect("works");
        let again = Preferences::load(Some(file.clone()));
        assert_eq!(
            again.all().get("panel.inspector").map(String::as_str),
            Some("320")
        );
        assert_eq!(again.all().get("theme").map(String::as_str), Some("dark"));
        p.set("theme", None).expect("works");
        assert!(!Preferences::load(Some(file)).all().contains_key("theme"));
    }

    #[test]
    fn what_is_not_a_preference_is_refused_by_name_and_changes_nothing() {
        let mut p = Preferences::default();
        let empty = p.set(" ", Some("x".into())).expect_err("refused");
        assert_eq!(empty.code, ErrorCode::InvalidInput);
        let long = p
            .set("layout", Some("x".repeat(VALUE_LIMIT + 1)))
            .expect_err("refused");
        assert!(long.message.contains("\"layout\""), "{}", long.message);
        for i in 0..COUNT_LIMIT {
            p.set(&format!("k{i}"), Some("v".into())).expect("works");
        }
        let many = p.set("one-more", Some("v".into())).expect_err("refused");
        assert!(many.message.contains("one-more"), "{}", many.message);
        // Changing one already kept is still allowed.
        p.set("k0", Some("w".into())).expect("works");
        assert_eq!(p.all().len(), COUNT_LIMIT);
        assert!(!p.all().contains_key("layout"));
    }

    #[test]
    fn a_torn_or_foreign_file_is_no_preferences() {
        let dir = tempfile::tempdir().expect("works");
        let file = dir.path().join("preferences.json");
        std::fs::write(&file, b"{\"theme\": 3").expect("works");
        assert!(Preferences::load(Some(file)).all().is_empty());
    }

    #[test]
    fn an_unwritable_store_says_where_and_keeps_the_value_for_this_run() {
        let dir = tempfile::tempdir().expect("works");
        // A directory where the file should be: the write fails.
        let file = dir.path().join("preferences.json");
        std::fs::create_dir(&file).expect("works");
        let mut p = Preferences::load(Some(file));
        let e = p.set("theme", Some("dark".into())).expect_err("refused");
        assert_eq!(e.code, ErrorCode::FileUnwritable);
        assert!(e.message.contains("preferences.json"), "{}", e.message);
        assert_eq!(p.all().get("theme").map(String::as_str), Some("dark"));
    }
}

//! Secrets in the OS keyring (macOS Keychain, Windows Credential Manager,
//! the Secret Service on Linux), one entry per connection. Nothing else in
//! Bucketwire ever holds a secret at rest. Tests use the in-memory store.

use crate::account::Secret;
use keyring::credential::CredentialApi;
use keyring::Entry;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The keyring service name Bucketwire's entries are filed under.
pub const SERVICE: &str = "dev.bucketwire.app";

/// Why the keyring could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The OS keyring is missing, locked or refused access.
    #[error("the system keychain is not available: {0}")]
    Unavailable(String),
    /// Anything else the keyring reported.
    #[error("the system keychain failed: {0}")]
    Failed(String),
}

/// Where secrets are kept.
#[derive(Clone)]
pub struct SecretStore {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Os,
    Memory(Arc<Mutex<HashMap<String, Vec<u8>>>>),
}

impl SecretStore {
    /// The OS keyring.
    pub fn os() -> Self {
        Self {
            backend: Backend::Os,
        }
    }

    /// A store that lives only in this process (tests).
    pub fn in_memory() -> Self {
        Self {
            backend: Backend::Memory(Arc::default()),
        }
    }

    fn entry(&self, connection: &str) -> Result<Entry, SecretError> {
        match &self.backend {
            Backend::Os => Entry::new(SERVICE, connection).map_err(classify),
            Backend::Memory(map) => Ok(Entry::new_with_credential(Box::new(MemoryCredential {
                map: map.clone(),
                key: connection.to_string(),
            }))),
        }
    }

    /// Stores (or replaces) the secret of a connection.
    ///
    /// # Errors
    /// [`SecretError`] when the keyring refuses.
    pub fn store(&self, connection: &str, secret: &Secret) -> Result<(), SecretError> {
        self.entry(connection)?
            .set_password(secret.expose())
            .map_err(classify)
    }

    /// The secret of a connection, if one is stored.
    ///
    /// # Errors
    /// [`SecretError`] when the keyring refuses.
    pub fn load(&self, connection: &str) -> Result<Option<Secret>, SecretError> {
        match self.entry(connection)?.get_password() {
            Ok(s) => Ok(Some(Secret::new(s))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e)),
        }
    }

    /// Whether a secret is stored (never returns it).
    ///
    /// # Errors
    /// [`SecretError`] when the keyring refuses.
    pub fn has(&self, connection: &str) -> Result<bool, SecretError> {
        self.load(connection).map(|s| s.is_some())
    }

    /// Deletes the secret of a connection; deleting nothing is fine.
    ///
    /// # Errors
    /// [`SecretError`] when the keyring refuses.
    pub fn delete(&self, connection: &str) -> Result<(), SecretError> {
        match self.entry(connection)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }
}

fn classify(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::NoStorageAccess(inner) | keyring::Error::PlatformFailure(inner) => {
            SecretError::Unavailable(inner.to_string())
        }
        other => SecretError::Failed(other.to_string()),
    }
}

/// One entry of the in-memory store.
struct MemoryCredential {
    map: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    key: String,
}

impl CredentialApi for MemoryCredential {
    fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(self.key.clone(), secret.to_vec());
        Ok(())
    }

    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&self.key)
            .cloned()
            .ok_or(keyring::Error::NoEntry)
    }

    fn delete_credential(&self) -> keyring::Result<()> {
        self.map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.key)
            .map(|_| ())
            .ok_or(keyring::Error::NoEntry)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl std::fmt::Debug for MemoryCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MemoryCredential({})", self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_load_replace_delete() {
        let store = SecretStore::in_memory();
        assert!(store.load("prod").expect("load").is_none());
        store.store("prod", &Secret::new("s3cr3t")).expect("store");
        assert_eq!(
            store
                .load("prod")
                .expect("load")
                .map(|s| s.expose().to_string()),
            Some("s3cr3t".into())
        );
        store
            .store("prod", &Secret::new("rotated"))
            .expect("replace");
        assert_eq!(
            store
                .load("prod")
                .expect("load")
                .map(|s| s.expose().to_string()),
            Some("rotated".into())
        );
        assert!(store.has("prod").expect("has"));
        assert!(!store.has("other").expect("has"));
        store.delete("prod").expect("delete");
        store.delete("prod").expect("deleting nothing is fine");
        assert!(store.load("prod").expect("load").is_none());
    }

    #[test]
    fn a_secret_never_prints() {
        let s = Secret::new("AKIAxxxxSECRET");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
    }
}

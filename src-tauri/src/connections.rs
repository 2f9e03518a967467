//! The Connections screen's model: saved connections (non-secret metadata
//! in the config directory) and their secrets (OS keyring only). A secret
//! typed into the app goes straight to the keyring; nothing here ever
//! returns one: a view says only whether one is stored.

use crate::error::{CommandError, ErrorCode};
use bucketwire_aws::{Account, Connection, ConnectionKind, ConnectionStore, Secret, SecretStore};
use serde::{Deserialize, Serialize};

/// Saved connections and the keyring holding their secrets.
#[derive(Clone)]
pub struct Connections {
    store: ConnectionStore,
    secrets: SecretStore,
}

/// How a connection reaches an account, as the screen shows and sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ConnectionKindView {
    /// An access key pair.
    AccessKey {
        /// The public access key id.
        access_key_id: String,
    },
    /// A profile from the shared AWS config (SSO and assume-role included).
    Profile {
        /// The profile name.
        profile: String,
    },
    /// A compatible endpoint (moto, LocalStack).
    Endpoint {
        /// Base URL.
        url: String,
        /// Path-style S3 addressing.
        path_style: bool,
    },
}

/// A saved connection, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    /// Its name.
    pub name: String,
    /// Default region.
    pub region: String,
    /// How it reaches the account.
    pub how: ConnectionKindView,
    /// Whether a secret is stored in the keyring (access keys only).
    pub secret_stored: bool,
}

/// A connection as the screen sends it to be saved.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionInput {
    /// Its name (saving under an existing name replaces it).
    pub name: String,
    /// Default region.
    pub region: String,
    /// How it reaches the account.
    pub how: ConnectionKindView,
    /// A new secret access key, stored in the keyring and nowhere else;
    /// absent keeps the stored one.
    pub secret: Option<String>,
}

/// Who a connection's credentials belong to ("Test connection").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct IdentityView {
    /// The 12-digit account id.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
}

fn failed(code: ErrorCode) -> impl Fn(&dyn std::fmt::Display) -> CommandError {
    move |e| CommandError::new(code, e.to_string())
}

impl Connections {
    /// Connections kept in `store`, secrets in `secrets`.
    pub fn new(store: ConnectionStore, secrets: SecretStore) -> Self {
        Self { store, secrets }
    }

    /// Every saved connection, secrets replaced by whether one is stored.
    ///
    /// # Errors
    /// `connectionStore` when the file cannot be read.
    pub fn list(&self) -> Result<Vec<ConnectionView>, CommandError> {
        let saved = self
            .store
            .list()
            .map_err(|e| failed(ErrorCode::ConnectionStore)(&e))?;
        Ok(saved
            .into_iter()
            .map(|c| {
                let secret_stored = matches!(c.kind, ConnectionKind::AccessKey { .. })
                    && self.secrets.has(&c.name).unwrap_or(false);
                ConnectionView {
                    how: match c.kind {
                        ConnectionKind::AccessKey { access_key_id } => {
                            ConnectionKindView::AccessKey { access_key_id }
                        }
                        ConnectionKind::Profile { profile } => {
                            ConnectionKindView::Profile { profile }
                        }
                        ConnectionKind::Endpoint { url, path_style } => {
                            ConnectionKindView::Endpoint { url, path_style }
                        }
                    },
                    name: c.name,
                    region: c.region,
                    secret_stored,
                }
            })
            .collect())
    }

    /// Saves a connection; a given secret goes to the keyring first.
    ///
    /// # Errors
    /// `invalidInput` naming the field (empty name, bad endpoint, an
    /// access key without a secret); `keyring` when the OS keyring refuses;
    /// `connectionStore` when the file cannot be written.
    pub fn save(&self, input: ConnectionInput) -> Result<Vec<ConnectionView>, CommandError> {
        let connection = Connection {
            name: input.name.trim().to_string(),
            region: input.region.trim().to_string(),
            kind: match input.how {
                ConnectionKindView::AccessKey { access_key_id } => ConnectionKind::AccessKey {
                    access_key_id: access_key_id.trim().to_string(),
                },
                ConnectionKindView::Profile { profile } => ConnectionKind::Profile { profile },
                ConnectionKindView::Endpoint { url, path_style } => {
                    ConnectionKind::Endpoint { url, path_style }
                }
            },
        };
        connection
            .check()
            .map_err(|e| failed(ErrorCode::InvalidInput)(&e))?;
        if connection.region.is_empty() {
            return Err(CommandError::new(
                ErrorCode::InvalidInput,
                "a connection needs a region",
            ));
        }
        if let ConnectionKind::AccessKey { access_key_id } = &connection.kind {
            if access_key_id.is_empty() {
                return Err(CommandError::new(
                    ErrorCode::InvalidInput,
                    "an access key needs its id",
                ));
            }
            match input.secret.filter(|s| !s.is_empty()) {
                Some(secret) => self
                    .secrets
                    .store(&connection.name, &Secret::new(secret))
                    .map_err(|e| failed(ErrorCode::Keyring)(&e))?,
                None if self.secrets.has(&connection.name).unwrap_or(false) => {}
                None => {
                    return Err(CommandError::new(
                        ErrorCode::InvalidInput,
                        "an access key needs its secret access key",
                    ))
                }
            }
        }
        self.store
            .save(&connection)
            .map_err(|e| failed(ErrorCode::ConnectionStore)(&e))?;
        self.list()
    }

    /// Removes a connection and its secret.
    ///
    /// # Errors
    /// `connectionStore`; `keyring`.
    pub fn remove(&self, name: &str) -> Result<Vec<ConnectionView>, CommandError> {
        self.store
            .remove(name)
            .map_err(|e| failed(ErrorCode::ConnectionStore)(&e))?;
        self.secrets
            .delete(name)
            .map_err(|e| failed(ErrorCode::Keyring)(&e))?;
        self.list()
    }

    /// The name the local sandbox account is offered under.
    pub const SANDBOX: &'static str = "Local sandbox";

    /// Saves (or points at a new URL) the "Local sandbox" connection: the
    /// seeded moto `make run` starts.
    ///
    /// # Errors
    /// As [`Connections::save`].
    pub fn offer_sandbox(&self, url: &str) -> Result<(), CommandError> {
        self.save(ConnectionInput {
            name: Self::SANDBOX.into(),
            region: "us-east-1".into(),
            how: ConnectionKindView::Endpoint {
                url: url.into(),
                path_style: true,
            },
            secret: None,
        })
        .map(|_| ())
    }

    /// The account a saved connection reaches (no call made yet).
    ///
    /// # Errors
    /// `connectionStore` (unknown name, no secret); `awsCall` (no region).
    pub async fn account(&self, name: &str) -> Result<Account, CommandError> {
        let connection = self
            .store
            .get(name)
            .map_err(|e| failed(ErrorCode::ConnectionStore)(&e))?;
        let target = connection
            .target(&self.secrets)
            .map_err(|e| failed(ErrorCode::ConnectionStore)(&e))?;
        Account::connect(&target)
            .await
            .map_err(|e| failed(ErrorCode::AwsCall)(&e))
    }

    /// "Test connection": STS GetCallerIdentity with the connection.
    ///
    /// # Errors
    /// `connectionStore` (unknown name, no secret); `awsCall` with AWS's
    /// code and message, or the transport's.
    pub async fn test(&self, name: &str) -> Result<IdentityView, CommandError> {
        let identity = self
            .account(name)
            .await?
            .identity()
            .await
            .map_err(|e| failed(ErrorCode::AwsCall)(&e))?;
        Ok(IdentityView {
            account: identity.account,
            arn: identity.arn,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connections() -> (tempfile::TempDir, Connections) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = ConnectionStore::at(dir.path().join("connections.json"));
        (dir, Connections::new(store, SecretStore::in_memory()))
    }

    fn access_key(secret: Option<&str>) -> ConnectionInput {
        ConnectionInput {
            name: "prod".into(),
            region: "eu-west-1".into(),
            how: ConnectionKindView::AccessKey {
                access_key_id: "AKIAEXAMPLE".into(),
            },
            secret: secret.map(str::to_string),
        }
    }

    #[test]
    fn a_secret_goes_to_the_keyring_and_never_comes_back() {
        let (dir, c) = connections();
        let canary = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARY";
        let listed = c.save(access_key(Some(canary))).expect("save");
        assert_eq!(listed.len(), 1);
        assert!(listed[0].secret_stored);
        let answer = serde_json::to_string(&listed).expect("json");
        assert!(
            !answer.contains(canary),
            "the view holds no secret: {answer}"
        );
        let file = std::fs::read_to_string(dir.path().join("connections.json")).expect("file");
        assert!(!file.contains(canary), "the file holds no secret: {file}");
        // Saving again without a secret keeps the stored one.
        assert!(c.save(access_key(None)).expect("save")[0].secret_stored);
        c.remove("prod").expect("remove");
        assert!(c.list().expect("list").is_empty());
        assert_eq!(
            c.save(access_key(None)).expect_err("secret gone").code,
            ErrorCode::InvalidInput
        );
    }

    #[test]
    fn bad_input_names_the_field() {
        let (_dir, c) = connections();
        let mut input = access_key(Some("s"));
        input.name = "  ".into();
        assert!(c.save(input).expect_err("no name").message.contains("name"));
        let endpoint = ConnectionInput {
            name: "local".into(),
            region: "us-east-1".into(),
            how: ConnectionKindView::Endpoint {
                url: "localhost:5000".into(),
                path_style: true,
            },
            secret: None,
        };
        let err = c.save(endpoint).expect_err("bad url");
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains("http://"), "{}", err.message);
    }

    #[test]
    fn the_sandbox_is_offered_once_and_follows_its_url() {
        let (_dir, c) = connections();
        c.offer_sandbox("http://127.0.0.1:5000").expect("offer");
        c.offer_sandbox("http://127.0.0.1:6000")
            .expect("offer again");
        let listed = c.list().expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].name, Connections::SANDBOX);
        assert_eq!(
            listed[0].how,
            ConnectionKindView::Endpoint {
                url: "http://127.0.0.1:6000".into(),
                path_style: true
            }
        );
    }
}

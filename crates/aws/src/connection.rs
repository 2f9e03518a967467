//! Named connections to an AWS account (non-secret metadata only).

use serde::{Deserialize, Serialize};

/// How a connection reaches an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ConnectionKind {
    /// An access key pair; the secret half lives only in the OS keyring.
    #[serde(rename_all = "camelCase")]
    AccessKey {
        /// The public access key id (`AKIA...`).
        access_key_id: String,
    },
    /// A profile from the shared AWS config (`~/.aws/config`).
    #[serde(rename_all = "camelCase")]
    Profile {
        /// The profile name.
        profile: String,
    },
    /// An S3/Lambda/IAM-compatible endpoint (moto, LocalStack), signed
    /// with the emulators' conventional `test` credentials.
    #[serde(rename_all = "camelCase")]
    Endpoint {
        /// Base URL, e.g. `http://127.0.0.1:5000`.
        url: String,
        /// Use path-style S3 addressing (`host/bucket` instead of `bucket.host`).
        path_style: bool,
    },
}

/// A saved, named connection. (serde cannot refuse unknown fields next to
/// a flattened enum, so unknown fields are ignored here.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// The name the user gave it; unique among saved connections.
    pub name: String,
    /// The default region for calls that need one.
    pub region: String,
    /// How the account is reached.
    #[serde(flatten)]
    pub kind: ConnectionKind,
}

/// The saved connections: non-secret metadata in a JSON file in the app's
/// config directory (secrets are in the keyring, by connection name).
#[derive(Debug, Clone)]
pub struct ConnectionStore {
    path: std::path::PathBuf,
}

/// Why saved connections could not be read, written or used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What failed.
        message: String,
    },
    /// No connection has that name.
    #[error("no saved connection named \"{0}\"")]
    Unknown(String),
    /// An access-key connection has no secret in the keyring.
    #[error(
        "connection \"{0}\" has no secret key in the system keychain; add it again in the app"
    )]
    NoSecret(String),
    /// The keyring failed.
    #[error(transparent)]
    Secret(#[from] crate::secrets::SecretError),
    /// The connection itself is not valid.
    #[error(transparent)]
    Invalid(#[from] ConnectionError),
}

impl ConnectionStore {
    /// The store at `$BUCKETWIRE_CONFIG_DIR/connections.json`, or in the OS
    /// config directory (`~/.config/bucketwire` on Linux).
    pub fn default_location() -> Option<Self> {
        std::env::var_os("BUCKETWIRE_CONFIG_DIR")
            .map(std::path::PathBuf::from)
            .or_else(|| dirs::config_dir().map(|d| d.join("bucketwire")))
            .map(|d| Self::at(d.join("connections.json")))
    }

    /// The store in this file.
    pub fn at(path: impl Into<std::path::PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// Every saved connection (none when the file does not exist yet).
    ///
    /// # Errors
    /// [`StoreError::Io`] when the file cannot be read or is not valid.
    pub fn list(&self) -> Result<Vec<Connection>, StoreError> {
        let io = |message: String| StoreError::Io {
            path: self.path.display().to_string(),
            message,
        };
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| io(format!("not a list of connections: {e}"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(io(e.to_string())),
        }
    }

    /// Adds or replaces (by name) a connection. Writes atomically.
    ///
    /// # Errors
    /// [`StoreError`] when it is invalid or the file cannot be written.
    pub fn save(&self, connection: &Connection) -> Result<(), StoreError> {
        connection.check()?;
        let mut all = self.list()?;
        all.retain(|c| c.name != connection.name);
        all.push(connection.clone());
        all.sort_by(|a, b| a.name.cmp(&b.name));
        self.write(&all)
    }

    /// Removes a connection (its secret is the caller's to delete).
    ///
    /// # Errors
    /// [`StoreError`] when the file cannot be written.
    pub fn remove(&self, name: &str) -> Result<(), StoreError> {
        let mut all = self.list()?;
        all.retain(|c| c.name != name);
        self.write(&all)
    }

    /// The connection with this name.
    ///
    /// # Errors
    /// [`StoreError::Unknown`] when there is none.
    pub fn get(&self, name: &str) -> Result<Connection, StoreError> {
        self.list()?
            .into_iter()
            .find(|c| c.name == name)
            .ok_or_else(|| StoreError::Unknown(name.to_string()))
    }

    fn write(&self, all: &[Connection]) -> Result<(), StoreError> {
        let io = |e: std::io::Error| StoreError::Io {
            path: self.path.display().to_string(),
            message: e.to_string(),
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = self.path.with_extension("json.tmp");
        let mut text = serde_json::to_string_pretty(all).unwrap_or_default();
        text.push('\n');
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, &self.path).map_err(io)
    }
}

impl Connection {
    /// How to reach the account, with the secret (for access keys) taken
    /// from `secrets`.
    ///
    /// # Errors
    /// [`StoreError::NoSecret`] when an access key's secret is missing.
    pub fn target(
        &self,
        secrets: &crate::secrets::SecretStore,
    ) -> Result<crate::account::Target, StoreError> {
        let mut target = crate::account::Target {
            region: Some(self.region.clone()),
            ..Default::default()
        };
        match &self.kind {
            ConnectionKind::AccessKey { access_key_id } => {
                let secret = secrets
                    .load(&self.name)?
                    .ok_or_else(|| StoreError::NoSecret(self.name.clone()))?;
                target.access_key = Some((access_key_id.clone(), secret));
            }
            ConnectionKind::Profile { profile } => target.profile = Some(profile.clone()),
            ConnectionKind::Endpoint { url, path_style } => {
                target.endpoint_url = Some(url.clone());
                target.path_style = *path_style;
                // Local emulators (moto, LocalStack) take any signature; the
                // conventional `test` key keeps the SDK from looking for
                // real credentials (environment, profiles, IMDS).
                target.access_key = Some(("test".into(), crate::account::Secret::new("test")));
            }
        }
        Ok(target)
    }
}

/// Why a connection is not usable as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectionError {
    /// The name is empty or only white space.
    #[error("a connection needs a name")]
    EmptyName,
    /// The endpoint URL is not `http://` or `https://`.
    #[error("endpoint `{url}` must start with http:// or https://")]
    BadEndpoint {
        /// The URL as given.
        url: String,
    },
    /// The endpoint URL's host or port cannot be one (a second URL pasted
    /// after the first, a port with letters in it, no host).
    #[error("endpoint `{url}` is not a URL: {reason}; write it as http://host:port")]
    EndpointNotUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it, in words.
        reason: &'static str,
    },
}

/// Why `url` (already known to start with `http://` or `https://`) cannot
/// be an endpoint, or `None`: its host must be a name, an IPv4 address or a
/// bracketed IPv6 address, its port (if any) a number up to 65535.
fn endpoint_problem(url: &str) -> Option<&'static str> {
    let rest = url.split_once("://").map_or("", |(_, rest)| rest);
    if rest.contains("://") {
        return Some("it holds a second `://` (two URLs run together?)");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        match v6.split_once(']') {
            Some((_, after)) => ("[v6]", after.strip_prefix(':')),
            None => return Some("its IPv6 address has no closing `]`"),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Some("it has no host");
    }
    if host != "[v6]"
        && !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
    {
        return Some("its host has characters a host name cannot have");
    }
    if let Some(port) = port {
        if port.parse::<u16>().map_or(true, |p| p == 0) {
            return Some("its port is not a number from 1 to 65535");
        }
    }
    None
}

impl Connection {
    /// Checks the parts that can be checked without calling AWS.
    ///
    /// # Errors
    /// [`ConnectionError`] naming the first field that is wrong.
    pub fn check(&self) -> Result<(), ConnectionError> {
        if self.name.trim().is_empty() {
            return Err(ConnectionError::EmptyName);
        }
        if let ConnectionKind::Endpoint { url, .. } = &self.kind {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConnectionError::BadEndpoint { url: url.clone() });
            }
            if let Some(reason) = endpoint_problem(url) {
                return Err(ConnectionError::EndpointNotUrl {
                    url: url.clone(),
                    reason,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_connection_reads_from_flat_json() {
        let c: Connection = serde_json::from_str(
            r#"{"name":"Local sandbox","region":"us-east-1","kind":"endpoint","url":"http://127.0.0.1:5000","pathStyle":true}"#,
        )
        .expect("valid connection");
        assert_eq!(
            c.kind,
            ConnectionKind::Endpoint {
                url: "http://127.0.0.1:5000".into(),
                path_style: true
            }
        );
        assert_eq!(c.check(), Ok(()));
    }

    #[test]
    fn an_endpoint_without_a_scheme_is_refused_by_name() {
        let c = Connection {
            name: "moto".into(),
            region: "us-east-1".into(),
            kind: ConnectionKind::Endpoint {
                url: "127.0.0.1:5000".into(),
                path_style: true,
            },
        };
        assert_eq!(
            c.check().expect_err("no scheme").to_string(),
            "endpoint `127.0.0.1:5000` must start with http:// or https://"
        );
    }

    #[test]
    fn an_endpoint_that_is_not_a_url_is_refused_with_the_reason() {
        let check = |url: &str| {
            Connection {
                name: "moto".into(),
                region: "us-east-1".into(),
                kind: ConnectionKind::Endpoint {
                    url: url.into(),
                    path_style: true,
                },
            }
            .check()
            .err()
            .map(|e| e.to_string())
        };
        // Typed after the value that was already there.
        assert_eq!(
            check("http://127.0.0.1:5000http://127.0.0.1:5123").as_deref(),
            Some("endpoint `http://127.0.0.1:5000http://127.0.0.1:5123` is not a URL: it holds a second `://` (two URLs run together?); write it as http://host:port")
        );
        assert!(
            check("http://127.0.0.1:50x0").is_some_and(|e| e.contains("its port is not a number"))
        );
        assert!(check("http://:5000").is_some_and(|e| e.contains("it has no host")));
        assert!(check("http://local host:5000")
            .is_some_and(|e| e.contains("characters a host name cannot have")));
        assert!(check("http://[::1:5000").is_some_and(|e| e.contains("no closing")));
        for fine in [
            "http://127.0.0.1:5000",
            "https://s3.eu-west-1.amazonaws.com",
            "http://localhost:4566/",
            "http://[::1]:5000",
            "http://minio_1:9000/path?x=1",
        ] {
            assert_eq!(check(fine), None, "{fine}");
        }
    }

    #[test]
    fn the_store_keeps_metadata_and_the_keyring_keeps_the_secret() {
        let dir = std::env::temp_dir().join(format!("bw-conn-{}", std::process::id()));
        let store = ConnectionStore::at(dir.join("connections.json"));
        let secrets = crate::secrets::SecretStore::in_memory();
        assert!(store.list().expect("empty").is_empty());
        let prod = Connection {
            name: "prod".into(),
            region: "eu-west-1".into(),
            kind: ConnectionKind::AccessKey {
                access_key_id: "AKIAEXAMPLE".into(),
            },
        };
        store.save(&prod).expect("save");
        secrets
            .store("prod", &crate::account::Secret::new("canary-secret-value"))
            .expect("secret");
        let file = std::fs::read_to_string(dir.join("connections.json")).expect("file");
        assert!(file.contains("AKIAEXAMPLE"));
        assert!(
            !file.contains("canary-secret-value"),
            "the secret never reaches the file"
        );
        let target = store
            .get("prod")
            .expect("get")
            .target(&secrets)
            .expect("target");
        assert_eq!(
            target.access_key.map(|(_, s)| s.expose().to_string()),
            Some("canary-secret-value".into())
        );
        secrets.delete("prod").expect("delete");
        assert!(matches!(
            store.get("prod").expect("get").target(&secrets),
            Err(StoreError::NoSecret(_))
        ));
        store.remove("prod").expect("remove");
        assert!(matches!(store.get("prod"), Err(StoreError::Unknown(_))));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn a_blank_name_is_refused() {
        let c = Connection {
            name: "  ".into(),
            region: "us-east-1".into(),
            kind: ConnectionKind::Profile {
                profile: "dev".into(),
            },
        };
        assert_eq!(c.check(), Err(ConnectionError::EmptyName));
    }
}

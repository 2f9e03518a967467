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
    /// An S3/Lambda/IAM-compatible endpoint (moto, LocalStack).
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

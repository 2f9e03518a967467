//! The account adapter: the only crate that talks to AWS.
//!
//! It owns connections (which account, which credentials, which endpoint),
//! reads live state into `bucketwire-core` types and executes core plans.
//! Secrets never leave the OS keyring through this crate's public types:
//! [`Connection`] holds only non-secret metadata.

pub mod connection;

pub use connection::{Connection, ConnectionError, ConnectionKind};

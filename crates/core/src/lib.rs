//! The Bucketwire core: what Bucketwire knows about S3 → Lambda wiring.
//!
//! Everything here is a pure function over data: no file, network or clock
//! access, no async runtime, no AWS SDK and no Tauri. The desktop shell and
//! the CLI read bytes, hand them to this crate, and render what it returns.

pub mod account_shape;
pub mod clipboard;
pub mod compact_policy;
pub mod delivery_policy;
pub mod desired;
pub mod desired_queues;
pub mod desired_rules;
pub mod desired_topics;
pub mod document;
pub mod event_pattern;
pub mod eventbridge;
pub mod events;
pub mod export;
pub mod finding;
pub mod graph;
pub mod import;
pub mod keys;
pub mod live;
pub mod merge;
pub mod ownership;
pub mod permission;
pub mod plan;
mod plan_queues;
mod plan_rules;
mod plan_topics;
pub mod policy;
pub mod read;
pub mod regions;
pub mod relations;
pub mod sample;
pub mod session;
pub mod simulate;
pub mod templates;
pub mod validate;

pub use document::{
    AsyncInvoke, Bucket, Document, Edge, Filter, ForeignConfiguration, ForeignKind, Function,
    LiveEventInvokeConfig, LiveFacts, LiveFunction, LiveRole, LiveSubscription, LiveTopic,
    NamedPolicy, NodeId, Position, Queue, RecursiveLoop, Rule, Topic, FORMAT_VERSION,
};
pub use finding::{Finding, Fix, Severity};
pub use graph::{Edit, GraphError, Node, Wiring};
pub use read::{read_document, ReadError};
pub use session::{NewNode, Session};
pub use simulate::{simulate, SimulateError, Simulation};
pub use validate::validate;

/// Why a file could not become a wiring: not a document, or a document
/// whose graph is impossible (duplicate ids, dangling or refused edges).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The bytes are not a valid document.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The document's nodes and edges do not form a valid wiring.
    #[error(transparent)]
    Graph(#[from] GraphError),
}

/// Reads a document and builds its wiring.
///
/// # Errors
/// [`LoadError`] naming what is wrong and where.
pub fn load(bytes: &[u8]) -> Result<Wiring, LoadError> {
    Ok(Wiring::from_owned_document(read_document(bytes)?)?)
}

//! The Bucketwire core: what Bucketwire knows about S3 → Lambda wiring.
//!
//! Everything here is a pure function over data: no file, network or clock
//! access, no async runtime, no AWS SDK and no Tauri. The desktop shell and
//! the CLI read bytes, hand them to this crate, and render what it returns.
//!
//! The modules are layers, each using only those listed before it
//! (ARCHITECTURE.md draws them; `crates/tidy` fails on an upward `use`):
//!
//! - layer 0, [`model`]: the document, the graph and the AWS vocabulary.
//! - layer 1, [`live`]: what an account holds.
//! - layer 2, [`desired`]: what the document asks of the account, per
//!   route, and the change that brings one resource there.
//! - layer 3, [`checks`]: the findings, one module per rule family.
//! - layer 4, [`plan`]: the ordered changes, and what is blocked and why.
//! - layer 5, [`simulate`], [`export`], [`import`], [`sources`]: what a
//!   document does, is written as, is read from an account's state, and
//!   is read from a template; none uses another.
//! - layer 6, [`session`]: an open document with its history, its
//!   findings and the edits a person makes (clipboard, merge of an import).
//! - layer 7, [`samples`]: the documents Bucketwire ships or generates.

pub mod model;

pub mod live;

pub mod desired;

pub mod checks;

pub mod plan;

pub mod export;
pub mod import;
pub mod simulate;
pub mod sources;

pub mod session;

pub mod samples;

pub use checks::finding::{Finding, Fix, Severity};
pub use checks::validate;
pub use model::document::{
    AsyncInvoke, Bucket, Document, Edge, Filter, ForeignConfiguration, ForeignKind, Function,
    LiveEventInvokeConfig, LiveFacts, LiveFunction, LiveRole, LiveSubscription, LiveTopic,
    NamedPolicy, NodeId, Position, Queue, RecursiveLoop, Rule, Topic, FORMAT_VERSION,
};
pub use model::graph::{Edit, GraphError, Node, Wiring};
pub use model::read::{read_document, ReadError};
pub use session::{NewNode, Session};
pub use simulate::{simulate, SimulateError, Simulation};

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

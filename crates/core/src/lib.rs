//! The Bucketwire core: what Bucketwire knows about S3 → Lambda wiring.
//!
//! Everything here is a pure function over data: no file, network or clock
//! access, no async runtime, no AWS SDK and no Tauri. The desktop shell and
//! the CLI read bytes, hand them to this crate, and render what it returns.

pub mod document;
pub mod read;
pub mod sample;

pub use document::{Bucket, Document, Edge, Filter, Function, NodeId, Position, FORMAT_VERSION};
pub use read::{read_document, ReadError};

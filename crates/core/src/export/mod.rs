//! Exports: the same wiring in the formats other tools take. Each function
//! returns text or JSON values; writing files is the caller's job. Every
//! export writes the same [`selection::Selection`]: the buckets the document
//! manages, or those the user chose.

pub use selection::ExportError;

pub mod cli;
pub mod cloudformation;
mod identifiers;
pub mod s3;
pub mod schema;
pub mod selection;
pub mod terraform;

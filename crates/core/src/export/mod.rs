//! Exports: the same wiring in the formats other tools take. Each function
//! returns text or JSON values; writing files is the caller's job.

pub mod cli;
pub mod cloudformation;
mod identifiers;
pub mod s3;
pub mod schema;
pub mod terraform;

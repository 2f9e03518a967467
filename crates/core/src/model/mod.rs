//! The model: what a wiring is, and the AWS vocabulary it is written in.
//!
//! Layer 0: uses nothing else of the crate. The document format and its
//! reader, the graph (`Wiring`) and its edits, the graph's queries
//! (`relations`, `outline`), and the facts of S3, IAM, Lambda and EventBridge that
//! every layer above reasons with: event types, key filters, regions,
//! policies and invoke permissions, event patterns, who owns a resource.

pub mod document;
pub mod event_pattern;
pub mod eventbridge;
pub mod events;
pub mod graph;
pub mod id_index;
pub mod keys;
pub mod outline;
pub mod ownership;
pub mod permission;
pub mod placeholder;
pub mod policy;
pub mod read;
pub mod regions;
pub mod relations;

//! What a document asks of the account, independent of what is there now,
//! one module per route, and for one resource the change that brings the
//! account there (the one place each such change is decided, for the plan
//! and for the fixes findings offer).
//!
//! Layer 2: uses `model` and `live`. `context` groups the wiring per bucket
//! (one bucket, one truth) for every layer above.

pub mod change;
pub mod context;
pub mod delivery_policy;
pub mod describe;
pub mod encryption;
pub mod event_rules;
pub mod lambda;
pub mod queues;
pub mod topics;

//! The account adapter: the only crate that talks to AWS.
//!
//! It owns connections (which account, which credentials, which endpoint),
//! reads live state into `bucketwire-core` types ([`read`]) and executes
//! core plans ([`apply`]). Secrets never leave this crate's [`Secret`]
//! wrapper, which neither prints nor serialises.

pub mod account;
pub mod apply;
pub mod connection;
pub mod convert;
pub mod error;
pub mod function_settings;
pub mod invoke;
pub mod keys;
pub mod planning;
pub mod queues;
pub mod read;
pub mod rules;
pub mod secrets;
pub mod topics;

pub use account::{Account, Identity, Secret, Target};
pub use apply::{apply, ApplyError, ApplyOptions, ApplyReport, StepEvent};
pub use connection::{Connection, ConnectionError, ConnectionKind, ConnectionStore, StoreError};
pub use error::{AccountError, ResourceError};
pub use invoke::{invoke, s3_grant, InvokeMode, InvokeOutcome};
pub use planning::{plan_account, Planned, PlanningError};
pub use read::{
    import, list_bucket_regions, read_for_plan, read_for_plan_of, survey, Cancel, ImportOptions,
    ImportResult, ListedBucket, Progress,
};
pub use secrets::{SecretError, SecretStore};

//! The import wizard's Rust side: list the buckets a connection can see
//! (with their regions), import the chosen ones with progress that the UI
//! polls and a cancel it can press, then hand the result to the editor as a
//! new document or a merge. The reading is `bucketwire-aws`'s import, the
//! document and the merge are the core's; this module keeps the state
//! between the wizard's steps.

use crate::connections::Connections;
use crate::error::{CommandError, ErrorCode};
use bucketwire_aws::{
    import, list_bucket_regions, survey, AccountError, Cancel, ImportOptions, Progress,
};
use bucketwire_aws::{ListedBucket, ResourceError};
use bucketwire_core::import::{dangling, document_from_live, kind_counts, unrepresented};
use bucketwire_core::Document;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// Reads in flight at once during an import.
const CONCURRENCY: usize = 16;

/// A bucket the wizard offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BucketChoice {
    /// The bucket name.
    pub name: String,
    /// Its region.
    pub region: String,
}

/// What one listed bucket's notification configuration holds, for the
/// wizard's list (read before the import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SurveyView {
    /// The bucket name.
    pub name: String,
    /// Lambda configurations.
    pub lambda: u32,
    /// SQS entries.
    pub queues: u32,
    /// SNS entries.
    pub topics: u32,
    /// Whether EventBridge is on.
    pub event_bridge: bool,
    /// Why it could not be read, when it could not.
    pub error: Option<String>,
}

/// A resource that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UnreadableView {
    /// What (`bucket photos`, `function arn:…`, `role arn:…`).
    pub resource: String,
    /// The API operation that failed.
    pub operation: String,
    /// AWS's error code (`AccessDenied`), or `Network`.
    pub code: String,
    /// AWS's message.
    pub message: String,
}

impl From<&ResourceError> for UnreadableView {
    fn from(e: &ResourceError) -> Self {
        Self {
            resource: e.resource.clone(),
            operation: e.operation.clone(),
            code: e.code.clone(),
            message: e.message.clone(),
        }
    }
}

/// The wizard's first step: what there is to import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BucketListView {
    /// Every bucket the connection can list, sorted by name.
    pub buckets: Vec<BucketChoice>,
    /// The regions those buckets are in, sorted.
    pub regions: Vec<String>,
    /// Buckets whose region could not be read.
    pub unreadable: Vec<UnreadableView>,
}

/// One stage's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StageView {
    /// `buckets`, `functions` or `roles`.
    pub stage: String,
    /// Read so far.
    pub done: u32,
    /// Known so far (functions and roles grow as buckets are read).
    pub total: u32,
}

/// Where a running import is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgressView {
    /// Whether an import is running.
    pub running: bool,
    /// Counts per stage (empty before the first report).
    pub stages: Vec<StageView>,
}

/// What a finished import read, waiting to be opened or merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummaryView {
    /// Buckets read.
    pub buckets: u32,
    /// Lambda notification configurations among them.
    pub filters: u32,
    /// SNS topics with a Lambda subscriber, drawn with their entries and
    /// subscribers (docs/rules.md §15).
    pub topics_drawn: u32,
    /// SQS queues one Lambda mapping polls, drawn with their entries and
    /// function (docs/rules.md §16).
    pub queues_drawn: u32,
    /// SQS entries read and kept as they are (to queues no one function
    /// polls).
    pub queues: u32,
    /// SNS entries read and kept as they are (to topics without a Lambda
    /// subscriber).
    pub topics: u32,
    /// Buckets with EventBridge on.
    pub event_bridge: u32,
    /// Configurations that point at a function that was not found.
    pub dangling: Vec<String>,
    /// Functions read.
    pub functions: u32,
    /// Roles read.
    pub roles: u32,
    /// The account id, when STS answered.
    pub account: Option<String>,
    /// Everything that could not be read, with the reason.
    pub unreadable: Vec<UnreadableView>,
    /// What was read but the document cannot represent, per resource, with
    /// what was kept (such buckets are blocked in plans).
    pub unrepresented: Vec<UnrepresentedView>,
}

/// Something an import read that the document cannot represent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UnrepresentedView {
    /// What (`bucket photos`).
    pub resource: String,
    /// What it holds, and what was kept.
    pub note: String,
}

#[derive(Default)]
struct State {
    /// Regions from the last listing, so the import skips GetBucketLocation.
    regions: BTreeMap<String, String>,
    /// The running import's cancel flag.
    cancel: Option<Cancel>,
    progress: BTreeMap<&'static str, Progress>,
    /// The finished import's document.
    result: Option<Document>,
}

/// The import wizard's state between its steps (one wizard per window).
#[derive(Clone)]
pub struct Importer {
    connections: Connections,
    state: Arc<Mutex<State>>,
}

fn aws(e: &AccountError) -> CommandError {
    match e {
        AccountError::Cancelled => CommandError::new(
            ErrorCode::Cancelled,
            "the import was cancelled; nothing was kept",
        ),
        other => CommandError::new(ErrorCode::AwsCall, other.to_string()),
    }
}

impl Importer {
    /// An importer reading through `connections`.
    pub fn new(connections: Connections) -> Self {
        Self {
            connections,
            state: Arc::default(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Lists the buckets connection `name` can see, with their regions.
    ///
    /// # Errors
    /// `connectionStore`; `awsCall` when ListBuckets fails.
    pub async fn list(&self, name: &str) -> Result<BucketListView, CommandError> {
        let account = self.connections.account(name).await?;
        let (buckets, errors) = list_bucket_regions(&account, CONCURRENCY, &Cancel::new())
            .await
            .map_err(|e| aws(&e))?;
        self.state().regions = buckets
            .iter()
            .map(|b| (b.name.clone(), b.region.clone()))
            .collect();
        let regions: BTreeSet<&str> = buckets.iter().map(|b| b.region.as_str()).collect();
        Ok(BucketListView {
            regions: regions.into_iter().map(str::to_string).collect(),
            buckets: buckets
                .iter()
                .map(|ListedBucket { name, region }| BucketChoice {
                    name: name.clone(),
                    region: region.clone(),
                })
                .collect(),
            unreadable: errors.iter().map(UnreadableView::from).collect(),
        })
    }

    /// Reads the notification configuration of every bucket of the last
    /// listing through connection `name`, so the wizard can say which have
    /// notifications and of which kinds (and offer "with notifications
    /// only"). In the listing's order.
    ///
    /// # Errors
    /// `connectionStore`; `awsCall` when the read as a whole fails.
    pub async fn survey(&self, name: &str) -> Result<Vec<SurveyView>, CommandError> {
        let account = self.connections.account(name).await?;
        let listed: Vec<ListedBucket> = self
            .state()
            .regions
            .iter()
            .map(|(name, region)| ListedBucket {
                name: name.clone(),
                region: region.clone(),
            })
            .collect();
        let read = survey(&account, &listed, CONCURRENCY, &Cancel::new())
            .await
            .map_err(|e| aws(&e))?;
        Ok(listed
            .into_iter()
            .zip(read)
            .map(|(b, r)| match r {
                Ok(n) => SurveyView {
                    name: b.name,
                    lambda: n.lambda.len() as u32,
                    queues: n.queues.len() as u32,
                    topics: n.topics.len() as u32,
                    event_bridge: n.event_bridge,
                    error: None,
                },
                Err(e) => SurveyView {
                    name: b.name,
                    lambda: 0,
                    queues: 0,
                    topics: 0,
                    event_bridge: false,
                    error: Some(format!("{}: {}", e.code, e.message)),
                },
            })
            .collect())
    }

    /// Imports `buckets` through connection `name`: their notification
    /// configurations, the functions those name and the functions' roles.
    /// The result waits for [`Importer::take`].
    ///
    /// # Errors
    /// `invalidInput` when no bucket is chosen or an import already runs;
    /// `connectionStore`; `awsCall`; `cancelled` when [`Importer::cancel`]
    /// was called (nothing is kept).
    pub async fn run(
        &self,
        name: &str,
        buckets: Vec<String>,
    ) -> Result<ImportSummaryView, CommandError> {
        if buckets.is_empty() {
            return Err(CommandError::new(
                ErrorCode::InvalidInput,
                "choose at least one bucket to import",
            ));
        }
        let cancel = Cancel::new();
        let known_regions = {
            let mut state = self.state();
            if state.cancel.is_some() {
                return Err(CommandError::new(
                    ErrorCode::InvalidInput,
                    "an import is already running",
                ));
            }
            state.cancel = Some(cancel.clone());
            state.progress.clear();
            state.result = None;
            buckets
                .iter()
                .filter_map(|b| state.regions.get(b).map(|r| (b.clone(), r.clone())))
                .collect()
        };
        let outcome = async {
            let account = self.connections.account(name).await?;
            let options = ImportOptions {
                buckets,
                concurrency: CONCURRENCY,
                known_regions,
                ..ImportOptions::default()
            };
            let report = |p: Progress| {
                self.state().progress.insert(p.stage, p);
            };
            import(&account, &options, &report, &cancel)
                .await
                .map_err(|e| aws(&e))
        }
        .await;
        // The document is made before taking the lock the progress polls
        // need; the lock is taken either way to end the run.
        let finished = outcome.map(|imported| {
            let doc = document_from_live(&imported.live, imported.account.as_deref());
            let kinds = kind_counts(&imported.live);
            let summary = ImportSummaryView {
                buckets: imported.live.buckets.len() as u32,
                filters: kinds.lambda as u32,
                topics_drawn: doc.topics.len() as u32,
                queues_drawn: doc.queues.len() as u32,
                queues: doc
                    .buckets
                    .iter()
                    .flat_map(|b| &b.foreign)
                    .filter(|f| f.kind == bucketwire_core::ForeignKind::Sqs)
                    .count() as u32,
                topics: doc
                    .buckets
                    .iter()
                    .flat_map(|b| &b.foreign)
                    .filter(|f| f.kind == bucketwire_core::ForeignKind::Sns)
                    .count() as u32,
                event_bridge: kinds.event_bridge as u32,
                dangling: dangling(&imported.live),
                functions: imported.live.functions.len() as u32,
                roles: imported.live.roles.len() as u32,
                account: imported.account,
                unreadable: imported.errors.iter().map(UnreadableView::from).collect(),
                unrepresented: unrepresented(&imported.live)
                    .into_iter()
                    .map(|(resource, note)| UnrepresentedView { resource, note })
                    .collect(),
            };
            (doc, summary)
        });
        let mut state = self.state();
        state.cancel = None;
        let (doc, summary) = finished?;
        state.result = Some(doc);
        Ok(summary)
    }

    /// The running import's counts.
    pub fn progress(&self) -> ImportProgressView {
        let state = self.state();
        ImportProgressView {
            running: state.cancel.is_some(),
            stages: ["buckets", "functions", "roles"]
                .iter()
                .filter_map(|stage| state.progress.get(stage))
                .map(|p| StageView {
                    stage: p.stage.to_string(),
                    done: p.done as u32,
                    total: p.total as u32,
                })
                .collect(),
        }
    }

    /// Asks the running import to stop; it then fails with `cancelled`.
    /// Does nothing when no import runs.
    pub fn cancel(&self) {
        if let Some(cancel) = &self.state().cancel {
            cancel.cancel();
        }
    }

    /// The canvas the finished import opens as, without taking it: the
    /// window arranges it while the user reads the import's result, so
    /// "Open as new document" draws it arranged at once.
    ///
    /// # Errors
    /// `noImport` when no import finished since the last take.
    pub fn preview(&self) -> Result<crate::view::DocumentView, CommandError> {
        let state = self.state();
        let doc = state.result.as_ref().ok_or_else(|| {
            CommandError::new(ErrorCode::NoImport, "there is no finished import to show")
        })?;
        // As the editor draws it once opened (its wiring's canvas document:
        // the same cards, edges and order, findings aside).
        let wiring = bucketwire_core::Wiring::from_document(doc)
            .map_err(|e| CommandError::new(ErrorCode::DocumentInvalid, e.to_string()))?;
        Ok(crate::view::DocumentView::from_document(
            &wiring.canvas_document(),
        ))
    }

    /// The finished import's document, once.
    ///
    /// # Errors
    /// `noImport` when no import finished since the last take.
    pub fn take(&self) -> Result<Document, CommandError> {
        self.state().result.take().ok_or_else(|| {
            CommandError::new(ErrorCode::NoImport, "there is no finished import to open")
        })
    }
}

/// Where a finished import goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ImportMode {
    /// Open it as a new, unsaved document.
    New,
    /// Merge it into the open document (one undo step).
    Merge,
}

#[cfg(test)]
mod tests {
    use super::*;
    use bucketwire_aws::{ConnectionStore, SecretStore};

    fn importer() -> (tempfile::TempDir, Importer) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = ConnectionStore::at(dir.path().join("connections.json"));
        let connections = Connections::new(store, SecretStore::in_memory());
        (dir, Importer::new(connections))
    }

    #[tokio::test]
    async fn nothing_chosen_and_unknown_connections_are_refused_by_name() {
        let (_dir, importer) = importer();
        let e = importer.run("sandbox", vec![]).await.expect_err("refused");
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains("at least one bucket"), "{}", e.message);
        let e = importer
            .run("nowhere", vec!["photos".into()])
            .await
            .expect_err("refused");
        assert_eq!(e.code, ErrorCode::ConnectionStore);
        assert!(e.message.contains("nowhere"), "{}", e.message);
        // A failed import leaves nothing running and nothing to open.
        assert!(!importer.progress().running);
        assert_eq!(
            importer.take().expect_err("refused").code,
            ErrorCode::NoImport
        );
        // Cancel without an import is harmless.
        importer.cancel();
        assert_eq!(
            importer.preview().expect_err("nothing to show").code,
            ErrorCode::NoImport
        );
    }

    /// The preview is the canvas "Open as new document" then shows (the
    /// window's arrangement of it is sent as moves by id), and leaves the
    /// import to be opened.
    #[test]
    fn the_preview_is_the_canvas_the_import_opens_as() {
        let (_dir, importer) = importer();
        let (doc, _) = bucketwire_core::samples::account_shape::account_shaped(60);
        importer.state().result = Some(doc);
        let preview = importer.preview().expect("preview");
        let doc = importer.take().expect("still there to open");
        let opened = crate::editor::Editor::default()
            .open_imported(&doc)
            .expect("open");
        let cards = |view: &crate::view::DocumentView| {
            view.nodes
                .iter()
                .map(|n| (n.id.clone(), n.kind, n.x, n.y, n.title.clone()))
                .collect::<Vec<_>>()
        };
        assert!(preview.nodes.len() > 20, "{} cards", preview.nodes.len());
        assert_eq!(cards(&preview), cards(&opened.editor.document));
        // Findings mark the opened edges; ends and order are the same.
        let ends = |view: &crate::view::DocumentView| {
            view.edges
                .iter()
                .map(|e| (e.id.clone(), e.source.clone(), e.target.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(ends(&preview), ends(&opened.editor.document));
        assert_eq!(preview.parked, opened.editor.document.parked);
    }
}

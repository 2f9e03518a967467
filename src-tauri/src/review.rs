//! "Review changes" and "Apply" in the app: the same plan as `bucketwire
//! plan` (read the account, plan, show the text), then the same apply as
//! `bucketwire apply` (re-read, refuse on drift, safe order, rollback),
//! executing exactly the plan the user reviewed.

use crate::connections::Connections;
use crate::error::{CommandError, ErrorCode};
use bucketwire_aws::{
    apply, plan_account, ApplyError, ApplyOptions, Cancel, Planned, PlanningError, StepEvent,
};
use bucketwire_core::model::document::LiveFacts;
use bucketwire_core::plan::{facts_after_apply, BlockedKind, Plan};
use bucketwire_core::Wiring;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What the review shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReviewView {
    /// The plan's changes as the CLI prints them: grouped by bucket,
    /// function and role, with what is kept untouched (the blocked list is
    /// `blocked`, not repeated here).
    pub text: String,
    /// Entries, statements and policies to add.
    pub adds: u32,
    /// ... to change.
    pub changes: u32,
    /// ... to remove.
    pub removes: u32,
    /// Whether the account already matches the document (for what is not
    /// blocked).
    pub up_to_date: bool,
    /// Buckets and functions left as they are, each with why.
    pub blocked: Vec<BlockedView>,
}

/// A bucket, function or EventBridge rule the plan leaves as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BlockedView {
    /// `bucket`, `function` or `EventBridge rule`.
    pub kind: String,
    /// The bucket name or the function ARN.
    pub name: String,
    /// Its region.
    pub region: String,
    /// Why, one sentence each.
    pub reasons: Vec<String>,
}

/// How an apply ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ApplyOutcome {
    /// Every step was made.
    Applied,
    /// The account changed since the review; nothing was written.
    Drift,
    /// A step failed; the earlier steps were undone.
    RolledBack,
    /// The user cancelled; the steps made were undone.
    Cancelled,
}

/// One line of the apply's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    /// `running`, `done`, `failed`, `undone` or `undo failed`.
    pub state: String,
    /// What the step does (`put notification configuration of acme-photos`).
    pub step: String,
}

/// What an apply did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ApplyView {
    /// How it ended.
    pub outcome: ApplyOutcome,
    /// One sentence, or AWS's reason and what was rolled back.
    pub message: String,
    /// Every step made, failed or undone, in order.
    pub steps: Vec<StepView>,
}

/// What Apply answers: its outcome, and the editor's new view when the
/// document's live facts were brought up to date.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppliedView {
    /// How the apply ended.
    pub apply: ApplyView,
    /// The editor after its live facts were updated (a successful apply).
    pub editor: Option<crate::view::EditorView>,
}

struct Reviewed {
    connection: String,
    wiring: Wiring,
    planned: Planned,
}

/// The last reviewed plan, waiting for Apply.
#[derive(Clone)]
pub struct Reviewer {
    connections: Connections,
    reviewed: Arc<Mutex<Option<Reviewed>>>,
    /// The running (or last) apply's steps, for [`Reviewer::progress`].
    steps: Arc<Mutex<Vec<StepView>>>,
    /// The running apply's cancel flag.
    cancel: Arc<Mutex<Option<Cancel>>>,
    log: Option<PathBuf>,
}

/// Records a step event: a step that starts is added as `running`, and the
/// event that ends it replaces that line.
fn record(steps: &mut Vec<StepView>, event: StepEvent) {
    let (state, step, error) = match event {
        StepEvent::Started { step } => ("running", step, None),
        StepEvent::Done { step } => ("done", step, None),
        StepEvent::Failed { step, error } => ("failed", step, Some(error)),
        StepEvent::Undone { step } => ("undone", step, None),
        StepEvent::UndoFailed { step, error } => ("undo failed", step, Some(error)),
    };
    let line = StepView {
        state: state.into(),
        step: match error {
            Some(error) => format!("{step}: {error}"),
            None => step.clone(),
        },
    };
    match steps
        .iter_mut()
        .rev()
        .find(|s| s.state == "running" && s.step == step)
    {
        Some(running) => *running = line,
        None => steps.push(line),
    }
}

/// The review of `plan`: the CLI's text of its changes, counts and the
/// blocked list (shown once, by the Review's own list).
fn review_view(plan: &Plan) -> ReviewView {
    let (adds, changes, removes) = plan.counts();
    ReviewView {
        text: plan.changes_text(),
        adds: adds as u32,
        changes: changes as u32,
        removes: removes as u32,
        up_to_date: plan.is_empty(),
        blocked: plan
            .blocked
            .iter()
            .map(|b| BlockedView {
                kind: match b.kind {
                    BlockedKind::Bucket => "bucket",
                    BlockedKind::Function => "function",
                    BlockedKind::Rule => "EventBridge rule",
                }
                .into(),
                name: b.name.clone(),
                region: b.region.clone(),
                reasons: b.reasons.clone(),
            })
            .collect(),
    }
}

fn aws(e: &dyn std::fmt::Display) -> CommandError {
    CommandError::new(ErrorCode::AwsCall, e.to_string())
}

impl Reviewer {
    /// Reviews through `connections`; applies append to `log`.
    pub fn new(connections: Connections, log: Option<PathBuf>) -> Self {
        Self {
            connections,
            reviewed: Arc::default(),
            steps: Arc::default(),
            cancel: Arc::default(),
            log,
        }
    }

    /// Reads what planning `wiring` needs through connection `name` and
    /// plans; keeps the plan for [`Reviewer::apply`].
    ///
    /// # Errors
    /// `connectionStore`; `awsCall` when the account cannot be read (each
    /// failed read named); `planFailed` when the document cannot be planned
    /// (a bucket the scope names is not in the document). A bucket that
    /// cannot be planned is listed in the view's `blocked`, not an error.
    pub async fn review(&self, name: &str, wiring: Wiring) -> Result<ReviewView, CommandError> {
        let account = self.connections.account(name).await?;
        let planned = plan_account(&account, &wiring, &[], 16, &Cancel::new())
            .await
            .map_err(|e| match e {
                PlanningError::Plan(e) => CommandError::new(ErrorCode::PlanFailed, e.to_string()),
                PlanningError::Account(e) => aws(&e),
            })?;
        let view = review_view(&planned.plan);
        *self.reviewed.lock().unwrap_or_else(|e| e.into_inner()) = Some(Reviewed {
            connection: name.to_string(),
            wiring,
            planned,
        });
        Ok(view)
    }

    /// [`Reviewer::apply`], then the open document's live facts brought up
    /// to date in `editor` after a successful apply.
    ///
    /// # Errors
    /// As [`Reviewer::apply`].
    pub async fn apply_to(
        &self,
        editor: &Mutex<crate::editor::Editor>,
    ) -> Result<AppliedView, CommandError> {
        let (apply, facts) = self.apply().await?;
        let editor = facts.map(|facts| {
            editor
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .account_applied(facts)
        });
        Ok(AppliedView { apply, editor })
    }

    /// The running apply's steps so far (the last apply's once it ended):
    /// what the window shows live.
    pub fn progress(&self) -> Vec<StepView> {
        self.steps.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Asks the running apply to stop: the step under way finishes, then
    /// every step made is undone. Does nothing when no apply runs.
    pub fn cancel(&self) {
        if let Some(cancel) = &*self.cancel.lock().unwrap_or_else(|e| e.into_inner()) {
            cancel.cancel();
        }
    }

    /// Applies the reviewed plan, exactly: a drifted account is refused.
    /// After a successful apply, also the document's live facts as the
    /// account now holds them (what the plan read, with the plan applied),
    /// so findings about what it fixed go away.
    ///
    /// # Errors
    /// `noReview` when nothing was reviewed; `connectionStore`; `awsCall`
    /// when the account cannot be read first (nothing written).
    pub async fn apply(&self) -> Result<(ApplyView, Option<LiveFacts>), CommandError> {
        let reviewed = self
            .reviewed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .ok_or_else(|| {
                CommandError::new(
                    ErrorCode::NoReview,
                    "review the changes before applying them",
                )
            })?;
        let account = self.connections.account(&reviewed.connection).await?;
        self.steps.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let on_step = |event: StepEvent| {
            record(
                &mut self.steps.lock().unwrap_or_else(|e| e.into_inner()),
                event,
            );
        };
        let options = ApplyOptions {
            log: self.log.clone(),
            ..ApplyOptions::default()
        };
        *self.cancel.lock().unwrap_or_else(|e| e.into_inner()) = Some(options.cancel.clone());
        let plan = &reviewed.planned.plan;
        let result = apply(&account, &reviewed.wiring, plan, &options, &on_step).await;
        *self.cancel.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let steps = self.progress();
        let facts = result
            .is_ok()
            .then(|| facts_after_apply(reviewed.wiring.live(), &reviewed.planned.live, plan));
        let view = match result {
            Ok(report) => ApplyView {
                outcome: ApplyOutcome::Applied,
                message: match plan.blocked.len() {
                    0 => format!("Applied {} change(s).", report.applied.len()),
                    n => format!(
                        "Applied {} change(s); {n} blocked left as they are.",
                        report.applied.len()
                    ),
                },
                steps,
            },
            Err(e @ ApplyError::Drift { .. }) => ApplyView {
                outcome: ApplyOutcome::Drift,
                message: e.to_string(),
                steps,
            },
            Err(e @ (ApplyError::Cancelled | ApplyError::Stopped { .. })) => ApplyView {
                outcome: ApplyOutcome::Cancelled,
                message: format!("Apply {e}."),
                steps,
            },
            Err(e @ (ApplyError::Read { .. } | ApplyError::Plan(_))) => return Err(aws(&e)),
            Err(e) => ApplyView {
                outcome: ApplyOutcome::RolledBack,
                message: e.to_string(),
                steps,
            },
        };
        Ok((view, facts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(state: &str, step: &str) -> StepView {
        StepView {
            state: state.into(),
            step: step.into(),
        }
    }

    #[test]
    fn a_step_shows_running_until_it_ends_and_undos_follow_it() {
        let mut steps = Vec::new();
        let started = |step: &str| StepEvent::Started { step: step.into() };
        record(&mut steps, started("add policy"));
        assert_eq!(steps, [line("running", "add policy")]);
        record(
            &mut steps,
            StepEvent::Done {
                step: "add policy".into(),
            },
        );
        record(&mut steps, started("add permission"));
        assert_eq!(
            steps,
            [
                line("done", "add policy"),
                line("running", "add permission")
            ]
        );
        record(
            &mut steps,
            StepEvent::Failed {
                step: "add permission".into(),
                error: "AccessDenied".into(),
            },
        );
        record(
            &mut steps,
            StepEvent::Undone {
                step: "add policy".into(),
            },
        );
        assert_eq!(
            steps,
            [
                line("done", "add policy"),
                line("failed", "add permission: AccessDenied"),
                line("undone", "add policy"),
            ]
        );
    }
}

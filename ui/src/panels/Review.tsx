// Review changes and Apply: the plan Rust made against the current
// connection (the CLI's text: grouped by bucket, function and role, with
// what is kept untouched, coloured by sign), then, after a confirmation,
// the apply with each step live (polled) and its outcome. On drift it says
// what moved and offers to review again; on failure it lists what was
// rolled back. The confirmation is in the window (not a native dialog), so
// it reads the same everywhere and can be driven in the real-app tests.
import { useCallback, useEffect, useState } from "react";
import {
  commands,
  type ApplyView,
  type BlockedView,
  type EditorView_Serialize as EditorView,
  type ReviewView,
  type StepView,
} from "../bindings";
import { Modal } from "./Modal";
import { usePoll } from "./usePoll";

const STATE_ICON: Record<string, string> = { running: "…", done: "✓", failed: "✗", undone: "↩", "undo failed": "⚠" };

const SIGN_CLASS: Record<string, string> = { "+": "plan-add", "-": "plan-remove", "~": "plan-change", "=": "plan-kept" };

/** The plan's text, each line coloured by its sign (+ added, − removed,
 * ~ changed, = kept untouched). */
function PlanText({ text }: { text: string }) {
  return (
    <pre className="review-plan" aria-label="Plan">
      {text.split("\n").map((line, i) => (
        <span key={i} className={SIGN_CLASS[line.trimStart().charAt(0)] ?? undefined}>
          {line}
          {"\n"}
        </span>
      ))}
    </pre>
  );
}

/** What the plan leaves as it is, each with why (Rust's reasons). */
function Blocked({ blocked }: { blocked: BlockedView[] }) {
  if (blocked.length === 0) return null;
  return (
    <section className="review-blocked" aria-label="Blocked">
      <h3>
        Blocked: {blocked.length} left as {blocked.length === 1 ? "it is" : "they are"} until fixed
      </h3>
      <ul>
        {blocked.map((b) => (
          <li key={`${b.kind}-${b.name}`}>
            <strong>
              {b.kind} {b.name}
            </strong>{" "}
            <span className="review-region">{b.region}</span>
            <ul>
              {b.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Steps({ steps }: { steps: StepView[] }) {
  return (
    <ul aria-label="Apply steps">
      {steps.map((s, i) => (
        <li key={`${i}-${s.step}`} className={`step-${s.state.replace(" ", "-")}`}>
          {STATE_ICON[s.state] ?? "·"} {s.step}
        </li>
      ))}
    </ul>
  );
}

export function Review({
  connection,
  onClose,
  onApplied,
}: {
  connection: string;
  onClose: () => void;
  /** The editor after a successful apply brought its live facts up to date. */
  onApplied: (view: EditorView) => void;
}) {
  const [review, setReview] = useState<ReviewView | null>(null);
  const [applied, setApplied] = useState<ApplyView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [applying, setApplying] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [stopping, setStopping] = useState(false);
  // Cancel stops after the step under way; Rust undoes what was made.
  const stop = async () => {
    setStopping(true);
    await commands.cancelApply();
  };
  const [live, setLive] = useState<StepView[]>([]);
  usePoll(applying, commands.applyProgress, setLive);

  const plan = useCallback(async () => {
    setBusy(true);
    setApplied(null);
    const o = await commands.reviewChanges(connection);
    setBusy(false);
    if (o.status === "ok") {
      setReview(o.data);
      setProblem(null);
    } else {
      setReview(null);
      setProblem(o.error.message);
    }
  }, [connection]);

  useEffect(() => {
    void plan();
  }, [plan]);

  const apply = async () => {
    setConfirming(false);
    setBusy(true);
    setLive([]);
    setStopping(false);
    setApplying(true);
    const o = await commands.applyChanges();
    setApplying(false);
    setBusy(false);
    if (o.status === "ok") {
      setApplied(o.data.apply);
      if (o.data.editor !== null) onApplied(o.data.editor);
    } else setProblem(o.error.message);
  };

  return (
    <Modal
      label="Review changes"
      title={`Review changes · ${connection}`}
      className="review"
      onClose={onClose}
      dismissible={!applying}
      actions={
        <>
          <button type="button" onClick={() => void plan()} disabled={busy}>
            Review again
          </button>
          <button
            type="button"
            onClick={() => setConfirming(true)}
            disabled={busy || confirming || review === null || review.upToDate || applied !== null}
          >
            Apply
          </button>
        </>
      }
    >
      {busy && !applying && <p role="status">Working…</p>}
      {applying && (
        <div className="apply-outcome" role="status" aria-label="Applying">
          <p>Applying…</p>
          <Steps steps={live} />
          <button type="button" disabled={stopping} onClick={() => void stop()}>
            {stopping ? "Stopping after this step…" : "Cancel"}
          </button>
        </div>
      )}
      {problem !== null && (
        <p role="alert" className="review-problem">
          {problem}
        </p>
      )}
      {review !== null && applied === null && !applying && (
        <>
          <p className="review-counts">
            {review.upToDate
              ? review.blocked.length === 0
                ? "The account already matches the document."
                : "Nothing to change for the buckets that can be planned."
              : `+${review.adds} to add · ~${review.changes} to change · −${review.removes} to remove`}
            {review.blocked.length > 0 && ` · ${review.blocked.length} blocked`}
          </p>
          <Blocked blocked={review.blocked} />
          <PlanText text={review.text} />
        </>
      )}
      {applied !== null && (
        <div className={`apply-outcome apply-${applied.outcome}`} role="status" aria-label="Apply outcome">
          <Steps steps={applied.steps} />
          <p>{applied.message}</p>
        </div>
      )}
      {confirming && review !== null && (
        <div className="apply-confirm" role="alertdialog" aria-label="Confirm apply">
          <p>
            Apply {review.adds + review.changes + review.removes} change(s) to the account of “{connection}”? Apply
            re-reads the account first and writes nothing if it changed since this review.
            {review.blocked.length > 0 &&
              ` ${review.blocked.length} blocked ${review.blocked.length === 1 ? "is" : "are"} left exactly as ${review.blocked.length === 1 ? "it is" : "they are"}.`}
          </p>
          <div className="connection-actions">
            <button type="button" onClick={() => void apply()}>
              Apply now
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}

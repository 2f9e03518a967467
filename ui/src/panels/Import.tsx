// The import wizard: a connection (the current one at first), the buckets
// it can list (filter by region, search, select all), then the import with live counts and a
// Cancel, then what was read — with every resource that could not be read
// and why — opened as a new document or merged into the open one. Rust
// lists, reads and merges; this screen only chooses and shows.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  commands,
  type BucketListView,
  type ImportedView_Serialize as ImportedView,
  type ImportMode,
  type ImportProgressView,
  type ImportSummaryView_Serialize as ImportSummaryView,
  type UnreadableView,
  type UnrepresentedView,
  type SurveyView_Serialize as SurveyView,
} from "../bindings";
import { Modal } from "./Modal";
import { usePoll } from "./usePoll";
import { arrangement } from "../canvas/arrange";
import { practiseLayout, type Move } from "../canvas/layout";

type Step =
  | { at: "listing" }
  | { at: "choose"; list: BucketListView }
  | { at: "reading" }
  | { at: "read"; summary: ImportSummaryView }
  | { at: "failed"; message: string; cancelled: boolean };

function Unreadable({ items }: { items: UnreadableView[] }) {
  if (items.length === 0) return null;
  return (
    <div className="import-unreadable" role="alert" aria-label="Could not be read">
      <p>Could not be read ({items.length}):</p>
      <ul>
        {items.map((u) => (
          <li key={`${u.resource}-${u.operation}`}>
            <strong>{u.resource}</strong> — {u.operation}: {u.code}: {u.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What the import read but the document cannot hold (Rust's notes). */
function Unrepresented({ items }: { items: UnrepresentedView[] }) {
  if (items.length === 0) return null;
  return (
    <div className="import-unreadable" role="alert" aria-label="Not represented">
      <p>
        Read, but not representable in the document ({items.length}); these buckets are left as they are by every
        plan:
      </p>
      <ul>
        {items.map((u, i) => (
          <li key={`${u.resource}-${i}`}>
            <strong>{u.resource}</strong> — {u.note}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What a bucket's notifications hold, short: `λ 2 · SQS 1 · EventBridge`. */
function kinds(s: SurveyView | undefined): string {
  if (s === undefined) return "…";
  if (s.error !== null) return `could not be read (${s.error})`;
  const parts = [
    s.lambda > 0 ? `λ ${s.lambda}` : "",
    s.queues > 0 ? `SQS ${s.queues}` : "",
    s.topics > 0 ? `SNS ${s.topics}` : "",
    s.eventBridge ? "EventBridge" : "",
  ].filter((p) => p !== "");
  return parts.length === 0 ? "no notifications" : parts.join(" · ");
}

const hasNotifications = (s: SurveyView | undefined) =>
  s !== undefined && (s.error !== null || s.lambda + s.queues + s.topics > 0 || s.eventBridge);

function Choose({
  list,
  survey,
  onImport,
}: {
  list: BucketListView;
  survey: Map<string, SurveyView> | null;
  onImport: (buckets: string[]) => void;
}) {
  const [regions, setRegions] = useState<Set<string>>(() => new Set(list.regions));
  const [search, setSearch] = useState("");
  const [chosen, setChosen] = useState<Set<string>>(() => new Set());
  const [wiredOnly, setWiredOnly] = useState(false);
  const shown = useMemo(
    () =>
      list.buckets.filter(
        (b) =>
          regions.has(b.region) &&
          b.name.toLowerCase().includes(search.trim().toLowerCase()) &&
          (!wiredOnly || hasNotifications(survey?.get(b.name))),
      ),
    [list, regions, search, wiredOnly, survey],
  );
  // Only buckets in a chosen region are imported.
  const importing = list.buckets.filter((b) => chosen.has(b.name) && regions.has(b.region)).map((b) => b.name);
  const allShown = shown.length > 0 && shown.every((b) => chosen.has(b.name));
  const toggle = <T,>(set: Set<T>, item: T) => {
    const next = new Set(set);
    if (next.has(item)) next.delete(item);
    else next.add(item);
    return next;
  };
  return (
    <>
      <fieldset className="import-regions">
        <legend>Regions</legend>
        {list.regions.map((r) => (
          <label key={r}>
            <input type="checkbox" checked={regions.has(r)} onChange={() => setRegions(toggle(regions, r))} /> {r}
          </label>
        ))}
      </fieldset>
      <input
        type="search"
        aria-label="Search buckets"
        placeholder="Search buckets"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <label className="import-all">
        <input
          type="checkbox"
          checked={wiredOnly}
          disabled={survey === null}
          onChange={() => setWiredOnly(!wiredOnly)}
        />{" "}
        With notifications only{survey === null && " (reading…)"}
      </label>
      <label className="import-all">
        <input
          type="checkbox"
          checked={allShown}
          disabled={shown.length === 0}
          onChange={() => {
            const next = new Set(chosen);
            for (const b of shown) {
              if (allShown) next.delete(b.name);
              else next.add(b.name);
            }
            setChosen(next);
          }}
        />{" "}
        Select all shown ({shown.length})
      </label>
      <ul className="import-buckets" aria-label="Buckets">
        {shown.map((b) => (
          <li key={b.name}>
            <label>
              <input type="checkbox" checked={chosen.has(b.name)} onChange={() => setChosen(toggle(chosen, b.name))} />{" "}
              {b.name} <span className="import-region">{b.region}</span>{" "}
              <span className="import-kinds">{kinds(survey?.get(b.name))}</span>
            </label>
          </li>
        ))}
        {shown.length === 0 && <li className="menu-empty">No bucket matches.</li>}
      </ul>
      <Unreadable items={list.unreadable} />
      <div className="connection-actions">
        <span className="import-count">
          {importing.length} of {list.buckets.length} selected
        </span>
        <button type="button" disabled={importing.length === 0} onClick={() => onImport(importing)}>
          Import {importing.length} bucket{importing.length === 1 ? "" : "s"}
        </button>
      </div>
    </>
  );
}

function Reading({ progress, onCancel }: { progress: ImportProgressView | null; onCancel: () => void }) {
  const stages = progress?.stages ?? [];
  return (
    <>
      <div role="status" aria-label="Import progress" className="import-progress">
        {stages.length === 0 && <p>Listing…</p>}
        {stages.map((s) => (
          <p key={s.stage}>
            <span className="import-stage">{s.stage}</span>{" "}
            <progress max={Math.max(s.total, 1)} value={s.done} aria-label={`${s.stage} read`} /> {s.done} / {s.total}
          </p>
        ))}
      </div>
      <div className="connection-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

export function Import({
  connection: current,
  onDone,
  onClose,
}: {
  /** The current connection, chosen at first. */
  connection: string;
  /** What the import did, and how it was finished. */
  /** `arranged`: the new document's arrangement, worked out beforehand
   * (moves by card id; `null` for a merge, which arranges what it adds). */
  onDone: (result: ImportedView, mode: ImportMode, arranged: Promise<Move[]> | null) => void;
  onClose: () => void;
}) {
  const [connection, setConnection] = useState(current);
  const [connections, setConnections] = useState<string[]>([current]);
  useEffect(() => {
    void commands.listConnections().then((o) => {
      if (o.status === "ok" && o.data.length > 0) setConnections(o.data.map((c) => c.name));
    });
  }, []);
  const [step, setStep] = useState<Step>({ at: "listing" });
  const [progress, setProgress] = useState<ImportProgressView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // What each listed bucket's notifications hold, read after the list is
  // shown (null while it is read).
  const [survey, setSurvey] = useState<Map<string, SurveyView> | null>(null);

  // Only the latest listing is shown (the connection may change meanwhile).
  const listing = useRef(0);
  const list = useCallback(async () => {
    const ticket = ++listing.current;
    setStep({ at: "listing" });
    setSurvey(null);
    const o = await commands.listBuckets(connection);
    if (ticket !== listing.current) return;
    setStep(o.status === "ok" ? { at: "choose", list: o.data } : { at: "failed", message: o.error.message, cancelled: false });
    if (o.status !== "ok") return;
    const s = await commands.surveyBuckets(connection);
    if (ticket !== listing.current || s.status !== "ok") return;
    setSurvey(new Map(s.data.map((b) => [b.name, b])));
  }, [connection]);
  useEffect(() => {
    void list();
  }, [list]);

  usePoll(step.at === "reading", commands.importProgress, setProgress);
  // While the account is read, the layout engine practises on an
  // account's shape, so the arrangement below starts compiled.
  useEffect(() => {
    if (step.at === "reading") void practiseLayout().catch(() => undefined);
  }, [step.at]);

  // The arrangement "Open as new document" will need, worked out while
  // the user reads the result (ELK takes about a second for an account of
  // 2,500 buckets; the window's own work after Open is a fraction of it).
  const arranged = useRef<Promise<Move[]> | null>(null);
  const start = async (buckets: string[]) => {
    setProgress(null);
    setStep({ at: "reading" });
    arranged.current = null;
    const o = await commands.importBuckets(connection, buckets);
    if (o.status === "ok") {
      setStep({ at: "read", summary: o.data });
      arranged.current = commands
        .importPreview()
        .then((p) => (p.status === "ok" ? arrangement(p.data, null) : []))
        .catch(() => []);
    } else setStep({ at: "failed", message: o.error.message, cancelled: o.error.code === "cancelled" });
  };

  const finish = async (mode: ImportMode) => {
    const o = await commands.finishImport(mode);
    if (o.status === "ok") onDone(o.data, mode, mode === "new" ? arranged.current : null);
    else setProblem(o.error.message);
  };

  return (
    <Modal
      label="Import from an account"
      className="import"
      onClose={() => {
        // Closing while reading stops the import: nothing is kept.
        if (step.at === "reading") void commands.cancelImport();
        onClose();
      }}
    >
      <label className="field">
        <span>Connection</span>
        <select
          value={connection}
          disabled={step.at === "reading"}
          onChange={(e) => setConnection(e.target.value)}
        >
          {connections.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      {problem !== null && (
        <p role="alert" className="review-problem">
          {problem}
        </p>
      )}
      {step.at === "listing" && <p role="status">Listing buckets…</p>}
      {step.at === "choose" && <Choose list={step.list} survey={survey} onImport={(b) => void start(b)} />}
      {step.at === "reading" && <Reading progress={progress} onCancel={() => void commands.cancelImport()} />}
      {step.at === "read" && (
        <>
          <p role="status" aria-label="Import result">
            Read {step.summary.buckets} bucket(s), {step.summary.filters} Lambda configuration(s),{" "}
            {step.summary.topicsDrawn > 0 && `${step.summary.topicsDrawn} SNS topic(s) with their subscribers, `}
            {step.summary.queuesDrawn > 0 && `${step.summary.queuesDrawn} SQS queue(s) with the function polling each, `}
            {step.summary.functions} function(s) and {step.summary.roles} role(s)
            {step.summary.account !== null && ` from account ${step.summary.account}`}.
          </p>
          <p aria-label="Other destinations">
            Also {step.summary.queues} SQS and {step.summary.topics} SNS entr{step.summary.queues + step.summary.topics === 1 ? "y" : "ies"},
            and EventBridge on {step.summary.eventBridge} bucket(s): kept as they are.
          </p>
          {step.summary.dangling.length > 0 && (
            <div className="import-unreadable" role="alert" aria-label="Points at something missing">
              <p>Points at something missing ({step.summary.dangling.length}); those buckets cannot be written until fixed:</p>
              <ul>
                {step.summary.dangling.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </div>
          )}
          <Unreadable items={step.summary.unreadable} />
          <Unrepresented items={step.summary.unrepresented} />
          <div className="connection-actions">
            <button type="button" onClick={() => void finish("new")}>
              Open as new document
            </button>
            <button type="button" onClick={() => void finish("merge")}>
              Merge into this document
            </button>
          </div>
        </>
      )}
      {step.at === "failed" && (
        <>
          <p role="alert" className={step.cancelled ? undefined : "review-problem"}>
            {step.message}
          </p>
          <div className="connection-actions">
            <button type="button" onClick={() => void list()}>
              Start again
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}

// "Try a key": a bucket, an object key and an event; Rust answers what
// fires (the path lights up), why nothing does, or which configurations
// conflict, with the exact event JSON and a Copy button. When a function
// fires and a connection is current, the event can be sent: a DryRun that
// checks Lambda accepts the call and S3 may invoke the function, or a real
// Event invoke after a confirmation.
import { useEffect, useState } from "react";
import { FlaskConical } from "lucide-react";
import {
  commands,
  type EventFamilyView,
  type TestEventMode,
  type TestEventView,
  type TryKeyView,
} from "../bindings";

type Send = { bucket: string; key: string; event: string; fn: string };

function SendTestEvent({ connection, send }: { connection: string | null; send: Send }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<TestEventView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // A new key or event is a new test.
  useEffect(() => {
    setAnswer(null);
    setProblem(null);
    setConfirming(false);
  }, [send.bucket, send.key, send.event, send.fn]);
  if (connection === null) {
    return <p className="test-event-hint">Choose a connection to send this event to the function.</p>;
  }
  const run = async (mode: TestEventMode) => {
    setConfirming(false);
    setBusy(true);
    const o = await commands.sendTestEvent(connection, send.bucket, send.key, send.event, mode);
    setBusy(false);
    if (o.status === "ok") {
      setAnswer(o.data);
      setProblem(null);
    } else {
      setAnswer(null);
      setProblem(o.error.message);
    }
  };
  return (
    <div className="test-event" aria-label="Send a test event">
      <button type="button" disabled={busy} onClick={() => void run("dryRun")}>
        Check with a DryRun
      </button>
      <button type="button" disabled={busy || confirming} onClick={() => setConfirming(true)}>
        Send as an Event…
      </button>
      {busy && <span role="status"> Sending…</span>}
      {confirming && (
        <div className="apply-confirm" role="alertdialog" aria-label="Confirm test event">
          <p>
            Invoke {send.fn} through “{connection}” with this event? The function runs (an Event invoke, as S3 makes).
          </p>
          <button type="button" onClick={() => void run("event")}>
            Send now
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {problem !== null && (
        <p role="alert" className="try-key-problem">
          {problem}
        </p>
      )}
      {answer !== null && (
        <ul role="status" aria-label="Test event result" className={answer.ok ? "test-ok" : "test-failed"}>
          {answer.checks.map((c) => (
            <li key={c.text}>
              {c.ok ? "✓" : "✗"} {c.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type Props = {
  /** The current connection's name, if any: where a test event goes. */
  connection: string | null;
  buckets: string[];
  catalog: EventFamilyView[];
  revision: unknown;
  onResult: (result: TryKeyView | null) => void;
  /** The bucket of what is selected on the canvas: Try a key follows it. */
  follow?: string | null;
};

export function TryKey({ connection, buckets, catalog, revision, onResult, follow }: Props) {
  const [bucket, setBucket] = useState("");
  // Selecting a bucket, or a filter or function of one, makes it the bucket tried.
  useEffect(() => {
    if (follow != null) setBucket(follow);
  }, [follow]);
  const [key, setKey] = useState("");
  const [event, setEvent] = useState("s3:ObjectCreated:Put");
  const [result, setResult] = useState<TryKeyView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const chosen = buckets.includes(bucket) ? bucket : (buckets[0] ?? "");

  useEffect(() => {
    if (key === "" || chosen === "") {
      setResult(null);
      setProblem(null);
      onResult(null);
      return;
    }
    let current = true;
    void commands.tryKey(chosen, key, event).then((outcome) => {
      if (!current) return;
      if (outcome.status === "ok") {
        setResult(outcome.data);
        setProblem(null);
        onResult(outcome.data);
      } else {
        setResult(null);
        setProblem(outcome.error.message);
        onResult(null);
      }
    });
    return () => {
      current = false;
    };
    // `revision`: the document changed, so the answer may have too.
  }, [chosen, key, event, revision, onResult]);

  if (buckets.length === 0) {
    return (
      <section className="try-key try-key-idle" aria-label="Try a key">
        <span className="try-key-title">
          <FlaskConical size={15} aria-hidden="true" /> Try a key
        </span>
        <span className="try-key-hint">Add a bucket, then type an object key to see what fires.</span>
      </section>
    );
  }
  return (
    <section className="try-key" aria-label="Try a key">
      <div className="try-key-inputs">
        <span className="try-key-title">Try a key</span>
        <select aria-label="Bucket" value={chosen} onChange={(e) => setBucket(e.target.value)}>
          {[...new Set(buckets)].map((b) => (
            <option key={b}>{b}</option>
          ))}
        </select>
        <input
          aria-label="Object key"
          placeholder="uploads/cat.jpg"
          value={key}
          spellCheck={false}
          onChange={(e) => setKey(e.target.value)}
        />
        <select aria-label="Event" value={event} onChange={(e) => setEvent(e.target.value)}>
          {catalog.flatMap((f) => f.members).map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </div>
      {problem !== null && <p className="try-key-problem">{problem}</p>}
      {result !== null && (
        <div className={`try-key-result try-${result.outcome}`} role="status">
          <p>{result.message}</p>
          {result.eventJson !== null && (
            <details>
              <summary>Event the function receives</summary>
              <button
                type="button"
                onClick={() => {
                  void navigator.clipboard.writeText(result.eventJson ?? "").then(() => setCopied(true));
                  setTimeout(() => setCopied(false), 1500);
                }}
              >
                {copied ? "Copied" : "Copy"}
              </button>
              <pre aria-label="Event JSON">{result.eventJson}</pre>
            </details>
          )}
          {result.function != null && (
            <SendTestEvent connection={connection} send={{ bucket: chosen, key, event, fn: result.function }} />
          )}
        </div>
      )}
    </section>
  );
}

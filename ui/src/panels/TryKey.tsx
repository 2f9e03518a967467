// "Try a key": a bucket, an object key and an event; Rust answers what
// fires (the path lights up), why nothing does, or which configurations
// conflict, with the exact event JSON and a Copy button.
import { useEffect, useState } from "react";
import { commands, type EventFamilyView, type TryKeyView } from "../bindings";

type Props = {
  buckets: string[];
  catalog: EventFamilyView[];
  revision: unknown;
  onResult: (result: TryKeyView | null) => void;
};

export function TryKey({ buckets, catalog, revision, onResult }: Props) {
  const [bucket, setBucket] = useState("");
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

  return (
    <section className="try-key" aria-label="Try a key">
      <div className="try-key-inputs">
        <span className="try-key-title">Try a key</span>
        <select aria-label="Bucket" value={chosen} onChange={(e) => setBucket(e.target.value)}>
          {buckets.map((b) => (
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
        </div>
      )}
    </section>
  );
}

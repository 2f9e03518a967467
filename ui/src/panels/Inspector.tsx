// The inspector: the selected node's properties. Each field is sent to
// Rust when it is committed (Enter or leaving the field); the findings
// that come back say what is wrong with the new value.
import { Fragment, useEffect, useState } from "react";
import {
  commands,
  type DocumentView_Serialize as DocumentView,
  type EventFamilyView,
  type FindingView_Serialize as FindingView,
  type NodeUpdate_Serialize as NodeUpdate,
  type NodeView_Serialize as NodeView,
  type RelationsView,
} from "../bindings";
import { EventPicker } from "./EventPicker";
import { SEVERITY } from "./Findings";

type Props = {
  node: NodeView | null;
  catalog: EventFamilyView[];
  /** Sends new properties; may answer whether Rust took them. */
  onChange: (id: string, props: NodeUpdate) => void | Promise<boolean>;
  /** The document, for the keyboard way to connect and disconnect. */
  document?: DocumentView;
  /** What the node is connected to, from Rust (`node_relations`). */
  relations?: RelationsView | null;
  onConnect?: (from: string, to: string) => void;
  onDisconnect?: (from: string, to: string) => void;
  /** Select another node (a bucket from "Triggered by"). */
  onSelect?: (id: string) => void;
  /** Make a read-only SNS or SQS entry the document's (a filter into a
   * topic or queue). */
  onManageDestination?: (id: string) => void;
};

/** What a node of each kind connects to downstream. */
const NEXT = { bucket: "filter or rule", filter: "function, topic or queue", rule: "function", topic: "function", queue: "function" } as const;

/** Connections without dragging: what this node feeds, with Disconnect,
 * and what it could feed — as Rust lists it (a filter is offered only the
 * functions of its bucket's region; an alias is told from the function). */
function Connections(props: {
  node: NodeView;
  document: DocumentView;
  relations: RelationsView | null;
  onConnect: (from: string, to: string) => void;
  onDisconnect: (from: string, to: string) => void;
}) {
  const { node, document, relations } = props;
  if (node.kind === "function" || node.kind === "foreign") return null;
  const kind = NEXT[node.kind];
  const title = new Map(document.nodes.map((n) => [n.id, n.title]));
  const outgoing = document.edges.filter((e) => e.source === node.id && !e.locked).map((e) => e.target);
  const candidates = relations?.candidates ?? [];
  return (
    <div className="connections" role="group" aria-label="Connections">
      <span className="connections-title">Sends events to</span>
      {outgoing.length === 0 && <p className="inspector-empty">nothing yet</p>}
      <ul>
        {outgoing.map((id) => (
          <li key={id}>
            {title.get(id) ?? id}{" "}
            <button
              type="button"
              aria-label={`Disconnect ${title.get(id) ?? id}`}
              onClick={() => props.onDisconnect(node.id, id)}
            >
              Disconnect
            </button>
          </li>
        ))}
      </ul>
      {candidates.length > 0 && (
        <select
          aria-label={`Connect to a ${kind}`}
          value=""
          onChange={(e) => {
            if (e.target.value !== "") props.onConnect(node.id, e.target.value);
          }}
        >
          <option value="">Connect to a {kind}…</option>
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

/** Where the node sits: a filter's bucket, a function's triggers. */
function Context({ node, relations, onSelect }: { node: NodeView; relations: RelationsView | null; onSelect?: (id: string) => void }) {
  if (relations === null) return null;
  const link = (id: string, label: string) =>
    onSelect === undefined ? (
      label
    ) : (
      <button type="button" className="link" onClick={() => onSelect(id)}>
        {label}
      </button>
    );
  if (node.kind === "filter") {
    return (
      <p className="inspector-context" aria-label="On bucket">
        On bucket: {relations.bucket == null ? "none yet (connect a bucket to it)" : link(relations.bucket.id, relations.bucket.label)}
      </p>
    );
  }
  if (node.kind !== "function") return null;
  return (
    <div className="inspector-context" role="group" aria-label="Triggered by">
      <span className="connections-title">Triggered by</span>
      {relations.triggeredBy.length === 0 ? (
        <p className="inspector-empty">no configuration yet</p>
      ) : (
        <ul>
          {relations.triggeredBy.map((t) => (
            <li key={t.filterId}>
              {link(t.bucketId, t.bucket)} · “{t.configurationId}” <span className="card-detail">{t.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** How S3 writes a prefix or suffix in event records, as the user types. */
function EncodedPreview({ text }: { text: string }) {
  const [encoded, setEncoded] = useState(text);
  useEffect(() => {
    let current = true;
    commands.encodeKey(text).then(
      (e) => current && setEncoded(e),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [text]);
  if (encoded === text) return null;
  return <span className="encoded">In events: {encoded}</span>;
}

type Field = { key: string; label: string; value: string; placeholder?: string; group?: string };

function fieldsOf(props: NodeUpdate): Field[] {
  switch (props.kind) {
    case "bucket":
      return [
        { key: "name", label: "Bucket name", value: props.name },
        { key: "region", label: "Region", value: props.region, placeholder: "us-east-1" },
        { key: "account", label: "Account id", value: props.account ?? "", placeholder: "123456789012" },
      ];
    case "filter":
      return [
        { key: "configurationId", label: "Configuration id", value: props.configurationId },
        { key: "prefix", label: "Key prefix", value: props.prefix ?? "", placeholder: "uploads/" },
        { key: "suffix", label: "Key suffix", value: props.suffix ?? "", placeholder: ".jpg" },
      ];
    case "function":
      return [
        {
          key: "arn",
          label: "Function ARN",
          value: props.arn,
          placeholder: "arn:aws:lambda:us-east-1:123456789012:function:name",
        },
        { key: "qualifier", label: "Alias or version", value: props.qualifier ?? "" },
        { key: "role", label: "Execution role ARN", value: props.role ?? "" },
        { key: "retryAttempts", label: "Retry attempts", value: props.retryAttempts ?? "", placeholder: "2 (default)", group: "async" },
        { key: "maxEventAge", label: "Maximum event age (s)", value: props.maxEventAge ?? "", placeholder: "21600 (default)", group: "async" },
        {
          key: "onFailure",
          label: "On-failure destination ARN",
          value: props.onFailure ?? "",
          placeholder: "arn:aws:sqs:us-east-1:123456789012:failed",
          group: "async",
        },
      ];
    case "rule":
      return [
        { key: "name", label: "Rule name", value: props.name },
        { key: "region", label: "Region", value: props.region, placeholder: "us-east-1" },
      ];
    case "queue":
      return [
        { key: "arn", label: "Queue ARN", value: props.arn, placeholder: "arn:aws:sqs:us-east-1:123456789012:name" },
        { key: "visibilityTimeout", label: "Visibility timeout (s)", value: props.visibilityTimeout ?? "", placeholder: "30 (SQS's default)" },
        { key: "deadLetterArn", label: "Dead-letter queue ARN", value: props.deadLetterArn ?? "", placeholder: "arn:aws:sqs:us-east-1:123456789012:name-dlq" },
        { key: "maxReceiveCount", label: "Receives before dead-lettering", value: props.maxReceiveCount ?? "", placeholder: "5" },
        { key: "kmsMasterKeyId", label: "KMS key (customer-managed)", value: props.kmsMasterKeyId ?? "", placeholder: "alias/name (empty: as the account has it)" },
        { key: "batchSize", label: "Batch size", value: props.batchSize ?? "", placeholder: "10 (default)", group: "mapping" },
        { key: "batchingWindow", label: "Batching window (s)", value: props.batchingWindow ?? "", placeholder: "0 (default)", group: "mapping" },
        { key: "maximumConcurrency", label: "Maximum concurrency", value: props.maximumConcurrency ?? "", placeholder: "no limit", group: "mapping" },
      ];
    case "topic":
      return [
        { key: "arn", label: "Topic ARN", value: props.arn, placeholder: "arn:aws:sns:us-east-1:123456789012:name" },
        { key: "kmsMasterKeyId", label: "KMS key (customer-managed)", value: props.kmsMasterKeyId ?? "", placeholder: "alias/name (empty: as the account has it)" },
      ];
  }
}

function withField(props: NodeUpdate, key: string, value: string): NodeUpdate {
  return { ...props, [key]: value } as NodeUpdate;
}

export function Inspector({ node, catalog, onChange, document, relations, onConnect, onDisconnect, onSelect, onManageDestination }: Props) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  // Drafts Rust refused: still shown (with why), no longer sent along.
  const [refused, setRefused] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    setDraft({});
    setRefused(new Set());
  }, [node?.id, node?.props]);
  // Validated as the user types: Rust checks the draft without applying it.
  const [checked, setChecked] = useState<FindingView[] | null>(null);
  useEffect(() => {
    const base = node?.props;
    if (node == null || base == null || Object.keys(draft).length === 0) {
      setChecked(null);
      return;
    }
    const merged = Object.entries(draft).reduce((p, [k, v]) => withField(p, k, v), base);
    let current = true;
    const timer = setTimeout(() => {
      void commands.checkUpdate(node.id, merged).then((outcome) => {
        if (!current) return;
        setChecked(
          outcome.status === "ok"
            ? outcome.data
            : [{ rule: outcome.error.code, severity: "error", message: outcome.error.message, nodes: [], source: "", fix: null, fixable: false }],
        );
      });
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft, node]);

  if (node === null) {
    return (
      <aside className="inspector" aria-label="Inspector">
        <p className="inspector-empty">Select a node to see and edit its properties.</p>
      </aside>
    );
  }
  const props = node.props;
  if (props == null) {
    return (
      <aside className="inspector" aria-label="Inspector">
        <h2 className="inspector-title">{node.title}</h2>
        <p className="inspector-readonly">
          🔒 Read from the account. Bucketwire keeps this destination exactly as it is and counts it in overlap
          checks, but does not edit it.
        </p>
        {node.details.map((line) => (
          <p key={line} className="card-detail">
            {line}
          </p>
        ))}
        {node.destination === "topic" && onManageDestination !== undefined && (
          <>
            <p className="inspector-empty">
              Manage it here to fan this entry out to Lambda functions: the entry becomes a filter into a topic card
              whose policy, key and subscriptions Apply keeps as the document says.
            </p>
            <button type="button" onClick={() => onManageDestination(node.id)}>
              Manage this topic
            </button>
          </>
        )}
        {node.destination === "queue" && onManageDestination !== undefined && (
          <>
            <p className="inspector-empty">
              Manage it here to have a Lambda function poll it: the entry becomes a filter into a queue card whose
              policy, attributes and mapping Apply keeps as the document says.
            </p>
            <button type="button" onClick={() => onManageDestination(node.id)}>
              Manage this queue
            </button>
          </>
        )}
      </aside>
    );
  }
  // Every change is sent with the fields already committed but not yet
  // answered (the drafts, kept until Rust's answer replaces the props): a
  // checkbox clicked right after Enter must not undo the field. A draft
  // Rust refused stays on screen but is not sent again unless edited.
  const send = (patch: Record<string, unknown>, retry?: string) => {
    const sent = Object.keys(draft).filter((k) => k === retry || !refused.has(k));
    const current = sent.reduce((p, k) => withField(p, k, draft[k]), props);
    const answer = onChange(node.id, { ...current, ...patch } as NodeUpdate);
    void answer?.then((took) => {
      if (!took) setRefused((r) => new Set([...r, ...sent]));
    });
  };
  const commit = (key: string) => {
    if (draft[key] === undefined) return;
    send({}, key);
  };
  return (
    <aside className="inspector" aria-label="Inspector">
      <h2 className="inspector-title">{node.title}</h2>
      {node.owner !== null && (
        <p className="inspector-owner" role="note">
          Managed by {node.owner}: its next deploy reverts what Apply writes here. Change it there, or export for it.
        </p>
      )}
      {fieldsOf(props).map((f, i, all) => (
        <Fragment key={f.key}>
        {f.group === "async" && all[i - 1]?.group !== "async" && (
          <h3 className="inspector-section">
            Asynchronous invocation
            <span className="inspector-hint">S3 always invokes asynchronously. Empty fields keep the account’s settings.</span>
          </h3>
        )}
        {f.group === "mapping" && all[i - 1]?.group !== "mapping" && (
          <h3 className="inspector-section">
            How Lambda polls it
            <span className="inspector-hint">The function drawn from the queue gets its messages in batches. Empty fields are Lambda’s defaults.</span>
          </h3>
        )}
        <label className="field">
          <span>{f.label}</span>
          <input
            value={draft[f.key] ?? f.value}
            placeholder={f.placeholder}
            spellCheck={false}
            onChange={(e) => setDraft((d) => ({ ...d, [f.key]: e.target.value }))}
            onBlur={() => commit(f.key)}
            onKeyDown={(e) => {
              if (e.key === "Enter") commit(f.key);
            }}
          />
          {(f.key === "prefix" || f.key === "suffix") && <EncodedPreview text={draft[f.key] ?? f.value} />}
        </label>
        </Fragment>
      ))}
      {props.kind === "function" && (
        <label className="field">
          <span>Recursion guard</span>
          <select
            value={props.recursiveLoop ?? ""}
            onChange={(e) => send({ recursiveLoop: e.target.value })}
          >
            <option value="">Keep the account’s</option>
            <option value="Terminate">Terminate loops (Lambda’s default)</option>
            <option value="Allow">Allow loops</option>
          </select>
        </label>
      )}
      {props.kind === "queue" && (
        <>
          <label className="field field-check">
            <input
              type="checkbox"
              checked={props.reportBatchItemFailures}
              onChange={(e) => send({ reportBatchItemFailures: e.target.checked })}
            />
            <span>Report batch item failures</span>
          </label>
          <label className="field field-check">
            <input type="checkbox" checked={props.enabled} onChange={(e) => send({ enabled: e.target.checked })} />
            <span>Polling enabled</span>
          </label>
        </>
      )}
      {props.kind === "rule" && (
        <>
          <label className="field">
            <span>Event pattern (JSON; the buckets drawn into the rule are added as detail.bucket.name)</span>
            <textarea
              className="pattern"
              rows={10}
              spellCheck={false}
              value={draft.pattern ?? props.pattern}
              onChange={(e) => setDraft((d) => ({ ...d, pattern: e.target.value }))}
              onBlur={() => commit("pattern")}
              onKeyDown={(e) => {
                if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) commit("pattern");
              }}
            />
          </label>
          <label className="field field-check">
            <input
              type="checkbox"
              checked={props.enabled}
              onChange={(e) => send({ enabled: e.target.checked })}
            />
            <span>Enabled</span>
          </label>
        </>
      )}
      {checked !== null && (
        <div className="as-typed" role="status" aria-label="As typed">
          {checked.length === 0 ? (
            <p>✓ Nothing wrong as typed (Enter to apply)</p>
          ) : (
            <ul>
              {checked.map((f, i) => (
                <li key={`${f.rule}-${i}`}>
                  {SEVERITY[f.severity].icon} {f.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {props.kind === "filter" && (
        <EventPicker catalog={catalog} events={props.events} onChange={(events) => send({ events })} />
      )}
      <Context node={node} relations={relations ?? null} onSelect={onSelect} />
      {document !== undefined && onConnect !== undefined && onDisconnect !== undefined && (
        <Connections
          node={node}
          document={document}
          relations={relations ?? null}
          onConnect={onConnect}
          onDisconnect={onDisconnect}
        />
      )}
    </aside>
  );
}

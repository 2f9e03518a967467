// The Connections screen: add, edit, remove and test connections. A secret
// typed here goes straight to Rust and into the OS keyring; no answer ever
// carries one back: a stored secret shows as "stored in the system
// keychain" with Replace and Remove.
import { useEffect, useState } from "react";
import { Modal } from "./Modal";
import {
  commands,
  type ConnectionInput_Serialize as ConnectionInput,
  type ConnectionKindView,
  type ConnectionView,
  type IdentityView,
} from "../bindings";

export type Current = { name: string; identity: IdentityView | null };

type Props = {
  current: Current | null;
  onCurrent: (current: Current | null) => void;
  onClose: () => void;
};

type Kind = ConnectionKindView["kind"];

const EMPTY: Record<Kind, ConnectionKindView> = {
  accessKey: { kind: "accessKey", accessKeyId: "" },
  profile: { kind: "profile", profile: "default" },
  // Empty, with a placeholder: a value already there would be typed after.
  endpoint: { kind: "endpoint", url: "", pathStyle: true },
};

function describe(how: ConnectionKindView): string {
  switch (how.kind) {
    case "accessKey":
      return `access key ${how.accessKeyId}`;
    case "profile":
      return `profile ${how.profile}`;
    case "endpoint":
      return `endpoint ${how.url}`;
  }
}

export function Connections({ current, onCurrent, onClose }: Props) {
  const [list, setList] = useState<ConnectionView[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [tested, setTested] = useState<Record<string, string>>({});
  const [form, setForm] = useState<(ConnectionInput & { secretStored: boolean }) | null>(null);

  // The Regions the form suggests (Rust's list; any other may be typed).
  const [regions, setRegions] = useState<string[]>([]);
  useEffect(() => {
    void commands.listConnections().then((o) => (o.status === "ok" ? setList(o.data) : setProblem(o.error.message)));
    commands.knownRegions().then(setRegions, () => setRegions([]));
  }, []);

  const answer = (o: { status: "ok"; data: ConnectionView[] } | { status: "error"; error: { message: string } }) => {
    if (o.status === "ok") {
      setList(o.data);
      setProblem(null);
      return true;
    }
    setProblem(o.error.message);
    return false;
  };

  const test = async (name: string) => {
    setTested((t) => ({ ...t, [name]: "testing…" }));
    const o = await commands.testConnection(name);
    if (o.status === "ok") {
      setTested((t) => ({ ...t, [name]: `✓ account ${o.data.account} · ${o.data.arn}` }));
      if (current?.name === name) onCurrent({ name, identity: o.data });
    } else {
      setTested((t) => ({ ...t, [name]: `✗ ${o.error.message}` }));
    }
  };

  const use = async (name: string) => {
    onCurrent({ name, identity: null });
    const o = await commands.testConnection(name);
    onCurrent({ name, identity: o.status === "ok" ? o.data : null });
    setTested((t) => ({
      ...t,
      [name]: o.status === "ok" ? `✓ account ${o.data.account} · ${o.data.arn}` : `✗ ${o.error.message}`,
    }));
  };

  return (
    <Modal label="Connections" className="connections-screen" onClose={onClose}>
      {problem !== null && <p role="alert">{problem}</p>}
      {list.length === 0 && <p className="inspector-empty">No connections yet.</p>}
      <ul className="connection-list">
        {list.map((c) => (
          <li key={c.name} aria-label={`Connection ${c.name}`}>
            <div>
              <strong>{c.name}</strong> {current?.name === c.name && <span>(current)</span>}
              <div className="card-detail">
                {describe(c.how)} · {c.region}
                {c.how.kind === "accessKey" && (c.secretStored ? " · secret stored in the system keychain" : " · no secret")}
              </div>
              {tested[c.name] !== undefined && <div className="tested" role="status">{tested[c.name]}</div>}
            </div>
            <span className="connection-actions">
              <button type="button" onClick={() => void use(c.name)}>
                Use
              </button>
              <button type="button" onClick={() => void test(c.name)}>
                Test
              </button>
              <button
                type="button"
                onClick={() => setForm({ name: c.name, region: c.region, how: c.how, secret: null, secretStored: c.secretStored })}
              >
                Edit
              </button>
              <button
                type="button"
                aria-label={`Remove ${c.name}`}
                onClick={() =>
                  void commands.removeConnection(c.name).then((o) => {
                    if (answer(o) && current?.name === c.name) onCurrent(null);
                  })
                }
              >
                Remove
              </button>
            </span>
          </li>
        ))}
      </ul>
      {form === null ? (
        <button type="button" onClick={() => setForm({ name: "", region: "us-east-1", how: EMPTY.profile, secret: null, secretStored: false })}>
          Add a connection
        </button>
      ) : (
        <form
          className="connection-form"
          aria-label="Connection"
          onSubmit={(e) => {
            e.preventDefault();
            const { secretStored: _, ...input } = form;
            void commands.saveConnection(input).then((o) => {
              if (answer(o)) setForm(null);
            });
          }}
        >
          <label className="field">
            <span>Name</span>
            <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label className="field">
            <span>Kind</span>
            <select
              value={form.how.kind}
              onChange={(e) => setForm({ ...form, how: EMPTY[e.target.value as Kind] })}
            >
              <option value="accessKey">Access key</option>
              <option value="profile">AWS profile (SSO, assume-role)</option>
              <option value="endpoint">Custom endpoint (moto, LocalStack)</option>
            </select>
          </label>
          <label className="field">
            <span>Region</span>
            <input
              value={form.region}
              list="known-regions"
              spellCheck={false}
              onChange={(e) => setForm({ ...form, region: e.target.value })}
            />
            <datalist id="known-regions">
              {regions.map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
          </label>
          {form.how.kind === "accessKey" && (
            <>
              <label className="field">
                <span>Access key id</span>
                <input
                  value={form.how.accessKeyId}
                  onChange={(e) => setForm({ ...form, how: { kind: "accessKey", accessKeyId: e.target.value } })}
                />
              </label>
              <label className="field">
                <span>Secret access key</span>
                <input
                  type="password"
                  autoComplete="off"
                  placeholder={form.secretStored ? "stored in the system keychain — type to replace" : ""}
                  value={form.secret ?? ""}
                  onChange={(e) => setForm({ ...form, secret: e.target.value })}
                />
              </label>
            </>
          )}
          {form.how.kind === "profile" && (
            <label className="field">
              <span>Profile</span>
              <input
                value={form.how.profile}
                onChange={(e) => setForm({ ...form, how: { kind: "profile", profile: e.target.value } })}
              />
            </label>
          )}
          {form.how.kind === "endpoint" && (
            <>
              <label className="field">
                <span>Endpoint URL</span>
                <input
                  value={form.how.url}
                  placeholder="http://127.0.0.1:5000"
                  onChange={(e) =>
                    setForm({ ...form, how: { kind: "endpoint", url: e.target.value, pathStyle: form.how.kind === "endpoint" && form.how.pathStyle } })
                  }
                />
              </label>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={form.how.pathStyle}
                  onChange={(e) =>
                    setForm({ ...form, how: { kind: "endpoint", url: form.how.kind === "endpoint" ? form.how.url : "", pathStyle: e.target.checked } })
                  }
                />
                Path-style addressing
              </label>
            </>
          )}
          <span className="connection-actions">
            <button type="button" onClick={() => setForm(null)}>
              Cancel
            </button>
            <button type="submit">Save</button>
          </span>
        </form>
      )}
    </Modal>
  );
}

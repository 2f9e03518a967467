// The inspector: the selected node's properties. Each field is sent to
// Rust when it is committed (Enter or leaving the field); the findings
// that come back say what is wrong with the new value.
import { useEffect, useState } from "react";
import {
  commands,
  type EventFamilyView,
  type NodeUpdate_Serialize as NodeUpdate,
  type NodeView_Serialize as NodeView,
} from "../bindings";
import { EventPicker } from "./EventPicker";

type Props = {
  node: NodeView | null;
  catalog: EventFamilyView[];
  onChange: (id: string, props: NodeUpdate) => void;
};

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

type Field = { key: string; label: string; value: string; placeholder?: string };

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
      ];
  }
}

function withField(props: NodeUpdate, key: string, value: string): NodeUpdate {
  return { ...props, [key]: value } as NodeUpdate;
}

export function Inspector({ node, catalog, onChange }: Props) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  useEffect(() => setDraft({}), [node?.id, node?.props]);

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
      </aside>
    );
  }
  const commit = (key: string) => {
    const value = draft[key];
    if (value === undefined) return;
    onChange(node.id, withField(props, key, value));
  };
  return (
    <aside className="inspector" aria-label="Inspector">
      <h2 className="inspector-title">{node.title}</h2>
      {fieldsOf(props).map((f) => (
        <label key={f.key} className="field">
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
      ))}
      {props.kind === "filter" && (
        <EventPicker catalog={catalog} events={props.events} onChange={(events) => onChange(node.id, { ...props, events })} />
      )}
    </aside>
  );
}

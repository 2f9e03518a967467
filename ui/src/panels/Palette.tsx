// The left sidebar: the palette (drag a kind onto the canvas, or press it
// to add one in the middle of the view, the keyboard way) and, for an
// imported account, the buckets without notifications.
import type { ReactNode } from "react";
import type { NodeKind } from "../bindings";
import { KindIcon } from "../canvas/kinds";

export const DRAG_TYPE = "application/x-bucketwire-node";

const ITEMS: { kind: NodeKind; label: string; hint: string }[] = [
  { kind: "bucket", label: "Bucket", hint: "An S3 bucket whose events start the flow" },
  { kind: "filter", label: "Filter", hint: "Which events and keys trigger (one notification configuration)" },
  { kind: "function", label: "Function", hint: "The Lambda function S3 invokes" },
  { kind: "rule", label: "Rule", hint: "An EventBridge rule: matches a bucket's events by content (wildcards, several prefixes), every matching rule fires" },
  { kind: "topic", label: "Topic", hint: "An SNS topic: fans one filter's events out to every function subscribed to it" },
  { kind: "queue", label: "Queue", hint: "An SQS queue: buffers a busy filter's events for one function, in batches, with a dead-letter queue" },
];

export function Palette({ onAdd, children }: { onAdd: (kind: NodeKind) => void; children?: ReactNode }) {
  return (
    <div className="sidebar">
      <nav className="palette" aria-label="Palette">
        <h2 className="sidebar-title">Add</h2>
        {ITEMS.map((item) => (
          <button
            key={item.kind}
            type="button"
            className={`palette-item palette-${item.kind}`}
            draggable
            title={`${item.hint}. Drag onto the canvas, or press to add in the middle.`}
            aria-label={`Add ${item.label}`}
            onDragStart={(e) => {
              e.dataTransfer.setData(DRAG_TYPE, item.kind);
              e.dataTransfer.effectAllowed = "copy";
            }}
            onClick={() => onAdd(item.kind)}
          >
            <KindIcon kind={item.kind} size={18} />
            <span className="palette-label">{item.label}</span>
          </button>
        ))}
      </nav>
      {children}
    </div>
  );
}

// The palette: drag a kind onto the canvas, or press its button to add one
// in the middle of the view (the keyboard way).
import type { NodeKind } from "../bindings";

export const DRAG_TYPE = "application/x-bucketwire-node";

const ITEMS: { kind: NodeKind; label: string; hint: string }[] = [
  { kind: "bucket", label: "Bucket", hint: "An S3 bucket whose events start the flow" },
  { kind: "filter", label: "Filter", hint: "Which events and keys trigger (one notification configuration)" },
  { kind: "function", label: "Function", hint: "The Lambda function S3 invokes" },
];

export function Palette({ onAdd }: { onAdd: (kind: NodeKind) => void }) {
  return (
    <nav className="palette" aria-label="Palette">
      {ITEMS.map((item) => (
        <button
          key={item.kind}
          type="button"
          className={`palette-item palette-${item.kind}`}
          draggable
          title={item.hint}
          aria-label={`Add ${item.label}`}
          onDragStart={(e) => {
            e.dataTransfer.setData(DRAG_TYPE, item.kind);
            e.dataTransfer.effectAllowed = "copy";
          }}
          onClick={() => onAdd(item.kind)}
        >
          {item.label}
        </button>
      ))}
    </nav>
  );
}

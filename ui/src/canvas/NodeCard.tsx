// One card per node kind: a bucket has only an output, a function only an
// input, a filter sits between them (the flow reads left to right).
import { memo } from "react";
import { Handle, Position, useStore, type NodeProps } from "@xyflow/react";
import type { CardNode } from "./toFlow";
import type { NodeView } from "../bindings";
import { SEVERITY } from "../panels/Findings";
import { DESTINATION_LABEL, KIND_LABEL, KindIcon } from "./kinds";

/** Below this zoom cards are compact: the name, large, over the card
 * (two lines, an ellipsis where it does not fit, the full name on hover),
 * and the worst finding; the full card keeps its place underneath, hidden,
 * so a card is the same size at every zoom (the layout and Fit view count
 * on it). The name's size on screen is held at a readable one as the view
 * zooms out, up to what the card can hold (app.css, `--zoom`). */
export const COMPACT_ZOOM = 0.55;

export function NodeCard({ data }: NodeProps<CardNode>) {
  const { view } = data;
  // A boolean selector: cards re-render only when the zoom crosses it.
  const compact = useStore((s) => s.transform[2] < COMPACT_ZOOM);
  const badge =
    view.badge === null ? null : (
      <span
        className={`badge badge-${view.badge.severity}`}
        aria-label={`${view.badge.count} finding${view.badge.count === 1 ? "" : "s"}, worst: ${SEVERITY[view.badge.severity].word}`}
      >
        {SEVERITY[view.badge.severity].icon} {view.badge.count}
      </span>
    );
  return (
    <div
      className={`card card-${view.kind}${compact ? " card-compact" : ""}`}
      role="group"
      aria-label={`${KIND_LABEL[view.kind]} ${view.title}`}
      data-testid={`node-${view.id}`}
      title={compact ? view.title : undefined}
    >
      {view.kind !== "bucket" && (
        <Handle type="target" position={Position.Left} isConnectable={view.kind !== "foreign"} />
      )}
      <div className="card-kind">
        <KindIcon kind={view.kind} size={14} destination={view.destination} />
        {view.destination === null ? KIND_LABEL[view.kind] : DESTINATION_LABEL[view.destination]}
      </div>
      {badge}
      <div className="card-title">{view.title}</div>
      {view.details.map((line) => (
        <div className="card-detail" key={line} title={line}>
          {line}
        </div>
      ))}
      {compact && (
        <div className="card-overview" aria-hidden="true">
          <span className="card-overview-name">
            <KindIcon kind={view.kind} size={14} destination={view.destination} />
            {view.title}
          </span>
          {view.badge !== null && (
            <span className={`card-overview-badge badge-${view.badge.severity}`}>{SEVERITY[view.badge.severity].icon}</span>
          )}
        </div>
      )}
      {view.kind !== "function" && view.kind !== "foreign" && <Handle type="source" position={Position.Right} />}
    </div>
  );
}

const Card = memo(NodeCard);

export const nodeTypes = { bucket: Card, filter: Card, function: Card, rule: Card, topic: Card, queue: Card, foreign: Card } satisfies Record<NodeView["kind"], typeof Card>;

// The minimap: every card as a small box in its kind's accent, outlined in
// its worst finding's colour, and the part of the canvas in view. Drawn as
// one SVG path per kind and finding (not an element per card, as React
// Flow's MiniMap draws, each subscribed to the flow's store): an edit on an
// account of a thousand cards redraws a handful of paths instead of
// re-running a thousand selectors. Click or drag to move the view there;
// the wheel zooms. Presentation only.
import { useMemo, useRef, type PointerEvent, type WheelEvent } from "react";
import { useReactFlow, useStore, type Rect } from "@xyflow/react";
import type { NodeKind, SeverityView as Severity } from "../bindings";
import { boundsOf } from "./focus";
import { boxesOf } from "./Overview";
import type { CardNode } from "./toFlow";

/** The minimap's size on screen (px). */
const WIDTH = 168;
const HEIGHT = 112;

// The theme's colours (CSS variables apply to SVG fills and strokes).
const KIND_COLOUR: Record<NodeKind, string> = {
  bucket: "var(--bucket)",
  filter: "var(--filter)",
  function: "var(--function)",
  rule: "var(--rule)",
  topic: "var(--topic)",
  queue: "var(--queue)",
  foreign: "var(--foreign)",
};
const SEVERITY_COLOUR: Record<Severity, string> = { error: "var(--error)", warning: "var(--warning)", info: "var(--info)" };

/** One path of boxes: a kind, with the worst finding of its cards. */
export type Layer = { kind: NodeKind; severity: Severity | null; d: string; count: number };

/** The cards as one path per kind and worst finding, and their bounds. */
export function layersOf(nodes: CardNode[]): { layers: Layer[]; bounds: Rect | null } {
  const byKey = new Map<string, Layer & { parts: string[] }>();
  const boxes = boxesOf(nodes);
  for (const b of boxes) {
    const view = b.node.data.view;
    const severity = view.badge?.severity ?? null;
    const key = `${view.kind} ${severity ?? ""}`;
    let layer = byKey.get(key);
    if (layer === undefined) {
      layer = { kind: view.kind, severity, d: "", count: 0, parts: [] };
      byKey.set(key, layer);
    }
    layer.parts.push(`M${Math.round(b.x)} ${Math.round(b.y)}h${Math.round(b.width)}v${Math.round(b.height)}h${-Math.round(b.width)}z`);
    layer.count += 1;
  }
  // Findings drawn last, so their outlines are on top.
  const layers = [...byKey.values()]
    .map(({ parts, ...layer }) => ({ ...layer, d: parts.join("") }))
    .sort((a, b) => Number(a.severity !== null) - Number(b.severity !== null));
  return { layers, bounds: boundsOf(boxes.map((b) => b.node)) };
}

export function Minimap({ nodes }: { nodes: CardNode[] }) {
  const flow = useReactFlow();
  const { layers, bounds } = useMemo(() => layersOf(nodes), [nodes]);
  const [tx, ty, zoom] = useStore((s) => s.transform);
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const svg = useRef<SVGSVGElement>(null);
  const view = { x: -tx / zoom, y: -ty / zoom, width: paneWidth / zoom, height: paneHeight / zoom };
  // What the minimap shows: every card and the view, with a margin.
  const all = bounds === null ? view : union(bounds, view);
  const pad = Math.max(all.width, all.height) * 0.05;
  const box = { x: all.x - pad, y: all.y - pad, width: all.width + 2 * pad, height: all.height + 2 * pad };
  // Outlines a fixed width on screen, whatever the scale: thin enough
  // that a small card's fill (its kind) still shows inside its outline.
  const unit = Math.max(box.width / WIDTH, box.height / HEIGHT);

  const moveTo = (e: PointerEvent<SVGSVGElement>) => {
    const matrix = svg.current?.getScreenCTM();
    if (matrix == null) return;
    const at = new DOMPoint(e.clientX, e.clientY).matrixTransform(matrix.inverse());
    void flow.setCenter(at.x, at.y, { zoom });
  };
  const onWheel = (e: WheelEvent<SVGSVGElement>) => {
    void flow.zoomTo(zoom * (e.deltaY < 0 ? 1.2 : 1 / 1.2));
  };

  return (
    <svg
      ref={svg}
      className="react-flow__minimap minimap"
      role="img"
      aria-label="Minimap"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        moveTo(e);
      }}
      onPointerMove={(e) => {
        if (e.buttons === 1) moveTo(e);
      }}
      onWheel={onWheel}
    >
      {layers.map((l) => (
        <path
          key={`${l.kind} ${l.severity ?? ""}`}
          className="minimap-cards"
          data-kind={l.kind}
          data-severity={l.severity ?? undefined}
          data-count={l.count}
          d={l.d}
          fill={KIND_COLOUR[l.kind]}
          stroke={l.severity === null ? "none" : SEVERITY_COLOUR[l.severity]}
          strokeWidth={l.severity === null ? 0 : 1.5 * unit}
        />
      ))}
      {/* The canvas outside the view, veiled. */}
      <path
        className="minimap-mask"
        fillRule="evenodd"
        d={`M${box.x} ${box.y}h${box.width}v${box.height}h${-box.width}z M${view.x} ${view.y}h${view.width}v${view.height}h${-view.width}z`}
        stroke="var(--accent)"
        strokeWidth={unit}
      />
    </svg>
  );
}

function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

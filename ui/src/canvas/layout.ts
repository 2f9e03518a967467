// Auto-layout: dagre's layered layout, left to right (buckets, then
// filters, then functions), over the sizes React Flow measured, one lane
// per region side by side (sorted by region, as an import lays them out).
// Positions are UI state until sent to Rust as one move (one undo step).
// SQS, SNS and EventBridge destinations take part in the layout, but they
// are not document nodes (Rust draws them beside their bucket), so no move
// is sent for them.
import dagre from "@dagrejs/dagre";
import type { Edge, Node } from "@xyflow/react";

export type Move = { id: string; x: number; y: number };

/** Horizontal gap between two region lanes. */
const LANE_GAP = 200;

type View = { kind?: string; region?: string | null };
const viewOf = (n: Node) => (n.data as { view?: View } | undefined)?.view;

export function layOut(nodes: Node[], edges: Edge[]): Move[] {
  const lanes = new Map<string, Node[]>();
  for (const n of nodes) {
    const region = viewOf(n)?.region ?? "";
    lanes.set(region, [...(lanes.get(region) ?? []), n]);
  }
  const moves: Move[] = [];
  let left = 0;
  for (const region of [...lanes.keys()].sort()) {
    const lane = lanes.get(region) ?? [];
    const ids = new Set(lane.map((n) => n.id));
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 120, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of lane) {
      g.setNode(n.id, { width: n.measured?.width ?? 220, height: n.measured?.height ?? 90 });
    }
    for (const e of edges) if (ids.has(e.source) && ids.has(e.target)) g.setEdge(e.source, e.target);
    dagre.layout(g);
    let right = left;
    for (const n of lane) {
      const p = g.node(n.id);
      // dagre gives centres; React Flow wants top-left corners.
      const x = Math.round(left + p.x - p.width / 2);
      right = Math.max(right, x + p.width);
      if (viewOf(n)?.kind !== "foreign") moves.push({ id: n.id, x, y: Math.round(p.y - p.height / 2) });
    }
    left = right + LANE_GAP;
  }
  return moves;
}

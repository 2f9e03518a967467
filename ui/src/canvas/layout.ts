// Auto-layout: dagre's layered layout, left to right (buckets, then
// filters, then functions), over the sizes React Flow measured. Positions
// are UI state until sent to Rust as one move (one undo step). SQS, SNS and
// EventBridge destinations take part in the layout, but they are not
// document nodes (Rust draws them beside their bucket), so no move is sent
// for them.
import dagre from "@dagrejs/dagre";
import type { Edge, Node } from "@xyflow/react";

export type Move = { id: string; x: number; y: number };

export function layOut(nodes: Node[], edges: Edge[]): Move[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 120, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    g.setNode(n.id, { width: n.measured?.width ?? 220, height: n.measured?.height ?? 90 });
  }
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const isForeign = (n: Node) => (n.data as { view?: { kind?: string } } | undefined)?.view?.kind === "foreign";
  return nodes.filter((n) => !isForeign(n)).map((n) => {
    const p = g.node(n.id);
    // dagre gives centres; React Flow wants top-left corners.
    return { id: n.id, x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) };
  });
}

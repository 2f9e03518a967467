// Turns the Rust-built DocumentView into React Flow's node and edge shapes.
// Pure rendering glue: no product rules live here.
import type { Edge, Node } from "@xyflow/react";
import type { DocumentView_Serialize as DocumentView, NodeView_Serialize as NodeView } from "../bindings";

export type CardData = { view: NodeView };
export type CardNode = Node<CardData, NodeView["kind"]>;

/** `lit`: nodes "Try a key" lights up; edges between two of them light too.
 * `dimmed`: nodes the canvas filter leaves out, drawn faint. */
export function toFlow(
  doc: DocumentView,
  lit: string[] = [],
  dimmed: string[] = [],
): { nodes: CardNode[]; edges: Edge[] } {
  const on = new Set(lit);
  const faint = new Set(dimmed);
  const nodes: CardNode[] = doc.nodes.map((view) => ({
    id: view.id,
    type: view.kind,
    position: { x: view.x ?? 0, y: view.y ?? 0 },
    data: { view },
    className: on.has(view.id) ? "lit" : faint.has(view.id) ? "dimmed" : undefined,
    // Foreign destinations are read from the account: never moved,
    // deleted or connected by hand.
    ...(view.kind === "foreign" ? { draggable: false, deletable: false, connectable: false } : {}),
  }));
  const edges: Edge[] = doc.edges.map((e) => {
    const path = on.has(e.source) && on.has(e.target);
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      // Curves from handle to handle: two paths never share a trunk (a
      // step edge runs vertical segments that many edges share).
      type: "default",
      // Lit edges are drawn solid, never animated without end: a
      // never-ending dash animation repaints every lit edge each frame,
      // which a window without a GPU pays ~100 ms a frame for. Try a key's
      // path flows briefly (CSS, .traced).
      className:
        [path ? "lit" : "", e.locked ? "locked" : "", e.severity != null ? `finding-${e.severity}` : ""]
          .join(" ")
          .trim() || undefined,
      ...(e.locked ? { deletable: false, label: "🔒", ariaLabel: "Read-only destination" } : {}),
    };
  });
  return { nodes, edges };
}

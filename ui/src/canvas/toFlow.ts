// Turns the Rust-built DocumentView into React Flow's node and edge shapes.
// Pure rendering glue: no product rules live here.
import type { Edge, Node } from "@xyflow/react";
import type { DocumentView_Serialize as DocumentView, NodeView_Serialize as NodeView } from "../bindings";

export type CardData = { view: NodeView };
export type CardNode = Node<CardData, NodeView["kind"]>;

export function toFlow(doc: DocumentView): { nodes: CardNode[]; edges: Edge[] } {
  const nodes: CardNode[] = doc.nodes.map((view) => ({
    id: view.id,
    type: view.kind,
    position: { x: view.x ?? 0, y: view.y ?? 0 },
    data: { view },
  }));
  const edges: Edge[] = doc.edges.map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    type: "smoothstep",
  }));
  return { nodes, edges };
}

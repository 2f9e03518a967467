import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { ReactFlow, ReactFlowProvider } from "@xyflow/react";
import sample from "../mock/sample-view.json";
import type { EditorView_Serialize as EditorView } from "../bindings";
import { nodeTypes } from "./NodeCard";
import { toFlow } from "./toFlow";

const doc = (sample as unknown as EditorView).document;

describe("toFlow", () => {
  it("keeps ids, kinds and positions from the Rust view", () => {
    const { nodes, edges } = toFlow(doc);
    expect(nodes.map((n) => [n.id, n.type, n.position.x])).toEqual(
      doc.nodes.map((n) => [n.id, n.kind, n.x ?? 0]),
    );
    expect(edges.map((e) => `${e.source}->${e.target}`)).toEqual(
      doc.edges.map((e) => `${e.source}->${e.target}`),
    );
  });
});

describe("NodeCard", () => {
  it("renders each node with its kind, title and details", () => {
    const { nodes, edges } = toFlow(doc);
    render(
      <ReactFlowProvider>
        <div style={{ width: 1000, height: 600 }}>
          <ReactFlow defaultNodes={nodes} defaultEdges={edges} nodeTypes={nodeTypes} />
        </div>
      </ReactFlowProvider>,
    );
    for (const node of doc.nodes) {
      const card = screen.getByTestId(`node-${node.id}`);
      expect(card.querySelector(".card-title")?.textContent).toBe(node.title);
      for (const line of node.details) expect(card.textContent).toContain(line);
    }
    expect(screen.getByLabelText("S3 bucket acme-photos").dataset.testid).toBe("node-photos");
    // A bucket has no input handle; a function has no output handle.
    expect(screen.getByTestId("node-photos").querySelector(".react-flow__handle-left")).toBeNull();
    expect(screen.getByTestId("node-make-thumbnail").querySelector(".react-flow__handle-right")).toBeNull();
  });
});

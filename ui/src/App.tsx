import { useEffect, useState } from "react";
import { Background, Controls, MiniMap, ReactFlow, type Edge } from "@xyflow/react";
import { commands, type DocumentView } from "./bindings";
import { nodeTypes } from "./canvas/NodeCard";
import { toFlow, type CardNode } from "./canvas/toFlow";

type Loaded = { nodes: CardNode[]; edges: Edge[] };

export function App() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    commands
      .openSample()
      .then((doc: DocumentView) => setLoaded(toFlow(doc)))
      .catch((e: unknown) => setFailure(String(e)));
  }, []);

  return (
    <div className="app">
      <header className="topbar">
        <span className="app-name">Bucketwire</span>
        <span className="doc-name" aria-label="Document">
          Sample: thumbnails
        </span>
      </header>
      <main className="canvas" aria-label="Canvas">
        {failure !== null && (
          <p role="alert" className="failure">
            Could not load the document: {failure}
          </p>
        )}
        {loaded !== null && (
          <ReactFlow
            defaultNodes={loaded.nodes}
            defaultEdges={loaded.edges}
            nodeTypes={nodeTypes}
            fitView
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <MiniMap pannable zoomable ariaLabel="Minimap" />
            <Controls />
          </ReactFlow>
        )}
      </main>
    </div>
  );
}

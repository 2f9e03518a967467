import { useCallback, useEffect, useState } from "react";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { commands, type FindingView_Serialize as FindingView, type NodeKind } from "./bindings";
import { Canvas } from "./canvas/Canvas";
import { useEditor } from "./editor/useEditor";
import { Findings } from "./panels/Findings";
import { Inspector } from "./panels/Inspector";
import { Palette } from "./panels/Palette";

function Editor() {
  const editor = useEditor();
  const { view, run, load } = editor;
  const [selected, setSelected] = useState<string[]>([]);
  const flow = useReactFlow();

  useEffect(() => {
    void load(commands.openSample);
  }, [load]);

  const undo = useCallback(() => load(commands.undo), [load]);
  const redo = useCallback(() => load(commands.redo), [load]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== "z") return;
      const target = e.target as HTMLElement | null;
      if (target !== null && ["INPUT", "TEXTAREA"].includes(target.tagName)) return;
      e.preventDefault();
      void (e.shiftKey ? redo() : undo());
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo]);

  const addAtCentre = (kind: NodeKind) => {
    const box = document.querySelector(".canvas")?.getBoundingClientRect();
    const at = flow.screenToFlowPosition({
      x: (box?.left ?? 0) + (box?.width ?? 0) / 2,
      y: (box?.top ?? 0) + (box?.height ?? 0) / 2,
    });
    void run(() => commands.addNode(kind, Math.round(at.x), Math.round(at.y)));
  };

  const selectFinding = (f: FindingView) => {
    setSelected(f.nodes);
    void flow.fitView({ nodes: f.nodes.map((id) => ({ id })), duration: 300, maxZoom: 1.2 });
  };

  const single = view !== null && selected.length === 1 ? view.document.nodes.find((n) => n.id === selected[0]) : undefined;

  return (
    <div className="app">
      <header className="topbar">
        <span className="app-name">Bucketwire</span>
        <span className="doc-name" aria-label="Document">
          {view?.path ?? "Sample: thumbnails"}
          {view?.dirty === true && (
            <span className="dirty" aria-label="Unsaved changes" title="Unsaved changes">
              {" "}●
            </span>
          )}
        </span>
        <span className="toolbar">
          <button type="button" onClick={() => void load(commands.newDocument)}>
            New
          </button>
          <button type="button" onClick={() => void undo()} disabled={view?.canUndo !== true} title="Ctrl/Cmd+Z">
            Undo
          </button>
          <button type="button" onClick={() => void redo()} disabled={view?.canRedo !== true} title="Shift+Ctrl/Cmd+Z">
            Redo
          </button>
        </span>
      </header>
      <div className="workspace">
        <Palette onAdd={addAtCentre} />
        <main className="canvas" aria-label="Canvas">
          {editor.problem !== null && (
            <p role="alert" className="problem">
              {editor.problem}
              <button type="button" aria-label="Dismiss" onClick={editor.dismiss}>
                ×
              </button>
            </p>
          )}
          {view !== null && (
            <Canvas
              document={view.document}
              selected={selected}
              onSelect={setSelected}
              onAdd={(kind, x, y) => void run(() => commands.addNode(kind, x, y))}
              onConnect={(from, to) => void run(() => commands.connect(from, to))}
              onDisconnect={(from, to) => void run(() => commands.disconnect(from, to))}
              onRemove={(ids) => {
                setSelected([]);
                void run(() => commands.removeNodes(ids));
              }}
              onMoved={(moves) => void run(() => commands.moveNodes(moves))}
            />
          )}
        </main>
        <Inspector node={single ?? null} onChange={(id, props) => void run(() => commands.updateNode(id, props))} />
      </div>
      {view !== null && (
        <Findings
          findings={view.findings}
          onSelect={selectFinding}
          onFix={(index) => void run(() => commands.applyFix(index))}
        />
      )}
    </div>
  );
}

export function App() {
  return (
    <ReactFlowProvider>
      <Editor />
    </ReactFlowProvider>
  );
}

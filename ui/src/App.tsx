import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import {
  commands,
  type EventFamilyView,
  type FindingView_Serialize as FindingView,
  type NodeKind,
  type TemplateView,
  type RelationsView,
  type TryKeyView,
} from "./bindings";
import { StartScreen } from "./panels/StartScreen";
import { Connections, type Current } from "./panels/Connections";
import { Review } from "./panels/Review";
import { Import } from "./panels/Import";
import { Tour } from "./panels/Tour";
import { Canvas } from "./canvas/Canvas";
import { useEditor } from "./editor/useEditor";
import { Findings } from "./panels/Findings";
import { Inspector } from "./panels/Inspector";
import { Palette } from "./panels/Palette";
import { Toolbar } from "./panels/Toolbar";
import { TryKey } from "./panels/TryKey";
import { Parked } from "./panels/Parked";
import { CanvasFilter, NO_FILTER, dimmedBy, type CanvasFilterState } from "./panels/CanvasFilter";
import { Finder, type FinderItem } from "./panels/Finder";
import { layOut, warmUpLayout } from "./canvas/layout";
import { arrangement } from "./canvas/arrange";
import { canvasSvg } from "./canvas/image";
import { useFocus } from "./canvas/focus";
import type { CardNode } from "./canvas/toFlow";
import { EXPORTS } from "./editor/documents";
import * as docs from "./editor/documents";

function Editor() {
  const editor = useEditor();
  const { view, run, load } = editor;
  const [selected, setSelected] = useState<string[]>([]);
  const [recent, setRecent] = useState<string[]>([]);
  const [exported, setExported] = useState<string[]>([]);
  const [recovery, setRecovery] = useState<string | null>(null);
  const [catalog, setCatalog] = useState<EventFamilyView[]>([]);
  const [tried, setTried] = useState<TryKeyView | null>(null);
  const [canvasFilter, setCanvasFilter] = useState<CanvasFilterState>(NO_FILTER);
  // What the single selected node is connected to (Rust's answer): its
  // path lights on the canvas, the inspector lists it.
  const [relationsOf, setRelationsOf] = useState<{ id: string; view: RelationsView } | null>(null);
  const [finding, setFinding] = useState(false);
  const [fitKey, setFitKey] = useState(0);
  const [templates, setTemplates] = useState<TemplateView[]>([]);
  const [touring, setTouring] = useState(false);
  const [connecting, setConnecting] = useState(false);
  const [connection, setConnection] = useState<Current | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const flow = useReactFlow();
  const focus = useFocus();

  useEffect(() => {
    commands.recoveryStatus().then(setRecovery, () => setRecovery(null));
    commands.eventCatalog().then(setCatalog, () => setCatalog([]));
    commands.templates().then(setTemplates, () => setTemplates([]));
    // With the local sandbox (`make run`), start connected to it.
    commands.sandboxConnection().then(
      async (name) => {
        if (name === null) return;
        setConnection({ name, identity: null });
        const tested = await commands.testConnection(name);
        if (tested.status === "ok") setConnection({ name, identity: tested.data });
      },
      () => undefined,
    );
    // The layout engine loads while the window is idle: an import's
    // arrangement then starts at once.
    const idle = window.requestIdleCallback ?? ((run: () => void) => window.setTimeout(run, 1000));
    idle(() => void warmUpLayout().catch(() => undefined));
    // The first start opens the tour over the sample.
    commands.tourSeen().then((seen) => setTouring(!seen), () => setTouring(false));
    // A reload keeps the open document; a fresh start shows the sample.
    void load(async () => {
      const now = await commands.current();
      const untouched = now.document.nodes.length === 0 && now.path === null && !now.canUndo;
      return untouched ? commands.openSample() : now;
    });
  }, [load]);

  const undo = useCallback(() => load(commands.undo), [load]);
  const redo = useCallback(() => load(commands.redo), [load]);

  // The copied fragment, as a promise: Paste right after Copy waits for it.
  const clipboard = useRef<Promise<string> | null>(null);
  const pastes = useRef(0);
  const copySelection = useCallback(() => {
    if (selected.length === 0) return;
    clipboard.current = commands.copyNodes(selected);
    pastes.current = 0;
  }, [selected]);
  const paste = useCallback(async () => {
    const fragment = await clipboard.current;
    if (fragment == null) return;
    pastes.current += 1;
    const shift = 40 * pastes.current;
    await run(() => commands.pasteNodes(fragment, shift, shift));
  }, [run]);
  const duplicate = useCallback(async () => {
    if (selected.length > 0) await run(() => commands.duplicateNodes(selected));
  }, [run, selected]);
  // While the canvas is being arranged (Auto-layout, an import's layout):
  // the canvas says it is busy.
  const [arranging, setArranging] = useState(false);
  const autoLayout = useCallback(async () => {
    const nodes = flow.getNodes();
    setArranging(true);
    if (nodes.length > 300) setNotice(`Arranging ${nodes.length} cards…`);
    try {
      const moves = await layOut(nodes, flow.getEdges());
      if (moves.length > 0) await run(() => commands.moveNodes(moves));
    } catch (e) {
      editor.report(`Auto-layout could not arrange the canvas: ${String(e)}`);
    } finally {
      setArranging(false);
    }
    if (nodes.length > 300) setNotice(null);
    setFitKey((k) => k + 1);
  }, [flow, run, editor]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const key = e.key.toLowerCase();
      const target = e.target as HTMLElement | null;
      // Text fields keep their own undo, copy and paste.
      const typing = target !== null && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
      const always: Record<string, () => Promise<void> | void> = {
        n: () => docs.newDocument(editor),
        o: () => docs.openDocument(editor),
        s: () => (e.shiftKey ? docs.saveDocumentAs(editor) : docs.saveDocument(editor)),
        k: () => setFinding(true),
      };
      const onCanvas: Record<string, () => Promise<void> | void> = {
        z: () => (e.shiftKey ? redo() : undo()),
        y: () => redo(),
        c: () => copySelection(),
        v: () => paste(),
        d: () => duplicate(),
        l: () => (e.shiftKey ? autoLayout() : undefined),
      };
      const action = always[key] ?? (typing ? undefined : onCanvas[key]);
      if (action === undefined) return;
      e.preventDefault();
      void action();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo, editor, copySelection, paste, duplicate, autoLayout]);

  const addAtCentre = (kind: NodeKind) => {
    const box = document.querySelector(".canvas")?.getBoundingClientRect();
    const at = flow.screenToFlowPosition({
      x: (box?.left ?? 0) + (box?.width ?? 0) / 2,
      y: (box?.top ?? 0) + (box?.height ?? 0) / 2,
    });
    void run(() => commands.addNode(kind, Math.round(at.x), Math.round(at.y)));
  };

  // A parked bucket comes onto the canvas where the user is looking (one
  // move, one undo step), selected so it can be wired at once.
  const showParked = async (id: string) => {
    const box = document.querySelector(".canvas")?.getBoundingClientRect();
    const at = flow.screenToFlowPosition({
      x: (box?.left ?? 0) + (box?.width ?? 0) / 2,
      y: (box?.top ?? 0) + (box?.height ?? 0) / 2,
    });
    if (await run(() => commands.moveNodes([{ id, x: Math.round(at.x), y: Math.round(at.y) }]))) setSelected([id]);
  };

  const selectFinding = (f: FindingView) => {
    setSelected(f.nodes);
    focus(f.nodes, { maxZoom: 1.2 });
  };

  const finderItems = (): FinderItem[] => {
    const nodes: FinderItem[] = (view?.document.nodes ?? []).map((n) => ({
      key: `node-${n.id}`,
      label: n.title,
      hint: n.kind,
      run: () => {
        setSelected([n.id]);
        focus([n.id], { maxZoom: 1.2 });
      },
    }));
    const actions: FinderItem[] = [
      { key: "new", label: "New document", hint: "Ctrl/Cmd+N", run: () => void docs.newDocument(editor) },
      { key: "open", label: "Open…", hint: "Ctrl/Cmd+O", run: () => void docs.openDocument(editor) },
      { key: "save", label: "Save", hint: "Ctrl/Cmd+S", run: () => void docs.saveDocument(editor) },
      { key: "save-as", label: "Save As…", hint: "Shift+Ctrl/Cmd+S", run: () => void docs.saveDocumentAs(editor) },
      { key: "undo", label: "Undo", hint: "Ctrl/Cmd+Z", run: () => void undo() },
      { key: "redo", label: "Redo", hint: "Shift+Ctrl/Cmd+Z", run: () => void redo() },
      { key: "layout", label: "Auto-layout", hint: "Shift+Ctrl/Cmd+L", run: () => void autoLayout() },
      { key: "duplicate", label: "Duplicate selection", hint: "Ctrl/Cmd+D", run: () => void duplicate() },
      { key: "tour", label: "Help: the tour", hint: "", run: () => setTouring(true) },
      ...templates.map((t) => ({
        key: `template-${t.id}`,
        label: `New from template: ${t.title}`,
        hint: "",
        run: () => void run(() => commands.openTemplate(t.id)),
      })),
      { key: "fit", label: "Fit the view", hint: "", run: () => setFitKey((k) => k + 1) },
      ...(["bucket", "filter", "function"] as const).map((kind) => ({
        key: `add-${kind}`,
        label: `Add ${kind}`,
        hint: "palette",
        run: () => addAtCentre(kind),
      })),
      ...EXPORTS.map((x) => ({
        key: `export-${x.format}`,
        label: `Export: ${x.label}`,
        hint: "",
        run: () => void docs.exportDocument(editor, x.format, selected).then(setExported),
      })),
    ];
    return [...nodes, ...actions];
  };

  const single = view !== null && selected.length === 1 ? view.document.nodes.find((n) => n.id === selected[0]) : undefined;
  const singleId = single?.id;
  useEffect(() => {
    if (singleId === undefined) return;
    let current = true;
    void commands.nodeRelations(singleId).then((r) => current && setRelationsOf({ id: singleId, view: r }));
    return () => {
      current = false;
    };
  }, [singleId, view]);
  // Only the answer for what is selected now (never a previous node's).
  const relations = relationsOf !== null && relationsOf.id === singleId ? relationsOf.view : null;
  // What the canvas filter leaves out (a new array only when it changes).
  const dimmed = useMemo(() => dimmedBy(canvasFilter, view?.document.nodes ?? []), [canvasFilter, view]);
  // The nodes by id (one pass per view, not a search per lookup).
  const nodeById = useMemo(() => new Map((view?.document.nodes ?? []).map((n) => [n.id, n])), [view]);
  // The bucket on the selection's path: Try a key follows it.
  const followBucket =
    relations?.lit.map((id) => nodeById.get(id)).find((n) => n?.kind === "bucket")?.title ?? null;
  // What is lit: Try a key's path, else the selection's. The same set keeps
  // the same array, so an answer that changes nothing redraws nothing.
  const litNow = tried !== null && tried.nodes.length > 0 ? tried.nodes : (relations?.lit ?? []);
  const litKey = litNow.join(" ");
  const lit = useMemo(() => litNow, [litKey]);
  // A path Try a key lights is brought into view (once per new answer).
  const triedPath = tried?.nodes.join(" ") ?? "";
  useEffect(() => {
    if (triedPath === "") return;
    focus(triedPath.split(" "), { maxZoom: 1.2 });
  }, [triedPath, focus]);

  return (
    <div className="app">
      <Toolbar
        title={view?.path ?? "Untitled"}
        dirty={view?.dirty === true}
        canUndo={view?.canUndo === true}
        canRedo={view?.canRedo === true}
        recent={recent}
        exported={exported}
        onNew={() => void docs.newDocument(editor)}
        onOpen={(path) => void docs.openDocument(editor, path)}
        onSave={() => void docs.saveDocument(editor)}
        onSaveAs={() => void docs.saveDocumentAs(editor)}
        onExport={(format) => void docs.exportDocument(editor, format, selected).then(setExported)}
        onExportCanvas={(format) =>
          void docs
            .exportCanvas(editor, format, () => canvasSvg(flow.getNodes() as CardNode[], flow.getEdges()))
            .then(setExported)
        }
        onUndo={() => void undo()}
        onRedo={() => void redo()}
        onLayout={() => void autoLayout()}
        onFind={() => setFinding(true)}
        onHelp={() => setTouring(true)}
        connection={
          connection === null
            ? "No connection"
            : `${connection.name}${connection.identity === null ? "" : ` · account ${connection.identity.account}`}`
        }
        onConnections={() => setConnecting(true)}
        onReview={connection === null ? null : () => setReviewing(true)}
        onImport={connection === null ? null : () => setImporting(true)}
        notice={notice}
        onOpenRecentMenu={() => commands.recentFiles().then(setRecent, () => setRecent([]))}
      />
      {recovery !== null && (
        <div className="recovery" role="alertdialog" aria-label="Unsaved work found">
          <span>
            Bucketwire found unsaved work{recovery === "" ? "" : ` for ${recovery}`} from the last session.
          </span>
          <button
            type="button"
            onClick={() => {
              setRecovery(null);
              void editor.run(commands.restoreRecovery);
            }}
          >
            Restore
          </button>
          <button
            type="button"
            onClick={() => {
              setRecovery(null);
              void commands.discardRecovery();
            }}
          >
            Discard
          </button>
        </div>
      )}
      <div className="workspace">
        <Palette onAdd={addAtCentre} />
        <main className="canvas" aria-label="Canvas" aria-busy={arranging}>
          {editor.problem !== null && (
            <p role="alert" className="problem">
              {editor.problem}
              <button type="button" aria-label="Dismiss" onClick={editor.dismiss}>
                ×
              </button>
            </p>
          )}
          {view !== null && (
            <TryKey
              connection={connection?.name ?? null}
              buckets={view.document.nodes.filter((n) => n.kind === "bucket").map((n) => n.title)}
              catalog={catalog}
              revision={view}
              onResult={setTried}
              follow={followBucket}
            />
          )}
          {view !== null && view.document.nodes.length === 0 && (
            <StartScreen
              templates={templates}
              onTemplate={(id) => void run(() => commands.openTemplate(id))}
              onOpen={() => void docs.openDocument(editor)}
              onImport={() => (connection === null ? setConnecting(true) : setImporting(true))}
            />
          )}

          {view !== null && (
            <Canvas
              document={view.document}
              lit={lit}
              dimmed={dimmed}
              topLeft={<Parked parked={view.document.parked} onShow={(id) => void showParked(id)} />}
              topRight={
                view.document.nodes.length > 0 ? (
                  <CanvasFilter
                    filter={canvasFilter}
                    regions={[...new Set(view.document.nodes.flatMap((n) => (n.region === null ? [] : [n.region])))].sort()}
                    onChange={setCanvasFilter}
                  />
                ) : undefined
              }
              conflict={tried?.outcome === "conflict"}
              fitKey={fitKey}
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
        <Inspector
          node={single ?? null}
          catalog={catalog}
          onChange={(id, props) => void run(() => commands.updateNode(id, props))}
          document={view?.document}
          relations={relations}
          onConnect={(from, to) => void run(() => commands.connect(from, to))}
          onDisconnect={(from, to) => void run(() => commands.disconnect(from, to))}
          onSelect={(id) => setSelected([id])}
        />
      </div>
      {touring && (
        <Tour
          onClose={() => {
            setTouring(false);
            void commands.markTourSeen();
          }}
        />
      )}
      {connecting && (
        <Connections current={connection} onCurrent={setConnection} onClose={() => setConnecting(false)} />
      )}
      {reviewing && connection !== null && (
        <Review
          connection={connection.name}
          onClose={() => setReviewing(false)}
          onApplied={(view) => void editor.load(() => Promise.resolve(view))}
        />
      )}
      {importing && connection !== null && (
        <Import
          connection={connection.name}
          onClose={() => setImporting(false)}
          onDone={(result, mode) => {
            setImporting(false);
            const before = mode === "merge" ? new Set((view?.document.nodes ?? []).map((n) => n.id)) : null;
            const kept = result.kept.length > 0 ? `; kept as drawn: ${result.kept.join(", ")}` : "";
            const imported = `Imported ${result.added.length} bucket(s)${kept}`;
            setNotice(`Arranging ${result.added.length} bucket(s) by region…`);
            setArranging(true);
            // The account's arrangement joins the import's undo step.
            void load(async () => {
              // Should the layout fail, the import is still shown, as Rust placed it.
              const moves = await arrangement(result.editor.document, before).catch(() => []);
              if (moves.length === 0) return result.editor;
              const arranged = await commands.arrangeNodes(moves);
              return arranged.status === "ok" ? arranged.data : result.editor;
            }).then(() => {
              setArranging(false);
              setNotice(imported);
              setFitKey((k) => k + 1);
            });
          }}
        />
      )}
      {finding && <Finder items={finderItems()} onClose={() => setFinding(false)} />}
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

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import {
  commands,
  type EventFamilyView,
  type FindingView_Serialize as FindingView,
  type NodeKind,
  type OutlineView,
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
import { arrangement, viewAspect } from "./canvas/arrange";
import { canvasSvg } from "./canvas/image";
import { useFocus } from "./canvas/focus";
import type { CardNode } from "./canvas/toFlow";
import { EXPORTS } from "./editor/documents";
import * as docs from "./editor/documents";
import * as Tooltip from "@radix-ui/react-tooltip";
import { Outline } from "./panels/Outline";
import { LARGE_DOCUMENT, Workspace, type WorkspaceControls } from "./window/Workspace";
import { useTheme } from "./window/theme";
import { MENU, shortcutText, useMenu, type LastAction } from "./window/menu";
import { preference, remember } from "./window/preferences";
import { fileName, Notices, type PanelsShown } from "./panels/Toolbar";
import { Shortcuts } from "./panels/Shortcuts";

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
  const theme = useTheme();
  const workspace = useRef<WorkspaceControls>(null);
  const [panels, setPanels] = useState<PanelsShown>({ palette: true, inspector: true, findings: true });
  const [showingShortcuts, setShowingShortcuts] = useState(false);
  // The connection chosen is remembered for the next start.
  const choose = useCallback((c: Current | null) => {
    setConnection(c);
    remember("connection", c?.name ?? null);
  }, []);

  useEffect(() => {
    commands.recoveryStatus().then(setRecovery, () => setRecovery(null));
    commands.eventCatalog().then(setCatalog, () => setCatalog([]));
    commands.templates().then(setTemplates, () => setTemplates([]));
    // With the local sandbox (`make run`), start connected to it; else
    // with the connection used last, if it is still saved.
    const remembered = preference("connection");
    commands.sandboxConnection().then(
      async (sandbox) => {
        let name = sandbox;
        if (name === null && remembered !== null) {
          const saved = await commands.listConnections();
          if (saved.status === "ok" && saved.data.some((c) => c.name === remembered)) name = remembered;
        }
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
      const moves = await layOut(nodes, flow.getEdges(), { aspect: viewAspect(nodes.length) });
      if (moves.length > 0) await run(() => commands.moveNodes(moves));
    } catch (e) {
      editor.report(`Auto-layout could not arrange the canvas: ${String(e)}`);
    } finally {
      setArranging(false);
    }
    if (nodes.length > 300) setNotice(null);
    setFitKey((k) => k + 1);
  }, [flow, run, editor]);

  const addAtCentre = (kind: NodeKind) => {
    const box = document.querySelector(".canvas")?.getBoundingClientRect();
    const at = flow.screenToFlowPosition({
      x: (box?.left ?? 0) + (box?.width ?? 0) / 2,
      y: (box?.top ?? 0) + (box?.height ?? 0) / 2,
    });
    void run(() => commands.addNode(kind, Math.round(at.x), Math.round(at.y)));
  };

  // Every action of the menu bar, by its id (src-tauri/menu.json): the
  // native menu, the keyboard and Find run the same ones.
  const actions: Record<string, () => void> = {
    new: () => void docs.newDocument(editor),
    open: () => void docs.openDocument(editor),
    save: () => void docs.saveDocument(editor),
    "save-as": () => void docs.saveDocumentAs(editor),
    ...Object.fromEntries(
      EXPORTS.map((x) => [`export-${x.format}`, () => void docs.exportDocument(editor, x.format, selected).then(setExported)]),
    ),
    "export-svg": () => exportCanvas("svg"),
    "export-png": () => exportCanvas("png"),
    undo: () => void undo(),
    redo: () => void redo(),
    copy: () => copySelection(),
    paste: () => void paste(),
    duplicate: () => void duplicate(),
    "add-bucket": () => addAtCentre("bucket"),
    "add-filter": () => addAtCentre("filter"),
    "add-function": () => addAtCentre("function"),
    find: () => setFinding(true),
    fit: () => setFitKey((k) => k + 1),
    "auto-layout": () => void autoLayout(),
    "toggle-palette": () => workspace.current?.toggle("palette"),
    "toggle-inspector": () => workspace.current?.toggle("inspector"),
    "toggle-findings": () => workspace.current?.toggle("findings"),
    "theme-system": () => theme.choose("system"),
    "theme-light": () => theme.choose("light"),
    "theme-dark": () => theme.choose("dark"),
    connections: () => setConnecting(true),
    import: () => (connection === null ? setConnecting(true) : setImporting(true)),
    review: () => (connection === null ? setConnecting(true) : setReviewing(true)),
    tour: () => setTouring(true),
    shortcuts: () => setShowingShortcuts(true),
  };
  const lastAction = useRef<LastAction | null>(null);
  useMenu(actions, lastAction);
  const latestActions = useRef(actions);
  latestActions.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const key = e.key.toLowerCase();
      const target = e.target as HTMLElement | null;
      // Text fields keep their own undo, copy and paste.
      const typing = target !== null && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
      const always: Record<string, string> = {
        n: "new",
        o: "open",
        s: e.shiftKey ? "save-as" : "save",
        k: "find",
        "0": "fit",
        "1": "toggle-palette",
        "2": "toggle-inspector",
        "3": "toggle-findings",
        i: "import",
        enter: "review",
        "/": "shortcuts",
      };
      const onCanvas: Record<string, string> = {
        z: e.shiftKey ? "redo" : "undo",
        y: "redo",
        c: "copy",
        v: "paste",
        d: "duplicate",
        ...(e.shiftKey ? { l: "auto-layout" } : {}),
      };
      const id = always[key] ?? (typing ? undefined : onCanvas[key]);
      if (id === undefined) return;
      e.preventDefault();
      // The native menu may have run it for this same key press.
      const last = lastAction.current;
      if (last !== null && last.from === "menu" && last.id === id && Date.now() - last.at < 300) return;
      lastAction.current = { id, at: Date.now(), from: "key" };
      latestActions.current[id]?.();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const exportCanvas = (format: "svg" | "png") =>
    void docs
      .exportCanvas(editor, format, () => canvasSvg(flow.getNodes() as CardNode[], flow.getEdges()))
      .then(setExported);

  // The window's title is the document's name (the top bar shows its path on hover).
  const home = view?.path ?? view?.template?.file ?? null;
  const title = `${home == null ? "Untitled" : fileName(home)}${view?.dirty === true ? " ●" : ""} — Bucketwire`;
  useEffect(() => {
    document.title = title;
    if (import.meta.env.MODE === "mock") return;
    void import("@tauri-apps/api/window").then(({ getCurrentWindow }) => getCurrentWindow().setTitle(title)).catch(() => undefined);
  }, [title]);

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
    // Every menu action (its shortcut as the hint), and the templates.
    const menu: FinderItem[] = MENU.flatMap((sub) =>
      sub.items.map((item) => ({
        key: item.id,
        label: `${item.label.replace(/…$/, "")}`,
        hint: shortcutText(item.accelerator) || sub.title,
        run: () => actions[item.id]?.(),
      })),
    );
    const fromTemplates: FinderItem[] = templates.map((t) => ({
      key: `template-${t.id}`,
      label: `New from template: ${t.title}`,
      hint: "",
      run: () => void run(() => commands.openTemplate(t.id)),
    }));
    return [...nodes, ...menu, ...fromTemplates];
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
  // The outline beside the canvas, Rust's for each new view (the last
  // answer kept until the next arrives).
  const [outline, setOutline] = useState<OutlineView | null>(null);
  useEffect(() => {
    if (view === null) return;
    let current = true;
    commands.outline().then((o) => current && setOutline(o), () => undefined);
    return () => {
      current = false;
    };
  }, [view]);
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
        path={view?.path ?? null}
        dirty={view?.dirty === true}
        canUndo={view?.canUndo === true}
        canRedo={view?.canRedo === true}
        recent={recent}
        onNew={actions.new}
        onOpen={(path) => void docs.openDocument(editor, path)}
        onSave={actions.save}
        onSaveAs={actions["save-as"]}
        onExport={(format) => actions[`export-${format}`]()}
        onExportCanvas={exportCanvas}
        onUndo={actions.undo}
        onRedo={actions.redo}
        onLayout={actions["auto-layout"]}
        onFind={actions.find}
        onTour={actions.tour}
        onShortcuts={actions.shortcuts}
        theme={theme.choice}
        onTheme={theme.choose}
        panels={panels}
        onTogglePanel={(panel) => workspace.current?.toggle(panel)}
        connection={
          connection === null
            ? "No connection"
            : `${connection.name}${connection.identity === null ? "" : ` · account ${connection.identity.account}`}`
        }
        onConnections={() => setConnecting(true)}
        onReview={connection === null ? null : () => setReviewing(true)}
        onImport={connection === null ? null : () => setImporting(true)}
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
      <Workspace
        controls={workspace}
        onShown={setPanels}
        large={(view?.document.nodes.length ?? 0) > LARGE_DOCUMENT}
        sidebar={
          <Palette onAdd={addAtCentre}>
            {view !== null && <Parked parked={view.document.parked} onShow={(id) => void showParked(id)} />}
            <Outline
              outline={outline}
              nodes={nodeById}
              selected={selected}
              onSelect={(id) => {
                setSelected([id]);
                focus([id], { maxZoom: 1.2 });
              }}
            />
          </Palette>
        }
        canvas={
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
              traced={tried !== null && tried.nodes.length > 0}
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
        }
        findings={(open, toggle) =>
          view !== null && (
            <Findings
              findings={view.findings}
              onSelect={selectFinding}
              onFix={(index) => {
                // Say what the fix changed: the core's own words for it.
                const fixed = view.findings[index]?.fix;
                void run(() => commands.applyFix(index)).then((done) => {
                  if (done && fixed) setNotice(`Fixed: ${fixed}`);
                });
              }}
              open={open}
              onToggle={toggle}
              empty={view.document.nodes.length === 0 && view.document.parked.length === 0}
            />
          )
        }
        inspector={
          <Inspector
            node={single ?? null}
            catalog={catalog}
            onChange={(id, props) => run(() => commands.updateNode(id, props))}
            document={view?.document}
            relations={relations}
            onConnect={(from, to) => void run(() => commands.connect(from, to))}
            onDisconnect={(from, to) => void run(() => commands.disconnect(from, to))}
            onSelect={(id) => setSelected([id])}
            onManageDestination={(id) => void run(() => commands.manageDestination(id))}
          />
        }
      />
      {touring && view !== null && (
        <Tour
          onClose={() => {
            setTouring(false);
            void commands.markTourSeen();
          }}
        />
      )}
      {connecting && (
        <Connections current={connection} onCurrent={choose} onClose={() => setConnecting(false)} />
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
          onDone={(result, mode, premade) => {
            setImporting(false);
            const before = mode === "merge" ? new Set((view?.document.nodes ?? []).map((n) => n.id)) : null;
            const kept = result.kept.length > 0 ? `; kept as drawn: ${result.kept.join(", ")}` : "";
            const imported = `Imported ${result.added.length} bucket(s)${kept}`;
            setNotice(`Arranging ${result.added.length} bucket(s) by region…`);
            setArranging(true);
            // The account's arrangement joins the import's undo step.
            void load(async () => {
              // Should the layout fail, the import is still shown, as Rust placed it.
              const moves = await (premade ?? arrangement(result.editor.document, before)).catch(() => []);
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
      <Notices
        notice={notice}
        exported={exported}
        onDismiss={() => {
          setNotice(null);
          setExported([]);
        }}
      />
      {showingShortcuts && <Shortcuts onClose={() => setShowingShortcuts(false)} />}
    </div>
  );
}

export function App() {
  return (
    <ReactFlowProvider>
      <Tooltip.Provider delayDuration={400}>
        <Editor />
      </Tooltip.Provider>
    </ReactFlowProvider>
  );
}

// The canvas: React Flow over the nodes and edges Rust sent. Only UI state
// lives here (positions while dragging, selection, viewport); every change
// to the wiring is a command, and the view Rust answers replaces ours.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent, type ReactNode } from "react";
import {
  Background,
  ControlButton,
  Controls,
  Panel,
  ReactFlow,
  ViewportPortal,
  applyNodeChanges,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type Edge,
  type NodeChange,
} from "@xyflow/react";
import type { DocumentView_Serialize as DocumentView, NodeKind } from "../bindings";
import { DRAG_TYPE } from "../panels/Palette";
import { COMPACT_ZOOM, nodeTypes } from "./NodeCard";
import { toFlow, type CardNode } from "./toFlow";
import { frameCounts, framesOf, type Frame } from "./frames";
import { FIT_PADDING, boundsOf, useFocus } from "./focus";
import { OVERVIEW_MIN_CARDS, Overview, boxesOf, cardAt } from "./Overview";
import { Minimap } from "./Minimap";

/** Documents of more cards than this show a minimap. */
const MINIMAP_FROM = 24;
// React Flow's options, made once (see `handlers` in Canvas).
const DELETE_KEYS = ["Delete", "Backspace"];
const FIT_OPTIONS = { padding: FIT_PADDING };
const PRO_OPTIONS = { hideAttribution: true };

type Props = {
  document: DocumentView;
  /** Nodes "Try a key" lights up. */
  lit: string[];
  /** Nodes the canvas filter leaves out (drawn faint). */
  dimmed: string[];
  /** Whether the lit nodes are a conflict (styled as such). */
  conflict: boolean;
  /** Whether the lit path is Try a key's (its edges flow for a moment)
   * rather than the selection's. */
  traced: boolean;
  /** Changes when the view should fit the nodes once they are drawn. */
  fitKey: number;
  selected: string[];
  onSelect: (ids: string[]) => void;
  onAdd: (kind: NodeKind, x: number, y: number) => void;
  onConnect: (from: string, to: string) => void;
  onDisconnect: (from: string, to: string) => void;
  onRemove: (ids: string[]) => void;
  onMoved: (moves: { id: string; x: number; y: number }[]) => void;
  /** Drawn over the canvas's top corners (inside it, never over other panels). */
  topLeft?: ReactNode;
  topRight?: ReactNode;
};

/** The props the drawn nodes were made from, and each node's key. */
type Source = {
  document: DocumentView;
  lit: string[];
  dimmed: string[];
  selected: string[];
  keys: Map<string, string>;
};

export function Canvas(props: Props) {
  const { document, lit, dimmed, selected } = props;
  const flow = useReactFlow();
  const focus = useFocus();
  const [nodes, setNodes] = useState<CardNode[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  // A document that shares no card with the one drawn (opened, a
  // template, an undone import) is fitted once it is drawn.
  const [replaced, setReplaced] = useState(0);

  // What the drawn nodes were made from, with each node's key (its view,
  // class and selection), to keep unchanged nodes as they are: React Flow
  // then neither re-renders nor re-measures them, which is what keeps an
  // edit fast on a large document. A new answer is merged while this
  // render runs (not in an effect), so the card changes in the same frame
  // as the rest of the window: an effect cost a second commit and a second
  // paint, which a window without a GPU pays ~50 ms for.
  const [source, setSource] = useState<Source | null>(null);
  if (
    source === null ||
    source.document !== document ||
    source.lit !== lit ||
    source.dimmed !== dimmed ||
    source.selected !== selected
  ) {
    const next = toFlow(document, lit, dimmed);
    const chosen = new Set(selected);
    const keys = new Map(
      next.nodes.map((n) => [n.id, JSON.stringify([n.data.view, n.className ?? "", chosen.has(n.id)])]),
    );
    const previous = source?.keys ?? new Map<string, string>();
    setSource({ document, lit, dimmed, selected, keys });
    // Another document: nothing of it was drawn, and it is not the first
    // card added to an empty canvas.
    const another = next.nodes.length > (previous.size === 0 ? 1 : 0) && !next.nodes.some((n) => previous.has(n.id));
    if (another) setReplaced((r) => r + 1);
    setNodes((current) => {
      const drawn = new Map(current.map((n) => [n.id, n]));
      const nodes = next.nodes.map((n) => {
        const old = drawn.get(n.id);
        if (old !== undefined && previous.get(n.id) === keys.get(n.id)) return old;
        return { ...n, selected: chosen.has(n.id), measured: old?.measured };
      });
      // Nothing changed: keep the array, so React Flow, the minimap and
      // the frames do no work and nothing is repainted.
      return sameItems(nodes, current) ? current : nodes;
    });
    setEdges((current) => {
      const drawn = new Map(current.map((e) => [e.id, e]));
      const edges = next.edges.map((e) => {
        const old = drawn.get(e.id);
        const same = old !== undefined && old.className === e.className && old.target === e.target;
        return same ? old : e;
      });
      return sameItems(edges, current) ? current : edges;
    });
  }

  // React Flow copies `nodes` and `edges` into its store in an effect,
  // after the browser has painted the answer, so a changed card would be
  // drawn one frame late (a second paint: ~50 ms without a GPU). Handing
  // them over before the paint draws the whole answer in one frame; React
  // Flow's own copy then finds them already there.
  const store = useStoreApi();
  useLayoutEffect(() => {
    const state = store.getState();
    if (state.nodes !== nodes) state.setNodes(nodes);
    if (state.edges !== edges) state.setEdges(edges);
  }, [store, nodes, edges]);

  // Fit once the new positions are in React Flow's store: two frames after
  // the change that asked for it.
  useEffect(() => {
    if (props.fitKey === 0 && replaced === 0) return;
    let second = 0;
    const first = requestAnimationFrame(() => {
      second = requestAnimationFrame(() => focus(null));
    });
    return () => {
      cancelAnimationFrame(first);
      cancelAnimationFrame(second);
    };
  }, [props.fitKey, replaced, focus]);

  const bounds = useMemo(() => boundsOf(nodes), [nodes]);
  const allInView = useStore((s) => {
    if (bounds === null) return true;
    const [x, y, zoom] = s.transform;
    const slack = 2 / zoom;
    return (
      bounds.x >= -x / zoom - slack &&
      bounds.y >= -y / zoom - slack &&
      bounds.x + bounds.width <= (s.width - x) / zoom + slack &&
      bounds.y + bounds.height <= (s.height - y) / zoom + slack
    );
  });

  // A large document's overview is drawn on one canvas (see Overview);
  // its cards are picked by where the pointer is.
  const large = nodes.length > OVERVIEW_MIN_CARDS;
  const zoomedOut = useStore((s) => s.transform[2] < COMPACT_ZOOM);
  const overview = large && zoomedOut;
  const boxes = useMemo(() => (overview ? boxesOf(nodes) : []), [overview, nodes]);
  const [hovered, setHovered] = useState<string | null>(null);
  const pick = (e: { clientX: number; clientY: number }) => {
    const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    return cardAt(boxes, at.x, at.y);
  };

  // Every handler and option React Flow receives keeps its identity from
  // one render to the next: React Flow copies each changed one into its
  // store, and every store update re-runs each subscriber (which cards and
  // edges are in view is worked out over all of them), so a new arrow
  // function per render made an edit cost a dozen passes over an account's
  // cards. The handlers read the latest props through a ref instead.
  const latest = useRef({ props, nodes, overview, pick });
  latest.current = { props, nodes, overview, pick };
  const handlers = useMemo(
    () => ({
      onNodesChange: (changes: NodeChange<CardNode>[]) => {
        // Removal goes through Rust (onNodesDelete); everything else is UI.
        const local = changes.filter((c) => c.type !== "remove");
        setNodes((ns) => applyNodeChanges(local, ns));
        if (changes.some((c) => c.type === "select")) {
          const picked = applyNodeChanges(local, latest.current.nodes)
            .filter((n) => n.selected)
            .map((n) => n.id);
          latest.current.props.onSelect(picked);
        }
      },
      onConnect: (c: Connection) => latest.current.props.onConnect(c.source, c.target),
      onNodesDelete: (deleted: CardNode[]) => latest.current.props.onRemove(deleted.map((n) => n.id)),
      onEdgesDelete: (deleted: Edge[]) => deleted.forEach((e) => latest.current.props.onDisconnect(e.source, e.target)),
      onNodeDragStop: (_: unknown, __: unknown, dragged: CardNode[]) =>
        latest.current.props.onMoved(
          dragged.map((n) => ({ id: n.id, x: Math.round(n.position.x), y: Math.round(n.position.y) })),
        ),
      onDragOver: (e: DragEvent) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
      },
      onDrop: (e: DragEvent) => {
        const kind = e.dataTransfer.getData(DRAG_TYPE) as NodeKind;
        if (kind === ("" as NodeKind)) return;
        e.preventDefault();
        const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        latest.current.props.onAdd(kind, Math.round(at.x), Math.round(at.y));
      },
      onPaneClick: (e: ReactMouseEvent) => {
        if (!latest.current.overview) return;
        const id = latest.current.pick(e);
        // After React Flow's own "click on the pane clears the selection".
        if (id !== null) queueMicrotask(() => latest.current.props.onSelect([id]));
      },
      onPaneMouseMove: (e: ReactMouseEvent) => {
        // Not while the pane is dragged (a pan): only a resting pointer names a card.
        if (latest.current.overview) setHovered(e.buttons === 0 ? latest.current.pick(e) : null);
      },
      onPaneMouseLeave: () => setHovered(null),
    }),
    [flow],
  );

  return (
    <ReactFlow
      className={[props.conflict ? "conflict" : "", props.traced ? "traced" : "", overview ? "overview" : ""].join(" ").trim() || undefined}
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      {...handlers}
      deleteKeyCode={DELETE_KEYS}
      // Large documents: only what is in view is in the DOM.
      onlyRenderVisibleElements={nodes.length > 300}
      // An account's wiring is large: Fit view must show all of it, even in a 1280×720 window.
      minZoom={0.02}
      fitView
      fitViewOptions={FIT_OPTIONS}
      proOptions={PRO_OPTIONS}
    >
      <Background />
      {overview && <Overview boxes={boxes} edges={edges} hovered={hovered} conflict={props.conflict} />}
      <ZoomVariable />
      <Frames nodes={nodes} parked={document.parked} />
      {props.topLeft !== undefined && <Panel position="top-left">{props.topLeft}</Panel>}
      {props.topRight !== undefined && <Panel position="top-right">{props.topRight}</Panel>}
      {/* The minimap earns its corner once a document is larger than a screen,
          and while not all of it is in view (after Fit view it would show
          what the canvas shows, over some of it). */}
      {nodes.length > MINIMAP_FROM && !allInView && (
        <Panel position="bottom-right">
          <Minimap nodes={nodes} />
        </Panel>
      )}
      <Controls showFitView={false}>
        {/* Fits every card, measured or not (React Flow's own fit counts only measured ones). */}
        <ControlButton className="react-flow__controls-fitview" onClick={() => focus(null)} title="Fit view" aria-label="Fit view">
          <svg viewBox="0 0 32 32" aria-hidden="true" className="fit-icon">
            <path d="M3 11V3h8M21 3h8v8M29 21v8h-8M11 29H3v-8" />
          </svg>
        </ControlButton>
      </Controls>
    </ReactFlow>
  );
}

/** Whether two arrays hold the same objects in the same order. */
function sameItems<T>(a: T[], b: T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Keeps the canvas's `--zoom` CSS variable at the view's zoom: compact
 * cards size their names by it (app.css). */
function ZoomVariable() {
  const zoom = useStore((s) => s.transform[2]);
  const pane = useStore((s) => s.domNode);
  useLayoutEffect(() => pane?.style.setProperty("--zoom", String(zoom)), [pane, zoom]);
  return null;
}

/** The account and region frames, under the cards. Titles keep a legible
 * size on screen at any zoom (they grow as the view zooms out). */
function Frames({ nodes, parked }: { nodes: CardNode[]; parked: DocumentView["parked"] }) {
  const frames = useMemo(() => framesOf(nodes), [nodes]);
  const zoom = useStore((s) => s.transform[2]);
  const parkedIn = new Map(parked.map((p) => [p.region, p.buckets.length]));
  const accounts = new Set(frames.map((f) => f.account));
  // Parked buckets are gathered per region: counted in the region's first frame.
  const counted = new Set<string>();
  const scale = Math.min(12, Math.max(1, 1 / zoom));
  return (
    <ViewportPortal>
      <div className="frames">
        {frames.map((f: Frame) => {
          const parkedHere = counted.has(f.region) ? 0 : (parkedIn.get(f.region) ?? 0);
          counted.add(f.region);
          const title = accounts.size > 1 && f.account !== "" ? `${f.region} · account ${f.account}` : f.region;
          return (
            <section
              key={f.key}
              className="frame"
              aria-label={`Region ${title}`}
              style={{ transform: `translate(${f.x}px, ${f.y}px)`, width: f.width, height: f.height }}
            >
              <header style={{ fontSize: 11 * scale, width: f.width, transform: `translateY(-100%)` }}>
                <strong>{title}</strong>
                <span title={frameCounts(f, parkedHere)}>{frameCounts(f, parkedHere)}</span>
              </header>
            </section>
          );
        })}
      </div>
    </ViewportPortal>
  );
}

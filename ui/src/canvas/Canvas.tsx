// The canvas: React Flow over the nodes and edges Rust sent. Only UI state
// lives here (positions while dragging, selection, viewport); every change
// to the wiring is a command, and the view Rust answers replaces ours.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type ReactNode } from "react";
import {
  Background,
  ControlButton,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  ViewportPortal,
  applyNodeChanges,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type NodeChange,
} from "@xyflow/react";
import type { DocumentView_Serialize as DocumentView, NodeKind } from "../bindings";
import { DRAG_TYPE } from "../panels/Palette";
import { COMPACT_ZOOM, nodeTypes } from "./NodeCard";
import { toFlow, type CardNode } from "./toFlow";
import { frameCounts, framesOf, type Frame } from "./frames";
import { FIT_PADDING, useFocus } from "./focus";
import { OVERVIEW_MIN_CARDS, Overview, boxesOf, cardAt } from "./Overview";

/** The minimap's colour per kind (the cards' accents) and per severity. */
/** Documents of more cards than this show a minimap. */
const MINIMAP_FROM = 24;

// The theme's colours (the minimap styles its nodes, so CSS variables apply).
const MINIMAP_KIND = { bucket: "var(--bucket)", filter: "var(--filter)", function: "var(--function)", rule: "var(--rule)", foreign: "var(--foreign)" } as const;
const MINIMAP_SEVERITY = { error: "var(--error)", warning: "var(--warning)", info: "var(--info)" } as const;

type Props = {
  document: DocumentView;
  /** Nodes "Try a key" lights up. */
  lit: string[];
  /** Nodes the canvas filter leaves out (drawn faint). */
  dimmed: string[];
  /** Whether the lit nodes are a conflict (styled as such). */
  conflict: boolean;
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

export function Canvas(props: Props) {
  const { document, lit, dimmed, selected, onSelect } = props;
  const flow = useReactFlow();
  const focus = useFocus();
  const [nodes, setNodes] = useState<CardNode[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  // A document that shares no card with the one drawn (opened, a
  // template, an undone import) is fitted once it is drawn.
  const [replaced, setReplaced] = useState(0);

  // What each drawn node was made from, to keep unchanged nodes as they
  // are: React Flow then neither re-renders nor re-measures them, which is
  // what keeps an edit fast on a large document.
  const made = useRef(new Map<string, string>());
  useEffect(() => {
    const next = toFlow(document, lit, dimmed);
    const chosen = new Set(selected);
    const keys = new Map(
      next.nodes.map((n) => [n.id, JSON.stringify([n.data.view, n.className ?? "", chosen.has(n.id)])]),
    );
    // The keys of what is drawn (or queued to be) before this answer.
    const previous = made.current;
    made.current = keys;
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
        const same =
          old !== undefined && old.className === e.className && old.animated === e.animated && old.target === e.target;
        return same ? old : e;
      });
      return sameItems(edges, current) ? current : edges;
    });
  }, [document, lit, dimmed, selected]);

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

  const onNodesChange = useCallback(
    (changes: NodeChange<CardNode>[]) => {
      // Removal goes through Rust (onNodesDelete); everything else is UI.
      const local = changes.filter((c) => c.type !== "remove");
      setNodes((ns) => applyNodeChanges(local, ns));
      if (changes.some((c) => c.type === "select")) {
        const picked = applyNodeChanges(local, nodes)
          .filter((n) => n.selected)
          .map((n) => n.id);
        onSelect(picked);
      }
    },
    [nodes, onSelect],
  );

  const onDrop = (e: DragEvent) => {
    const kind = e.dataTransfer.getData(DRAG_TYPE) as NodeKind;
    if (kind === ("" as NodeKind)) return;
    e.preventDefault();
    const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    props.onAdd(kind, Math.round(at.x), Math.round(at.y));
  };

  return (
    <ReactFlow
      className={[props.conflict ? "conflict" : "", overview ? "overview" : ""].join(" ").trim() || undefined}
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onConnect={(c: Connection) => props.onConnect(c.source, c.target)}
      onNodesDelete={(deleted) => props.onRemove(deleted.map((n) => n.id))}
      onEdgesDelete={(deleted) => deleted.forEach((e) => props.onDisconnect(e.source, e.target))}
      onNodeDragStop={(_, __, dragged) =>
        props.onMoved(dragged.map((n) => ({ id: n.id, x: Math.round(n.position.x), y: Math.round(n.position.y) })))
      }
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
      }}
      onDrop={onDrop}
      onPaneClick={(e) => {
        if (!overview) return;
        const id = pick(e);
        // After React Flow's own "click on the pane clears the selection".
        if (id !== null) queueMicrotask(() => onSelect([id]));
      }}
      onPaneMouseMove={(e) => {
        // Not while the pane is dragged (a pan): only a resting pointer names a card.
        if (overview) setHovered(e.buttons === 0 ? pick(e) : null);
      }}
      onPaneMouseLeave={() => setHovered(null)}
      deleteKeyCode={["Delete", "Backspace"]}
      // Large documents: only what is in view is in the DOM.
      onlyRenderVisibleElements={nodes.length > 300}
      // An account's wiring is large: Fit view must show all of it, even in a 1280×720 window.
      minZoom={0.02}
      fitView
      fitViewOptions={{ padding: FIT_PADDING }}
      proOptions={{ hideAttribution: true }}
    >
      <Background />
      {overview && <Overview boxes={boxes} edges={edges} hovered={hovered} conflict={props.conflict} />}
      <Frames nodes={nodes} parked={document.parked} />
      {props.topLeft !== undefined && <Panel position="top-left">{props.topLeft}</Panel>}
      {props.topRight !== undefined && <Panel position="top-right">{props.topRight}</Panel>}
      {/* The minimap earns its corner once a document is larger than a screen. */}
      {nodes.length > MINIMAP_FROM && (
      <MiniMap
        pannable
        zoomable
        ariaLabel="Minimap"
        // Kinds by their accent, findings by a thick outline of their severity.
        nodeColor={(n: CardNode) => MINIMAP_KIND[n.data.view.kind]}
        nodeStrokeColor={(n: CardNode) => (n.data.view.badge === null ? "transparent" : MINIMAP_SEVERITY[n.data.view.badge.severity])}
        nodeStrokeWidth={12}
        style={{ width: 168, height: 112 }}
      />
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

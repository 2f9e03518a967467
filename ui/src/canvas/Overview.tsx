// The overview of a large document: below the compact zoom every card and
// edge is drawn on one <canvas> instead of thousands of DOM elements, so
// panning, zooming and an edit cost one redraw, not a browser re-layering
// of every card. Cards keep their place, size, kind accent, worst-finding
// mark, lit, selected and faint states; a click picks the card under the
// pointer. Zoomed in, React Flow's own cards take over (only those in view).
// Presentation only: what it draws is what Rust sent.
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { useStore, type Edge, type Rect } from "@xyflow/react";
import { boundsOf } from "./focus";
import type { CardNode } from "./toFlow";
import { sizeOf } from "./layout";

/** Documents with more cards than this draw their overview on a canvas. */
export const OVERVIEW_MIN_CARDS = 300;

/** How long the zoom stands still before the picture is drawn at it. */
const SETTLE_MS = 150;
/** The largest picture kept (device pixels): 16 million, 64 MB. */
const MAX_PICTURE_PIXELS = 16_000_000;

export type Box = { id: string; x: number; y: number; width: number; height: number; node: CardNode };

/** Each card's box in flow coordinates (measured, or estimated when it
 * was never on screen). */
export function boxesOf(nodes: CardNode[]): Box[] {
  return nodes
    .filter((n) => !n.hidden)
    .map((n) => ({ id: n.id, x: n.position.x, y: n.position.y, ...sizeOf(n), node: n }));
}

/** The box around every card (flow coordinates), with room for the
 * finding marks and outlines drawn outside the cards. */
function pictureBounds(boxes: Box[]): Rect | null {
  const box = boundsOf(boxes.map((b) => b.node));
  if (box === null) return null;
  const margin = 120;
  return { x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin };
}

/** The card under a flow point (the one drawn last, on top, wins). */
export function cardAt(boxes: Box[], x: number, y: number): string | null {
  for (let i = boxes.length - 1; i >= 0; i--) {
    const b = boxes[i];
    if (x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height) return b.id;
  }
  return null;
}

type Palette = Record<"panel" | "border" | "fg" | "muted" | "bucket" | "filter" | "function" | "rule" | "topic" | "queue", string>;

function paletteOf(element: Element): Palette {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(`--${name}`).trim() || fallback;
  return {
    panel: v("panel", "#ffffff"),
    border: v("border", "#c9d1db"),
    fg: v("fg", "#1b1f24"),
    muted: v("muted", "#4a5563"),
    bucket: v("bucket", "#2e7d32"),
    filter: v("filter", "#5b4bc4"),
    function: v("function", "#c2410c"),
    rule: v("rule", "#0e7490"),
    topic: v("topic", "#b0246f"),
    queue: v("queue", "#8a4b08"),
  };
}

type Props = {
  /** The cards' boxes (`boxesOf`: the canvas picks cards by them too). */
  boxes: Box[];
  edges: Edge[];
  /** The card under the pointer (its name is shown beside it). */
  hovered: string | null;
  conflict: boolean;
};

function OverviewLayer({ boxes, edges, hovered, conflict }: Props) {
  const screen = useRef<HTMLCanvasElement>(null);
  const placed = useRef<HTMLCanvasElement>(null);
  const [tx, ty, zoom] = useStore((s) => s.transform);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const byId = useMemo(() => new Map(boxes.map((b) => [b.id, b])), [boxes]);
  const bounds = useMemo(() => pictureBounds(boxes), [boxes]);
  // The colours follow the theme (light or dark): read once per theme change.
  const [palette, setPalette] = useState<Palette | null>(null);
  useEffect(() => {
    const read = () => setPalette(paletteOf(document.documentElement));
    read();
    // The theme is the root's data-theme (the system's or the user's choice).
    const watcher = new MutationObserver(read);
    watcher.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => watcher.disconnect();
  }, []);
  // The zoom the picture is drawn at: the current one once it has stood
  // still for a moment (during a zoom gesture the last picture is scaled).
  const [settled, setSettled] = useState(zoom);
  useEffect(() => {
    if (zoom === settled) return;
    const timer = setTimeout(() => setSettled(zoom), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [zoom, settled]);
  const dpr = typeof window === "undefined" ? 1 : window.devicePixelRatio || 1;
  // The whole document as one picture drawn at the settled zoom, placed
  // over the pane by a CSS transform: panning and zooming move or scale it
  // without drawing anything (a software-rendered canvas, as WebKitGTK's
  // without a GPU, stays smooth). Too large a picture (zoomed in on a
  // large document) is not kept: a canvas over the pane draws what is in
  // view, frame by frame.
  const size =
    bounds === null
      ? null
      : { w: Math.ceil(bounds.width * settled * dpr), h: Math.ceil(bounds.height * settled * dpr) };
  const asPicture = size !== null && size.w * size.h <= MAX_PICTURE_PIXELS;

  useEffect(() => {
    const element = placed.current;
    const ctx = element?.getContext("2d");
    if (!asPicture || element == null || ctx == null || palette === null || bounds === null || size === null) return;
    element.width = size.w;
    element.height = size.h;
    ctx.setTransform(dpr * settled, 0, 0, dpr * settled, -bounds.x * settled * dpr, -bounds.y * settled * dpr);
    const all = { left: bounds.x, top: bounds.y, right: bounds.x + bounds.width, bottom: bounds.y + bounds.height };
    drawEdges(ctx, edges, byId, all, 1 / settled, palette, conflict);
    drawCards(ctx, boxes, 1 / settled, settled, palette, conflict);
  }, [asPicture, boxes, byId, edges, bounds, size?.w, size?.h, settled, dpr, palette, conflict]);

  useEffect(() => {
    const element = screen.current;
    const ctx = element?.getContext("2d");
    if (asPicture || element == null || ctx == null || palette === null) return;
    const frame = requestAnimationFrame(() => {
      if (element.width !== Math.round(width * dpr) || element.height !== Math.round(height * dpr)) {
        element.width = Math.round(width * dpr);
        element.height = Math.round(height * dpr);
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, element.width, element.height);
      ctx.setTransform(dpr * zoom, 0, 0, dpr * zoom, dpr * tx, dpr * ty);
      // What is in view (flow coordinates).
      const px = 1 / zoom;
      const view = { left: -tx / zoom, top: -ty / zoom, right: (width - tx) / zoom, bottom: (height - ty) / zoom };
      const visible = (b: Box) =>
        b.x + b.width >= view.left && b.x <= view.right && b.y + b.height >= view.top && b.y <= view.bottom;
      drawEdges(ctx, edges, byId, view, px, palette, conflict);
      drawCards(ctx, boxes.filter(visible), px, zoom, palette, conflict);
    });
    return () => cancelAnimationFrame(frame);
  }, [asPicture, boxes, byId, edges, tx, ty, zoom, width, height, dpr, palette, conflict]);

  const label = `Overview of ${boxes.length} cards: zoom in to edit them, or click one to select it`;
  const tip = hovered === null ? undefined : byId.get(hovered);
  return (
    <>
      {asPicture && bounds !== null ? (
        <canvas
          ref={placed}
          className="overview-picture"
          role="img"
          aria-label={label}
          style={{
            width: (size?.w ?? 0) / dpr,
            height: (size?.h ?? 0) / dpr,
            transform: `translate(${tx + bounds.x * zoom}px, ${ty + bounds.y * zoom}px) scale(${zoom / settled})`,
          }}
        />
      ) : (
        <canvas ref={screen} className="overview-layer" role="img" aria-label={label} style={{ width, height }} />
      )}
      {tip !== undefined && (
        <div className="overview-tip" role="tooltip" style={{ left: tx + tip.x * zoom, top: ty + tip.y * zoom }}>
          {tip.node.data.view.title}
        </div>
      )}
    </>
  );
}

export const Overview = memo(OverviewLayer);

type View = { left: number; top: number; right: number; bottom: number };

/** Edges as curves from the source's right side to the target's left, one
 * stroke per style (plain, lit, error, warning, read-only). */
function drawEdges(
  ctx: CanvasRenderingContext2D,
  edges: Edge[],
  byId: Map<string, Box>,
  view: View,
  px: number,
  palette: Palette,
  conflict: boolean,
) {
  const styles: Record<string, { colour: string; width: number; dash: number[] }> = {
    plain: { colour: palette.border, width: 1.2, dash: [] },
    locked: { colour: palette.muted, width: 1.2, dash: [6, 4] },
    warning: { colour: palette.bucket, width: 2, dash: [] },
    error: { colour: palette.function, width: 2.5, dash: [] },
    lit: { colour: conflict ? palette.function : palette.filter, width: 3, dash: [] },
  };
  const paths = new Map<string, Path2D>();
  for (const e of edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (s === undefined || t === undefined) continue;
    const x1 = s.x + s.width;
    const y1 = s.y + s.height / 2;
    const x2 = t.x;
    const y2 = t.y + t.height / 2;
    if (Math.max(x1, x2) < view.left || Math.min(x1, x2) > view.right) continue;
    if (Math.max(y1, y2) < view.top || Math.min(y1, y2) > view.bottom) continue;
    const cls = e.className ?? "";
    const style = cls.includes("lit")
      ? "lit"
      : cls.includes("finding-error")
        ? "error"
        : cls.includes("finding-warning")
          ? "warning"
          : cls.includes("locked")
            ? "locked"
            : "plain";
    let path = paths.get(style);
    if (path === undefined) {
      path = new Path2D();
      paths.set(style, path);
    }
    const bend = Math.max(40, Math.abs(x2 - x1) / 2);
    path.moveTo(x1, y1);
    path.bezierCurveTo(x1 + bend, y1, x2 - bend, y2, x2, y2);
  }
  for (const name of ["plain", "locked", "warning", "error", "lit"]) {
    const path = paths.get(name);
    if (path === undefined) continue;
    const style = styles[name];
    ctx.strokeStyle = style.colour;
    ctx.lineWidth = style.width * px;
    ctx.setLineDash(style.dash.map((d) => d * px));
    ctx.stroke(path);
  }
  ctx.setLineDash([]);
}

const SEVERITY_COLOUR = { error: "function", warning: "bucket", info: "filter" } as const;

/** Cards as the compact form: panel fill, border, kind accent, the name
 * where it is legible, a dot in the worst finding's colour; faint ones
 * drawn faint, lit and selected ones outlined. */
function drawCards(
  ctx: CanvasRenderingContext2D,
  boxes: Box[],
  px: number,
  zoom: number,
  palette: Palette,
  conflict: boolean,
) {
  const faint = boxes.filter((b) => b.node.className === "dimmed");
  const strong = boxes.filter((b) => b.node.className !== "dimmed");
  for (const [group, alpha] of [
    [faint, 0.2],
    [strong, 1],
  ] as const) {
    ctx.globalAlpha = alpha;
    const body = new Path2D();
    for (const b of group) body.rect(b.x, b.y, b.width, b.height);
    ctx.fillStyle = palette.panel;
    ctx.fill(body);
    ctx.strokeStyle = palette.border;
    ctx.lineWidth = px;
    ctx.stroke(body);
    // The kind's accent along the left side: 6 px, never thinner than 2 on screen.
    const accent = Math.max(6, 2 * px);
    for (const kind of ["bucket", "filter", "function", "rule", "topic", "queue", "foreign"] as const) {
      const bar = new Path2D();
      for (const b of group) if (b.node.data.view.kind === kind) bar.rect(b.x, b.y, accent, b.height);
      ctx.fillStyle = kind === "foreign" ? palette.muted : palette[kind];
      ctx.fill(bar);
    }
    // The worst finding: a dot at the top right, at least 4 px across on screen.
    const radius = Math.max(9, 4 * px);
    for (const severity of ["info", "warning", "error"] as const) {
      const dots = new Path2D();
      for (const b of group) {
        if (b.node.data.view.badge?.severity !== severity) continue;
        dots.moveTo(b.x + b.width + radius * 0.2, b.y);
        dots.arc(b.x + b.width - radius * 0.8, b.y, radius, 0, Math.PI * 2);
      }
      ctx.fillStyle = palette[SEVERITY_COLOUR[severity]];
      ctx.fill(dots);
    }
    // Names where they can be read: 26 px (the compact card's size), from 6 px on screen.
    if (26 * zoom >= 6) {
      ctx.fillStyle = palette.fg;
      ctx.font = "600 26px system-ui, sans-serif";
      ctx.textBaseline = "middle";
      for (const b of group) {
        ctx.save();
        ctx.beginPath();
        ctx.rect(b.x, b.y, b.width - 4, b.height);
        ctx.clip();
        ctx.fillText(b.node.data.view.title, b.x + accent + 10, b.y + b.height / 2);
        ctx.restore();
      }
    }
  }
  ctx.globalAlpha = 1;
  // Lit and selected cards: an outline 3 px wide on screen.
  const outline = (pick: (b: Box) => boolean, colour: string) => {
    const path = new Path2D();
    for (const b of strong) if (pick(b)) path.rect(b.x - 4 * px, b.y - 4 * px, b.width + 8 * px, b.height + 8 * px);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 3 * px;
    ctx.stroke(path);
  };
  outline((b) => b.node.className === "lit", conflict ? palette.function : palette.filter);
  outline((b) => b.node.selected === true, palette.fg);
}

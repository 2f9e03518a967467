// The arrangement of an account: ELK's layered algorithm (elkjs), left to
// right (buckets, their filters, the functions they invoke), once per group
// of account and region; each group's paths packed into its frame and the
// frames packed (regions sorted, accounts one below the other) to the shape
// of the view (pack.ts). Auto-layout, an import and a merge
// all arrange through here. Positions are UI state until sent to Rust as one
// move (one undo step) or as the last step's arrangement.
//
// SQS, SNS and EventBridge destinations are not document nodes: Rust draws
// them above their bucket, so they take part as room above the bucket's box
// and no move is sent for them.
import type { Edge, Node } from "@xyflow/react";
import type { ElkNode } from "elkjs/lib/elk-api";
import { type Box, type Packing, fitScale, skyline, widthsToTry } from "./pack";

export type Move = { id: string; x: number; y: number };

type View = { kind?: string; region?: string | null; account?: string | null; title?: string; details?: string[] };
const viewOf = (n: Node) => (n.data as { view?: View } | undefined)?.view;

/** Space between two groups (a frame's margin and its title bar fit in it). */
export const GROUP_GAP = 180;
/** Where Rust draws a destination card: this far right of its bucket and
 * this much higher per card (view.rs FOREIGN_HEIGHT). */
const FOREIGN_OFFSET_X = 160;
const FOREIGN_HEIGHT = 120;

/** ELK's options: layered, left to right, tight enough that an account's
 * overview is drawn large (its parts are re-packed here, see `partsOf`). */
const OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.layered.spacing.nodeNodeBetweenLayers": "50",
  "elk.spacing.nodeNode": "12",
  "elk.spacing.componentComponent": "56",
  "elk.aspectRatio": "0.8",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.padding": "[top=0,left=0,bottom=0,right=0]",
};

/** A card's size: what React Flow measured, or an estimate from its text
 * (cards off screen in a large document are never measured). */
export function sizeOf(n: Node): { width: number; height: number } {
  if (n.measured?.width !== undefined && n.measured.height !== undefined) {
    return { width: n.measured.width, height: n.measured.height };
  }
  const v = viewOf(n);
  const details = v?.details ?? [];
  const text = Math.max((v?.title ?? "").length * 8.6, ...details.map((d) => d.length * 7.3));
  return {
    width: Math.round(Math.min(300, Math.max(200, text + 32))),
    height: 58 + 17 * details.length,
  };
}

/** A connected part of a region with more buckets than this is cut into
 * paths of about this many buckets (see `banded`): one, so each bucket's
 * path (its filters and what they deliver to) is a box of its own, and the
 * boxes pack to the view's shape. */
export const BAND_BUCKETS = 1;

/**
 * The edges ELK lays out by. In a real account one part of a region is
 * often connected through shared functions into hundreds of buckets; laid
 * out whole it is one column as tall as all its filters. Such a part is cut
 * into bands of `BAND_BUCKETS` buckets (in the order a walk through the
 * part meets them, so buckets that share functions stay near), each filter
 * in its bucket's band, each function in the band most of its filters are
 * in; the edges between bands are left out of the layout (still drawn), so
 * the bands are separate boxes to pack.
 */
export function banded(nodes: Node[], edges: Edge[]): Edge[] {
  const ids = new Set(nodes.map((n) => n.id));
  const kind = new Map(nodes.map((n) => [n.id, viewOf(n)?.kind]));
  const near = new Map<string, string[]>();
  for (const e of edges) {
    if (!ids.has(e.source) || !ids.has(e.target)) continue;
    near.set(e.source, [...(near.get(e.source) ?? []), e.target]);
    near.set(e.target, [...(near.get(e.target) ?? []), e.source]);
  }
  const band = new Map<string, number>();
  const seen = new Set<string>();
  let next = 0;
  for (const start of nodes) {
    if (seen.has(start.id)) continue;
    // One connected part, walked breadth first from its first card.
    const part: string[] = [];
    const queue = [start.id];
    seen.add(start.id);
    for (let i = 0; i < queue.length; i++) {
      part.push(queue[i]);
      for (const other of near.get(queue[i]) ?? []) {
        if (!seen.has(other)) {
          seen.add(other);
          queue.push(other);
        }
      }
    }
    const buckets = part.filter((id) => kind.get(id) === "bucket");
    if (buckets.length <= BAND_BUCKETS) continue;
    const bands = Math.ceil(buckets.length / BAND_BUCKETS);
    const size = Math.ceil(buckets.length / bands);
    buckets.forEach((id, i) => band.set(id, next + Math.floor(i / size)));
    for (const id of part) {
      if (kind.get(id) === "filter") {
        const bucket = (near.get(id) ?? []).find((o) => kind.get(o) === "bucket");
        if (bucket !== undefined) band.set(id, band.get(bucket) ?? next);
      }
    }
    for (const id of part) {
      if (band.has(id)) continue;
      // The band most of its neighbours are in (the first on a tie).
      const votes = new Map<number, number>();
      for (const o of near.get(id) ?? []) {
        const b = band.get(o);
        if (b !== undefined) votes.set(b, (votes.get(b) ?? 0) + 1);
      }
      let best = next;
      let most = 0;
      for (const [b, count] of [...votes].sort(([a], [b]) => a - b)) {
        if (count > most) [best, most] = [b, count];
      }
      band.set(id, best);
    }
    next += bands;
  }
  return edges.filter((e) => band.get(e.source) === band.get(e.target));
}

/** The group a card is laid out and framed in: its account, then region. */
export function groupOf(n: Node): { account: string; region: string } {
  const v = viewOf(n);
  return { account: v?.account ?? "", region: v?.region ?? "" };
}
const groupKey = (g: { account: string; region: string }) => `${g.account}\u0000${g.region}`;

type Engine = { layout: (graph: ElkNode) => Promise<ElkNode> };
let engine: Promise<Engine> | null = null;
/** ELK in a web worker where there is one (the window stays responsive
 * while thousands of cards are placed), on this thread otherwise (tests).
 * One worker: on two cores a second one made an account's layout slower
 * (each loads ELK, and they compete with the window for the cores). */
function elk(): Promise<Engine> {
  engine ??= (async () => {
    if (typeof Worker !== "undefined" && import.meta.env.MODE !== "test") {
      const [{ default: ELK }, { default: workerUrl }] = await Promise.all([
        import("elkjs/lib/elk-api"),
        import("elkjs/lib/elk-worker.min.js?url"),
      ]);
      return new ELK({ workerUrl });
    }
    const { default: ELK } = await import("elkjs/lib/elk.bundled.js");
    return new ELK();
  })();
  return engine;
}

/** Starts the layout engine and runs it once on nothing, so the first
 * real arrangement (an import's) finds the worker loaded and warm. */
export async function warmUpLayout(): Promise<void> {
  const engine = await elk();
  await engine.layout({ id: "warm-up", layoutOptions: OPTIONS, children: [{ id: "a", width: 10, height: 10 }], edges: [] });
}

/** An account's shape in miniature for `practiseLayout`: `buckets`
 * buckets with two filters each, a function serving six buckets' filters. */
export function practiceGraph(buckets: number): ElkNode {
  const children: ElkNode[] = [];
  const edges: { id: string; sources: string[]; targets: string[] }[] = [];
  for (let b = 0; b < buckets; b++) {
    children.push({ id: `b${b}`, width: 220, height: 92 });
    for (let f = 0; f < 2; f++) {
      children.push({ id: `f${b}-${f}`, width: 200, height: 92 });
      edges.push({ id: `bf${b}-${f}`, sources: [`b${b}`], targets: [`f${b}-${f}`] });
      edges.push({ id: `ff${b}-${f}`, sources: [`f${b}-${f}`], targets: [`fn${Math.floor(b / 6) * 2 + f}`] });
    }
  }
  for (let k = 0; k < Math.ceil(buckets / 6) * 2; k++) children.push({ id: `fn${k}`, width: 230, height: 75 });
  return { id: "practice", layoutOptions: OPTIONS, children, edges };
}

let practised: Promise<void> | null = null;
/** Lays an account's shape out a few times, once per session, so ELK's
 * code is compiled before a real account comes: cold, it took 1.1–1.3 s to
 * arrange a 2,500-bucket account's three regions, practised 0.7 s (elkjs
 * under Node; the window's JavaScript engine alike). The import wizard
 * starts it while the account is read (a network wait). */
export function practiseLayout(): Promise<void> {
  practised ??= (async () => {
    const engine = await elk();
    for (let round = 0; round < 3; round++) await engine.layout(practiceGraph(100));
  })();
  return practised;
}

/** What a layout is asked for: where the first account's groups start (a
 * merge puts what it adds below what is drawn), and the shape of the view
 * it will be seen in (width over height), which the drawing is packed to. */
export type LayoutOptions = { top?: number; aspect?: number };
/** The view's shape when it is not known (a wide window's canvas). */
export const DEFAULT_ASPECT = 1.6;
/** Space between two independent paths of one region. */
const PATH_GAP = 28;

/** A region's paths, laid out by ELK, as boxes to pack: each part's cards
 * relative to its box's corner. */
type Part = { box: Box; cards: { id: string; x: number; y: number }[] };

/** The connected parts of a laid-out group (by the edges it was laid out
 * by), each as a box, in the order their first card comes in `order`. */
function partsOf(graph: ElkNode, inside: Edge[], order: string[]): Part[] {
  const root = new Map<string, string>();
  const find = (id: string): string => {
    let r = id;
    while (root.get(r) !== undefined && root.get(r) !== r) r = root.get(r) as string;
    root.set(id, r);
    return r;
  };
  for (const id of order) root.set(id, id);
  for (const e of inside) root.set(find(e.source), find(e.target));
  const children = new Map((graph.children ?? []).map((c) => [c.id, c]));
  const parts = new Map<string, ElkNode[]>();
  for (const id of order) {
    const child = children.get(id);
    if (child === undefined) continue;
    const key = find(id);
    if (!parts.has(key)) parts.set(key, []);
    parts.get(key)?.push(child);
  }
  return [...parts.values()].map((members) => {
    const left = Math.min(...members.map((c) => c.x ?? 0));
    const top = Math.min(...members.map((c) => c.y ?? 0));
    const right = Math.max(...members.map((c) => (c.x ?? 0) + (c.width ?? 0)));
    const bottom = Math.max(...members.map((c) => (c.y ?? 0) + (c.height ?? 0)));
    return {
      box: { width: right - left, height: bottom - top },
      cards: members.map((c) => ({ id: c.id, x: (c.x ?? 0) - left, y: (c.y ?? 0) - top })),
    };
  });
}

/**
 * The shape of the whole drawing: for each group, which of its packings
 * (narrow and tall to wide and low), and how wide a row of frames may be,
 * so that the drawing, accounts one below the other, is drawn largest in a
 * view of `aspect`. Tries every group height a packing has as the limit
 * each group is packed under.
 */
function choosePackings(
  groups: { account: string; packings: Packing[] }[],
  aspect: number,
): { chosen: Packing[]; row: number } {
  const pick = (limit: number) =>
    groups.map(({ packings }) => {
      const fitting = packings.filter((p) => p.height <= limit);
      const pool = fitting.length > 0 ? fitting : packings;
      return pool.reduce((a, b) => (b.width < a.width || (b.width === a.width && b.height < a.height) ? b : a));
    });
  const accounts = [...new Set(groups.map((g) => g.account))];
  let best = { scale: -1, chosen: pick(Infinity), row: 0 };
  const limits = [...new Set(groups.flatMap((g) => g.packings.map((p) => p.height)))];
  for (const limit of limits) {
    const chosen = pick(limit);
    for (const row of widthsToTry(chosen, GROUP_GAP, 32)) {
      let width = 0;
      let height = -GROUP_GAP;
      for (const account of accounts) {
        const frames = chosen.filter((_, i) => groups[i].account === account);
        const block = skyline(frames, row, GROUP_GAP);
        width = Math.max(width, block.width);
        height += block.height + GROUP_GAP;
      }
      const scale = fitScale(width, height, aspect);
      if (scale > best.scale) best = { scale, chosen, row };
    }
  }
  return { chosen: best.chosen, row: best.row };
}

/**
 * Where each card goes. `nodes` are the cards to arrange (destinations
 * among them are carried by their bucket); edges between them shape the
 * layers. Each account-and-region group is laid out by ELK, its
 * independent paths packed into a frame, and the frames packed (accounts
 * one below the other) so the drawing has the view's shape.
 */
export async function layOut(nodes: Node[], edges: Edge[], options: LayoutOptions = {}): Promise<Move[]> {
  const { top = 0, aspect = DEFAULT_ASPECT } = options;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // Destinations hang above their bucket: the bucket's box grows by them.
  const carried = new Map<string, Node[]>();
  for (const e of edges) {
    const target = byId.get(e.target);
    if (target !== undefined && viewOf(target)?.kind === "foreign") {
      carried.set(e.source, [...(carried.get(e.source) ?? []), target]);
    }
  }
  const groups = new Map<string, { account: string; region: string; nodes: Node[] }>();
  for (const n of nodes) {
    if (viewOf(n)?.kind === "foreign") continue;
    const g = groupOf(n);
    const key = groupKey(g);
    if (!groups.has(key)) groups.set(key, { ...g, nodes: [] });
    groups.get(key)?.nodes.push(n);
  }
  const groupOfId = new Map<string, string>();
  for (const [key, g] of groups) for (const n of g.nodes) groupOfId.set(n.id, key);

  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const engine = await elk();
  const laid = await Promise.all(
    sorted.map(async ([key, g]) => {
      const children: ElkNode[] = g.nodes.map((n) => {
        const size = sizeOf(n);
        const above = carried.get(n.id) ?? [];
        const widest = Math.max(0, ...above.map((f) => sizeOf(f).width + FOREIGN_OFFSET_X));
        return {
          id: n.id,
          width: Math.max(size.width, widest),
          height: size.height + FOREIGN_HEIGHT * above.length,
        };
      });
      const inside = banded(
        g.nodes,
        edges.filter((e) => groupOfId.get(e.source) === key && groupOfId.get(e.target) === key),
      );
      const graph = await engine.layout({
        id: key,
        layoutOptions: OPTIONS,
        children,
        edges: inside.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
      });
      const parts = partsOf(graph, inside, g.nodes.map((n) => n.id)).sort((a, b) => b.box.height - a.box.height);
      const boxes = parts.map((p) => p.box);
      const packings = widthsToTry(boxes, PATH_GAP, 48).map((w) => skyline(boxes, w, PATH_GAP));
      return { group: g, parts, packings };
    }),
  );

  const { chosen, row } = choosePackings(
    laid.map(({ group, packings }) => ({ account: group.account, packings })),
    aspect,
  );
  const moves: Move[] = [];
  let y = top;
  for (const account of [...new Set(laid.map((l) => l.group.account))]) {
    const mine = laid.map((l, i) => ({ ...l, packing: chosen[i] })).filter((l) => l.group.account === account);
    const block = skyline(
      mine.map((l) => l.packing),
      row,
      GROUP_GAP,
    );
    mine.forEach(({ parts, packing }, f) => {
      const frame = block.at[f];
      parts.forEach((part, p) => {
        for (const card of part.cards) {
          const above = carried.get(card.id)?.length ?? 0;
          moves.push({
            id: card.id,
            x: Math.round(frame.x + packing.at[p].x + card.x),
            y: Math.round(y + frame.y + packing.at[p].y + card.y + FOREIGN_HEIGHT * above),
          });
        }
      });
    });
    y += block.height + GROUP_GAP;
  }
  return moves;
}

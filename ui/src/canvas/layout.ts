// The arrangement of an account: ELK's layered algorithm (elkjs), left to
// right (buckets, their filters, the functions they invoke), once per group
// of account and region; the groups stand side by side per account (regions
// sorted), accounts one below the other. Auto-layout, an import and a merge
// all arrange through here. Positions are UI state until sent to Rust as one
// move (one undo step) or as the last step's arrangement.
//
// SQS, SNS and EventBridge destinations are not document nodes: Rust draws
// them above their bucket, so they take part as room above the bucket's box
// and no move is sent for them.
import type { Edge, Node } from "@xyflow/react";
import type { ElkNode } from "elkjs/lib/elk-api";

export type Move = { id: string; x: number; y: number };

type View = { kind?: string; region?: string | null; account?: string | null; title?: string; details?: string[] };
const viewOf = (n: Node) => (n.data as { view?: View } | undefined)?.view;

/** Space between two groups (a frame's margin and its title bar fit in it). */
export const GROUP_GAP = 260;
/** Where Rust draws a destination card: this far right of its bucket and
 * this much higher per card (view.rs FOREIGN_HEIGHT). */
const FOREIGN_OFFSET_X = 160;
const FOREIGN_HEIGHT = 120;

/** ELK's options: layered, left to right, components packed to a lane's
 * shape (taller than wide, since regions stand side by side). */
const OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.layered.spacing.nodeNodeBetweenLayers": "110",
  "elk.spacing.nodeNode": "28",
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

/** A connected part of a region larger than this many buckets is laid
 * out in bands of about this many (see `banded`). */
export const BAND_BUCKETS = 12;

/**
 * The edges ELK lays out by. In a real account one part of a region is
 * often connected through shared functions into hundreds of buckets; laid
 * out whole it is one column as tall as all its filters. Such a part is cut
 * into bands of about `BAND_BUCKETS` buckets (in the order a walk through
 * the part meets them, so buckets that share functions stay together),
 * each filter in its bucket's band, each function in the band most of its
 * filters are in; the edges between bands are left out of the layout
 * (still drawn), so ELK packs the bands side by side like separate parts.
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

/**
 * Where each card goes. `nodes` are the cards to arrange (destinations
 * among them are carried by their bucket); edges between them shape the
 * layers. `top` is where the first account's groups start (a merge puts
 * what it adds below what is drawn).
 */
export async function layOut(nodes: Node[], edges: Edge[], top = 0): Promise<Move[]> {
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
      return { key, group: g, graph };
    }),
  );

  const moves: Move[] = [];
  let y = top;
  let account: string | null = null;
  let left = 0;
  let rowHeight = 0;
  for (const { group, graph } of laid) {
    if (account !== null && group.account !== account) {
      // The next account's row, below this one.
      y += rowHeight + GROUP_GAP;
      left = 0;
      rowHeight = 0;
    }
    account = group.account;
    for (const child of graph.children ?? []) {
      const above = carried.get(child.id)?.length ?? 0;
      moves.push({
        id: child.id,
        x: Math.round(left + (child.x ?? 0)),
        y: Math.round(y + (child.y ?? 0) + FOREIGN_HEIGHT * above),
      });
    }
    left += (graph.width ?? 0) + GROUP_GAP;
    rowHeight = Math.max(rowHeight, graph.height ?? 0);
  }
  return moves;
}

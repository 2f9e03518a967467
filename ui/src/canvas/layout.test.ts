import { describe, expect, it } from "vitest";
import type { Edge, Node } from "@xyflow/react";
import { BAND_BUCKETS, GROUP_GAP, banded, layOut, practiceGraph } from "./layout";
import { framesOf, frameCounts } from "./frames";

const card = (id: string, kind: string, region: string, account = "111111111111"): Node => ({
  id,
  position: { x: 0, y: 0 },
  data: { view: { kind, region, account, title: id, details: [], badge: kind === "function" && id.endsWith("2") ? { severity: "error" } : null } },
  measured: { width: 220, height: 80 },
});
const edge = (source: string, target: string): Edge => ({ id: `${source}->${target}`, source, target });

// Two regions of one account, a second account, a destination above a bucket.
const nodes = [
  card("b1", "bucket", "us-east-1"),
  card("f1", "filter", "us-east-1"),
  card("fn1", "function", "us-east-1"),
  card("b2", "bucket", "us-east-1"),
  card("f2", "filter", "us-east-1"),
  card("b2/foreign/0", "foreign", "us-east-1"),
  card("b3", "bucket", "eu-west-1"),
  card("f3", "filter", "eu-west-1"),
  card("fn2", "function", "eu-west-1"),
  card("b4", "bucket", "us-east-1", "222222222222"),
];
const edges = [
  edge("b1", "f1"),
  edge("f1", "fn1"),
  edge("b2", "f2"),
  edge("f2", "fn1"),
  edge("b2", "b2/foreign/0"),
  edge("b3", "f3"),
  edge("f3", "fn2"),
];

describe("layOut", () => {
  it("reads left to right per path, frames apart, accounts below, destinations carried", async () => {
    const moves = await layOut(nodes, edges);
    const at = new Map(moves.map((m) => [m.id, m]));
    // No move for a destination: Rust draws it above its bucket.
    expect(at.has("b2/foreign/0")).toBe(false);
    expect(moves).toHaveLength(nodes.length - 1);
    const x = (id: string) => at.get(id)?.x ?? NaN;
    const y = (id: string) => at.get(id)?.y ?? NaN;
    // Bucket, then filter, then function.
    expect(x("b1")).toBeLessThan(x("f1"));
    expect(x("f1")).toBeLessThan(x("fn1"));
    expect(x("b2")).toBeLessThan(x("f2"));
    expect(x("b3")).toBeLessThan(x("f3"));
    expect(x("f3")).toBeLessThan(x("fn2"));
    // Each group's cards, as a box: the groups are GROUP_GAP apart.
    const box = (ids: string[]) => ({
      left: Math.min(...ids.map(x)),
      right: Math.max(...ids.map((id) => x(id) + 220)),
      top: Math.min(...ids.map(y)),
      bottom: Math.max(...ids.map((id) => y(id) + 80)),
    });
    const east = box(["b1", "f1", "fn1", "b2", "f2"]);
    const west = box(["b3", "f3", "fn2"]);
    const apart = (a: typeof east, b: typeof east) =>
      a.right + GROUP_GAP <= b.left || b.right + GROUP_GAP <= a.left || a.bottom + GROUP_GAP <= b.top || b.bottom + GROUP_GAP <= a.top;
    expect(apart(east, west)).toBe(true);
    // The second account below the first's frames.
    expect(y("b4")).toBeGreaterThanOrEqual(Math.max(east.bottom, west.bottom) + GROUP_GAP);
    // Room above b2 for its destination card (drawn 120 above it).
    const placed = nodes.map((n) => ({ ...n, position: at.get(n.id) ?? { x: x("b2") + 160, y: y("b2") - 120 } }));
    for (const a of placed)
      for (const b of placed)
        if (a.id < b.id) {
          const apart =
            a.position.x + 220 <= b.position.x || b.position.x + 220 <= a.position.x ||
            a.position.y + 80 <= b.position.y || b.position.y + 80 <= a.position.y;
          expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
        }
  });

  it("packs the paths and frames to the shape of the view", async () => {
    // Three regions of twelve one-bucket paths each.
    const account: Node[] = [];
    const links: Edge[] = [];
    for (const region of ["ap-southeast-2", "eu-west-1", "us-east-1"])
      for (let i = 0; i < 12; i++) {
        account.push(card(`b${i}-${region}`, "bucket", region), card(`f${i}-${region}`, "filter", region), card(`fn${i}-${region}`, "function", region));
        links.push(edge(`b${i}-${region}`, `f${i}-${region}`), edge(`f${i}-${region}`, `fn${i}-${region}`));
      }
    const shape = async (aspect: number) => {
      const moves = await layOut(account, links, { aspect });
      const width = Math.max(...moves.map((m) => m.x + 220)) - Math.min(...moves.map((m) => m.x));
      const height = Math.max(...moves.map((m) => m.y + 80)) - Math.min(...moves.map((m) => m.y));
      return width / height;
    };
    const wide = await shape(16 / 9);
    const tall = await shape(9 / 16);
    // Within a third of the view's shape either way, and the one not the other.
    expect(wide).toBeGreaterThan((16 / 9) * 0.67);
    expect(wide).toBeLessThan((16 / 9) * 1.5);
    expect(tall).toBeGreaterThan((9 / 16) * 0.67);
    expect(tall).toBeLessThan((9 / 16) * 1.5);
  });

  it("starts below a given line (a merge's added cards)", async () => {
    const moves = await layOut(nodes.slice(0, 3), edges, { top: 5000 });
    expect(Math.min(...moves.map((m) => m.y))).toBeGreaterThanOrEqual(5000);
  });
});

describe("framesOf", () => {
  it("frames each account's region around its cards, with counts", () => {
    const placed = nodes.map((n, i) => ({ ...n, position: { x: i * 300, y: 0 } }));
    const frames = framesOf(placed);
    expect(frames.map((f) => [f.account, f.region])).toEqual([
      ["111111111111", "eu-west-1"],
      ["111111111111", "us-east-1"],
      ["222222222222", "us-east-1"],
    ]);
    const east = frames[1];
    expect(east.x).toBe(-40);
    expect(east.width).toBe(5 * 300 + 220 + 80);
    expect(frameCounts(east, 7)).toBe("2 buckets · 1 function · 7 without notifications");
    expect(frameCounts(frames[0], 0)).toBe("1 bucket · 1 function · 1 with errors");
  });
});

describe("banded", () => {
  // One part of a region: 30 buckets, a filter each, all through one
  // function plus a function per five buckets (so the part is connected).
  const many: Node[] = [];
  const links: Edge[] = [];
  many.push(card("shared", "function", "us-east-1"));
  for (let i = 0; i < 30; i++) {
    many.push(card(`b${i}`, "bucket", "us-east-1"), card(`f${i}`, "filter", "us-east-1"), card(`g${i}`, "filter", "us-east-1"));
    links.push(edge(`b${i}`, `f${i}`), edge(`f${i}`, "shared"), edge(`b${i}`, `g${i}`), edge(`g${i}`, `fn-${Math.floor(i / 5)}`));
  }
  for (let k = 0; k < 6; k++) many.push(card(`fn-${k}`, "function", "us-east-1"));

  it("cuts a part larger than BAND_BUCKETS buckets into bands, keeping each bucket with its filters", () => {
    const kept = banded(many, links);
    const cut = links.filter((e) => !kept.includes(e));
    // Every bucket → filter edge stays; only filter → function edges are cut.
    for (const e of cut) expect(e.source.startsWith("b")).toBe(false);
    expect(cut.length).toBeGreaterThan(0);
    // What is left falls apart into bands of at most BAND_BUCKETS buckets.
    const parts = componentsOf(many.map((n) => n.id), kept);
    const buckets = parts.map((p) => p.filter((id) => /^b\d+$/.test(id)).length).filter((n) => n > 0);
    expect(Math.max(...buckets)).toBeLessThanOrEqual(BAND_BUCKETS);
    expect(buckets.reduce((a, b) => a + b, 0)).toBe(30);
    // A function five buckets share stays with one of their paths.
    expect(kept.filter((e) => e.target === "fn-0").length).toBe(1);
  });

  it("leaves a part of one bucket whole", () => {
    const one = nodes.filter((n) => ["b3", "f3", "fn2"].includes(n.id));
    const its = edges.filter((e) => e.source === "b3" || e.source === "f3");
    expect(banded(one, its)).toEqual(its);
  });

  it("lays a large part out wider than one column", async () => {
    const moves = await layOut(many, links);
    const xs = new Set(moves.filter((m) => /^b\d+$/.test(m.id)).map((m) => m.x));
    expect(xs.size).toBeGreaterThan(1);
  });
});

/** The connected parts of a graph. */
function componentsOf(ids: string[], edges: Edge[]): string[][] {
  const parent = new Map(ids.map((id) => [id, id]));
  const root = (id: string): string => (parent.get(id) === id ? id : root(parent.get(id) ?? id));
  for (const e of edges) parent.set(root(e.source), root(e.target));
  const parts = new Map<string, string[]>();
  for (const id of ids) parts.set(root(id), [...(parts.get(root(id)) ?? []), id]);
  return [...parts.values()];
}

describe("practiceGraph", () => {
  it("is an account's shape: buckets with two filters each, functions shared by six buckets", () => {
    const g = practiceGraph(12);
    const ids = new Set((g.children ?? []).map((c) => c.id));
    expect(ids.size).toBe(12 + 24 + 4);
    const edges = (g.edges ?? []) as { sources: string[]; targets: string[] }[];
    expect(edges.length).toBe(48);
    for (const e of edges) expect([...e.sources, ...e.targets].every((id) => ids.has(id))).toBe(true);
    // Function fn0 serves the first filter of six buckets.
    expect(edges.filter((e) => e.targets[0] === "fn0").length).toBe(6);
  });
});

import { describe, expect, it } from "vitest";
import type { Edge, Node } from "@xyflow/react";
import { layOut, GROUP_GAP } from "./layout";
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
  it("reads left to right per region, regions side by side, accounts below, destinations carried", async () => {
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
    expect(x("f2")).toBe(x("f1"));
    // The shared function appears once, between the filters that invoke it.
    expect(y("fn1")).toBeGreaterThanOrEqual(Math.min(y("f1"), y("f2")));
    expect(y("fn1")).toBeLessThanOrEqual(Math.max(y("f1"), y("f2")));
    // Regions sorted: eu-west-1's lane left of us-east-1's, with a gap.
    expect(x("fn2") + 220 + GROUP_GAP).toBeLessThanOrEqual(x("b1"));
    // The second account below the first's lanes.
    const firstBottom = Math.max(...["b1", "f1", "fn1", "b2", "f2", "b3", "f3", "fn2"].map((id) => y(id) + 80));
    expect(y("b4")).toBeGreaterThanOrEqual(firstBottom + GROUP_GAP);
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

  it("starts below a given line (a merge's added cards)", async () => {
    const moves = await layOut(nodes.slice(0, 3), edges, 5000);
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

import { describe, expect, it } from "vitest";
import sample from "../mock/sample-view.json";
import type { EditorView_Serialize as EditorView } from "../bindings";
import { layersOf } from "./Minimap";
import { toFlow } from "./toFlow";

const doc = (sample as unknown as EditorView).document;

describe("layersOf", () => {
  it("draws one path per kind, each box a closed rectangle at its card", () => {
    const { layers, bounds } = layersOf(toFlow(doc).nodes);
    expect(layers.map((l) => [l.kind, l.severity, l.count])).toEqual([
      ["bucket", null, 1],
      ["filter", null, 1],
      ["function", null, 1],
    ]);
    expect(layers[1].d).toMatch(/^M320 0h\d+v\d+h-\d+z$/);
    expect(bounds?.x).toBe(0);
    expect(bounds?.y).toBe(0);
    expect(bounds!.width).toBeGreaterThan(640);
  });

  it("keeps cards with findings apart by their worst severity, drawn last", () => {
    const nodes = toFlow({
      ...doc,
      nodes: doc.nodes.map((n, i) => ({
        ...n,
        kind: "bucket" as const,
        badge: i === 0 ? null : { severity: i === 1 ? ("error" as const) : ("warning" as const), count: 1 },
      })),
    }).nodes;
    const { layers } = layersOf(nodes);
    expect(layers.map((l) => [l.kind, l.severity, l.count])).toEqual([
      ["bucket", null, 1],
      ["bucket", "error", 1],
      ["bucket", "warning", 1],
    ]);
  });

  it("has nothing to draw for an empty canvas", () => {
    expect(layersOf([])).toEqual({ layers: [], bounds: null });
  });
});

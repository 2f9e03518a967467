import { describe, expect, it } from "vitest";
import { boxesOf, cardAt } from "./Overview";
import type { CardNode } from "./toFlow";

const card = (id: string, x: number, y: number, measured?: { width: number; height: number }): CardNode =>
  ({
    id,
    type: "bucket",
    position: { x, y },
    data: { view: { id, kind: "bucket", title: "a-bucket-name", details: ["us-east-1"] } },
    ...(measured === undefined ? {} : { measured }),
  }) as unknown as CardNode;

describe("the overview's picking", () => {
  const boxes = boxesOf([card("a", 0, 0, { width: 220, height: 80 }), card("b", 200, 40), card("c", 1000, 1000)]);

  it("sizes measured cards as measured and the others by their text", () => {
    expect(boxes[0]).toMatchObject({ id: "a", width: 220, height: 80 });
    expect(boxes[1]).toMatchObject({ id: "b", x: 200, y: 40, width: 200, height: 75 });
  });

  it("picks the card under a point, the one drawn last where two overlap, none on the pane", () => {
    expect(cardAt(boxes, 10, 10)).toBe("a");
    expect(cardAt(boxes, 210, 60)).toBe("b");
    expect(cardAt(boxes, 1100, 1050)).toBe("c");
    expect(cardAt(boxes, 600, 600)).toBeNull();
  });

  it("leaves hidden cards out", () => {
    expect(boxesOf([{ ...card("h", 0, 0), hidden: true }])).toEqual([]);
  });
});

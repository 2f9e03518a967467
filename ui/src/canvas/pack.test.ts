import { describe, expect, it } from "vitest";
import { type Box, fitScale, skyline, widthsToTry } from "./pack";

/** Whether no two placed boxes overlap or come closer than `gap`. */
function apart(boxes: Box[], at: { x: number; y: number }[], gap: number): boolean {
  return boxes.every((a, i) =>
    boxes.every((b, j) => {
      if (i >= j) return true;
      const p = at[i];
      const q = at[j];
      return p.x + a.width + gap <= q.x || q.x + b.width + gap <= p.x || p.y + a.height + gap <= q.y || q.y + b.height + gap <= p.y;
    }),
  );
}

describe("skyline", () => {
  it("fills a row, then the lowest place left", () => {
    const square = { width: 100, height: 100 };
    const { at, width, height } = skyline([square, square, square, square], 200, 0);
    expect(at).toEqual([
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 0, y: 100 },
      { x: 100, y: 100 },
    ]);
    expect([width, height]).toEqual([200, 200]);
  });

  it("puts a box in the lowest gap along the top, leftmost on a tie", () => {
    const { at } = skyline(
      [
        { width: 100, height: 300 },
        { width: 100, height: 100 },
        { width: 100, height: 200 },
        { width: 100, height: 100 },
      ],
      320,
      10,
    );
    // Three to a row; the fourth goes under the second (its top at 110), not the third's 210.
    expect(at[3]).toEqual({ x: 110, y: 110 });
  });

  it("keeps boxes apart and inside the width; a box wider than the strip widens it", () => {
    const boxes = Array.from({ length: 40 }, (_, i) => ({ width: 80 + ((i * 37) % 120), height: 40 + ((i * 53) % 90) }));
    for (const width of [200, 450, 1000]) {
      const packing = skyline(boxes, width, 12);
      expect(apart(boxes, packing.at, 12)).toBe(true);
      expect(packing.width).toBeLessThanOrEqual(width);
    }
    expect(skyline([{ width: 500, height: 10 }], 100, 0).width).toBe(500);
  });
});

describe("widthsToTry", () => {
  it("runs from the widest box to every box in one row", () => {
    const boxes = [
      { width: 100, height: 1 },
      { width: 300, height: 1 },
      { width: 200, height: 1 },
    ];
    const widths = widthsToTry(boxes, 10, 8);
    expect(widths[0]).toBe(300);
    expect(widths[widths.length - 1]).toBe(620);
    expect(widths.every((w, i) => i === 0 || w > widths[i - 1])).toBe(true);
    expect(widthsToTry([], 10)).toEqual([0]);
  });
});

describe("fitScale", () => {
  it("is bound by whichever side fills the view first", () => {
    expect(fitScale(200, 100, 2)).toBe(0.01);
    expect(fitScale(100, 100, 2)).toBe(0.01);
    expect(fitScale(400, 100, 2)).toBe(0.005);
  });
});

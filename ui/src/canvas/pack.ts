// Packing boxes into a drawing of a given shape: the independent paths of a
// region into its frame, and the frames into the canvas, so that Fit view
// can show an account large instead of as one tall strip. Pure geometry:
// boxes in, offsets out; the layout decides what the boxes are.

/** A box to place: its size, in the order it should read (left to right,
 * then top to bottom). */
export type Box = { width: number; height: number };
/** Where each box of a packing went (same order as the boxes), and the
 * packing's overall size. */
export type Packing = { at: { x: number; y: number }[]; width: number; height: number };

/**
 * Packs `boxes` into a strip `width` wide, `gap` apart, each as high up as
 * it fits (a skyline: the lowest place along the top edge of what is
 * placed, the leftmost on a tie), in their order. A box wider than the
 * strip widens it.
 */
export function skyline(boxes: Box[], width: number, gap: number): Packing {
  const strip = Math.max(width, ...boxes.map((b) => b.width));
  // The skyline: segments [x, x + w) at height y, left to right, covering
  // the strip.
  let line: { x: number; w: number; y: number }[] = [{ x: 0, w: strip + gap, y: 0 }];
  const at: { x: number; y: number }[] = [];
  let right = 0;
  let bottom = 0;
  for (const box of boxes) {
    const need = box.width + gap;
    // Segment 0 always fits: the strip is as wide as the widest box.
    let best = { i: 0, y: Infinity };
    for (let i = 0; i < line.length; i++) {
      if (line[i].x + need > strip + gap) break;
      // The box's top if its left edge sits at segment i: the highest
      // segment under it.
      const x = line[i].x;
      let y = 0;
      for (let j = i; j < line.length && line[j].x < x + need; j++) y = Math.max(y, line[j].y);
      if (y < best.y) best = { i, y };
    }
    const { i, y } = best;
    const x = line[i].x;
    at.push({ x, y });
    right = Math.max(right, x + box.width);
    bottom = Math.max(bottom, y + box.height);
    line = raise(line, x, need, y + box.height + gap);
  }
  return { at, width: right, height: bottom };
}

/** The skyline with [x, x + w) raised to `y`. */
function raise(line: { x: number; w: number; y: number }[], x: number, w: number, y: number) {
  const out: { x: number; w: number; y: number }[] = [];
  for (const s of line) {
    const end = s.x + s.w;
    if (end <= x || s.x >= x + w) {
      out.push(s);
      continue;
    }
    if (s.x < x) out.push({ x: s.x, w: x - s.x, y: s.y });
    if (end > x + w) out.push({ x: x + w, w: end - (x + w), y: s.y });
  }
  out.push({ x, w, y });
  out.sort((a, b) => a.x - b.x);
  // Neighbours at one height are one segment.
  const merged: typeof out = [];
  for (const s of out) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.y === s.y && last.x + last.w === s.x) last.w += s.w;
    else merged.push({ ...s });
  }
  return merged;
}

/**
 * The strip widths worth trying for `boxes`: from the widest box (one
 * column) to all of them in one row, about `steps` apart on a log scale
 * (the shapes in between are what a canvas of some aspect wants).
 */
export function widthsToTry(boxes: Box[], gap: number, steps = 24): number[] {
  if (boxes.length === 0) return [0];
  const narrowest = Math.max(...boxes.map((b) => b.width));
  const widest = boxes.reduce((sum, b) => sum + b.width + gap, -gap);
  if (widest <= narrowest) return [narrowest];
  const ratio = Math.pow(widest / narrowest, 1 / steps);
  const widths = new Set<number>();
  for (let w = narrowest; w < widest; w *= ratio) widths.add(Math.round(w));
  widths.add(widest);
  return [...widths];
}

/** How large a drawing `width` × `height` is drawn when fitted into a view
 * of `aspect` (its width over its height, the height taken as 1). */
export function fitScale(width: number, height: number, aspect: number): number {
  if (width <= 0 || height <= 0) return Infinity;
  return Math.min(aspect / width, 1 / height);
}

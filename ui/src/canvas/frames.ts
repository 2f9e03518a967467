// Region frames: one titled box per account and region around the cards
// drawn there, with counts, computed from where the cards are now (so a
// frame follows a drag). Presentation only: the groups are the layout's.
import type { Node } from "@xyflow/react";
import { groupOf, sizeOf } from "./layout";

export type Frame = {
  key: string;
  account: string;
  region: string;
  x: number;
  y: number;
  width: number;
  height: number;
  buckets: number;
  functions: number;
  /** Cards whose worst finding is an error, or a warning. */
  errors: number;
  warnings: number;
};

/** Margin between a frame and the cards inside it. */
export const FRAME_PADDING = 40;

type View = { kind?: string; badge?: { severity: string } | null };

/** The frames around `nodes`; cards without a region get none. */
export function framesOf(nodes: Node[]): Frame[] {
  const frames = new Map<string, Frame & { right: number; bottom: number }>();
  for (const n of nodes) {
    const { account, region } = groupOf(n);
    if (region === "") continue;
    const key = `${account}\u0000${region}`;
    const { width, height } = sizeOf(n);
    const { x, y } = n.position;
    let f = frames.get(key);
    if (f === undefined) {
      f = { key, account, region, x, y, right: x + width, bottom: y + height, width: 0, height: 0, buckets: 0, functions: 0, errors: 0, warnings: 0 };
      frames.set(key, f);
    }
    f.x = Math.min(f.x, x);
    f.y = Math.min(f.y, y);
    f.right = Math.max(f.right, x + width);
    f.bottom = Math.max(f.bottom, y + height);
    const view = (n.data as { view?: View }).view;
    if (view?.kind === "bucket") f.buckets += 1;
    if (view?.kind === "function") f.functions += 1;
    if (view?.badge?.severity === "error") f.errors += 1;
    if (view?.badge?.severity === "warning") f.warnings += 1;
  }
  return [...frames.values()]
    .map(({ right, bottom, ...f }) => ({
      ...f,
      x: f.x - FRAME_PADDING,
      y: f.y - FRAME_PADDING,
      width: right - f.x + 2 * FRAME_PADDING,
      height: bottom - f.y + 2 * FRAME_PADDING,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** A frame's subtitle: what is in it, in words. */
export function frameCounts(f: Frame, parked: number): string {
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
  const parts = [plural(f.buckets, "bucket"), plural(f.functions, "function")];
  if (f.errors > 0) parts.push(`${f.errors} with errors`);
  if (f.warnings > 0) parts.push(`${f.warnings} with warnings`);
  if (parked > 0) parts.push(`${parked} without notifications`);
  return parts.join(" · ");
}

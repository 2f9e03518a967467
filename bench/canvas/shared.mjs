// What the canvas benchmarks share: figures, what a generated document
// draws, and the in-page frame recorder (passed to Playwright's
// page.evaluate or WebDriver's executeScript, which both run a function in
// the page).
import { readFileSync } from "node:fs";

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
export const fmt = (ms) => `${Math.round(ms)} ms`;

/** What a document draws: its cards (wired buckets, filters, functions,
 * destinations), and a wired bucket from the middle with its first filter
 * and that filter's function. */
export function shapeOf(file) {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  const placed = new Set(Object.keys(doc.layout));
  const wired = doc.buckets.filter((b) => placed.has(b.id));
  const destinations = wired.reduce((n, b) => n + (b.foreign?.length ?? 0) + (b.eventBridge ? 1 : 0), 0);
  const bucket = wired[Math.floor(wired.length / 2)];
  const filter = doc.edges.find((e) => e.from === bucket.id).to;
  const fn = doc.edges.find((e) => e.from === filter).to;
  return {
    buckets: doc.buckets.length,
    cards: wired.length + doc.filters.length + doc.functions.length + destinations,
    bucket: bucket.id,
    filter,
    fn,
  };
}

/** In the page: starts recording frame intervals. */
export function startFrames() {
  window.__frames = [];
  let last = performance.now();
  const tick = (t) => {
    window.__frames.push(t - last);
    last = t;
    if (window.__recording) requestAnimationFrame(tick);
  };
  window.__recording = true;
  requestAnimationFrame(tick);
}

/** In the page: stops recording; answers the intervals (ms), the first dropped. */
export function stopFrames() {
  window.__recording = false;
  return window.__frames.slice(1).map((f) => Math.round(f));
}

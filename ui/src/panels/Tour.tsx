// The guided tour: eight short steps over the open document, each pointing
// at one part of the window — build, wire, inspect, findings, Try a key,
// connections, import, review and apply. Its box sits beside the part it
// points at (inside it, clear of the controls, when the part is the
// canvas), never over what the step is about. Skippable; Help reopens it.
// It does not block the window, so the user can try each step as they read.
import { useEffect, useLayoutEffect, useRef, useState } from "react";

type Step = { target: string; title: string; text: string };

const STEPS: Step[] = [
  {
    target: ".palette",
    title: "Build",
    text: "Drag a Bucket, a Filter and a Function onto the canvas (or press them). A filter says which events and keys trigger; a function is what S3 invokes.",
  },
  {
    target: ".canvas .react-flow",
    title: "Wire them",
    text: "Drag from a card's right handle to the next card's left handle: bucket → filter → function. Connections S3 cannot have are refused, with the reason.",
  },
  {
    target: ".panel-inspector",
    title: "Say exactly what",
    text: "Select a card to edit it here: event types, the key's prefix and suffix, the function's ARN and role. A function lists what triggers it.",
  },
  {
    target: ".findings",
    title: "See what AWS would reject",
    text: "Every problem is listed with why; repeated ones are grouped, and a count hides its severity. Click one to find it on the canvas; Fix applies a fix when there is one.",
  },
  {
    target: ".try-key",
    title: "Try a key",
    text: "Type an object key such as uploads/cat.jpg: the path that fires lights up, with the exact event your function receives.",
  },
  {
    target: ".current-connection",
    title: "Connect an account",
    text: "Connections holds your AWS profiles, keys or a local endpoint; secrets stay in the system keyring. The current one is always shown here.",
  },
  {
    target: '.account-tools [aria-label="Import"]',
    title: "Import what is there",
    text: "Read an account's buckets, filters and functions onto the canvas, per region, with the buckets that have no notifications gathered aside.",
  },
  {
    target: '.account-tools [aria-label="Review changes"]',
    title: "Review, then apply",
    text: "See the exact changes the account needs — notification configurations, invoke permissions, role policies — and apply them in a safe order, rolled back on failure.",
  },
];

/** The tour box's size, for placing it. */
const BOX = { width: 340, height: 200 };
const GAP = 12;

type Rect = { left: number; top: number; right: number; bottom: number };

/** What the box must not cover: the window's controls and the canvas's
 * overlays. */
const CONTROLS = "button, input, select, summary, .react-flow__controls, .react-flow__minimap, .try-key, .canvas-filter-button";

/** Where the box goes for a target at `r` in a `w`×`h` window, given the
 * rectangles of the controls: the first of beside it (right, left, below,
 * above) or, for a part as large as the canvas, inside it, that covers
 * neither the target nor a control; else the one covering fewest. */
export function placeBeside(r: Rect, w: number, h: number, controls: Rect[]): { left: number; top: number } {
  const clampTop = (t: number) => Math.max(8, Math.min(t, h - BOX.height - 8));
  const clampLeft = (l: number) => Math.max(8, Math.min(l, w - BOX.width - 8));
  const candidates = [
    { left: r.right + GAP, top: clampTop(r.top) },
    { left: r.right + GAP, top: clampTop(r.bottom - BOX.height) },
    { left: r.right + GAP, top: clampTop((r.top + r.bottom - BOX.height) / 2) },
    { left: r.left - GAP - BOX.width, top: clampTop(r.top) },
    { left: r.left - GAP - BOX.width, top: clampTop((r.top + r.bottom - BOX.height) / 2) },
    { left: r.left - GAP - BOX.width, top: clampTop(r.bottom - BOX.height) },
    { left: clampLeft(r.left), top: r.bottom + GAP },
    { left: clampLeft(r.right - BOX.width), top: r.bottom + GAP },
    { left: clampLeft(r.left), top: r.bottom + GAP + 56 },
    { left: clampLeft(r.right - BOX.width), top: r.bottom + GAP + 56 },
    { left: clampLeft(r.left), top: r.top - GAP - BOX.height },
    { left: clampLeft((r.left + r.right - BOX.width) / 2), top: r.top - GAP - BOX.height },
    { left: clampLeft(r.right - BOX.width), top: r.top - GAP - BOX.height },
    { left: clampLeft((r.left + r.right - BOX.width) / 2), top: clampTop((r.top + r.bottom - BOX.height) / 2) },
    { left: clampLeft(r.right - BOX.width - 16), top: clampTop(r.bottom - BOX.height - 16) },
  ].filter((c) => c.left >= 0 && c.top >= 0 && c.left + BOX.width <= w && c.top + BOX.height <= h);
  const hits = (c: { left: number; top: number }, o: Rect) =>
    c.left < o.right && o.left < c.left + BOX.width && c.top < o.bottom && o.top < c.top + BOX.height;
  const inside = (o: Rect) => o.left >= r.left && o.right <= r.right && o.top >= r.top && o.bottom <= r.bottom;
  // Covering the target is allowed only for a target larger than the box's
  // surroundings (the canvas): then its controls are what must stay clear.
  const large = r.right - r.left > 2 * BOX.width && r.bottom - r.top > 2 * BOX.height;
  const cost = (c: { left: number; top: number }) =>
    controls.filter((o) => hits(c, o)).length + (!large && hits(c, r) ? 100 : 0) + (large && !inside({ left: c.left, top: c.top, right: c.left + BOX.width, bottom: c.top + BOX.height }) ? 0.5 : 0);
  let best = candidates[0] ?? { left: clampLeft(r.left), top: clampTop(r.top) };
  let bestCost = Infinity;
  for (const c of candidates) {
    const k = cost(c);
    if (k < bestCost) [best, bestCost] = [c, k];
    if (k === 0) break;
  }
  return best;
}

export function Tour({ onClose }: { onClose: () => void }) {
  const [step, setStep] = useState(0);
  const [at, setAt] = useState<{ left: number; top: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const current = STEPS[step];
  useEffect(() => {
    const el = document.querySelector(current.target);
    el?.classList.add("tour-target");
    return () => el?.classList.remove("tour-target");
  }, [current.target]);
  useLayoutEffect(() => {
    const place = () => {
      const el = document.querySelector(current.target);
      if (el === null) return setAt(null);
      const controls = [...document.querySelectorAll(CONTROLS)]
        .filter((c) => box.current === null || !box.current.contains(c))
        .map((c) => c.getBoundingClientRect())
        .filter((c) => c.width > 0 && c.height > 0);
      const next = placeBeside(el.getBoundingClientRect(), window.innerWidth, window.innerHeight, controls);
      setAt((now) => (now !== null && now.left === next.left && now.top === next.top ? now : next));
    };
    place();
    // The window changes under the tour (the document loads, a panel is
    // resized): the box follows.
    const every = window.setInterval(place, 300);
    window.addEventListener("resize", place);
    return () => {
      window.clearInterval(every);
      window.removeEventListener("resize", place);
    };
  }, [current.target]);
  // Focus follows the tour, so the keyboard can walk it.
  useEffect(() => box.current?.querySelector<HTMLButtonElement>(".tour-next")?.focus(), [step]);
  const last = step === STEPS.length - 1;
  return (
    <div
      ref={box}
      className="tour"
      role="dialog"
      aria-label="Tour"
      aria-live="polite"
      style={at === null ? undefined : { left: at.left, top: at.top, bottom: "auto" }}
      onKeyDown={(e) => e.key === "Escape" && onClose()}
    >
      <h2>
        <span className="tour-count">
          {step + 1} of {STEPS.length}
        </span>{" "}
        · {current.title}
      </h2>
      <p>{current.text}</p>
      <div className="tour-buttons">
        <button type="button" onClick={onClose}>
          Skip the tour
        </button>
        {step > 0 && (
          <button type="button" onClick={() => setStep(step - 1)}>
            Back
          </button>
        )}
        <button type="button" className="tour-next" onClick={() => (last ? onClose() : setStep(step + 1))}>
          {last ? "Done" : "Next"}
        </button>
      </div>
    </div>
  );
}

// What the canvas benchmarks share: figures, what a generated document
// draws, and the in-page frame recorder (passed to Playwright's
// page.evaluate or WebDriver's executeScript, which both run a function in
// the page).
import { basename } from "node:path";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

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

/** A process's three largest kinds of mapping by PSS (MB): `[anon]`,
 * `[heap]` or the file mapped. */
function largestMappings(pid) {
  const by = new Map();
  let name = "";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = line.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);
    if (head) {
      name = basename(head[1] || "[anon]");
      continue;
    }
    const pss = line.match(/^Pss:\s+(\d+)/);
    if (pss) by.set(name, (by.get(name) ?? 0) + Number(pss[1]));
  }
  return [...by]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, kb]) => `${k} ${Math.round(kb / 1024)}`)
    .join(", ");
}

/** The proportional set size (PSS, MB) of the newest process running
 * `binary` and every process under it (the app and its WebKit web and
 * network processes), from /proc/PID/smaps_rollup: the memory the app
 * costs, with shared pages split between the processes sharing them. */
export function appPss(binary) {
  const procs = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  const info = new Map();
  for (const pid of procs) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const start = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
      const exe = readlinkSync(`/proc/${pid}/exe`);
      info.set(Number(pid), { ppid, start, exe });
    } catch {
      // gone, or not ours to read
    }
  }
  const apps = [...info.entries()].filter(([, p]) => p.exe === binary).sort((a, b) => b[1].start - a[1].start);
  if (apps.length === 0) throw new Error(`no process runs ${binary}`);
  const tree = new Set([apps[0][0]]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of info) {
      if (!tree.has(pid) && tree.has(p.ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let kb = 0;
  const parts = [];
  for (const pid of tree) {
    const m = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
    kb += m ? Number(m[1]) : 0;
    parts.push(`${basename(info.get(pid).exe)} ${Math.round((m ? Number(m[1]) : 0) / 1024)} (${largestMappings(pid)})`);
  }
  // With PSS_PARTS=1, each process's share is printed, with its largest
  // kinds of mapping (which one grew, and whether in anonymous memory).
  if (process.env.PSS_PARTS === "1") console.log(`  PSS by process (MB): ${parts.join("; ")}`);
  return kb / 1024;
}

/** A Chromium page on the app (`appUrl`, the mock build) talking to the
 * Rust editor through `bridge`, with the sample open and the tour seen;
 * the dialog plugin answers `file` to Open. */
export async function openAccountPage(browser, bridge, appUrl, file) {
  await fetch(`${bridge.url}/invoke/open_sample`, { method: "POST", body: "{}" });
  // The tour (first start) would cover the canvas's controls.
  await fetch(`${bridge.url}/invoke/mark_tour_seen`, { method: "POST", body: "{}" });
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const query = new URLSearchParams({ bridge: bridge.url, dialog: file });
  await page.goto(`${new URL("/", appUrl)}?${query}`);
  await page.getByTestId("node-photos").waitFor({ timeout: 20_000 });
  return page;
}

// Where a document's memory goes in the page: the JS heap (after a forced
// garbage collection) and the DOM with the sample open, then with FILE
// open, and the heap's largest kinds of object by their own size (a heap
// snapshot through the DevTools protocol). Chromium, against the Rust
// editor (the mock build and the IPC bridge); WebKit's own figures are the
// PSS that bench/app-account prints (PSS_PARTS=1: by process and mapping).
//   node bench/canvas/heap.mjs FILE   (bench/canvas-heap.sh sets it up)
import { fileURLToPath } from "node:url";
import { serveDirectory } from "../../tests/support/static-server.mjs";
import { launchChromium } from "../../tests/support/chromium.mjs";
import { startBridge } from "../../tests/support/bridge.mjs";
import { openAccountPage } from "./shared.mjs";
const file = process.argv[2];
const dist = fileURLToPath(new URL("../../ui/dist-mock", import.meta.url));
const server = await serveDirectory(dist);
const browser = await launchChromium();
const bridge = await startBridge();
const page = await openAccountPage(browser, bridge, server.url, file);
const cdp = await page.context().newCDPSession(page);
const heap = async (label) => {
  await cdp.send("HeapProfiler.collectGarbage");
  const u = await cdp.send("Runtime.getHeapUsage");
  const dom = await page.evaluate(() => document.querySelectorAll("*").length);
  console.log(label, Math.round(u.usedSize / 1e6), "MB used,", dom, "elements");
};
await heap("sample");
await page.getByRole("button", { name: "Open", exact: true }).click();
await page.waitForSelector(".overview-picture", { timeout: 60_000 });
await page.waitForTimeout(3000);
await heap("doc");
{
  const chunks = [];
  cdp.on("HeapProfiler.addHeapSnapshotChunk", (c) => chunks.push(c.chunk));
  await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  const snap = JSON.parse(chunks.join(""));
  const f = snap.snapshot.meta.node_fields, types = snap.snapshot.meta.node_types[0];
  const n = f.length, nodes = snap.nodes, strings = snap.strings;
  const iType = f.indexOf("type"), iName = f.indexOf("name"), iSize = f.indexOf("self_size");
  const by = new Map();
  for (let i = 0; i < nodes.length; i += n) {
    const t = types[nodes[i + iType]];
    const name = t === "object" || t === "closure" || t === "native" ? strings[nodes[i + iName]].slice(0, 60) : `(${t})`;
    const e = by.get(name) ?? [0, 0];
    e[0] += nodes[i + iSize]; e[1] += 1;
    by.set(name, e);
  }
  for (const [k, [s, c]] of [...by].sort((a, b) => b[1][0] - a[1][0]).slice(0, 30)) console.log(`${Math.round(s / 1e4) / 100} MB`.padStart(10), String(c).padStart(8), k);
}
await browser.close();
bridge.stop();
process.exit(0);

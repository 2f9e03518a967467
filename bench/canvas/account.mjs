// A real account's shape on the canvas, in Chromium against the Rust
// editor (ipc_bridge), see bench/canvas-account.sh. For each document:
// open (click Open → every drawn card known to the canvas and the region
// frames drawn), Auto-layout (click → arranged and fitted), pan at the
// overview (frame intervals), select a function (click → its triggering
// buckets and filters lit), edit a filter (Enter → the card shows the
// change), and the page's JS heap. Prints medians.
// Usage: account.mjs RUNS FILE...
import { basename } from "node:path";
import { fmt, median, openAccountPage, pct, shapeOf, startFrames, stopFrames } from "./shared.mjs";
import { fileURLToPath } from "node:url";
import { serveDirectory } from "../../tests/support/static-server.mjs";
import { launchChromium } from "../../tests/support/chromium.mjs";
import { startBridge } from "../../tests/support/bridge.mjs";

const [runsArg, ...files] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const dist = fileURLToPath(new URL("../../ui/dist-mock", import.meta.url));

const server = await serveDirectory(dist);
const browser = await launchChromium();
const bridge = await startBridge();
const raf2 = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));


function openPage(file) {
  return openAccountPage(browser, bridge, server.url, file);
}

async function open(page, cards) {
  const start = Date.now();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.waitForFunction(
    (n) => [...document.querySelectorAll(".minimap-cards")].reduce((n, p) => n + Number(p.dataset.count), 0) === n && document.querySelectorAll(".frame").length > 0,
    cards,
    { timeout: 120_000, polling: "raf" },
  );
  await raf2(page);
  return Date.now() - start;
}

/** In the page: from the Enter that commits an edit until the frame after
 * the card shows `value` (a mutation observer, so no polling competes
 * with the page for the time measured). Answers through window.__edit. */
function watchEdit({ id, value }) {
  let start = 0;
  const onKey = (e) => {
    if (e.key === "Enter") start = e.timeStamp;
  };
  window.addEventListener("keydown", onKey, { capture: true });
  window.__edit = new Promise((resolve, reject) => {
    const shown = () => document.querySelector(`[data-testid="node-${id}"] .card-title`)?.textContent?.includes(value);
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      window.removeEventListener("keydown", onKey, { capture: true });
      requestAnimationFrame(() => resolve(performance.now() - start));
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    setTimeout(() => reject(new Error(`the card never showed ${value}`)), 30_000);
  });
}

/** Brings a card into view through Find (Ctrl/Cmd+K), as a user would. */
async function find(page, id, label) {
  await page.keyboard.press("Control+k");
  await page.getByLabel("Find a node or an action").fill(label);
  await page.keyboard.press("Enter");
  await page
    .getByTestId(`node-${id}`)
    .waitFor({ timeout: 30_000 })
    .catch(async (e) => {
      await page.screenshot({ path: "/tmp/bench-find-failed.png" });
      throw e;
    });
}

const results = [];
try {
for (const file of files) {
  const s = shapeOf(file);
  const r = { name: basename(file), ...s, open: [], layout: [], pan: [], select: [], edit: [], heap: [] };
  for (let i = 0; i < runs; i++) {
    const page = await openPage(file);
    r.open.push(await open(page, s.cards));
    r.heap.push(await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0));

    // Auto-layout: click → the arrangement is in and the view fitted.
    let start = Date.now();
    await page.getByRole("button", { name: "Auto-layout" }).click();
    await page.getByRole("button", { name: "Undo" }).and(page.locator(":enabled")).waitFor({ timeout: 120_000 });
    await raf2(page);
    r.layout.push(Date.now() - start);

    // Pan across the overview, recording frame intervals.
    await page.locator(".react-flow__controls-fitview").click();
    await raf2(page);
    const pane = await page.locator(".react-flow__pane").boundingBox();
    await page.evaluate(startFrames);
    await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
    await page.mouse.down();
    for (let k = 1; k <= 40; k++) await page.mouse.move(pane.x + pane.width / 2 - k * 6, pane.y + pane.height / 2 - k * 3);
    await page.mouse.up();
    r.pan.push(...(await page.evaluate(stopFrames)));

    // Select a function: click → the buckets and filters that trigger it lit.
    await find(page, s.fn, s.fn.split("/").pop());
    await page.keyboard.press("Escape");
    start = Date.now();
    await page.getByTestId(`node-${s.fn}`).click();
    await page.locator(".react-flow__node.lit").first().waitFor({ timeout: 30_000 });
    await page.getByRole("group", { name: "Triggered by" }).waitFor();
    r.select.push(Date.now() - start);

    // Edit a filter's configuration id: Enter → the card shows it (timed
    // in the page, see watchEdit).
    await find(page, s.bucket, s.bucket);
    await page.getByTestId(`node-${s.filter}`).click();
    const prefix = page.getByRole("complementary", { name: "Inspector" }).getByLabel("Configuration id");
    for (let k = 0; k < 3; k++) {
      const value = `bench-${i}-${k}`;
      await prefix.fill(value);
      await page.evaluate(watchEdit, { id: s.filter, value });
      await prefix.press("Enter");
      const ms = await page.evaluate(() => window.__edit).catch(async (e) => {
        await page.screenshot({ path: "/tmp/bench-edit-failed.png" });
        throw e;
      });
      r.edit.push(ms);
    }
    await page.close();
  }
  results.push(r);
}
} finally {
  await browser.close();
  await server.close();
  bridge.stop();
}

for (const r of results) {
  console.log(`${r.name}: ${r.buckets} buckets, ${r.cards} cards drawn`);
  console.log(`  open (click → every card known, frames drawn): median ${fmt(median(r.open))} (${r.open.join(", ")} ms)`);
  console.log(`  auto-layout (click → arranged, fitted): median ${fmt(median(r.layout))} (${r.layout.join(", ")} ms)`);
  console.log(`  pan at the overview: frame interval median ${fmt(median(r.pan))}, p95 ${fmt(pct(r.pan, 0.95))}, max ${fmt(Math.max(...r.pan))}, ${r.pan.filter((f) => f > 50).length} of ${r.pan.length} over 50 ms`);
  console.log(`  select a function (click → its triggers lit, inspector filled): median ${fmt(median(r.select))}`);
  console.log(`  edit a filter (Enter → card redrawn): median ${fmt(median(r.edit))}, p95 ${fmt(pct(r.edit, 0.95))} over ${r.edit.length}`);
  console.log(`  JS heap after open: median ${Math.round(median(r.heap) / 1e6)} MB`);
}

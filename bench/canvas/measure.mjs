// Measures the canvas in Chromium (see bench/canvas.sh). Usage:
// measure.mjs DIR RUNS — DIR holds 2000.bucketwire.json and
// 1000.bucketwire.json.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveDirectory } from "../../tests/support/static-server.mjs";
import { launchChromium } from "../../tests/support/chromium.mjs";
import { startBridge } from "../../tests/support/bridge.mjs";
import { startFrames, stopFrames } from "./shared.mjs";

const [dir, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const dist = fileURLToPath(new URL("../../ui/dist-mock", import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const server = await serveDirectory(dist);
const browser = await launchChromium();
const bridge = await startBridge();

async function openPage(file) {
  await fetch(`${bridge.url}/invoke/open_sample`, { method: "POST", body: "{}" });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const query = new URLSearchParams({ bridge: bridge.url, dialog: file });
  await page.goto(`${new URL("/", server.url)}?${query}`);
  await page.getByTestId("node-photos").waitFor({ timeout: 20_000 });
  return page;
}

/** Clicks Open and waits until the document is drawn: its name in the top
 * bar and its last node known to the canvas (large documents keep only the
 * nodes in view in the DOM, so the minimap, which draws them all, counts). */
async function open(page, nodes) {
  const start = Date.now();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.waitForFunction(
    (n) => [...document.querySelectorAll(".minimap-cards")].reduce((n, p) => n + Number(p.dataset.count), 0) === n &&
      document.querySelectorAll(".react-flow__node").length > 0,
    nodes,
    { timeout: 60_000, polling: "raf" },
  );
  // One more frame: drawn, not just in the DOM.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return Date.now() - start;
}

const opened = [];
const frames = [];
for (let i = 0; i < runs; i++) {
  const page = await openPage(join(dir, "2000.bucketwire.json"));
  opened.push(await open(page, 2002));
  // Drag one node around for 60 steps, recording frame intervals.
  await page.getByRole("button", { name: "Zoom In" }).click().catch(() => {});
  const node = page.locator(".react-flow__node").first();
  const box = await node.boundingBox();
  await page.evaluate(startFrames);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  for (let s = 1; s <= 60; s++) {
    await page.mouse.move(box.x + box.width / 2 + s * 4, box.y + box.height / 2 + s * 2);
  }
  await page.mouse.up();
  frames.push(...(await page.evaluate(stopFrames)));
  await page.close();
}

const edits = [];
{
  const page = await openPage(join(dir, "1000.bucketwire.json"));
  await open(page, 1001);
  await page.getByTestId("node-f0-images").click();
  const prefix = page.getByRole("complementary", { name: "Inspector" }).getByLabel("Key prefix");
  // Timed in the page (Enter's keydown → the card's text changes), so
  // Playwright's own polling is not counted.
  await page.evaluate(() => {
    window.__edits = [];
    const input = document.activeElement;
    document.addEventListener(
      "keydown",
      (e) => {
        if (e.key === "Enter") window.__start = performance.now();
      },
      true,
    );
    const card = document.querySelector('[data-testid="node-f0-images"]');
    new MutationObserver(() => {
      if (window.__start !== undefined && card.textContent.includes(window.__expect)) {
        window.__edits.push(performance.now() - window.__start);
        window.__start = undefined;
      }
    }).observe(card, { subtree: true, childList: true, characterData: true });
    return input?.tagName;
  });
  for (let i = 0; i < runs * 4; i++) {
    const value = `images-${i}/`;
    await prefix.fill(value);
    await page.evaluate((v) => {
      window.__expect = `${v}….jpg`;
    }, value);
    await prefix.press("Enter");
    await page.getByTestId("node-f0-images").getByText(`${value}….jpg`).waitFor();
  }
  edits.push(...(await page.evaluate(() => window.__edits)));
  await page.close();
}

await browser.close();
await server.close();
bridge.stop();

const fmt = (ms) => `${Math.round(ms)} ms`;
console.log(`open 2,002 nodes (click Open → every node drawn): median ${fmt(median(opened))} over ${runs} runs (target < 1.5 s); all: ${opened.join(", ")} ms`);
console.log(`drag among 2,002 nodes: frame interval median ${fmt(median(frames))}, p95 ${fmt(pct(frames, 0.95))}, ${frames.filter((f) => f > 50).length} of ${frames.length} frames over 50 ms`);
console.log(`edit at 1,001 nodes (Enter → card and findings redrawn): median ${fmt(median(edits))}, p95 ${fmt(pct(edits, 0.95))} over ${edits.length} edits (target < 50 ms)`);

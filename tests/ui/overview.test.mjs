// A large document's overview, in real Chromium against the real Rust
// editor: zoomed out, 330 cards are drawn on one canvas instead of as DOM
// cards (every kind in its accent), the whole wiring is fitted, a click
// picks the card under the pointer and the inspector shows it, the pointer
// names the card it is over; zoomed in (Find), the cards are DOM cards again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withEditor } from "../support/harness.mjs";

const h = withEditor();
const ACCOUNT = "123456789012";
const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const BUCKETS = 150;

/** 150 buckets over three regions, a filter each, ten functions per region
 * (each serving five filters): 330 cards, placed in one block per region. */
function largeDocument() {
  const doc = { version: 1, buckets: [], filters: [], functions: [], edges: [], layout: {} };
  for (const [r, region] of REGIONS.entries()) {
    for (let k = 0; k < 10; k++) {
      const id = `fn-${region}-${k}`;
      doc.functions.push({ id, arn: `arn:aws:lambda:${region}:${ACCOUNT}:function:worker-${region}-${k}` });
      doc.layout[id] = { x: r * 1600 + 900, y: k * 550 };
    }
  }
  for (let i = 0; i < BUCKETS; i++) {
    const r = i % 3;
    const region = REGIONS[r];
    const row = Math.floor(i / 3);
    const b = `b-${String(i).padStart(3, "0")}`;
    doc.buckets.push({ id: b, name: `acme-${b}-${region}`, region, account: ACCOUNT });
    doc.filters.push({ id: `f-${i}`, configurationId: `ingest-${i}`, events: ["s3:ObjectCreated:*"], prefix: `in/${i}/` });
    doc.edges.push({ from: b, to: `f-${i}` }, { from: `f-${i}`, to: `fn-${region}-${row % 10}` });
    doc.layout[b] = { x: r * 1600, y: row * 110 };
    doc.layout[`f-${i}`] = { x: r * 1600 + 420, y: row * 110 };
  }
  return doc;
}

/** Waits until the view stands still (the fit's animation is over): the
 * same transform on two looks 100 ms apart. */
async function viewSettled(page) {
  await page.waitForFunction(
    () => {
      const now = document.querySelector(".react-flow__viewport")?.style.transform;
      const same = now === window.__lastTransform;
      window.__lastTransform = now;
      return same;
    },
    null,
    { polling: 100, timeout: 10_000 },
  );
}

/** Where flow point (x, y) is on the page, from the viewport's transform. */
async function onScreen(page, x, y) {
  const pane = await page.locator(".react-flow").boundingBox();
  const transform = await page.locator(".react-flow__viewport").evaluate((e) => e.style.transform);
  const [, tx, ty, zoom] = /translate\((-?[\d.]+)px, (-?[\d.]+)px\) scale\(([\d.]+)\)/.exec(transform).map(Number);
  return { x: pane.x + tx + x * zoom, y: pane.y + ty + y * zoom, zoom };
}

test("a large document's overview is one canvas: fitted, every kind drawn, cards picked by a click", async () => {
  const file = join(h.bridge.home, "large.bucketwire.json");
  await writeFile(file, JSON.stringify(largeDocument()));
  const page = await h.openPage({ dialog: file });
  await page.getByRole("button", { name: "Open", exact: true }).click();

  // Opened and fitted: the overview, not 330 DOM cards.
  const overview = page.getByRole("img", { name: /^Overview of 330 cards/ });
  await overview.waitFor({ timeout: 30_000 });
  assert.equal(await page.locator(".react-flow__nodes").isVisible(), false, "DOM cards are not drawn in the overview");

  // Every card of the three blocks is inside the canvas: the first and the
  // last bucket row and the functions' column of the last region.
  const canvasBox = await page.locator(".react-flow").boundingBox();
  const inside = (p) =>
    p.x >= canvasBox.x && p.x <= canvasBox.x + canvasBox.width && p.y >= canvasBox.y && p.y <= canvasBox.y + canvasBox.height;
  await viewSettled(page);
  for (const [x, y] of [
    [0, 0],
    [0, 49 * 110 + 60],
    [2 * 1600 + 900 + 200, 9 * 550 + 60],
  ]) {
    assert.ok(inside(await onScreen(page, x, y)), `flow point ${x},${y} is inside the canvas after the fit`);
  }

  // Each kind is drawn in its accent (the cards' left bars), once the
  // picture is drawn at the settled zoom.
  const accents = () =>
    page.evaluate(() => {
      const canvas = document.querySelector('canvas[role="img"]');
      const rgb = (name) => {
        const probe = document.createElement("div");
        probe.style.color = getComputedStyle(document.documentElement).getPropertyValue(name);
        document.body.append(probe);
        const [r, g, b] = getComputedStyle(probe).color.match(/\d+/g).map(Number);
        probe.remove();
        return [r, g, b];
      };
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      const count = ([r, g, b]) => {
        let n = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] > 200 && Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12) n++;
        }
        return n;
      };
      return { bucket: count(rgb("--bucket")), filter: count(rgb("--filter")), function: count(rgb("--function")) };
    });
  const drawn = (a) => Object.values(a).every((pixels) => pixels > 50);
  for (let tries = 0; tries < 50 && !drawn(await accents()); tries++) await page.evaluate(() => new Promise(requestAnimationFrame));
  const seen = await accents();
  for (const [kind, pixels] of Object.entries(seen)) assert.ok(pixels > 50, `${kind} cards drawn (${pixels} pixels)`);

  // The pointer over a card names it; a click selects it.
  const bucket = await onScreen(page, 60, 5 * 110 + 25);
  await page.mouse.move(bucket.x, bucket.y);
  await page.getByRole("tooltip").getByText("acme-b-015-us-east-1", { exact: true }).waitFor();
  await page.mouse.click(bucket.x, bucket.y);
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  assert.equal(await inspector.getByLabel("Bucket name").inputValue({ timeout: 10_000 }), "acme-b-015-us-east-1");
  // A click on the empty pane clears the selection.
  const empty = await onScreen(page, 1200, 20);
  await page.mouse.click(empty.x, empty.y);
  await inspector.getByText("Select a node to see and edit its properties.").waitFor();

  // Zoomed in on one card (Find), the cards are DOM cards again.
  await page.keyboard.press("Control+k");
  await page.getByLabel("Find a node or an action").fill("acme-b-100-eu-west-1");
  await page.keyboard.press("Enter");
  await page.getByTestId("node-b-100").waitFor({ timeout: 10_000 });
  await overview.waitFor({ state: "detached" });
  assert.equal(await page.locator(".react-flow__nodes").isVisible(), true);
  await page.close();
});

// A real account's shape on the canvas, in real Chromium against the real
// Rust side and moto seeded with 250 buckets in three regions (one in six
// wired, SQS entries, an alias, a deleted function): imported through the
// wizard, the wiring fits the view, buckets without notifications are
// gathered per region instead of drawn, and one is brought onto the canvas.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { withEditor } from "../support/harness.mjs";
import { seedAccount, startMoto } from "../support/moto.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const h = withEditor();
let moto;
let wired;
before(async () => {
  moto = await startMoto();
  wired = await seedAccount(moto.url, 250);
});
after(() => moto?.stop());

/** Imports every seeded bucket into `page` as a new document, through the
 * wizard, and waits until the arranged account is shown. */
async function importAccount(page) {
  await h.useEndpoint(page, "Seeded account", moto.url);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const wizard = page.getByRole("dialog", { name: "Import from an account" });
  await wizard.getByLabel("Select all shown (250)").click({ timeout: 30_000 });
  await wizard.getByRole("button", { name: "Import 250 buckets" }).click();
  await wizard.getByRole("status", { name: "Import result" }).waitFor({ timeout: 60_000 });
  await wizard.getByRole("button", { name: "Open as new document" }).click();
  await wizard.waitFor({ state: "detached" });
  await page.getByRole("status", { name: "Notice" }).getByText("Imported 250 bucket(s)", { exact: true }).waitFor({ timeout: 30_000 });
}

/** How many of `ids` the canvas shows whole; with `all`, whether all. */
function inside({ ids, all }) {
  const view = document.querySelector(".react-flow").getBoundingClientRect();
  const n = ids.filter((id) => {
    const r = document.querySelector(`.react-flow__node[data-id="${id}"]`)?.getBoundingClientRect();
    return r !== undefined && r.left >= view.left - 1 && r.right <= view.right + 1 && r.top >= view.top - 1 && r.bottom <= view.bottom + 1;
  }).length;
  return all ? n === ids.length : n;
}

/** Clicks Fit view and waits until the view has come to rest (the fit is
 * animated, and while it zooms in every card can already be inside at a
 * smaller scale): the same transform for five frames in a row, with every
 * wired bucket inside the canvas. */
async function fitView(page) {
  await page.locator(".react-flow__controls-fitview").click();
  await page
    .waitForFunction(
      (ids) => {
        const t = document.querySelector(".react-flow__viewport").style.transform;
        const w = /** @type {any} */ (window);
        w.fitSame = w.fitLast === t ? (w.fitSame ?? 0) + 1 : 0;
        w.fitLast = t;
        if (w.fitSame < 5) return false;
        const view = document.querySelector(".react-flow").getBoundingClientRect();
        return ids.every((id) => {
          const r = document.querySelector(`.react-flow__node[data-id="${id}"]`)?.getBoundingClientRect();
          return r !== undefined && r.left >= view.left - 1 && r.right <= view.right + 1 && r.top >= view.top - 1 && r.bottom <= view.bottom + 1;
        });
      },
      wired,
      { timeout: 10_000, polling: "raf" },
    )
    .catch(() => undefined);
  assert.equal(await page.evaluate(inside, { ids: wired, all: false }), wired.length);
}

/** What a person sees of the drawing: the smallest name of a wired
 * bucket on screen (its font size times the view's scale, px), and the
 * share of the canvas's width and height the cards span. */
function legibility(ids) {
  const view = document.querySelector(".react-flow").getBoundingClientRect();
  const sizes = ids.map((id) => {
    const name = document.querySelector(`.react-flow__node[data-id="${id}"] .card-overview-name`);
    if (name === null) return 0;
    return parseFloat(getComputedStyle(name).fontSize) * (name.getBoundingClientRect().height / name.offsetHeight);
  });
  const boxes = [...document.querySelectorAll(".react-flow__node")].map((n) => n.getBoundingClientRect());
  const width = Math.max(...boxes.map((b) => b.right)) - Math.min(...boxes.map((b) => b.left));
  const height = Math.max(...boxes.map((b) => b.bottom)) - Math.min(...boxes.map((b) => b.top));
  return { smallest: Math.min(...sizes), width: width / view.width, height: height / view.height };
}

/** After Fit view every wired bucket's name is at least 8 px high, and the
 * drawing spans at least 60% of the canvas's width and of its height. */
async function assertLegible(page, size) {
  const seen = await page.evaluate(legibility, wired);
  console.log(`# ${size}: smallest bucket name ${seen.smallest.toFixed(2)} px, drawing ${JSON.stringify(seen)}`);
  assert.ok(seen.smallest >= 8, `at ${size} the smallest bucket name is ${seen.smallest.toFixed(2)} px`);
  assert.ok(seen.width >= 0.6 && seen.height >= 0.6, `at ${size} the drawing spans ${JSON.stringify(seen)} of the canvas`);
}

test("an imported account fits the view, with buckets without notifications gathered per region", async () => {
  const page = await h.openPage();
  // The smallest window the app is made for.
  await page.setViewportSize({ width: 1280, height: 720 });
  await h.useEndpoint(page, "Seeded account", moto.url);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const wizard = page.getByRole("dialog", { name: "Import from an account" });
  // "With notifications only" shows just the wired buckets.
  await wizard.getByLabel("With notifications only").check({ timeout: 30_000 });
  await wizard.getByLabel(`Select all shown (${wired.length})`).waitFor();
  await wizard.getByLabel("With notifications only").uncheck();
  await wizard.getByLabel("Select all shown (250)").click({ timeout: 30_000 });
  await wizard.getByRole("button", { name: "Import 250 buckets" }).click();
  await wizard.getByRole("status", { name: "Import result" }).waitFor({ timeout: 60_000 });
  // Every kind read is counted, and what points at something missing named.
  const queues = wired.filter((b) => Math.floor(Number(b.slice(5, 9)) / 18) % 4 === 0).length;
  assert.equal(
    await wizard.getByLabel("Other destinations").textContent(),
    `Also ${queues} SQS and 0 SNS entries, and EventBridge on 0 bucket(s): kept as they are.`,
  );
  assert.match(
    await wizard.getByRole("alert", { name: "Points at something missing" }).textContent(),
    /configuration "gone" on bucket "acct-0019-eu-west-1" points at function arn:aws:lambda:eu-west-1:123456789012:function:deleted, which was not found/,
  );
  await wizard.getByRole("button", { name: "Open as new document" }).click();
  await wizard.waitFor({ state: "detached" });
  // The account is arranged before it is shown as imported.
  await page.getByRole("status", { name: "Notice" }).getByText("Imported 250 bucket(s)", { exact: true }).waitFor({ timeout: 30_000 });
  // A large document: the findings start folded to their bar of counts.
  await page.getByRole("button", { name: "Show the findings list" }).waitFor();

  // Only wired buckets are cards; the rest are one entry per region.
  const parked = page.getByRole("region", { name: "Buckets without notifications" });
  const regions = ["ap-southeast-2", "eu-west-1", "us-east-1"];
  // 250 buckets round robin over us-east-1, eu-west-1, ap-southeast-2.
  const total = { "us-east-1": 84, "eu-west-1": 83, "ap-southeast-2": 83 };
  const without = (r) => total[r] - wired.filter((b) => b.endsWith(r)).length;
  assert.deepEqual(
    await parked.locator("summary").allTextContents(),
    regions.map((r) => `${r}: ${without(r)} buckets without notifications`),
  );
  assert.ok(wired.length >= 40, `${wired.length} wired`);
  const bucketCards = () =>
    page.evaluate(() => [...document.querySelectorAll(".react-flow__node-bucket")].map((n) => n.getAttribute("data-id")));
  await page.waitForFunction((n) => document.querySelectorAll(".react-flow__node-bucket").length === n, wired.length);
  assert.deepEqual((await bucketCards()).sort(), [...wired].sort());

  // One titled frame per region, with counts, apart.
  const frames = page.locator(".frame");
  assert.deepEqual(await frames.evaluateAll((fs) => fs.map((f) => f.getAttribute("aria-label"))), regions.map((r) => `Region ${r}`));
  for (const r of regions) {
    const header = await page.getByRole("region", { name: `Region ${r}`, exact: true }).locator("header").textContent();
    const buckets = wired.filter((b) => b.endsWith(r)).length;
    assert.match(header, new RegExp(`^${r}${buckets} buckets · \\d+ functions · .*${without(r)} without notifications$`));
  }
  const framesApart = () =>
    frames.evaluateAll((fs) => {
      const boxes = fs.map((f) => f.getBoundingClientRect());
      return boxes.every((a, i) => boxes.every((b, j) => j <= i || a.right < b.left || b.right < a.left || a.bottom < b.top || b.bottom < a.top));
    });
  assert.ok(await framesApart());

  // After Fit view every wired bucket is inside the canvas, its name
  // legible, and the drawing has the canvas's shape (not one strip).
  await fitView(page);
  await assertLegible(page, "1280×720");
  // The overview's cards are compact: kind mark, name, worst finding.
  assert.equal(
    await page.locator(".react-flow__node .card-compact").count(),
    await page.locator(".react-flow__node").count(),
  );
  await mkdir(`${repo}tests/artifacts`, { recursive: true });
  await page.screenshot({ path: `${repo}tests/artifacts/ui-account-canvas.png` });
  // With all of it in view the minimap would show what the canvas shows,
  // over part of it: it comes once the view is zoomed in.
  const minimapBox = page.getByRole("img", { name: "Minimap" });
  assert.equal(await minimapBox.count(), 0);
  await page.locator(".react-flow__controls-zoomin").click();
  await minimapBox.waitFor();
  // It shows kinds by colour and findings by outline.
  const minimap = await page.evaluate(() =>
    [...document.querySelectorAll(".react-flow__minimap .minimap-cards")].map((n) => [
      getComputedStyle(n).fill,
      getComputedStyle(n).stroke,
    ]),
  );
  assert.ok(minimap.some(([fill]) => fill === "rgb(46, 125, 50)"), `buckets in their accent: ${JSON.stringify(minimap.slice(0, 5))}`);
  assert.ok(minimap.some(([fill]) => fill === "rgb(194, 65, 12)"), "functions in theirs");
  assert.ok(minimap.some(([, stroke]) => stroke === "rgb(180, 35, 24)"), "the deleted function's error shows");
  // A click on the minimap brings that part of the canvas into view.
  const zoomed = await page.locator(".react-flow__viewport").evaluate((v) => v.style.transform);
  await minimapBox.click({ position: { x: 12, y: 100 } });
  await page.waitForFunction((before) => document.querySelector(".react-flow__viewport").style.transform !== before, zoomed);

  // Search a region's parked buckets and bring one onto the canvas.
  await parked.getByText(`eu-west-1: ${without("eu-west-1")} buckets without notifications`).click();
  await parked.getByLabel("Search the buckets of eu-west-1 without notifications").fill("acct-0004-");
  await parked.getByRole("button", { name: "Show acct-0004-eu-west-1 on the canvas" }).click();
  await page.getByTestId("node-acct-0004-eu-west-1").waitFor();
  await parked.getByText(`eu-west-1: ${without("eu-west-1") - 1} buckets without notifications`).waitFor();

  // Auto-layout arranges the account again, the bucket just shown among
  // the wired ones and the SQS destinations on the canvas: the frames stay
  // apart, and Fit view shows it as legibly.
  const where = () => page.evaluate(() => document.querySelector('.react-flow__node[data-id="acct-0004-eu-west-1"]').style.transform);
  const before = await where();
  await page.getByRole("button", { name: "Auto-layout" }).click();
  await page.waitForFunction(
    (was) => document.querySelector('.react-flow__node[data-id="acct-0004-eu-west-1"]')?.style.transform !== was,
    before,
  );
  await page.locator('main[aria-label="Canvas"][aria-busy="false"]').waitFor();
  await fitView(page);
  assert.ok(await framesApart());
  await assertLegible(page, "1280×720, after Auto-layout");

  await page.close();
});

test("at 1920×1080 the account fills the larger canvas, names legible", async () => {
  const page = await h.openPage({ viewport: { width: 1920, height: 1080 } });
  await importAccount(page);
  await fitView(page);
  await assertLegible(page, "1920×1080");
  await page.screenshot({ path: `${repo}tests/artifacts/ui-account-canvas-1920.png` });
  await page.close();
});

test("the outline lists every wired bucket; a row and its card select each other; the keyboard walks it", async () => {
  const page = await h.openPage({ viewport: { width: 1280, height: 720 } });
  await importAccount(page);
  const outline = page.getByRole("tree", { name: "Buckets and functions" });
  await outline.getByRole("treeitem").first().waitFor();
  // Only the rows in view are drawn: scroll through and gather the buckets.
  const listed = await outline.evaluate(async (list) => {
    const seen = new Set();
    for (let y = 0; ; y += list.clientHeight / 2) {
      list.scrollTop = y;
      await new Promise(requestAnimationFrame);
      await new Promise(requestAnimationFrame);
      for (const row of list.querySelectorAll('[role="treeitem"][aria-level="2"] .outline-text')) seen.add(row.textContent);
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break;
    }
    list.scrollTop = 0;
    return [...seen];
  });
  for (const bucket of wired) assert.ok(listed.includes(bucket), `${bucket} in the outline`);
  // Back at the top, the first group's heading.
  await outline.getByRole("treeitem", { name: /^ap-southeast-2 · \d+ buckets$/ }).waitFor();
  assert.ok(await outline.evaluate((l) => l.querySelectorAll('[role="treeitem"]').length < 120), "only the rows in view are drawn");

  // A row chosen: its card is selected and centred on the canvas.
  await page.getByLabel("Search the outline").fill("acct-0019-eu-west-1");
  await outline.getByRole("treeitem", { name: /^acct-0019-eu-west-1/ }).click();
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  assert.equal(await inspector.getByLabel("Bucket name").inputValue({ timeout: 10_000 }), "acct-0019-eu-west-1");
  const centred = async (id) =>
    page.evaluate((id) => {
      const view = document.querySelector(".react-flow").getBoundingClientRect();
      const card = document.querySelector(`.react-flow__node[data-id="${id}"]`)?.getBoundingClientRect();
      if (card === undefined) return false;
      const dx = Math.abs(card.left + card.width / 2 - (view.left + view.width / 2));
      const dy = Math.abs(card.top + card.height / 2 - (view.top + view.height / 2));
      return dx < view.width * 0.1 && dy < view.height * 0.1;
    }, id);
  await page.waitForFunction(
    (id) => {
      const view = document.querySelector(".react-flow").getBoundingClientRect();
      const card = document.querySelector(`.react-flow__node[data-id="${id}"]`)?.getBoundingClientRect();
      return card !== undefined && Math.abs(card.left + card.width / 2 - (view.left + view.width / 2)) < view.width * 0.1;
    },
    "acct-0019-eu-west-1",
    { polling: "raf" },
  );
  assert.ok(await centred("acct-0019-eu-west-1"));

  // A card chosen on the canvas: its row is selected, active and in view.
  await page.getByLabel("Search the outline").fill("");
  // The filter card nearest the centre (beside the bucket just centred).
  const filterId = await page.evaluate(() => {
    const view = document.querySelector(".react-flow").getBoundingClientRect();
    const cx = view.left + view.width / 2;
    const cy = view.top + view.height / 2;
    let best = null;
    for (const card of document.querySelectorAll(".react-flow__node-filter")) {
      const box = card.getBoundingClientRect();
      const d = Math.hypot(box.left + box.width / 2 - cx, box.top + box.height / 2 - cy);
      if (best === null || d < best.d) best = { d, id: card.dataset.id };
    }
    return best?.id ?? null;
  });
  assert.ok(filterId !== null, "a filter card on the canvas");
  await page.locator(`.react-flow__node[data-id="${filterId}"]`).click();
  const row = outline.locator('[role="treeitem"][aria-selected="true"]');
  await row.first().waitFor();
  assert.equal(await outline.getAttribute("aria-activedescendant"), await row.first().getAttribute("id"));
  assert.equal(await row.first().getAttribute("data-node"), filterId, "the filter's own row");

  // The keyboard: Home, Down, Enter selects that bucket; Left folds.
  await outline.focus();
  await page.keyboard.press("Home");
  const first = await outline.locator('[role="treeitem"]').first();
  assert.equal(await outline.getAttribute("aria-activedescendant"), await first.getAttribute("id"));
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  const bucketName = await outline.locator('[role="treeitem"]').nth(1).locator(".outline-text").textContent();
  assert.equal(await inspector.getByLabel("Bucket name").inputValue({ timeout: 10_000 }), bucketName);
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await first.getAttribute("aria-expanded"), "false");
  await page.close();
});

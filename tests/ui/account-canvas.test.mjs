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

  // One titled frame per region, with counts, side by side and apart.
  const frames = page.locator(".frame");
  assert.deepEqual(await frames.evaluateAll((fs) => fs.map((f) => f.getAttribute("aria-label"))), regions.map((r) => `Region ${r}`));
  for (const r of regions) {
    const header = await page.getByRole("region", { name: `Region ${r}`, exact: true }).locator("header").textContent();
    const buckets = wired.filter((b) => b.endsWith(r)).length;
    assert.match(header, new RegExp(`^${r}${buckets} buckets · \\d+ functions · .*${without(r)} without notifications$`));
  }
  const frameBoxes = await frames.evaluateAll((fs) => fs.map((f) => f.getBoundingClientRect().toJSON()));
  for (let i = 1; i < frameBoxes.length; i++) assert.ok(frameBoxes[i - 1].right < frameBoxes[i].left, JSON.stringify(frameBoxes));

  // After Fit view every wired bucket is inside the canvas.
  await page.locator(".react-flow__controls-fitview").click();
  // How many of `ids` the canvas shows whole; with `all`, whether all.
  const inside = ({ ids, all }) => {
    const view = document.querySelector(".react-flow").getBoundingClientRect();
    const n = ids.filter((id) => {
      const r = document.querySelector(`.react-flow__node[data-id="${id}"]`)?.getBoundingClientRect();
      return r !== undefined && r.left >= view.left - 1 && r.right <= view.right + 1 && r.top >= view.top - 1 && r.bottom <= view.bottom + 1;
    }).length;
    return all ? n === ids.length : n;
  };
  // The fit is animated: wait until the view has come to show them all
  // (two equal counts 100 ms apart could both fall inside the animation).
  await page.waitForFunction(inside, { ids: wired, all: true }, { timeout: 10_000, polling: "raf" }).catch(() => undefined);
  assert.equal(await page.evaluate(inside, { ids: wired, all: false }), wired.length);
  // The overview is legible: compact cards (kind mark, name, badge), and
  // the minimap shows kinds by colour and findings by outline.
  assert.equal(
    await page.locator(".react-flow__node .card-compact").count(),
    await page.locator(".react-flow__node").count(),
  );
  const minimap = await page.evaluate(() =>
    [...document.querySelectorAll(".react-flow__minimap .minimap-cards")].map((n) => [
      getComputedStyle(n).fill,
      getComputedStyle(n).stroke,
    ]),
  );
  assert.ok(minimap.some(([fill]) => fill === "rgb(46, 125, 50)"), `buckets in their accent: ${JSON.stringify(minimap.slice(0, 5))}`);
  assert.ok(minimap.some(([fill]) => fill === "rgb(194, 65, 12)"), "functions in theirs");
  assert.ok(minimap.some(([, stroke]) => stroke === "rgb(180, 35, 24)"), "the deleted function's error shows");
  await mkdir(`${repo}tests/artifacts`, { recursive: true });
  await page.screenshot({ path: `${repo}tests/artifacts/ui-account-canvas.png` });
  // A click on the minimap brings that part of the canvas into view.
  const fitted = await page.locator(".react-flow__viewport").evaluate((v) => v.style.transform);
  await page.getByRole("img", { name: "Minimap" }).click({ position: { x: 12, y: 100 } });
  await page.waitForFunction((before) => document.querySelector(".react-flow__viewport").style.transform !== before, fitted);

  // Search a region's parked buckets and bring one onto the canvas.
  await parked.getByText(`eu-west-1: ${without("eu-west-1")} buckets without notifications`).click();
  await parked.getByLabel("Search the buckets of eu-west-1 without notifications").fill("acct-0004-");
  await parked.getByRole("button", { name: "Show acct-0004-eu-west-1 on the canvas" }).click();
  await page.getByTestId("node-acct-0004-eu-west-1").waitFor();
  await parked.getByText(`eu-west-1: ${without("eu-west-1") - 1} buckets without notifications`).waitFor();

  // Auto-layout keeps one lane per region (with the SQS destinations on
  // the canvas): every bucket of a region left of the next region's.
  // Each region's buckets' horizontal extent on screen (in the page).
  const spansOf = (names) => {
    const span = {};
    for (const n of document.querySelectorAll(".react-flow__node-bucket")) {
      const region = names.find((r) => n.getAttribute("data-id").endsWith(r));
      const r = n.getBoundingClientRect();
      span[region] = [Math.min(span[region]?.[0] ?? Infinity, r.left), Math.max(span[region]?.[1] ?? -Infinity, r.right)];
    }
    return JSON.stringify(names.map((r) => span[r]));
  };
  const lanes = () => page.evaluate(spansOf, regions);
  // The bucket just shown sits where the view was, inside another lane:
  // the arrangement has come when that changes, and is drawn once the
  // lanes stop moving.
  const before = await lanes();
  await page.getByRole("button", { name: "Auto-layout" }).click();
  await page.waitForFunction(`(${spansOf})(${JSON.stringify(regions)}) !== ${JSON.stringify(before)}`);
  let spans = "";
  for (let last = "x"; spans !== last; await page.waitForTimeout(150)) [last, spans] = [spans, await lanes()];
  const [ap, eu, us] = JSON.parse(spans);
  assert.ok(ap[1] < eu[0] && eu[1] < us[0], spans);
  await page.close();
});

// The first ten minutes, in real Chromium against the real Rust editor:
// the tour at first start (Help reopens it) and the templates an empty
// canvas offers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { withEditor } from "../support/harness.mjs";

const h = withEditor();

test("the first start walks an eight-step tour over the sample, never covering a control; Help reopens it", async () => {
  const marker = join(h.bridge.home, "config", "tour-seen");
  rmSync(marker, { force: true });
  const page = await h.openPage({ tour: true });
  const tour = page.getByRole("dialog", { name: "Tour" });
  await tour.getByText("1 of 8").waitFor();
  assert.equal(await page.locator(".palette.tour-target").count(), 1, "step 1 points at the palette");
  // What the box covers: never a control of the window (the part a step
  // is about is outlined; the box sits beside it, or inside the canvas
  // clear of its controls).
  const coveredNow = () => {
    const t = document.querySelector(".tour").getBoundingClientRect();
      const hit = (r) => r.width > 0 && t.left < r.right && r.left < t.right && t.top < r.bottom && r.top < t.bottom;
      return [...document.querySelectorAll("button, input, select, .react-flow__controls, .react-flow__minimap, .try-key")]
        .filter((e) => !e.closest(".tour") && hit(e.getBoundingClientRect()))
        .map((e) => e.getAttribute("aria-label") ?? e.className);
  };
  // Once the box has settled (it follows the window as the document loads).
  const covered = async () => {
    await page.waitForFunction(`(${coveredNow})().length === 0`, null, { timeout: 3000 }).catch(() => undefined);
    return page.evaluate(coveredNow);
  };
  const targets = [];
  for (let i = 1; i <= 8; i++) {
    if (i > 1) {
      await tour.getByRole("button", { name: "Next" }).click();
      await tour.getByText(`${i} of 8`).waitFor();
    }
    assert.deepEqual(await covered(), [], `step ${i} covers a control`);
    targets.push(await page.evaluate(() => document.querySelector(".tour-target")?.getAttribute("aria-label") ?? document.querySelector(".tour-target")?.className.split(" ")[0]));
  }
  // Build, wire, inspect, findings, Try a key, connections, import, review.
  assert.deepEqual(targets.slice(5), ["Connection: No connection", "Import", "Review changes"]);
  await tour.getByRole("button", { name: "Done" }).click();
  await tour.waitFor({ state: "detached" });
  assert.ok(existsSync(marker), "the tour is not shown again at the next start");
  await page.getByRole("button", { name: "Help", exact: true }).click();
  await page.getByRole("menuitem", { name: "The tour" }).click();
  await tour.getByText("1 of 8").waitFor();
  await tour.getByRole("button", { name: "Skip the tour" }).click();
  await tour.waitFor({ state: "detached" });
  await page.close();
});

test("an empty canvas offers templates that open ready to use", async () => {
  const page = await h.openPage();
  await page.getByRole("button", { name: "New" }).click();
  const start = page.getByRole("region", { name: "Start" });
  await start.getByRole("button", { name: /Virus scan on upload/ }).click();
  await start.waitFor({ state: "detached" });
  for (const id of ["uploads", "every-upload", "virus-scan"]) await page.getByTestId(`node-${id}`).waitFor();
  const summary = await page.getByRole("region", { name: "Findings" }).getByRole("heading").textContent();
  assert.match(summary, /0 errors/);
  await page.close();
});

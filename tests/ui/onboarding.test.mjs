// The first ten minutes, in real Chromium against the real Rust editor:
// the tour at first start (Help reopens it) and the templates an empty
// canvas offers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { withEditor } from "../support/harness.mjs";

const h = withEditor();

test("the first start walks a five-step tour over the sample; Help reopens it", async () => {
  const marker = join(h.bridge.home, "config", "tour-seen");
  rmSync(marker, { force: true });
  const page = await h.openPage({ tour: true });
  const tour = page.getByRole("dialog", { name: "Tour" });
  await tour.getByText("1 of 5").waitFor();
  assert.equal(await page.locator(".palette.tour-target").count(), 1, "step 1 points at the palette");
  for (let i = 2; i <= 5; i++) {
    await tour.getByRole("button", { name: "Next" }).click();
    await tour.getByText(`${i} of 5`).waitFor();
  }
  await tour.getByRole("button", { name: "Done" }).click();
  await tour.waitFor({ state: "detached" });
  assert.ok(existsSync(marker), "the tour is not shown again at the next start");
  await page.getByRole("button", { name: "Help" }).click();
  await tour.getByText("1 of 5").waitFor();
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

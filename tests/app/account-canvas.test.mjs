// A real account's shape in the real app (WebKitGTK under Xvfb,
// tauri-driver): moto seeded with 250 buckets in three regions (one in six
// wired), imported through the wizard as a new document. The wiring is
// arranged in one titled frame per region, fits the window with every
// wired bucket inside the canvas, and buckets without notifications are
// gathered per region. The screenshot is the README's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { By } from "selenium-webdriver";
import { startApp, artifactsDir, findDisplayed, application, appHome, pageValue, retryStale, waitForText, screenshot } from "../support/tauri-driver.mjs";
import { seedAccount, startMoto } from "../support/moto.mjs";

const artifacts = artifactsDir();
let moto;
let wired;
let app;
let driver;
before(async () => {
  moto = await startMoto();
  wired = await seedAccount(moto.url, 250);
  const { env } = appHome("account-canvas");
  // Started connected to the seeded account, as `make run` is to its sandbox.
  app = await startApp(application, {
    logFile: `${artifacts}tauri-driver-account-canvas.log`,
    env: { ...env, BUCKETWIRE_SANDBOX_URL: moto.url },
  });
  driver = app.driver;
  await driver.manage().window().setRect({ width: 1280, height: 720 });
});
after(async () => {
  await app?.stop();
  moto?.stop();
});

const find = (locator, timeout) => findDisplayed(driver, locator, timeout);
const button = (name, within = "") =>
  By.xpath(`${within}//button[normalize-space()="${name}" or @aria-label="${name}"]`);
const click = (locator, timeout) => retryStale(async () => (await find(locator, timeout)).click());

test("the seeded account imports arranged by region and fits the window", async () => {
  await find(By.css('[data-testid="node-photos"]'));
  await find(By.xpath('//button[starts-with(@aria-label, "Connection: ") and contains(@aria-label, "account 123456789012")]'), 30_000);
  await click(button("Import"));
  const wizard = '//div[@role="dialog" and @aria-label="Import from an account"]';
  await click(By.xpath(`${wizard}//label[contains(., "Select all shown (250)")]/input`), 60_000);
  await click(button("Import 250 buckets", wizard));
  await waitForText(driver, By.xpath(`${wizard}//*[@aria-label="Import result"]`), /Read 250 bucket\(s\)/, "app-account-canvas-failed.png");
  const read = Date.now();
  await click(button("Open as new document", wizard));
  // Arranged and drawn: the notice says imported, one frame per region.
  // (Its text, not what fits of it: the top bar shortens long notices.)
  await driver.wait(
    async () => (await pageValue(driver, () => document.querySelector('[aria-label="Notice"]')?.textContent)) === "Imported 250 bucket(s)",
    60_000,
    "the import's notice",
  );
  const frames = await driver.wait(async () => {
    const labels = await pageValue(driver, () => [...document.querySelectorAll(".frame")].map((f) => f.getAttribute("aria-label")));
    return labels?.length === 3 ? labels : null;
  }, 30_000);
  console.log(`# open as new document → arranged and drawn: ${Date.now() - read} ms`);
  assert.deepEqual(frames, ["Region ap-southeast-2", "Region eu-west-1", "Region us-east-1"]);

  // Fit view: every wired bucket inside the canvas (compare until the
  // animation settles: the count stops changing).
  await click(By.css(".react-flow__controls-fitview"));
  const inside = () =>
    pageValue(driver, (ids) => {
      const view = document.querySelector(".react-flow")?.getBoundingClientRect();
      if (view === undefined) return -1;
      return ids.filter((id) => {
        const r = document.querySelector(`.react-flow__node[data-id="${id}"]`)?.getBoundingClientRect();
        return r !== undefined && r.left >= view.left - 1 && r.right <= view.right + 1 && r.top >= view.top - 1 && r.bottom <= view.bottom + 1;
      }).length;
    }, wired);
  await driver.wait(async () => (await inside()) === wired.length, 20_000, "every wired bucket inside the canvas after Fit view");
  // And legible: every wired bucket's name at least 8 px high on screen
  // (its font size times the view's scale), in WebKit as in Chromium.
  const smallest = () =>
    pageValue(driver, (ids) =>
      Math.min(
        ...ids.map((id) => {
          const name = document.querySelector(`.react-flow__node[data-id="${id}"] .card-overview-name`);
          return name === null ? 0 : parseFloat(getComputedStyle(name).fontSize) * (name.getBoundingClientRect().height / name.offsetHeight);
        }),
      ),
    wired);
  await driver.wait(async () => (await smallest()) >= 8, 10_000).catch(() => undefined);
  const seen = await smallest();
  console.log(`# smallest wired bucket name after Fit view: ${seen.toFixed(2)} px`);
  assert.ok(seen >= 8, `the smallest wired bucket name is ${seen.toFixed(2)} px`);
  // Buckets without notifications: one entry per region, not cards.
  const parked = await driver.executeScript(() =>
    [...document.querySelectorAll('[aria-label="Buckets without notifications"] summary')].map((s) => s.textContent),
  );
  assert.equal(parked.length, 3);
  assert.equal(await driver.executeScript(() => document.querySelectorAll(".react-flow__node-bucket").length), wired.length);
  writeFileSync(`${artifacts}app-account-canvas.png`, await screenshot(driver), "base64");
});

// The real desktop app (WebKitGTK under Xvfb) through tauri-driver: the
// canvas shows the document the Rust command sent, errors cross the IPC
// typed, and the window may call nothing but the app's own commands.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { By, until } from "selenium-webdriver";
import { startApp, artifactsDir, waitGone, screenshot } from "../support/tauri-driver.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const application = process.env.BUCKETWIRE_APP ?? `${repo}target/debug/bucketwire-desktop`;
const artifacts = artifactsDir();
// A first start: its own, empty config and data directories.
const home = mkdtempSync(join(tmpdir(), "bw-app-first-"));

let app;
before(async () => {
  app = await startApp(application, {
    logFile: `${artifacts}tauri-driver.log`,
    env: { BUCKETWIRE_CONFIG_DIR: join(home, "config"), BUCKETWIRE_DATA_DIR: join(home, "data") },
  });
});
after(async () => {
  await app?.stop();
});

/** Waits until an element is displayed and has stopped moving (React Flow measures first). */
async function settled(driver, locator) {
  const el = await driver.wait(until.elementLocated(locator), 20_000);
  await driver.wait(until.elementIsVisible(el), 20_000);
  let last = "";
  await driver.wait(async () => {
    const r = await el.getRect();
    const now = `${r.x},${r.y},${r.width},${r.height}`;
    const same = now === last;
    last = now;
    return same;
  }, 10_000, "node kept moving", 150);
  return el;
}

test("the first start opens the tour over the sample; skipping it is remembered", async () => {
  const { driver } = app;
  const tour = await driver.wait(until.elementLocated(By.css('[role="dialog"][aria-label="Tour"]')), 20_000);
  assert.match(await tour.getText(), /1 of 8/);
  await tour.findElement(By.xpath('.//button[normalize-space()="Skip the tour"]')).click();
  await waitGone(driver, By.css('[aria-label="Tour"]'), 10_000);
  assert.ok(existsSync(join(home, "config", "tour-seen")));
});

test("the window shows the sample graph that Rust sent", async () => {
  const { driver } = app;
  assert.equal(await driver.getTitle(), "Untitled — Bucketwire");
  const expected = {
    "node-photos": ["acme-photos", "us-east-1", "account 123456789012"],
    "node-jpg-uploads": ["thumbnails", "s3:ObjectCreated:*", "uploads/….jpg"],
    "node-make-thumbnail": ["make-thumbnail", "role make-thumbnail-role"],
  };
  for (const [testId, lines] of Object.entries(expected)) {
    const card = await settled(driver, By.css(`[data-testid="${testId}"]`));
    const text = await card.getText();
    for (const line of lines) assert.ok(text.includes(line), `${testId} lacks "${line}": ${text}`);
  }
  const edges = await driver.findElements(By.css(".react-flow__edge"));
  assert.equal(edges.length, 2);
  // Two animation frames so the screenshot is not a frame late.
  await driver.executeAsyncScript(
    "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(done));",
  );
  await writeFile(`${artifacts}app-sample.png`, await screenshot(driver), "base64");
});

test("a command error reaches the UI as {code, message}", async () => {
  const { driver } = app;
  const outcome = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    window.__TAURI_INTERNALS__.invoke("open_document", { path: "/nonexistent/x.bucketwire.json" })
      .then((v) => done({ ok: v }), (e) => done({ err: e }));
  `);
  assert.equal(outcome.err?.code, "fileUnreadable", JSON.stringify(outcome));
  assert.match(outcome.err.message, /cannot read \/nonexistent\/x\.bucketwire\.json/);
});

test("the window may not call commands outside the app's own", async () => {
  const { driver } = app;
  const outcome = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    window.__TAURI_INTERNALS__.invoke("plugin:window|set_always_on_top", { label: "main", value: true })
      .then(() => done({ allowed: true }), (e) => done({ refused: String(e) }));
  `);
  assert.equal(outcome.allowed, undefined, "a core command outside the capability was allowed");
  assert.match(outcome.refused, /not allowed|denied|not found/i);
  assert.equal(await driver.getTitle(), "Untitled — Bucketwire");
});

// What the window remembers, in the real app (WebKitGTK under Xvfb,
// tauri-driver): the current connection, the panel sizes and folds, the
// theme and the window's size are the same after a restart. The title is
// the document's name.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { By, Key } from "selenium-webdriver";
import { startApp, artifactsDir, findDisplayed, application, appHome, retryStale, screenshot } from "../support/tauri-driver.mjs";
import { startMoto } from "../support/moto.mjs";

const artifacts = artifactsDir();
const { env, home } = appHome("restart");
let app;
let moto;
after(async () => {
  await app?.stop();
  await moto?.stop();
});

const button = (name, within = "") =>
  By.xpath(`${within}//button[normalize-space()="${name}" or @aria-label="${name}"]`);
const field = (form, label) =>
  By.xpath(`${form}//label[span[normalize-space()="${label}"]]/*[self::input or self::select]`);

/** The inspector's width and whether the findings list is shown. */
const panels = (driver) =>
  driver.executeScript(() => ({
    inspector: Math.round(document.querySelector(".panel-inspector").getBoundingClientRect().width),
    findingsOpen: document.querySelector('[aria-label="Hide the findings list"]') !== null,
    theme: document.documentElement.dataset.theme,
  }));

/** Waits until `file` (in the config directory) satisfies `ok`. */
async function kept(driver, file, ok) {
  const path = join(home, "config", file);
  await driver.wait(() => existsSync(path) && ok(JSON.parse(readFileSync(path, "utf8"))), 20_000, `${file} never had it`);
}

test("the connection, panel sizes, folds, theme and window size survive a restart", async () => {
  moto = await startMoto();
  app = await startApp(application, { logFile: `${artifacts}tauri-driver-restart.log`, env });
  let driver = app.driver;
  const find = (locator) => findDisplayed(driver, locator);
  const click = (locator) => retryStale(async () => (await find(locator)).click());
  await find(By.css('[data-testid="node-photos"]'));
  assert.equal(await driver.getTitle(), "Untitled — Bucketwire");

  // A connection, made current.
  await click(By.xpath('//button[starts-with(@aria-label, "Connection:")]'));
  await click(button("Add a connection"));
  const form = '//form[@aria-label="Connection"]';
  await (await find(field(form, "Name"))).sendKeys("Local moto");
  await (await find(field(form, "Kind"))).sendKeys("Custom endpoint");
  const url = await find(field(form, "Endpoint URL"));
  await url.clear();
  await url.sendKeys(moto.url);
  await click(button("Save", form));
  const row = '//li[@aria-label="Connection Local moto"]';
  await click(button("Test", row));
  await find(By.xpath(`${row}//*[@role="status" and contains(., "account 123456789012")]`));
  await click(button("Use", row));
  await click(button("Close", '//div[@aria-label="Connections"]'));
  await find(button("Connection: Local moto · account 123456789012"));

  // The inspector wider (keyboard on its handle), the findings folded, dark.
  const before = await panels(driver);
  const handle = await find(By.css('[aria-label="Resize the inspector"]'));
  await driver.executeScript((el) => el.focus(), handle);
  await driver.actions().sendKeys(Key.ARROW_LEFT).perform();
  await driver.wait(async () => (await panels(driver)).inspector > before.inspector + 20, 10_000);
  await click(button("Hide the findings list"));
  await click(button("Help"));
  await click(By.xpath('//*[@role="menuitemcheckbox" and normalize-space()="Theme: dark"]'));
  // Folded and dark once the window has redrawn (a frame or two later on a
  // busy machine): wait for what a person would see.
  const wanted = await driver.wait(async () => {
    const now = await panels(driver);
    return now.theme === "dark" && now.findingsOpen === false ? now : null;
  }, 10_000, "the findings folded and the theme dark");
  // A smaller window.
  await driver.manage().window().setRect({ width: 1100, height: 700 });
  await kept(driver, "window-state.json", (s) => Object.values(s).some((w) => w.width === 1100 && w.height === 700));
  await kept(driver, "preferences.json", (p) => p.connection === "Local moto" && p.theme === "dark" && p["panel.findings.folded"] === "1" && Number(p["panel.inspector"]) > before.inspector + 20);
  const layout = await panels(driver);

  await app.stop();
  app = await startApp(application, { logFile: `${artifacts}tauri-driver-restart-2.log`, env });
  driver = app.driver;
  await find(By.css('[data-testid="node-photos"]'));
  await find(button("Connection: Local moto · account 123456789012"));
  const after = await panels(driver);
  assert.deepEqual({ ...after, inspector: 0 }, { ...layout, inspector: 0 });
  assert.ok(Math.abs(after.inspector - layout.inspector) <= 2, `inspector ${after.inspector}px, was ${layout.inspector}px`);
  const rect = await driver.manage().window().getRect();
  assert.deepEqual([rect.width, rect.height], [1100, 700]);
  writeFileSync(`${artifacts}app-restart.png`, await screenshot(driver), "base64");
});

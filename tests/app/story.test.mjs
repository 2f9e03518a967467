// The whole story in the real app (WebKitGTK under Xvfb, tauri-driver):
// build bucket → filter → function from the palette, see the overlap when
// a second filter overlaps, fix it, save, start anew, reopen from Recent
// and find the same canvas. Native file dialogs cannot be driven over
// WebDriver, so the save itself is the `save_document` command the Save
// dialog would call; everything else goes through the UI.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { By, Key } from "selenium-webdriver";
import { startApp, artifactsDir, findDisplayed, application, appHome, retryStale, waitGone, countOf, screenshot } from "../support/tauri-driver.mjs";

const artifacts = artifactsDir();
const { home, env } = appHome("story");

let app;
let driver;
before(async () => {
  app = await startApp(application, {
    logFile: `${artifacts}tauri-driver-story.log`,
    env,
  });
  driver = app.driver;
});
after(async () => {
  // What the window looked like at the end (or where it failed).
  if (driver !== undefined) {
    writeFileSync(`${artifacts}app-story-end.png`, await screenshot(driver).catch(() => ""), "base64");
  }
  await app?.stop();
});

const css = (s) => By.css(s);
const card = (id) => css(`[data-testid="node-${id}"]`);
const button = (name) => By.xpath(`//button[normalize-space()="${name}" or @aria-label="${name}"]`);

const find = (locator) => findDisplayed(driver, locator);

const gone = (locator) => waitGone(driver, locator);

const click = (locator) => retryStale(async () => (await find(locator)).click());

/** Drags a connection from one node's output handle to another's input. */
/** Drags from `from`'s output handle to `to`'s input handle until the edge
 * is drawn: as a person would, a drag that did not take (the pointer
 * landed a frame before the card settled) is made again, up to 3 times. */
async function connect(from, to) {
  const before = await edges();
  for (let attempt = 1; ; attempt++) {
    await retryStale(() => connectOnce(from, to));
    const drawn = await driver
      .wait(async () => (await edges()) > before, 3_000)
      .then(() => true, () => false);
    if (drawn || attempt === 3) return;
  }
}

async function connectOnce(from, to) {
  const source = await find(css(`[data-testid="node-${from}"] .react-flow__handle-right`));
  const target = await find(css(`[data-testid="node-${to}"] .react-flow__handle-left`));
  await still(`[data-testid="node-${from}"] .react-flow__handle-right`);
  await still(`[data-testid="node-${to}"] .react-flow__handle-left`);
  await driver
    .actions({ async: true })
    .move({ origin: source })
    .press()
    .move({ origin: target, x: 5, y: 5, duration: 150 })
    .move({ origin: target, duration: 150 })
    .release()
    .perform();
}

/** Waits until the element at `selector` is where it was a frame ago
 * (a card still moving under a fit animation cannot be aimed at). */
async function still(selector) {
  let last = "";
  await driver.wait(
    async () => {
      const now = await driver.executeScript(
        (s) => JSON.stringify(document.querySelector(s)?.getBoundingClientRect() ?? null),
        selector,
      );
      const same = now === last;
      last = now;
      return same;
    },
    10_000,
    `${selector} kept moving`,
    100,
  );
}

/** Auto-layout: wait until the canvas is no longer busy arranging, then
 * until the cards stop moving (fitView animates). */
async function layOut() {
  await click(button("Auto-layout"));
  await driver.wait(
    async () => (await driver.executeScript(() => document.querySelector("main.canvas")?.getAttribute("aria-busy"))) === "false",
    20_000,
    "the canvas stayed busy arranging",
  );
  let last = "";
  await driver.wait(
    async () => {
      const now = await driver.executeScript(
        "return JSON.stringify([...document.querySelectorAll('.react-flow__node')].map((n) => n.getBoundingClientRect()))",
      );
      const same = now === last;
      last = now;
      return same;
    },
    10_000,
    "the layout kept moving",
    200,
  );
}

async function edges() {
  return countOf(driver, ".react-flow__edge");
}

async function setField(label, value) {
  await retryStale(async () => {
    const input = await find(By.xpath(`//aside[@aria-label="Inspector"]//label[span[normalize-space()="${label}"]]/input`));
    await input.clear();
    await input.sendKeys(value, "\uE007");
  });
}

test("build, see the overlap, fix it, save, reopen: the same canvas", async () => {
  await find(card("photos"));
  await click(button("New"));
  await gone(card("photos"));

  // Added at the centre, then laid out so that no card hides another.
  await click(button("Add Bucket"));
  await find(card("bucket-1"));
  await click(button("Add Filter"));
  await find(card("filter-1"));
  await click(button("Add Function"));
  await find(card("function-1"));
  await layOut();
  await connect("bucket-1", "filter-1");
  await driver.wait(async () => (await edges()) === 1, 10_000, "bucket → filter not drawn");
  await connect("filter-1", "function-1");
  await driver.wait(async () => (await edges()) === 2, 10_000, "filter → function not drawn");
  await layOut();

  await click(card("function-1"));
  await setField("Function ARN", "arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail");
  await find(By.xpath(`//*[@data-testid="node-function-1"]//*[normalize-space()="make-thumbnail"]`));
  await click(card("filter-1"));
  await setField("Key prefix", "uploads/");

  // A second filter on the same bucket and function, overlapping.
  await click(card("filter-1"));
  await driver.actions({ async: true }).keyDown("\uE009").sendKeys("d").keyUp("\uE009").perform();
  await find(card("filter-1-copy"));
  await layOut();
  await connect("bucket-1", "filter-1-copy");
  await connect("filter-1-copy", "function-1");
  await driver.wait(async () => (await edges()) === 4, 10_000, "second path not drawn");
  const overlap = await find(By.xpath(`//section[@aria-label="Findings"]//li[.//*[normalize-space()="overlapping-configurations"]]`));
  assert.match(await overlap.getText(), /"new-filter-1" .* and "new-filter-1-copy"|"new-filter-1-copy" .* and "new-filter-1"/s);

  // Fix it by hand: the copy listens for deletions instead.
  await click(card("filter-1-copy"));
  await click(button("Choose event types"));
  await click(By.xpath(`//div[@aria-label="ObjectCreated"]//label[contains(., "s3:ObjectCreated:*")]/input`));
  await click(By.xpath(`//div[@aria-label="ObjectRemoved"]//label[contains(., "s3:ObjectRemoved:*")]/input`));
  await driver.actions().sendKeys(Key.ESCAPE).perform();
  await find(By.xpath('//ul[@aria-label="Chosen event types"]/li[normalize-space()="Removed:*"]'));
  await gone(By.xpath(`//section[@aria-label="Findings"]//*[normalize-space()="overlapping-configurations"]`));
  await layOut();
  // Try a key, for the README screenshot: the path that fires lights up.
  const key = await find(By.css('input[aria-label="Object key"]'));
  await key.sendKeys("uploads/cat.jpg");
  await find(By.css(".react-flow__node.lit"));
  await driver.executeAsyncScript(
    "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(done));",
  );
  writeFileSync(`${artifacts}app-story.png`, await screenshot(driver), "base64");

  // Save (what the Save dialog calls), start anew, reopen from Recent.
  const file = join(home, "thumbnails.bucketwire.json");
  const saved = await driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke("save_document", { path: arguments[0] }).then(done, (e) => done({ error: e }));`,
    file,
  );
  assert.equal(saved.error, undefined, JSON.stringify(saved.error));
  const before = saved.document;
  assert.deepEqual(
    JSON.parse(readFileSync(file, "utf8")).filters.map((f) => f.events),
    [["s3:ObjectCreated:*"], ["s3:ObjectRemoved:*"]],
  );
  // The window learns about the save as after any reload: it shows the
  // editor's document, clean and named after the file.
  await driver.navigate().refresh();
  // (Its text, read from the page: WebKitWebDriver reads an ellipsised flex item as empty.)
  const documentName = () => driver.executeScript(() => document.querySelector('[aria-label="Document"]')?.textContent ?? "");
  await driver.wait(async () => (await documentName()) === "thumbnails.bucketwire.json", 10_000, "the document's name");
  await click(button("New"));
  await gone(card("bucket-1"));
  await click(button("Recent"));
  await click(By.xpath(`//*[@role="menuitem" and normalize-space()="${file}"]`));
  for (const node of before.nodes) {
    const el = await find(card(node.id));
    assert.ok((await el.getText()).includes(node.title), `${node.id} shows ${node.title}`);
  }
  assert.equal(await edges(), before.edges.length);
  const banner = await find(By.css('[aria-label="Document"]'));
  assert.equal(await documentName(), file.split("/").pop());
  assert.equal(await driver.executeScript((el) => el.title, banner), file);
});

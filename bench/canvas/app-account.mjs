// A real account's shape in the real app (WebKitGTK under Xvfb,
// tauri-driver), see bench/app-account.sh. Per document: open it from
// Recent (click → every drawn card known to the canvas and the region
// frames drawn) and pan at the overview (frame intervals). Timed inside
// the page (the click is dispatched there, the end is the frame where the
// change is drawn), so WebDriver's own round trips are not counted.
// Then a function is found (Ctrl/Cmd+K) and selected (click → its
// triggers lit, inspector filled), and a filter's configuration id is
// edited (Enter, typed through WebDriver → the card shows it). Prints
// medians, and the memory (PSS) of the app and its WebKit processes with
// the sample open and with the document open.
// HIDE=selectors hides those elements while panning (not after), to see
// what each layer costs the software-rendered window; EDIT_HIDE=selectors
// (or a whole CSS rule) does the same for the edits. LOG=1 prints each
// edit's timeline: frames, how long each frame's rendering took, and the
// page's changes (what changed, where). Without a GPU
// (Xvfb), WebKitGTK's compositing runs in software OpenGL and each pan
// frame costs 80–100 ms whatever is drawn; WEBKIT_DISABLE_COMPOSITING_MODE=1
// in the environment measures the window drawn without it.
// Usage: app-account.mjs RUNS FILE...
import { basename, join } from "node:path";
import { appPss, fmt, median, pct, shapeOf, startFrames, stopFrames } from "./shared.mjs";
import { writeFileSync } from "node:fs";
import { By, startApp, application, appHome, findDisplayed, retryStale, screenshot } from "../../tests/support/tauri-driver.mjs";

const [runsArg, ...files] = process.argv.slice(2);

// In the page: the intervals of 30 frames with nothing happening.
function idleFrames(done) {
  const frames = [];
  let last = performance.now();
  const step = (t) => {
    frames.push(Math.round(t - last));
    last = t;
    if (frames.length <= 30) requestAnimationFrame(step);
    else done(frames.slice(1));
  };
  requestAnimationFrame(step);
}

// In the page: a drag of the pane as d3-zoom sees one (mousedown on the
// pane, then mousemove and mouseup on the window), one move of 6×3 px
// each frame for 60 frames; answers the frame intervals (ms).
function panInPage(done) {
  const pane = document.querySelector(".react-flow__pane");
  const box = pane.getBoundingClientRect();
  const x0 = box.left + box.width / 2;
  const y0 = box.top + box.height / 2;
  const at = (x, y, buttons) => ({ bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, button: 0, buttons });
  pane.dispatchEvent(new MouseEvent("mousedown", at(x0, y0, 1)));
  const frames = [];
  let last = performance.now();
  let k = 0;
  const step = (t) => {
    frames.push(Math.round(t - last));
    last = t;
    k += 1;
    if (k <= 60) {
      window.dispatchEvent(new MouseEvent("mousemove", at(x0 - k * 6, y0 - k * 3, 1)));
      requestAnimationFrame(step);
    } else {
      window.dispatchEvent(new MouseEvent("mouseup", at(x0 - k * 6, y0 - k * 3, 0)));
      done(frames.slice(1));
    }
  };
  requestAnimationFrame(step);
}
const runs = Number(runsArg ?? 3);


// In the page (WebDriver's scripts run there; the app's content security
// policy allows no eval, so each timing is its own script): the click or
// key, then frame by frame until the change is drawn; answers milliseconds.
const timeOpen = (driver, file, cards) =>
  driver.executeAsyncScript(
    (file, cards, done) => {
      const start = performance.now();
      [...document.querySelectorAll('[role="menuitem"]')].find((b) => b.textContent.trim() === file).click();
      const check = () => {
        if ([...document.querySelectorAll(".minimap-cards")].reduce((n, p) => n + Number(p.dataset.count), 0) === cards && document.querySelectorAll(".frame").length > 0) {
          requestAnimationFrame(() => done(performance.now() - start));
        } else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    },
    file,
    cards,
  );
// In the page: clicks the card, then frame by frame until its triggers are
// lit and the inspector lists them; answers milliseconds.
const timeSelect = (driver, id) =>
  driver.executeAsyncScript(
    (id, done) => {
      const start = performance.now();
      document.querySelector(`[data-testid="node-${id}"]`).click();
      const check = () => {
        if (document.querySelector(".react-flow__node.lit") && document.querySelector('[aria-label="Triggered by"]')) {
          requestAnimationFrame(() => done(performance.now() - start));
        } else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    },
    id,
  );

// In the page: clicks Auto-layout, then frame by frame until the canvas
// was busy arranging and is no longer (the arrangement drawn); answers
// milliseconds. An import's "Open as new document" draws the account and
// runs the same arrangement.
const timeLayout = (driver) =>
  driver.executeAsyncScript((done) => {
    const start = performance.now();
    const canvas = document.querySelector('main[aria-label="Canvas"]');
    document.querySelector('button[aria-label="Auto-layout"]').click();
    let busy = false;
    const check = () => {
      busy ||= canvas.getAttribute("aria-busy") === "true";
      if (busy && canvas.getAttribute("aria-busy") !== "true") {
        requestAnimationFrame(() => done(performance.now() - start));
      } else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });

// In the page: from the Enter that commits an edit to the frame after the
// card shows `value`, into window.__edit (read by polling: WebKit's
// WebDriver cannot wait on a promise, and the Enter must be typed by it);
// and window.__commit: when the page's first change after the Enter was
// made (the command answered and React rendered; the rest is WebKit
// drawing it). With `log`, window.__log gets the timeline: each frame, how
// long its rendering took (from the frame's callbacks to the next task),
// each batch of changes with where it was (and the layout it forced).
function watchEdit(id, value, log) {
  window.__edit = null;
  window.__commit = null;
  window.__log = [];
  let start = 0;
  const since = () => Math.round(performance.now() - start);
  const onKey = (e) => {
    if (e.key === "Enter") start = performance.now();
  };
  window.addEventListener("keydown", onKey, { capture: true });
  if (log) {
    const channel = new MessageChannel();
    let frameAt = 0;
    channel.port1.onmessage = () => {
      if (start !== 0) window.__log.push(`${since()}   rendering took ${Math.round(performance.now() - frameAt)} ms`);
    };
    const frame = () => {
      frameAt = performance.now();
      if (start !== 0) window.__log.push(`${since()} frame`);
      channel.port2.postMessage(0);
      if (window.__edit === null) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }
  const where = (m) => {
    const t = m.target.nodeType === 1 ? m.target : m.target.parentElement;
    const what = `${t?.nodeName}${m.attributeName ? `@${m.attributeName}` : ""}${m.type === "characterData" ? "#text" : ""}`;
    return `${what} in ${t?.closest("[aria-label]")?.getAttribute("aria-label") ?? t?.closest("[class]")?.className}`;
  };
  const observer = new MutationObserver((changes) => {
    if (start === 0) return;
    if (window.__commit === null) window.__commit = performance.now() - start;
    if (log) {
      const before = performance.now();
      document.body.getBoundingClientRect();
      const places = [...new Set(changes.map(where))].slice(0, 8).join(" | ");
      window.__log.push(`${since()} ${changes.length} changes (layout ${Math.round(performance.now() - before)} ms): ${places}`);
    }
    if (!document.querySelector(`[data-testid="node-${id}"] .card-title`)?.textContent?.includes(value)) return;
    observer.disconnect();
    window.removeEventListener("keydown", onKey, { capture: true });
    requestAnimationFrame(() => {
      window.__edit = performance.now() - start;
    });
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: log });
}

/** Brings a card into view through Find (Ctrl+K), typed as a user would. */
async function findCard(driver, find, id, label) {
  await driver.actions().keyDown("\uE009").sendKeys("k").keyUp("\uE009").perform();
  await retryStale(async () => (await find(By.css('input[aria-label="Find a node or an action"]'))).sendKeys(label, "\uE007"));
  await find(By.css(`[data-testid="node-${id}"]`), 30_000);
}

const results = [];
for (const file of files) {
  const s = shapeOf(file);
  const r = { name: basename(file), ...s, open: [], pan: [], idle: [], panPage: [], select: [], edit: [], commit: [], layout: [], settle: [], pssSample: [], pssOpen: [] };
  for (let i = 0; i < runs; i++) {
    const { home, env } = appHome(`bench-${i}`);
    writeFileSync(join(home, "config", "recent.json"), JSON.stringify([file]));
    const app = await startApp(application, { logFile: join(home, "tauri-driver.log"), env });
    const driver = app.driver;
    await driver.manage().setTimeouts({ script: 60_000 });
    try {
      await driver.manage().window().setRect({ width: 1920, height: 1080 });
      const find = (locator, timeout) => findDisplayed(driver, locator, timeout);
      const click = (locator) => retryStale(async () => (await find(locator)).click());
      await find(By.css('[data-testid="node-photos"]'));
      // Memory with the sample open, then with the document open and panned.
      r.pssSample.push(appPss(application));
      await click(By.xpath('//button[@aria-label="Recent"]'));
      await find(By.xpath(`//*[@role="menuitem" and normalize-space()="${file}"]`));
      r.open.push(await timeOpen(driver, file, s.cards));
      if (process.env.HIDE) await driver.executeScript((css) => { const s = document.createElement("style"); s.id = "bench-hide"; s.textContent = css; document.head.append(s); }, `${process.env.HIDE} { display: none !important; }`);
      // The window settles first (a person looks before panning): after an
      // open, the overview's picture is drawn once the fitted zoom stands
      // still, the longest of these frames.
      const settling = await driver.executeAsyncScript(idleFrames);
      r.idle.push(...settling);
      r.settle.push(Math.max(...settling));
      // Pan: drag the pane (real pointer input), frame intervals recorded in the page.
      await driver.executeScript(startFrames);
      const pane = await find(By.css(".react-flow__pane"));
      let drag = driver.actions().move({ origin: pane }).press();
      for (let k = 1; k <= 40; k++) drag = drag.move({ origin: pane, x: -k * 6, y: -k * 3, duration: 16 });
      await drag.release().perform();
      const panned = await driver.executeScript(stopFrames);
      r.pan.push(...panned);
      if (process.env.LOG === "1") console.log(`  pan frames over 100 ms at ${panned.flatMap((f, k) => (f > 100 ? [`#${k} of ${panned.length}: ${f} ms`] : [])).join(", ")}`);
      // The same pan inside the page: one pointer move a frame, so each
      // interval is what one frame of panning costs the window (through
      // WebDriver, WebKitWebDriver paces the moves: a 40-card document
      // shows the same ~150 ms intervals, so those measure the harness).
      r.panPage.push(...(await driver.executeAsyncScript(panInPage)));
      await driver.executeScript(() => document.getElementById("bench-hide")?.remove());
      r.pssOpen.push(appPss(application));

      // Select a function: click → its triggering buckets and filters lit.
      await findCard(driver, find, s.fn, s.fn.split("/").pop());
      await driver.actions().sendKeys("\uE00C").perform();
      r.select.push(await timeSelect(driver, s.fn));

      if (process.env.EDIT_HIDE) await driver.executeScript((css) => { const s = document.createElement("style"); s.textContent = css; document.head.append(s); }, process.env.EDIT_HIDE.includes("{") ? process.env.EDIT_HIDE : `${process.env.EDIT_HIDE} { display: none !important; }`);
      // Edit a filter's configuration id: Enter → the card shows it.
      await findCard(driver, find, s.bucket, s.bucket);
      await click(By.css(`[data-testid="node-${s.filter}"]`));
      for (let k = 0; k < 3; k++) {
        const value = `bench-${i}-${k}`;
        const input = By.xpath('//aside[@aria-label="Inspector"]//label[contains(., "Configuration id")]//input');
        // Select what the field holds (Ctrl+A as its own action: a modifier
        // inside sendKeys stays held for the rest of the text), type over it.
        await retryStale(async () => (await find(input)).click());
        await driver.actions().keyDown("\uE009").sendKeys("a").keyUp("\uE009").perform();
        await retryStale(async () => (await find(input)).sendKeys(value));
        await driver.executeScript(watchEdit, s.filter, value, process.env.LOG === "1");
        await retryStale(async () => (await find(input)).sendKeys("\uE007"));
        await driver.wait(async () => (await driver.executeScript(() => window.__edit)) !== null, 30_000, `the card shows ${value}`);
        r.edit.push(await driver.executeScript(() => window.__edit));
        r.commit.push(await driver.executeScript(() => window.__commit));
        if (process.env.LOG) console.log((await driver.executeScript(() => window.__log)).join("\n"));
      }
      r.layout.push(await timeLayout(driver));
    } catch (e) {
      writeFileSync("/tmp/bench-app-failed.png", Buffer.from(await screenshot(driver), "base64"));
      throw e;
    } finally {
      await app.stop();
    }
  }
  results.push(r);
}
for (const r of results) {
  console.log(`${r.name} (real app, WebKitGTK): ${r.buckets} buckets, ${r.cards} cards drawn`);
  console.log(`  open from Recent (click → every card known, frames drawn): median ${fmt(median(r.open))} (${r.open.map(Math.round).join(", ")} ms)`);
  console.log(`  pan at the overview: frame interval median ${fmt(median(r.pan))}, p95 ${fmt(pct(r.pan, 0.95))}, max ${fmt(Math.max(...r.pan))}, ${r.pan.filter((f) => f > 200).length} of ${r.pan.length} over 200 ms`);
  console.log(`  pan in the page (one move a frame): frame interval median ${fmt(median(r.panPage))}, p95 ${fmt(pct(r.panPage, 0.95))}, max ${fmt(Math.max(...r.panPage))}, ${r.panPage.filter((f) => f > 200).length} of ${r.panPage.length} over 200 ms`);
  console.log(`  after open, 30 frames with nothing done: median ${fmt(median(r.idle))}, longest ${fmt(median(r.settle))} (median over runs: the overview's picture drawn once the zoom settles)`);
  console.log(`  memory (PSS of the app and its WebKit processes): sample ${Math.round(median(r.pssSample))} MB, this document ${Math.round(median(r.pssOpen))} MB: ${(median(r.pssOpen) / median(r.pssSample)).toFixed(2)}x`);
  console.log(`  select a function (click → its triggers lit, inspector filled): median ${fmt(median(r.select))}`);
  console.log(`  Auto-layout (click → arranged and drawn): median ${fmt(median(r.layout))} (${r.layout.map(Math.round).join(", ")} ms)`);
  console.log(`  edit a filter (Enter → card redrawn): median ${fmt(median(r.edit))}, p95 ${fmt(pct(r.edit, 0.95))} over ${r.edit.length}; the page's first change at median ${fmt(median(r.commit))}`);
}

// Starts tauri-driver (which starts WebKitWebDriver and the app) on free
// loopback ports, and opens a WebDriver session on the real app.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { openSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { Builder, By } from "selenium-webdriver";

// For scripts outside tests/ (bench/), which cannot resolve the package.
export { By };

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForStatus(url, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) {
        const body = await res.json();
        if (body?.value?.ready !== false) return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`tauri-driver did not answer ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts the app at `application` under tauri-driver; returns { driver, stop }. */
export async function startApp(application, { logFile, env = {} } = {}) {
  const port = await freePort();
  const nativePort = await freePort();
  const log = openSync(logFile, "w");
  const tauriDriver = process.env.TAURI_DRIVER ?? `${homedir()}/.cargo/bin/tauri-driver`;
  const child = spawn(tauriDriver, ["--port", String(port), "--native-port", String(nativePort)], {
    stdio: ["ignore", log, log],
    env: { ...process.env, ...env },
  });
  try {
    await waitForStatus(`http://127.0.0.1:${port}/status`, 15_000);
    const driver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}/`)
      .withCapabilities({ browserName: "wry", "tauri:options": { application } })
      .build();
    return {
      driver,
      async stop() {
        await driver.quit().catch(() => {});
        child.kill();
      },
    };
  } catch (e) {
    child.kill();
    throw e;
  }
}

export function artifactsDir() {
  const dir = new URL("../artifacts/", import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The element once it is displayed; React may replace it meanwhile, so a
 * stale element is looked up again. */
export function findDisplayed(driver, locator, timeout = 20_000) {
  return driver.wait(
    async () => {
      try {
        const el = await driver.findElement(locator);
        return (await el.isDisplayed()) ? el : null;
      } catch {
        return null;
      }
    },
    timeout,
    `${locator} not displayed`,
  );
}

/** The app binary the real-app suites drive. */
export const application =
  process.env.BUCKETWIRE_APP ?? new URL("../../target/debug/bucketwire-desktop", import.meta.url).pathname;

/** Fresh config and data directories for one suite; `tourSeen` marks the
 * first-start tour as seen (only sample.test.mjs wants a first start).
 * Returns { home, env } with env ready for startApp. */
export function appHome(name, { tourSeen = true } = {}) {
  const home = mkdtempSync(join(tmpdir(), `bw-app-${name}-`));
  mkdirSync(join(home, "config"), { recursive: true });
  if (tourSeen) writeFileSync(join(home, "config", "tour-seen"), "seen\n");
  return {
    home,
    env: { BUCKETWIRE_CONFIG_DIR: join(home, "config"), BUCKETWIRE_DATA_DIR: join(home, "data") },
  };
}

/** Runs `act` again when React replaced an element under it (WebDriver's
 * stale element), up to three times. */
export async function retryStale(act) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await act();
    } catch (e) {
      if (e?.name !== "StaleElementReferenceError" || attempt === 3) throw e;
    }
  }
}

/** The window as a PNG (base64). WebKitGTK drawing without compositing
 * (the app turns it off on a machine without a GPU render node, as here)
 * answers a screenshot only after its next paint, and an idle page never
 * paints: a pixel nobody can see changes every 16 ms until the answer. */
export async function screenshot(driver) {
  await driver.executeScript(() => {
    const dot = document.createElement("div");
    dot.id = "bw-repaint";
    dot.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none";
    document.body.append(dot);
    let k = 0;
    window.__bwRepaint = setInterval(() => {
      k += 1;
      dot.style.background = `rgba(0,0,0,${k % 2 === 0 ? 0.01 : 0.02})`;
    }, 16);
  });
  try {
    return await driver.takeScreenshot();
  } finally {
    await driver.executeScript(() => {
      clearInterval(window.__bwRepaint);
      document.getElementById("bw-repaint")?.remove();
    });
  }
}

/** Waits until the element's text matches `pattern`; on a timeout, saves a
 * screenshot as `failedShot` (under tests/artifacts) and says what the
 * element last showed. */
export async function waitForText(driver, locator, pattern, failedShot) {
  let seen = "(not found)";
  try {
    await driver.wait(async () => {
      try {
        seen = await (await driver.findElement(locator)).getText();
        return pattern.test(seen);
      } catch {
        return false;
      }
    }, 30_000);
  } catch (e) {
    if (failedShot) writeFileSync(`${artifactsDir()}${failedShot}`, await screenshot(driver), "base64");
    throw new Error(`waiting for ${pattern}; last seen: ${seen}`, { cause: e });
  }
}

/** Waits until nothing matches `locator`. An element React replaces while
 * WebKitWebDriver is looking it up comes back stale: it is looked up again. */
export async function waitGone(driver, locator, timeout = 20_000) {
  await driver.wait(
    async () =>
      (
        await driver.findElements(locator).catch((e) => {
          if (e?.name === "StaleElementReferenceError") return [null];
          throw e;
        })
      ).length === 0,
    timeout,
    `still there: ${locator}`,
  );
}

/** How many elements match the CSS `selector`, counted in the page (no
 * element handles, so nothing can go stale). */
export function countOf(driver, selector) {
  return driver.executeScript((s) => document.querySelectorAll(s).length, selector);
}

/** Runs `script` in the page for a wait's condition. WebKitWebDriver now
 * and then answers a script with an "unknown error" that has no message
 * while the page is busy (seen once in a CI run, on a loaded machine): such
 * an answer is logged and counts as "not yet" (`undefined`); any other
 * error fails the wait. */
export async function pageValue(driver, script, ...args) {
  try {
    return await driver.executeScript(script, ...args);
  } catch (e) {
    if (e?.name !== "WebDriverError" || e.message) throw e;
    console.log("# WebKitWebDriver answered a script with an empty unknown error; asking again");
    return undefined;
  }
}

// An account's import in the real app (WebKitGTK under Xvfb, tauri-driver),
// against a moto seeded with a mid-size account's shape scaled to BUCKETS
// (tests/support/seed_account.py), see bench/app-import.sh. Per run, a
// fresh app connected to the seeded account: the wizard's reads (Import N
// buckets → the result shown), then "Open as new document" → the account
// arranged by region and drawn (the notice says it is imported and the
// region frames are drawn), timed in the page from the click to the frame
// after. Prints medians.
// Usage: app-import.mjs RUNS BUCKETS
import { fmt, median } from "./shared.mjs";
import { By, startApp, application, appHome, findDisplayed, retryStale, screenshot } from "../../tests/support/tauri-driver.mjs";
import { seedAccount, startMoto } from "../../tests/support/moto.mjs";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const runs = Number(process.argv[2] ?? 3);
const buckets = Number(process.argv[3] ?? 2500);

const moto = await startMoto();
const seeding = Date.now();
const wired = await seedAccount(moto.url, buckets);
console.log(`seeded ${buckets} buckets (${wired.length} wired) in ${Math.round((Date.now() - seeding) / 1000)} s`);

const reads = [];
const drawn = [];
try {
  for (let i = 0; i < runs; i++) {
    const { home, env } = appHome(`bench-import-${i}`);
    const app = await startApp(application, {
      logFile: join(home, "tauri-driver.log"),
      env: { ...env, BUCKETWIRE_SANDBOX_URL: moto.url },
    });
    const driver = app.driver;
    await driver.manage().setTimeouts({ script: 120_000 });
    try {
      await driver.manage().window().setRect({ width: 1920, height: 1080 });
      const find = (locator, timeout) => findDisplayed(driver, locator, timeout);
      const click = (locator, timeout) => retryStale(async () => (await find(locator, timeout)).click());
      const button = (name, within = "") => By.xpath(`${within}//button[normalize-space()="${name}" or @aria-label="${name}"]`);
      await find(By.css('[data-testid="node-photos"]'));
      await find(By.xpath('//button[starts-with(@aria-label, "Connection: ") and contains(@aria-label, "account ")]'), 60_000);
      await click(button("Import"));
      const wizard = '//div[@role="dialog" and @aria-label="Import from an account"]';
      await click(By.xpath(`${wizard}//label[contains(., "Select all shown (${buckets})")]/input`), 300_000);
      const start = Date.now();
      await click(button(`Import ${buckets} buckets`, wizard));
      await find(By.xpath(`${wizard}//*[@aria-label="Import result" and contains(., "Read ${buckets} bucket(s)")]`), 600_000);
      reads.push(Date.now() - start);
      drawn.push(
        await driver.executeAsyncScript((n, done) => {
          const start = performance.now();
          const open = [...document.querySelectorAll('[role="dialog"] button')].find((b) => b.textContent.trim() === "Open as new document");
          open.click();
          const check = () => {
            if (document.querySelector('[aria-label="Notice"]')?.textContent === `Imported ${n} bucket(s)` && document.querySelectorAll(".frame").length > 0) {
              requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
            } else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        }, buckets),
      );
    } catch (e) {
      writeFileSync("/tmp/bench-app-import-failed.png", Buffer.from(await screenshot(driver), "base64"));
      throw e;
    } finally {
      await app.stop();
    }
  }
} finally {
  moto.stop();
}
console.log(`import of ${buckets} buckets (${wired.length} wired), real app (WebKitGTK):`);
console.log(`  the wizard's reads (Import → result shown): median ${fmt(median(reads))} (${reads.join(", ")} ms)`);
console.log(`  Open as new document → arranged by region and drawn: median ${fmt(median(drawn))} (${drawn.map(Math.round).join(", ")} ms)`);

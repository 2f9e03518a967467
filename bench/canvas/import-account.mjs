// An account's import on the canvas, in Chromium against the release Rust
// editor and a moto seeded with a mid-size account's shape scaled to
// BUCKETS (tests/support/seed_account.py), see bench/canvas-import.sh.
// Per run: the wizard's reads (Import N buckets → the result shown), then
// "Open as new document" → the account arranged by region and drawn (the
// notice says it is imported, the frames and the canvas are drawn). The
// figure the issue names is the second: what the user waits for after the
// reads. VERBOSE=1 also prints the findings listed, the window's element
// count and the bridge calls after the click with their timings. Prints
// medians. SAVE=path saves the imported document there.
// Usage: import-account.mjs RUNS BUCKETS
import { fileURLToPath } from "node:url";
import { fmt, median } from "./shared.mjs";
import { serveDirectory } from "../../tests/support/static-server.mjs";
import { launchChromium } from "../../tests/support/chromium.mjs";
import { startBridge } from "../../tests/support/bridge.mjs";
import { seedAccount, startMoto } from "../../tests/support/moto.mjs";

const runs = Number(process.argv[2] ?? 3);
const buckets = Number(process.argv[3] ?? 2500);
const dist = fileURLToPath(new URL("../../ui/dist-mock", import.meta.url));

const moto = await startMoto();
const seeding = Date.now();
const wired = await seedAccount(moto.url, buckets);
console.log(`seeded ${buckets} buckets (${wired.length} wired) in ${Math.round((Date.now() - seeding) / 1000)} s`);
const server = await serveDirectory(dist);
const browser = await launchChromium();
const bridge = await startBridge();
const post = (command, args = {}) => fetch(`${bridge.url}/invoke/${command}`, { method: "POST", body: JSON.stringify(args) });
const input = { name: "Seeded account", region: "us-east-1", how: { kind: "endpoint", url: moto.url, pathStyle: true } };
await post("save_connection", { input });
await post("mark_tour_seen");

const reads = [];
const drawn = [];
try {
  for (let i = 0; i < runs; i++) {
    await post("open_sample");
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${new URL("/", server.url)}?${new URLSearchParams({ bridge: bridge.url })}`);
    await page.getByTestId("node-photos").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: /^Connection:/ }).click();
    const screen = page.getByRole("dialog", { name: "Connections" });
    await screen.getByRole("listitem", { name: "Connection Seeded account" }).getByRole("button", { name: "Use" }).click();
    await screen.getByRole("button", { name: "Close" }).click();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    const wizard = page.getByRole("dialog", { name: "Import from an account" });
    await wizard.getByLabel(`Select all shown (${buckets})`).click({ timeout: 300_000 });
    let start = Date.now();
    await wizard.getByRole("button", { name: `Import ${buckets} buckets` }).click();
    await wizard.getByRole("status", { name: "Import result" }).waitFor({ timeout: 600_000 });
    reads.push(Date.now() - start);

    start = Date.now();
    const t0 = await page.evaluate(() => performance.now());
    await wizard.getByRole("button", { name: "Open as new document" }).click();
    await page.waitForFunction(
      (n) =>
        document.querySelector('[aria-label="Notice"]')?.textContent === `Imported ${n} bucket(s)` &&
        document.querySelectorAll(".frame").length > 0,
      buckets,
      { timeout: 120_000, polling: "raf" },
    );
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    drawn.push(Date.now() - start);
    if (process.env.SAVE) await post("save_document", { path: process.env.SAVE });
    if (process.env.VERBOSE) {
      console.log(`  findings listed: ${await page.locator(".finding").count()}, ${await page.locator(".findings-summary").textContent()}; DOM elements ${await page.evaluate(() => document.querySelectorAll("*").length)}`);
      console.log(await page.evaluate((t0) => performance.getEntriesByType("resource").filter((e) => e.startTime >= t0).map((e) => `  ${e.name.split("/").pop()} at +${Math.round(e.startTime - t0)} ms for ${Math.round(e.duration)} ms`).join("\n"), t0));
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
  bridge.stop();
  moto.stop();
}
console.log(`import of ${buckets} buckets (${wired.length} wired), Chromium:`);
console.log(`  the wizard's reads (Import → result shown): median ${fmt(median(reads))} (${reads.join(", ")} ms)`);
console.log(`  Open as new document → arranged by region and drawn: median ${fmt(median(drawn))} (${drawn.join(", ")} ms)`);

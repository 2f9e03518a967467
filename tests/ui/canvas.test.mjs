// The UI in real Chromium with IPC mocked: the canvas draws what the Rust
// command returns (the fixture is generated from Rust, see
// src-tauri/tests/generated_files.rs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { serveDirectory } from "../support/static-server.mjs";
import { launchChromium } from "../support/chromium.mjs";

const root = fileURLToPath(new URL("../../ui/", import.meta.url));
const sample = JSON.parse(await readFile(`${root}src/mock/sample-view.json`, "utf8")).document;

let server;
let browser;
before(async () => {
  server = await serveDirectory(`${root}dist-mock`);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the canvas shows every node and edge of the sample document", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url);
  // The window is titled after the document once it is shown.
  await page.waitForFunction(() => document.title === "Untitled — Bucketwire");
  for (const node of sample.nodes) {
    const card = page.getByTestId(`node-${node.id}`);
    await card.waitFor({ state: "visible", timeout: 10_000 });
    assert.equal(await card.locator(".card-title").textContent(), node.title);
    for (const line of node.details) {
      assert.equal(await card.getByText(line, { exact: true }).count(), 1, `${node.id}: ${line}`);
    }
  }
  await page.locator(".react-flow__edge").first().waitFor({ state: "attached" });
  assert.equal(await page.locator(".react-flow__edge").count(), sample.edges.length);
  assert.deepEqual(errors, []);
  await page.close();
});

test("every node card has an accessible name", async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.getByRole("group", { name: "S3 bucket acme-photos" }).waitFor({ timeout: 10_000 });
  await page.getByRole("group", { name: "Event filter thumbnails" }).waitFor();
  await page.getByRole("group", { name: "Lambda function make-thumbnail" }).waitFor();
  await page.close();
});

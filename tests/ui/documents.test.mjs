// Save, reopen from Recent, Export and the recovery copy, in real Chromium
// against the real Rust editor (ipc_bridge). Native file dialogs cannot be
// driven from a browser: the mock answers them with `?dialog=PATH`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { emptyDocument, withEditor } from "../support/harness.mjs";
import { startBridge } from "../support/bridge.mjs";

const h = withEditor();

const openApp = (dialogPath) => h.openPage({ dialog: dialogPath });

test("save, start anew, reopen from Recent: the same canvas", async () => {
  const file = join(h.bridge.home, "thumbs.bucketwire.json");
  const page = await openApp(file);
  await page.getByRole("button", { name: "Add Bucket" }).click();
  await page.getByTestId("node-bucket-1").waitFor();
  await page.getByLabel("Unsaved changes").waitFor();
  await page.keyboard.press("Control+s");
  // The top bar names the file; its path is the name's tooltip (and the window title names it too).
  const name = page.getByRole("banner").getByLabel("Document");
  await name.getByText("thumbs.bucketwire.json", { exact: true }).waitFor();
  assert.equal(await name.getAttribute("title"), file);
  assert.match(await page.title(), /^thumbs\.bucketwire\.json — Bucketwire$/);
  assert.equal(await page.getByLabel("Unsaved changes").count(), 0);
  const saved = JSON.parse(await readFile(file, "utf8"));
  assert.deepEqual(
    saved.buckets.map((b) => b.name),
    ["acme-photos", "new-bucket-1"],
  );

  await emptyDocument(page);
  await page.getByRole("button", { name: "Recent" }).click();
  await page.getByRole("menuitem", { name: file }).click();
  await page.getByTestId("node-bucket-1").waitFor();
  await page.getByTestId("node-photos").waitFor();
  assert.equal(await page.locator(".react-flow__edge").count(), 2);
  await page.close();
});

test("export writes the Terraform configuration", async () => {
  const file = join(h.bridge.home, "main.tf");
  const page = await openApp(file);
  await page.getByRole("button", { name: "Export" }).click();
  await page.getByRole("menuitem", { name: "Terraform configuration" }).click();
  await page.getByRole("status").getByText(`Exported ${file}`).waitFor();
  const text = await readFile(file, "utf8");
  assert.match(text, /resource "aws_s3_bucket_notification"/);
  assert.match(text, /resource "aws_lambda_permission"/);
  await page.close();
});

test("unsaved work is offered back after a restart", async () => {
  const page = await openApp(join(h.bridge.home, "unused.json"));
  await page.getByRole("button", { name: "Add Function" }).click();
  await page.getByTestId("node-function-1").waitFor();
  await page.close();
  // A new window over the same editor files: the bridge restarts like the app.
  h.bridge.stop({ keepHome: true });
  h.bridge = await startBridge({ home: h.bridge.home });
  const again = await openApp(join(h.bridge.home, "unused.json"));
  const offer = again.getByRole("alertdialog", { name: "Unsaved work found" });
  await offer.waitFor();
  await offer.getByRole("button", { name: "Restore" }).click();
  await again.getByTestId("node-function-1").waitFor();
  await again.getByLabel("Unsaved changes").waitFor();
  await again.close();
});

test("the canvas exports as SVG and PNG", async () => {
  const svgFile = join(h.bridge.home, "canvas.svg");
  let page = await openApp(svgFile);
  await page.getByRole("button", { name: "Export" }).click();
  await page.getByRole("menuitem", { name: "Canvas as SVG" }).click();
  await page.getByRole("status").getByText(`Exported ${svgFile}`).waitFor();
  const svg = await readFile(svgFile, "utf8");
  assert.match(svg, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  for (const title of ["acme-photos", "thumbnails", "make-thumbnail"]) assert.ok(svg.includes(title), title);
  assert.equal((svg.match(/<path /g) ?? []).length, 2, "one curve per edge");
  await page.close();

  const pngFile = join(h.bridge.home, "canvas.png");
  page = await openApp(pngFile);
  await page.getByRole("button", { name: "Export" }).click();
  await page.getByRole("menuitem", { name: "Canvas as PNG" }).click();
  await page.getByRole("status").getByText(`Exported ${pngFile}`).waitFor();
  const png = await readFile(pngFile);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.length > 2000, `a real picture, not a stub: ${png.length} bytes`);
  await page.close();
});

/** A real account's shape: `buckets` buckets in three regions, one in six
 * wired to one of 40 shared functions, the rest without notifications. */
function accountDocument(buckets) {
  const regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];
  const doc = { version: 1, buckets: [], filters: [], functions: [], edges: [] };
  for (let f = 0; f < 40; f++) {
    const region = regions[f % 3];
    doc.functions.push({ id: `fn-${f}`, arn: `arn:aws:lambda:${region}:123456789012:function:worker-${f}` });
  }
  for (let b = 0; b < buckets; b++) {
    const region = regions[b % 3];
    doc.buckets.push({ id: `b-${b}`, name: `acme-bucket-${String(b).padStart(4, "0")}`, region });
    if (b % 18 < 3) {
      // A function of the bucket's own region (functions cycle through them).
      const fn = (Math.floor(b / 18) % 13) * 3 + (b % 3);
      doc.filters.push({ id: `f-${b}`, configurationId: `cfg-${b}`, events: ["s3:ObjectCreated:*"], prefix: "in/" });
      doc.edges.push({ from: `b-${b}`, to: `f-${b}` }, { from: `f-${b}`, to: `fn-${fn}` });
    }
  }
  return doc;
}

test("a PNG of a 2,500-bucket canvas comes out whole, scaled to fit, and says so", async () => {
  // The dialog answers one path: open the document from it, then export
  // the PNG over it.
  const file = join(h.bridge.home, "account.bucketwire.json");
  await writeFile(file, JSON.stringify(accountDocument(2500)));
  const page = await openApp(file);
  await page.keyboard.press("Control+o");
  await page.getByTestId("node-b-0").waitFor({ timeout: 20_000 });
  await page.getByRole("button", { name: "Export" }).click();
  await page.getByRole("menuitem", { name: "Canvas as PNG" }).click();
  const status = page.getByRole("status").getByText(`Exported ${file} (scaled to`);
  await status.waitFor({ timeout: 60_000 });
  assert.match(await status.textContent(), /scaled to \d+% to stay within 16384 px\)/);
  const png = await readFile(file);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // The IHDR chunk: width and height within the limit, the tall side at it.
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.ok(width <= 16384 && height <= 16384, `${width} × ${height}`);
  assert.ok(Math.max(width, height) > 8000, `drawn large, not a thumbnail: ${width} × ${height}`);
  await page.close();
});

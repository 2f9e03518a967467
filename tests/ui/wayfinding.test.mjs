// Finding one's way on an account's canvas, in real Chromium against the
// real Rust editor: selecting a function lights every bucket and filter
// that triggers it, its inspector lists "Triggered by"; a filter's names
// its bucket and offers only the functions of that bucket's region (an
// alias told from the unqualified function); Auto-layout works with SQS
// destinations on the canvas.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withEditor } from "../support/harness.mjs";

const h = withEditor();
const ACCOUNT = "123456789012";
const fn = (region, name) => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;

const document = {
  version: 1,
  buckets: [
    {
      id: "photos",
      name: "acme-photos",
      region: "us-east-1",
      foreign: [{ kind: "sqs", configurationId: "audit", arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:audit`, events: ["s3:ObjectRemoved:*"] }],
    },
    { id: "docs", name: "acme-docs", region: "us-east-1" },
    { id: "eu", name: "acme-eu", region: "eu-west-1" },
    { id: "quiet", name: "acme-quiet", region: "us-east-1" },
  ],
  filters: [
    { id: "jpg", configurationId: "thumbnails", events: ["s3:ObjectCreated:*"], suffix: ".jpg" },
    { id: "pdf", configurationId: "pdf-thumbs", events: ["s3:ObjectCreated:Put"], prefix: "in/" },
    { id: "eu-filter", configurationId: "eu-ingest", events: ["s3:ObjectCreated:*"] },
    { id: "loose", configurationId: "loose", events: ["s3:ObjectCreated:*"] },
  ],
  functions: [
    { id: "thumbs", arn: fn("us-east-1", "thumbs") },
    { id: "thumbs-live", arn: fn("us-east-1", "thumbs"), qualifier: "live" },
    { id: "eu-fn", arn: fn("eu-west-1", "eu-ingest") },
  ],
  edges: [
    { from: "photos", to: "jpg" },
    { from: "jpg", to: "thumbs" },
    { from: "docs", to: "pdf" },
    { from: "pdf", to: "thumbs" },
    { from: "eu", to: "eu-filter" },
    { from: "quiet", to: "loose" },
  ],
};

async function openDocument() {
  const file = join(h.bridge.home, "wayfinding.bucketwire.json");
  await writeFile(file, JSON.stringify(document));
  const page = await h.openPage({ dialog: file });
  await page.keyboard.press("Control+o");
  await page.getByTestId("node-eu-filter").waitFor();
  return page;
}

/** Clicks a card until React Flow has it selected (a click React replaced
 * under the pointer is clicked again, as a person would). */
async function select(page, id) {
  for (let attempt = 0; ; attempt++) {
    await page.getByTestId(`node-${id}`).click();
    try {
      await page.locator(`.react-flow__node.selected[data-id="${id}"]`).waitFor({ timeout: 3_000 });
      return;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
}

const lit = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll(".react-flow__node.lit")].map((n) => n.getAttribute("data-id")).sort(),
  );

test("a function lights every bucket and filter that triggers it, and lists them", async () => {
  const page = await openDocument();
  await select(page, "thumbs");
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__node.lit").length === 5);
  assert.deepEqual(await lit(page), ["docs", "jpg", "pdf", "photos", "thumbs"]);
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const triggers = inspector.getByRole("group", { name: "Triggered by" });
  assert.deepEqual(
    (await triggers.getByRole("listitem").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim()),
    [
      "acme-docs (us-east-1) · “pdf-thumbs” s3:ObjectCreated:Put in/…",
      "acme-photos (us-east-1) · “thumbnails” s3:ObjectCreated:* ….jpg",
    ],
  );
  // A bucket of the list selects it, and it lights its own path.
  await triggers.getByRole("button", { name: "acme-docs (us-east-1)" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__node.lit").length === 3);
  assert.deepEqual(await lit(page), ["docs", "pdf", "thumbs"]);
  await page.close();
});

test("a filter names its bucket and is offered only its region's functions", async () => {
  const page = await openDocument();
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  await select(page, "eu-filter");
  await inspector.getByLabel("On bucket").getByText("acme-eu (eu-west-1)").waitFor();
  const options = async () =>
    (await inspector.getByLabel("Connect to a function").locator("option").allTextContents()).slice(1);
  assert.deepEqual(await options(), ["eu-ingest"]);
  await select(page, "loose");
  await inspector.getByLabel("On bucket").getByText("acme-quiet (us-east-1)").waitFor();
  assert.deepEqual(await options(), ["thumbs (unqualified)", "thumbs:live"]);
  await inspector.getByLabel("Connect to a function").selectOption({ label: "thumbs:live" });
  await page.locator('.react-flow__edge[data-id="loose->thumbs-live"]').waitFor();
  await page.close();
});

test("Auto-layout works with SQS destinations on the canvas", async () => {
  const page = await openDocument();
  await page.getByTestId("node-photos/foreign/0").waitFor();
  const before = await page.getByTestId("node-eu").boundingBox();
  await page.getByRole("button", { name: "Auto-layout" }).click();
  await page.waitForFunction(
    (b) => {
      const r = document.querySelector('[data-testid="node-eu"]')?.getBoundingClientRect();
      return r !== undefined && (Math.abs(r.x - b.x) > 1 || Math.abs(r.y - b.y) > 1);
    },
    before,
  );
  assert.equal(await page.getByRole("alert").filter({ hasText: "no node has that id" }).count(), 0);
  await page.getByTestId("node-photos/foreign/0").waitFor();
  await page.close();
});

test("Try a key follows the selection and brings the lit path into view", async () => {
  const page = await openDocument();
  await select(page, "pdf");
  const tryKey = page.getByRole("region", { name: "Try a key" });
  await page.waitForFunction(() => document.querySelector('[aria-label="Bucket"]')?.value === "acme-docs");
  // Zoomed in until part of the path is out of view.
  const pathInView = () =>
    page.evaluate(() => {
      const view = document.querySelector(".react-flow").getBoundingClientRect();
      return ["docs", "pdf", "thumbs"].every((id) => {
        const r = document.querySelector(`.react-flow__node[data-id="${id}"]`)?.getBoundingClientRect();
        return r !== undefined && r.left >= view.left && r.right <= view.right && r.top >= view.top && r.bottom <= view.bottom;
      });
    });
  for (let i = 0; i < 12 && (await pathInView()); i++) {
    await page.locator(".react-flow__controls-zoomin").click();
  }
  assert.equal(await pathInView(), false, "the path starts partly out of view");
  await tryKey.getByLabel("Object key").fill("in/report.pdf");
  await tryKey.getByRole("status").getByText(/pdf-thumbs/).first().waitFor();
  // The lit path (bucket, filter, function) is brought inside the canvas.
  await page.waitForFunction(() => {
    const view = document.querySelector(".react-flow").getBoundingClientRect();
    return ["docs", "pdf", "thumbs"].every((id) => {
      const n = document.querySelector(`.react-flow__node.lit[data-id="${id}"]`);
      const r = n?.getBoundingClientRect();
      return r !== undefined && r.left >= view.left && r.right <= view.right && r.top >= view.top && r.bottom <= view.bottom;
    });
  });
  await page.close();
});

test("the canvas filter leaves faint what does not match: by region, name and findings", async () => {
  const page = await openDocument();
  // The filter is a button on the canvas that opens its fields.
  await page.getByRole("button", { name: "Filter the canvas", exact: true }).click();
  const bar = page.getByRole("region", { name: "Filter the canvas" });
  const faint = () =>
    page.evaluate(() => [...document.querySelectorAll(".react-flow__node.dimmed")].map((n) => n.getAttribute("data-id")).sort());
  const bright = () =>
    page.evaluate(() =>
      [...document.querySelectorAll(".react-flow__node:not(.dimmed)")].map((n) => n.getAttribute("data-id")).sort(),
    );
  await bar.getByLabel("Filter by region").selectOption("eu-west-1");
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__node.dimmed").length > 0);
  assert.deepEqual(await bright(), ["eu", "eu-filter", "eu-fn"]);
  await bar.getByLabel("Filter by region").selectOption("");
  await bar.getByLabel("Filter by name").fill("thumbs");
  await page.waitForFunction(() => !document.querySelector('.react-flow__node.dimmed[data-id="thumbs"]'));
  assert.deepEqual(await bright(), ["pdf", "thumbs", "thumbs-live"]);
  await bar.getByLabel("Filter by name").fill("");
  // The filter without a function is incomplete: a warning on it.
  await bar.getByLabel("Filter by findings").selectOption("warning");
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__node.dimmed").length > 0);
  assert.ok((await bright()).includes("eu-filter"), `${await bright()}`);
  assert.ok((await faint()).includes("photos"), `${await faint()}`);
  await page.close();
});

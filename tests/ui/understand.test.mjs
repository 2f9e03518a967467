// Understanding a wiring in real Chromium against the real Rust editor:
// Try a key (the path lights up, a miss says why, the event JSON is shown)
// and the inspector's event checkboxes (a wildcard covers its members).
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { withEditor } from "../support/harness.mjs";

const twoBuckets = fileURLToPath(new URL("../../examples/two-buckets.bucketwire.json", import.meta.url));

const h = withEditor();
let page;
beforeEach(async () => {
  await page?.close();
  page = await h.openPage();
});

test("try a key: the path that fires lights up, with the event JSON", async () => {
  const tryKey = page.getByRole("region", { name: "Try a key" });
  await tryKey.getByLabel("Object key").fill("uploads/my cat.jpg");
  const result = tryKey.getByRole("status");
  await result.getByText(/"thumbnails" fires/).waitFor();
  for (const id of ["photos", "jpg-uploads", "make-thumbnail"]) {
    await page.locator(`.react-flow__node.lit [data-testid="node-${id}"]`).waitFor();
  }
  await result.getByText("Event the function receives").click();
  const json = JSON.parse(await result.getByLabel("Event JSON").textContent());
  assert.equal(json.Records[0].eventName, "ObjectCreated:Put");
  assert.equal(json.Records[0].s3.object.key, "uploads/my+cat.jpg");

  // A miss says which filter came closest and why.
  await tryKey.getByLabel("Object key").fill("uploads/cat.png");
  await result.getByText(/Nothing fires.*does not end with "\.jpg"/).waitFor();
  // The lights go out with the answer (the canvas redraws a frame or two
  // after the text on a busy machine): wait for them, as a person would.
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__node.lit").length === 0);

  // Another event: deleting is not what the filter listens for.
  await tryKey.getByLabel("Event").selectOption("s3:ObjectRemoved:Delete");
  await tryKey.getByLabel("Object key").fill("uploads/cat.jpg");
  await result.getByText(/listens for/).waitFor();
});

test("event types: chips, and checkboxes where a wildcard covers its members", async () => {
  await page.getByTestId("node-jpg-uploads").click();
  const chips = page.getByRole("list", { name: "Chosen event types" });
  assert.deepEqual(await chips.getByRole("listitem").allTextContents(), ["Created:*"]);
  await page.getByRole("button", { name: "Choose event types" }).click();
  const created = page.getByRole("group", { name: "ObjectCreated", exact: true });
  const wildcard = created.getByLabel("s3:ObjectCreated:*");
  const put = created.getByLabel("Put", { exact: true });
  assert.equal(await wildcard.isChecked(), true);
  assert.equal(await put.isChecked(), true);
  assert.equal(await put.isDisabled(), true);

  // Controlled by the view Rust answers: click, then wait for the answer.
  await wildcard.click();
  await page.getByTestId("node-jpg-uploads").getByText("s3:ObjectCreated:*").waitFor({ state: "detached" });
  await created.getByLabel("Put", { exact: true }).click();
  await page.getByTestId("node-jpg-uploads").getByText("s3:ObjectCreated:Put", { exact: true }).waitFor();
  await page.keyboard.press("Escape");
  await chips.getByText("Created:Put", { exact: true }).waitFor();
  // The prefix shows how S3 writes it in events.
  const prefix = page.getByRole("complementary", { name: "Inspector" }).getByLabel("Key prefix");
  await prefix.fill("my uploads/");
  await page.getByText("In events: my+uploads/").waitFor();
});

test("foreign destinations are shown read-only, hanging off their bucket", async () => {
  await page.close();
  page = await h.openPage({ dialog: twoBuckets });
  await page.getByRole("button", { name: "Open", exact: true }).click();
  const queue = page.getByTestId("node-uploads/foreign/0");
  await queue.waitFor();
  assert.match(await queue.textContent(), /SQS queue · read-only/);
  assert.equal(await queue.getAttribute("aria-label"), `Read-only destination ${await queue.locator(".card-title").textContent()}`);
  assert.match(await queue.textContent(), /"audit-queue"/);
  await page.getByTestId("node-uploads/foreign/2").getByText("EventBridge", { exact: true }).waitFor();
  await page.getByTestId("node-uploads/foreign/2").getByText("EventBridge · read-only").waitFor();
  assert.equal(await page.locator(".react-flow__edge.locked").count(), 3);
  // Not draggable: its canvas position stays (a drag pans the view).
  const node = page.locator('.react-flow__node[data-id="uploads/foreign/0"]');
  const position = () => node.evaluate((el) => el.style.transform);
  const before = await position();
  const box = await queue.boundingBox();
  await page.mouse.move(box.x + 20, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x + 220, box.y + 110, { steps: 6 });
  await page.mouse.up();
  assert.equal(await position(), before);
  await queue.click();
  await page.getByRole("complementary", { name: "Inspector" }).getByText(/Read from the account/).waitFor();
});

test("the inspector validates as the user types, before anything is applied", async () => {
  await page.getByTestId("node-jpg-uploads").click();
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  await inspector.getByLabel("Key prefix").fill("uploads/*");
  const asTyped = inspector.getByRole("status", { name: "As typed" });
  await asTyped.getByText(/wildcard|\*/).waitFor();
  // Nothing applied yet: the card and the findings panel are as they were.
  await page.getByTestId("node-jpg-uploads").getByText("uploads/….jpg", { exact: true }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Undo" }).isDisabled(), true);
  await inspector.getByLabel("Key prefix").fill("images/");
  await asTyped.getByText(/Nothing wrong as typed/).waitFor();
});

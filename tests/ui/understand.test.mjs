// Understanding a wiring in real Chromium against the real Rust editor:
// Try a key (the path lights up, a miss says why, the event JSON is shown)
// and the inspector's event checkboxes (a wildcard covers its members).
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { withEditor } from "../support/harness.mjs";

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
  assert.equal(await page.locator(".react-flow__node.lit").count(), 0);

  // Another event: deleting is not what the filter listens for.
  await tryKey.getByLabel("Event").selectOption("s3:ObjectRemoved:Delete");
  await tryKey.getByLabel("Object key").fill("uploads/cat.jpg");
  await result.getByText(/listens for/).waitFor();
});

test("event checkboxes: a wildcard covers its members", async () => {
  await page.getByTestId("node-jpg-uploads").click();
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
  // The prefix shows how S3 writes it in events.
  const prefix = page.getByRole("complementary", { name: "Inspector" }).getByLabel("Key prefix");
  await prefix.fill("my uploads/");
  await page.getByText("In events: my+uploads/").waitFor();
});

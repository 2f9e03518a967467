// An EventBridge rule built in real Chromium against the real Rust editor:
// palette, connections from the inspector (the keyboard way), the pattern
// as typed (JSON refused with where it breaks), the classic mistakes the
// checks name (a detail-type spelt as S3's notification event, the
// bucket's EventBridge switch off) and their fixes (docs/rules.md §14).
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { chooseNode, withEditor } from "../support/harness.mjs";

const h = withEditor();
let page;
beforeEach(async () => {
  await page?.close();
  page = await h.openEmptyPage();
});

const card = (id) => page.getByTestId(`node-${id}`);

test("a rule from the palette: wired, its pattern checked as typed, its mistakes found and fixed", async () => {
  for (const name of ["Add Bucket", "Add Rule", "Add Function"]) {
    await page.getByRole("button", { name }).click();
  }
  await card("function-1").waitFor();
  assert.match(await card("rule-1").textContent(), /new-rule-1/);
  assert.match(await card("rule-1").textContent(), /Object Created/);

  const choose = (title) => chooseNode(page, title);
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  await choose("new-bucket-1");
  await inspector.getByLabel("Connect to a filter or rule").selectOption({ label: "rule new-rule-1" });
  await inspector.getByRole("button", { name: "Disconnect new-rule-1" }).waitFor();
  await choose("new-rule-1");
  await inspector.getByLabel("Connect to a function").selectOption({ label: "(no ARN yet)" });
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__edge").length === 2);

  // The bucket keeps its events from EventBridge: found, with a fix.
  const findings = page.getByRole("region", { name: "Findings" });
  await findings.getByText("eventbridge-off").waitFor();

  // Not JSON: refused with where it breaks; the card keeps its pattern.
  const pattern = inspector.getByLabel(/Event pattern/);
  await pattern.fill('{"source": ["aws.s3"],');
  await pattern.blur();
  await page.getByText(/event pattern: not JSON/).first().waitFor();
  assert.match(await card("rule-1").textContent(), /Object Created/);

  // S3's notification event name as a detail-type: the rule can never fire.
  await choose("new-rule-1");
  await inspector.getByLabel(/Event pattern/).fill('{"source": ["aws.s3"], "detail-type": ["s3:ObjectCreated:*"]}');
  await inspector.getByLabel(/Event pattern/).blur();
  await findings.getByText("rule-never-matches").waitFor();

  // Written as EventBridge writes it, with a key wildcard: the finding goes.
  await choose("new-rule-1");
  await inspector
    .getByLabel(/Event pattern/)
    .fill('{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"object": {"key": [{"wildcard": "uploads/*.jpg"}]}}}');
  await inspector.getByLabel(/Event pattern/).blur();
  await findings.getByText("rule-never-matches").waitFor({ state: "detached" });
  await card("rule-1").getByText(/key uploads\/\*\.jpg/).waitFor();

  // The switch's fix turns it on in the document.
  await findings.getByText("eventbridge-off").click();
  await findings.getByRole("button", { name: /^Fix/ }).first().click();
  await findings.getByText("eventbridge-off").waitFor({ state: "detached" });
});

test("Try a key on a rule: every rule that fires, its path lit, and the EventBridge event its target receives", async () => {
  const example = fileURLToPath(new URL("../../examples/eventbridge-images.bucketwire.json", import.meta.url));
  const opened = await h.openPage({ dialog: example });
  await opened.keyboard.press("Control+o");
  await opened.getByTestId("node-images").waitFor();
  const tryKey = opened.getByRole("region", { name: "Try a key" });
  await tryKey.getByLabel("Object key").fill("uploads/cat.png");
  const status = tryKey.getByRole("status");
  await status.getByText(/No notification fires; on EventBridge, rule "acme-photos-images" → .*function:resize fires\./).waitFor();
  // The path: bucket, rule and target lit.
  for (const id of ["photos", "images", "resize"]) {
    await opened.waitForFunction((id) => document.querySelector(`[data-id="${id}"]`)?.classList.contains("lit"), id);
  }
  // The event is EventBridge's, not a notification record.
  await status.getByText("Event the function receives").click();
  const event = JSON.parse(await status.getByLabel("Event JSON").textContent());
  assert.equal(event.source, "aws.s3");
  assert.equal(event["detail-type"], "Object Created");
  assert.equal(event.detail.bucket.name, "acme-photos");
  assert.equal(event.detail.object.key, "uploads/cat.png");
  assert.equal(event.Records, undefined);
  // A key the pattern leaves out: nothing fires, and nothing is lit.
  await tryKey.getByLabel("Object key").fill("uploads/cat.gif");
  await status.getByText(/Nothing fires/).waitFor();
  await opened.waitForFunction(() => !document.querySelector('[data-id="images"]')?.classList.contains("lit"));
  await opened.close();
});

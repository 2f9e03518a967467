// The import wizard in real Chromium against the real Rust side and the
// seeded local sandbox (moto): choose buckets (regions, search, select
// all), watch the counts, merge into the open document or open as a new
// one; a bucket AWS refuses is listed with the reason while the others come
// in; Cancel stops a slow import and keeps nothing. The refusal and the
// slowness come from a small proxy in front of moto (TESTING.md: moto
// cannot refuse or be slow on demand).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { withEditor } from "../support/harness.mjs";
import { withSandbox } from "../support/sandbox.mjs";
import { startProxy } from "../support/fault-proxy.mjs";

const sandbox = withSandbox();
const h = withEditor({ env: () => ({ BUCKETWIRE_SANDBOX_URL: sandbox.url }) });
let refusing;
let slow;
before(async () => {
  refusing = await startProxy(sandbox.url, {
    deny: (method, url) => (method === "GET" && /^\/acme-logs\/?\?notification/.test(url) ? "AccessDenied" : null),
  });
  slow = await startProxy(sandbox.url, { delayMs: 700 });
});
after(async () => {
  await refusing?.stop();
  await slow?.stop();
});

test("choose buckets by region and search, import them, and merge them into the open document", async () => {
  const page = await h.openPage();
  await page.getByRole("button", { name: "Connection: Local sandbox · account 123456789012" }).waitFor();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const wizard = page.getByRole("dialog", { name: "Import from an account" });
  const buckets = wizard.getByRole("list", { name: "Buckets" });
  await buckets.getByText("acme-logs").waitFor();
  const regions = wizard.getByRole("group", { name: "Regions" });
  assert.equal(await regions.getByRole("checkbox").count(), 1);
  assert.equal(await regions.getByLabel("us-east-1").isChecked(), true);
  // Search narrows the list; select all takes what is shown.
  await wizard.getByLabel("Search buckets").fill("LOGS");
  // Each bucket says what its notifications hold, once they are read.
  await buckets.getByText("λ 1 · SQS 1").waitFor();
  assert.deepEqual((await buckets.getByRole("listitem").allTextContents()).map((t) => t.trim()), ["acme-logs us-east-1 λ 1 · SQS 1"]);
  await wizard.getByLabel("Search buckets").fill("");
  await wizard.getByLabel("With notifications only").check();
  assert.deepEqual(
    (await buckets.getByRole("listitem").allTextContents()).map((t) => t.trim().split(" ")[0]),
    ["acme-clicks", "acme-inbox", "acme-logs", "acme-media"],
  );
  await wizard.getByLabel("With notifications only").uncheck();
  await wizard.getByLabel("Search buckets").fill("LOGS");
  await wizard.getByLabel("Select all shown (1)").click();
  await wizard.getByText("1 of 6 selected").waitFor();
  await wizard.getByLabel("Search buckets").fill("");
  await wizard.getByLabel("Select all shown (6)").click();
  await wizard.getByText("6 of 6 selected").waitFor();
  // A region left out leaves its buckets out.
  await regions.getByLabel("us-east-1").click();
  await wizard.getByText("0 of 6 selected").waitFor();
  assert.equal(await wizard.getByRole("button", { name: /^Import \d/ }).isDisabled(), true);
  await regions.getByLabel("us-east-1").click();
  await wizard.getByRole("button", { name: "Import 6 buckets" }).click();
  const result = wizard.getByRole("status", { name: "Import result" });
  await result.waitFor();
  assert.match(
    await result.textContent(),
    /Read 6 bucket\(s\), 1 Lambda configuration\(s\), 1 SNS topic\(s\) with their subscribers, 1 SQS queue\(s\) with the function polling each, 4 function\(s\) and 4 role\(s\) from account 123456789012\./,
  );
  await wizard.getByRole("button", { name: "Merge into this document" }).click();
  await wizard.waitFor({ state: "detached" });
  // acme-logs came in beside the sample; the sample's acme-photos stays as drawn.
  await page.getByRole("status", { name: "Notice" }).getByText("Imported 5 bucket(s); kept as drawn: acme-photos", { exact: true }).waitFor();
  const titles = await page.locator(".react-flow__node").allTextContents();
  assert.ok(titles.some((t) => t.includes("acme-logs")), titles.join(" | "));
  assert.ok(titles.some((t) => t.includes("ingest-logs")), titles.join(" | "));
  assert.ok(titles.some((t) => t.includes("AWSLogs/")), titles.join(" | "));
  assert.equal(titles.filter((t) => t.includes("acme-photos")).length, 1, "acme-photos is drawn once");
  // The merge is one step: Undo takes it all back.
  await page.getByRole("button", { name: "Undo" }).click();
  await page.locator(".react-flow__node", { hasText: "acme-logs" }).waitFor({ state: "detached" });
  await page.close();
});

test("a bucket AWS refuses is listed with the reason; the rest opens as a new document", async () => {
  // Saved, but not current: the wizard picks it.
  const input = { name: "Refusing proxy", region: "us-east-1", how: { kind: "endpoint", url: refusing.url, pathStyle: true } };
  assert.ok((await fetch(`${h.bridge.url}/invoke/save_connection`, { method: "POST", body: JSON.stringify({ input }) })).ok);
  const page = await h.openPage();
  await page.getByRole("button", { name: "Connection: Local sandbox · account 123456789012" }).waitFor();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const wizard = page.getByRole("dialog", { name: "Import from an account" });
  assert.equal(await wizard.getByLabel("Connection").inputValue(), "Local sandbox");
  await wizard.getByLabel("Select all shown (6)").waitFor();
  await wizard.getByLabel("Connection").selectOption("Refusing proxy");
  await wizard.getByLabel("Select all shown (6)").click();
  await wizard.getByRole("button", { name: "Import 6 buckets" }).click();
  await wizard.getByRole("status", { name: "Import result" }).getByText(/Read 5 bucket\(s\)/).waitFor();
  const refused = wizard.getByRole("alert", { name: "Could not be read" });
  assert.match(
    await refused.textContent(),
    /bucket acme-logs — GetBucketNotificationConfiguration: AccessDenied: denied by the test proxy/,
  );
  await wizard.getByRole("button", { name: "Open as new document" }).click();
  await wizard.waitFor({ state: "detached" });
  await page.getByRole("status", { name: "Notice" }).getByText("Imported 5 bucket(s)", { exact: true }).waitFor();
  const doc = page.getByLabel("Document");
  assert.match(await doc.textContent(), /Untitled/);
  await doc.getByLabel("Unsaved changes").waitFor();
  // acme-media is drawn with its EventBridge delivery, its rule and the
  // rule's target, acme-inbox with its filter, topic and the topic's two
  // subscribers, acme-clicks with its filter, queue and the function
  // polling it; the two buckets without a notification are gathered, not
  // drawn.
  await page.getByTestId("node-rule/acme-media-images").waitFor();
  await page.getByTestId("node-topic/acme-inbox-incoming").waitFor();
  await page.getByTestId("node-queue/acme-clicks-buffer").waitFor();
  assert.equal(await page.locator(".react-flow__node").count(), 13);
  const parked = page.getByRole("region", { name: "Buckets without notifications" });
  await parked.getByText("us-east-1: 2 buckets without notifications").click();
  assert.deepEqual(
    (await parked.getByRole("listitem").allTextContents()).map((t) => t.replace("Show", "").trim()),
    ["acme-photos", "acme-uploads"],
  );
  // Brought onto the canvas to wire it: a card, selected.
  await parked.getByRole("button", { name: "Show acme-uploads on the canvas" }).click();
  await page.getByTestId("node-acme-uploads").waitFor();
  await parked.getByText("us-east-1: 1 bucket without notifications").waitFor();
  await page.close();
});

test("Cancel stops a slow import: counts were shown, nothing is kept", async () => {
  const page = await h.openPage();
  await h.useEndpoint(page, "Slow proxy", slow.url);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const wizard = page.getByRole("dialog", { name: "Import from an account" });
  await wizard.getByLabel("Select all shown (6)").click({ timeout: 20_000 });
  await wizard.getByRole("button", { name: "Import 6 buckets" }).click();
  const progress = wizard.getByRole("status", { name: "Import progress" });
  await progress.getByText(/buckets\s*0 \/ 6/).waitFor();
  await wizard.getByRole("button", { name: "Cancel" }).click();
  await wizard.getByText("the import was cancelled; nothing was kept").waitFor({ timeout: 20_000 });
  // The open document is untouched: still the sample.
  await page.getByTestId("node-photos").waitFor();
  assert.equal(await page.locator(".react-flow__node").count(), 3);
  await wizard.getByRole("button", { name: "Start again" }).click();
  await wizard.getByLabel("Select all shown (6)").waitFor({ timeout: 20_000 });
  await page.close();
});

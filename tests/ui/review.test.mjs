// Review changes and Apply from the app, in real Chromium against the real
// Rust side and the seeded local sandbox (moto): the plan for the sample,
// a confirmed apply with every step, then nothing left to do — and the
// bucket's configuration in moto is the planned one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { withEditor } from "../support/harness.mjs";
import { withSandbox } from "../support/sandbox.mjs";
import { startProxy } from "../support/fault-proxy.mjs";

const sandbox = withSandbox();
const h = withEditor({ env: () => ({ BUCKETWIRE_SANDBOX_URL: sandbox.url }) });
let slow;
before(async () => {
  // The notification write takes a while, so its step can be seen running.
  slow = await startProxy(sandbox.url, {
    delayMs: (method, url) => (method === "PUT" && /\?notification/.test(url) ? 1500 : 0),
  });
});
after(() => slow?.stop());

test("review the sample against the sandbox, apply it, and nothing is left to do", async () => {
  const page = await h.openPage();
  await page.getByRole("button", { name: "Connection: Local sandbox · account 123456789012" }).waitFor();
  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("dialog", { name: "Review changes" });
  const plan = review.getByLabel("Plan");
  await plan.waitFor();
  const text = await plan.textContent();
  assert.match(text, /\+ lambda "thumbnails"/);
  assert.match(text, /\+ permission bucketwire-acme-photos-thumbnails/);
  assert.match(text, /inline policy bucketwire-s3-read/);
  // Apply asks first; Cancel writes nothing.
  await review.getByRole("button", { name: "Apply" }).click();
  const confirm = review.getByRole("alertdialog", { name: "Confirm apply" });
  assert.match(await confirm.textContent(), /Apply 3 change\(s\) to the account of “Local sandbox”\?/);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await confirm.waitFor({ state: "detached" });
  assert.ok(!(await (await fetch(`${sandbox.url}/acme-photos?notification`)).text()).includes("thumbnails"));
  await review.getByRole("button", { name: "Apply" }).click();
  await review.getByRole("button", { name: "Apply now" }).click();
  const outcome = review.getByRole("status", { name: "Apply outcome" });
  await outcome.getByText(/Applied 3 change\(s\)\./).waitFor();
  assert.equal((await outcome.getByRole("listitem").allTextContents()).filter((s) => s.startsWith("✓")).length, 3);
  await review.getByRole("button", { name: "Review again" }).click();
  await review.getByText("The account already matches the document.").waitFor();
  const xml = await (await fetch(`${sandbox.url}/acme-photos?notification`)).text();
  assert.match(xml, /<Id>thumbnails<\/Id>/);
  assert.match(xml, /function:make-thumbnail/);
  await page.close();
});

test("an account that moved since the review is not written; the app says what moved", async () => {
  const page = await h.openPage();
  await page.getByRole("button", { name: "Connection: Local sandbox · account 123456789012" }).waitFor();
  // Another filter for the sample, so there is something to apply.
  await page.getByTestId("node-jpg-uploads").click();
  const prefix = page.getByRole("complementary", { name: "Inspector" }).getByLabel("Key prefix");
  await prefix.fill("incoming/");
  await prefix.press("Enter");
  await page.getByTestId("node-jpg-uploads").getByText("incoming/….jpg", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("dialog", { name: "Review changes" });
  await review.getByLabel("Plan").getByText(/~ lambda "thumbnails"/).waitFor();
  // Somebody else writes the bucket between the review and the apply.
  execFileSync(`${sandbox.repo}.venv-tools/bin/python`, [
    "-c",
    `import boto3; boto3.client("s3", endpoint_url="${sandbox.url}", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test").put_bucket_notification_configuration(Bucket="acme-photos", NotificationConfiguration={})`,
  ]);
  await review.getByRole("button", { name: "Apply" }).click();
  await review.getByRole("button", { name: "Apply now" }).click();
  const outcome = review.getByRole("status", { name: "Apply outcome" });
  await outcome.getByText(/changed since the plan, so nothing was written/).waitFor();
  const xml = await (await fetch(`${sandbox.url}/acme-photos?notification`)).text();
  assert.ok(!xml.includes("<Id>thumbnails</Id>"), "the other writer's configuration stays");
  await review.getByRole("button", { name: "Review again" }).click();
  await review.getByLabel("Plan").getByText(/\+ lambda "thumbnails"/).waitFor();
  await page.close();
});

test("Apply shows each step live while it runs, then the outcome", async () => {
  // The account writes slowly (a proxy in front of the sandbox), so the
  // steps can be watched as they run.
  const page = await h.openPage();
  await h.useEndpoint(page, "Slow sandbox", slow.url);
  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("dialog", { name: "Review changes" });
  await review.getByLabel("Plan").getByText(/\+ lambda "thumbnails"/).waitFor({ timeout: 20_000 });
  await review.getByRole("button", { name: "Apply" }).click();
  await review.getByRole("button", { name: "Apply now" }).click();
  const live = review.getByRole("status", { name: "Applying" });
  await live.getByText(/^… write the notification configuration of bucket acme-photos/).waitFor({ timeout: 20_000 });
  const outcome = review.getByRole("status", { name: "Apply outcome" });
  await outcome.getByText(/Applied \d change\(s\)\./).waitFor({ timeout: 20_000 });
  const steps = await outcome.getByRole("listitem").allTextContents();
  assert.ok(steps.length > 0 && steps.every((s) => s.startsWith("✓")), steps.join(" | "));
  await page.close();
});

// Cancel during Apply, in real Chromium against the real Rust side and the
// seeded sandbox: the step under way finishes, the rest is not made, and
// what was made is undone — the account is as before. (UX.md: long work
// can be cancelled.) A proxy in front of moto makes the first write (the
// role policy) slow enough to press Cancel while it runs.
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
  slow = await startProxy(sandbox.url, {
    delayMs: (method, url, body) => (method === "POST" && /Action=PutRolePolicy/.test(body) ? 1500 : 0),
  });
});
after(() => slow?.stop());

function python(code) {
  return execFileSync(`${sandbox.repo}.venv-tools/bin/python`, ["-c", code]).toString();
}
const boto = (service) =>
  `boto3.client("${service}", endpoint_url="${sandbox.url}", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")`;

test("Cancel during Apply stops after the running step and undoes it", async () => {
  const page = await h.openPage();
  await h.useEndpoint(page, "Slow writes", slow.url);
  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("dialog", { name: "Review changes" });
  await review.getByText("+3 to add · ~0 to change · −0 to remove").waitFor({ timeout: 20_000 });
  await review.getByRole("button", { name: "Apply" }).click();
  await review.getByRole("button", { name: "Apply now" }).click();
  const applying = review.getByRole("status", { name: "Applying" });
  await applying.getByText(/^… add inline policy bucketwire-s3-read on role make-thumbnail-role/).waitFor({ timeout: 20_000 });
  await applying.getByRole("button", { name: "Cancel" }).click();
  await applying.getByRole("button", { name: "Stopping after this step…" }).waitFor();
  const outcome = review.getByRole("status", { name: "Apply outcome" });
  await outcome.getByText(/Apply cancelled after 1 step\(s\)/).waitFor({ timeout: 20_000 });
  const steps = await outcome.getByRole("listitem").allTextContents();
  assert.deepEqual(steps, [
    "✓ add inline policy bucketwire-s3-read on role make-thumbnail-role",
    "↩ add inline policy bucketwire-s3-read on role make-thumbnail-role",
  ]);
  // As before: no managed read policy (only the one the sandbox seeds for
  // acme-inbox), no permission, no notification.
  const policies = python(`import boto3; print(${boto("iam")}.list_role_policies(RoleName="make-thumbnail-role")["PolicyNames"])`);
  assert.equal(policies.trim(), "['read-inbox']");
  const xml = await (await fetch(`${sandbox.url}/acme-photos?notification`)).text();
  assert.ok(!xml.includes("thumbnails"), xml);
  const policy = python(
    `import boto3\ntry:\n  print(${boto("lambda")}.get_policy(FunctionName="make-thumbnail")["Policy"])\nexcept Exception as e:\n  print("none")`,
  );
  assert.ok(!policy.includes("bucketwire-acme-photos"), policy);
  await page.close();
});

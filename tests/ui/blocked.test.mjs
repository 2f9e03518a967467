// A plan per bucket, in real Chromium against the real Rust side and the
// seeded local sandbox (moto): a bucket whose configuration points at a
// deleted function is named in Review with its reason and left as it is;
// the rest is applied; afterwards the findings follow the account (what
// the apply fixed is no longer reported, what is still wrong still is).
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withEditor } from "../support/harness.mjs";
import { withSandbox } from "../support/sandbox.mjs";

const sandbox = withSandbox();
const h = withEditor({ env: () => ({ BUCKETWIRE_SANDBOX_URL: sandbox.url }) });

const ACCOUNT = "123456789012";
const THUMBS = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:make-thumbnail`;
const GONE = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:deleted-scanner`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/make-thumbnail-role`;

/** The sample plus acme-uploads wired to a function that no longer exists,
 * with the live facts an import of the sandbox brings. */
const document = {
  version: 1,
  buckets: [
    { id: "photos", name: "acme-photos", region: "us-east-1", account: ACCOUNT },
    { id: "uploads", name: "acme-uploads", region: "us-east-1", account: ACCOUNT },
  ],
  filters: [
    { id: "jpg", configurationId: "thumbnails", events: ["s3:ObjectCreated:*"], prefix: "uploads/", suffix: ".jpg" },
    { id: "scan", configurationId: "scan-all", events: ["s3:ObjectCreated:*"] },
  ],
  functions: [
    { id: "thumbs", arn: THUMBS, role: ROLE },
    { id: "gone", arn: GONE },
  ],
  edges: [
    { from: "photos", to: "jpg" },
    { from: "jpg", to: "thumbs" },
    { from: "uploads", to: "scan" },
    { from: "scan", to: "gone" },
  ],
  live: { functions: [{ arn: THUMBS, role: ROLE }], roles: [{ arn: ROLE, policies: [] }] },
};

const rules = async (page) =>
  page.getByRole("region", { name: "Findings" }).locator(".finding-rule").allTextContents();

test("a blocked bucket is named in Review, the rest is applied, and the findings follow the account", async () => {
  const file = join(h.bridge.home, "blocked.bucketwire.json");
  await writeFile(file, JSON.stringify(document));
  const page = await h.openPage({ dialog: file });
  await page.getByRole("button", { name: "Connection: Local sandbox · account 123456789012" }).waitFor();
  await page.keyboard.press("Control+o");
  await page.getByTestId("node-scan").waitFor();
  const before = await rules(page);
  for (const rule of ["function-not-found", "missing-invoke-permission", "role-cannot-read-objects"]) {
    assert.ok(before.includes(rule), `${rule} in ${before}`);
  }

  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("dialog", { name: "Review changes" });
  const blocked = review.getByRole("region", { name: "Blocked" });
  await blocked.waitFor();
  assert.match(await blocked.textContent(), /Blocked: 1 left as it is until fixed/);
  assert.match(await blocked.textContent(), /bucket acme-uploads/);
  assert.match(await blocked.textContent(), /function-not-found: function "arn:aws:lambda:us-east-1:123456789012:function:deleted-scanner" was not found in the account/);
  assert.match(await review.getByLabel("Plan").textContent(), /\+ lambda "thumbnails"/);
  // At 1280×720 the plan and the blocked list scroll; the buttons stay in view.
  await page.setViewportSize({ width: 1280, height: 720 });
  for (const name of ["Review again", "Apply", "Close"]) {
    const box = await review.getByRole("button", { name, exact: true }).boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 720, `${name} at ${JSON.stringify(box)}`);
  }
  await page.setViewportSize({ width: 1400, height: 900 });
  // Said once: by the blocked list, not again in the plan's text.
  assert.doesNotMatch(await review.getByLabel("Plan").textContent(), /Blocked|deleted-scanner/);
  assert.doesNotMatch(await review.getByLabel("Plan").textContent(), /bucket acme-uploads \(us-east-1\)\n  \+/);

  await review.getByRole("button", { name: "Apply" }).click();
  const confirm = review.getByRole("alertdialog", { name: "Confirm apply" });
  assert.match(await confirm.textContent(), /1 blocked is left exactly as it is\./);
  await confirm.getByRole("button", { name: "Apply now" }).click();
  await review
    .getByRole("status", { name: "Apply outcome" })
    .getByText(/Applied 3 change\(s\); 1 blocked left as they are\./)
    .waitFor();
  // The blocked bucket was not written.
  const uploads = await (await fetch(`${sandbox.url}/acme-uploads?notification`)).text();
  assert.ok(!uploads.includes("scan-all"), uploads);
  await review.getByRole("button", { name: "Close" }).click();

  // Findings follow the account: the permission and the role policy the
  // apply made are no longer missing; the deleted function still is.
  await page.waitForFunction(
    () => ![...document.querySelectorAll(".finding-rule")].some((e) => e.textContent === "missing-invoke-permission"),
  );
  const after = await rules(page);
  assert.ok(!after.includes("role-cannot-read-objects"), `${after}`);
  assert.ok(after.includes("function-not-found"), `${after}`);

  // Its fix takes the missing function out: its filter and card go, the
  // finding with them, and the bucket is no longer blocked.
  const findings = page.getByRole("region", { name: "Findings" });
  await findings.getByText("function-not-found").click();
  const fix = findings.getByRole("button", { name: /^Fix/ }).first();
  assert.match((await fix.getAttribute("title")) ?? (await fix.textContent()), /remove filter scan, which invokes it, and the function's card gone/);
  await fix.click();
  await page
    .getByRole("status", { name: "Notice" })
    .getByText("Fixed: remove filter scan, which invokes it, and the function's card gone")
    .waitFor();
  await findings.getByText("function-not-found").waitFor({ state: "detached" });
  await page.getByTestId("node-gone").waitFor({ state: "detached" });
  assert.equal(await page.getByTestId("node-scan").count(), 0);
  await page.close();
});

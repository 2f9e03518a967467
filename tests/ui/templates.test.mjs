// File → Open with a template (issue 28): a SAM template opens linked to
// its file (Save writes into it), a Terraform module as a new, unsaved
// document of its wiring, in real Chromium
// against the real Rust editor (ipc_bridge), with the checks a template
// gets. The dialog is answered by the mock (`?dialog=PATH`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { withEditor } from "../support/harness.mjs";

const h = withEditor();
const fixture = (name) => fileURLToPath(new URL(`../templates/${name}`, import.meta.url));

const rules = async (page) =>
  page.getByRole("region", { name: "Findings" }).locator(".finding-rule").allTextContents();

test("a SAM template opens as its wiring, linked to its file, with SAM's permission reported", async () => {
  const page = await h.openPage({ dialog: fixture("sam-s3.yaml") });
  await page.keyboard.press("Control+o");
  await page.getByTestId("node-Photos").waitFor();
  await page.getByTestId("node-Thumbnail").waitFor();
  assert.equal(await page.locator(".react-flow__edge").count(), 2, "bucket → filter → function");
  // Linked: the window is named after the template, nothing unsaved yet.
  await page.waitForFunction(() => document.title === "sam-s3.yaml — Bucketwire");
  assert.equal(await page.getByLabel("Unsaved changes").count(), 0);
  const found = await rules(page);
  assert.ok(found.includes("permission-without-source-arn"), `${found}`);
  await page.close();
});

test("a Terraform file opens its module", async () => {
  const page = await h.openPage({ dialog: fixture("terraform/ok/notifications.tf") });
  await page.keyboard.press("Control+o");
  await page.getByTestId("node-aws_s3_bucket.uploads").waitFor();
  await page.getByTestId("node-aws_lambda_function.resize").waitFor();
  assert.deepEqual(await rules(page), [], "the correct module has no finding");
  await page.close();
});

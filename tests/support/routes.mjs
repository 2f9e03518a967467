// Helpers for the route suites against the sandbox (EventBridge, SNS):
// open an example on the sandbox connection, read its reviewed plan and
// check the order of its lines, apply it, import a bucket back.
import assert from "node:assert/strict";

/** Opens `example` (through the Open dialog) on the sandbox connection and
 * waits for the card `testId`. */
export async function openOnSandbox(h, example, testId) {
  const page = await h.openPage({ dialog: example });
  await page.getByRole("button", { name: "Connection: Local sandbox · account 123456789012" }).waitFor();
  await page.keyboard.press("Control+o");
  await page.getByTestId(testId).waitFor();
  return page;
}

/** Review changes: waits for `heading` in the plan and asserts that each
 * of `patterns` is in its text, in that order. Returns the dialog. */
export async function reviewInOrder(page, heading, patterns) {
  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("dialog", { name: "Review changes" });
  const plan = review.getByLabel("Plan");
  await plan.getByText(heading).first().waitFor();
  const text = await plan.textContent();
  let last = -1;
  for (const pattern of patterns) {
    const i = text.search(pattern);
    assert.ok(i >= 0, `${pattern} in ${text}`);
    assert.ok(i > last, `${pattern} after the line before it in ${text}`);
    last = i;
  }
  return review;
}

/** Applies the reviewed plan, then reviews again: nothing left to do. */
export async function applyUntilNothingLeft(review) {
  await review.getByRole("button", { name: "Apply" }).click();
  await review.getByRole("button", { name: "Apply now" }).click();
  await review.getByRole("status", { name: "Apply outcome" }).getByText(/Applied \d+ change\(s\)\./).waitFor();
  await review.getByRole("button", { name: "Review again" }).click();
  await review.getByText("The account already matches the document.").waitFor();
}

/** Imports one bucket of the sandbox: as a new document, or merged into
 * the open one (`how`: the wizard's button). */
export async function importBucket(page, name, how = "Open as new document") {
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const wizard = page.getByRole("dialog", { name: "Import from an account" });
  await wizard.getByLabel("Search buckets").fill(name);
  await wizard.getByLabel("Select all shown (1)").click();
  await wizard.getByRole("button", { name: "Import 1 bucket", exact: true }).click();
  await wizard.getByRole("status", { name: "Import result" }).waitFor();
  await wizard.getByRole("button", { name: how }).click();
  await wizard.waitFor({ state: "detached" });
}

/** The imported document has no finding and nothing to plan. */
export async function matchesTheAccount(page) {
  await page.getByRole("region", { name: "Findings" }).getByText("No findings: AWS would accept this wiring.").waitFor();
  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("dialog", { name: "Review changes" });
  await review.getByText("The account already matches the document.").waitFor();
  await review.getByRole("button", { name: "Close" }).click();
}

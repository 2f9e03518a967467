// A function's asynchronous invocation settings and recursion guard, edited
// in the inspector of real Chromium against the real Rust side, planned by
// Review changes and applied to the seeded sandbox (moto): the account then
// holds exactly those settings. Bad text is refused by name as typed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { withEditor } from "../support/harness.mjs";
import { withSandbox } from "../support/sandbox.mjs";

const sandbox = withSandbox();
const h = withEditor({ env: () => ({ BUCKETWIRE_SANDBOX_URL: sandbox.url }) });
const DLQ = "arn:aws:sqs:us-east-1:123456789012:thumbs-failed";

test("set retries, event age, on-failure and the recursion guard; review and apply them", async () => {
  const page = await h.openPage();
  await page.getByRole("button", { name: "Connection: Local sandbox · account 123456789012" }).waitFor();
  const card = page.getByTestId("node-make-thumbnail");
  await card.click();
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const set = async (label, value, shows) => {
    const field = inspector.getByLabel(label, { exact: true });
    await field.fill(value);
    await field.press("Enter");
    await card.getByText(shows).waitFor();
  };
  // Not a number: said as typed, and Enter changes nothing.
  await inspector.getByLabel("Retry attempts", { exact: true }).fill("two");
  await inspector.getByRole("status", { name: "As typed" }).getByText(/retry attempts: "two" is not a whole number/).waitFor();
  await set("Retry attempts", "0", "async: retries 0");
  await set("Maximum event age (s)", "3600", "async: retries 0 · age 3600 s");
  await set("On-failure destination ARN", DLQ, "async: retries 0 · age 3600 s · on failure thumbs-failed");
  await inspector.getByLabel("Recursion guard").selectOption("Allow");
  await card.getByText("recursion guard Allow").waitFor();

  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("dialog", { name: "Review changes" });
  const plan = review.getByLabel("Plan");
  await plan.getByText(/\+ async invoke/).waitFor();
  const text = await plan.textContent();
  assert.match(text, new RegExp(`  \\+ async invoke: retries 0, max event age 3600 s, on failure ${DLQ}`));
  // One heading for the function's changes.
  assert.equal(text.split("function make-thumbnail\n").length, 2, text);
  // moto cannot read the guard: planned as "not read before".
  assert.match(text, /\+ recursion guard: Allow \(not read before\)/);
  await review.getByRole("button", { name: "Close" }).click();

  // moto does not implement PutFunctionRecursionConfig: leave the guard to
  // the account and apply the rest.
  await inspector.getByLabel("Recursion guard").selectOption("");
  await card.getByText("recursion guard Allow").waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Review changes" }).click();
  await plan.getByText(/\+ async invoke/).waitFor();
  assert.doesNotMatch(await plan.textContent(), /recursion guard/);
  await review.getByRole("button", { name: "Apply" }).click();
  await review.getByRole("button", { name: "Apply now" }).click();
  await review.getByRole("status", { name: "Apply outcome" }).getByText(/Applied \d change\(s\)\./).waitFor();
  const stored = JSON.parse(
    execFileSync(`${sandbox.repo}.venv-tools/bin/python`, [
      "-c",
      `import boto3, json; c = boto3.client("lambda", endpoint_url="${sandbox.url}", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test").get_function_event_invoke_config(FunctionName="make-thumbnail"); print(json.dumps({k: c.get(k) for k in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig")}))`,
    ]).toString(),
  );
  assert.deepEqual(stored, {
    MaximumRetryAttempts: 0,
    MaximumEventAgeInSeconds: 3600,
    DestinationConfig: { OnFailure: { Destination: DLQ } },
  });
  await review.getByRole("button", { name: "Review again" }).click();
  await review.getByText("The account already matches the document.").waitFor();
  await page.close();
});

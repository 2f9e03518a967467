// An EventBridge route end to end in real Chromium against the real Rust
// side and the seeded local sandbox (docs/rules.md §14): "one rule for
// uploads/*.jpg and uploads/*.png → resize" (examples/
// eventbridge-images.bucketwire.json) reviewed — the rule's permission, the
// rule, its target, the bucket's switch —, applied, nothing left to do, and
// imported back as the same rule with no finding and nothing to plan.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { withEditor } from "../support/harness.mjs";
import { withSandbox } from "../support/sandbox.mjs";

const sandbox = withSandbox();
const h = withEditor({ env: () => ({ BUCKETWIRE_SANDBOX_URL: sandbox.url }) });
const example = fileURLToPath(new URL("../../examples/eventbridge-images.bucketwire.json", import.meta.url));

/** The sandbox's rule as EventBridge describes it, with its targets. */
function ruleInSandbox() {
  const script = `
import boto3, json
e = boto3.client("events", endpoint_url="${sandbox.url}", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
r = e.describe_rule(Name="acme-photos-images")
t = e.list_targets_by_rule(Rule="acme-photos-images")["Targets"]
print(json.dumps({"pattern": json.loads(r["EventPattern"]), "state": r["State"], "targets": [[x["Id"], x["Arn"]] for x in t]}))`;
  return JSON.parse(execFileSync(`${sandbox.repo}.venv-tools/bin/python`, ["-c", script], { encoding: "utf8" }));
}

test("a rule reviewed, applied to the sandbox and imported back unchanged", async () => {
  const page = await h.openPage({ dialog: example });
  await page.getByRole("button", { name: "Connection: Local sandbox · account 123456789012" }).waitFor();
  await page.keyboard.press("Control+o");
  await page.getByTestId("node-images").waitFor();

  // The plan, in the safe order: the permission for the rule, the rule,
  // its target, then the bucket's switch.
  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("dialog", { name: "Review changes" });
  const plan = review.getByLabel("Plan");
  await plan.getByText(/EventBridge rule acme-photos-images \(us-east-1\)/).first().waitFor();
  const text = await plan.textContent();
  const at = (pattern) => {
    const i = text.search(pattern);
    assert.ok(i >= 0, `${pattern} in ${text}`);
    return i;
  };
  const permission = at(/\+ permission bucketwire-rule-acme-photos-images: events\.amazonaws\.com may invoke/);
  const rule = at(/\+ rule on the default bus, ENABLED/);
  const target = at(/\+ target bucketwire-resize → resize/);
  const sw = at(/\+ EventBridge: on/);
  assert.ok(permission < rule && rule < target && target < sw, text);

  await review.getByRole("button", { name: "Apply" }).click();
  await review.getByRole("button", { name: "Apply now" }).click();
  const outcome = review.getByRole("status", { name: "Apply outcome" });
  await outcome.getByText(/Applied \d+ change\(s\)\./).waitFor();
  await review.getByRole("button", { name: "Review again" }).click();
  await review.getByText("The account already matches the document.").waitFor();
  const live = ruleInSandbox();
  assert.equal(live.state, "ENABLED");
  assert.deepEqual(live.pattern.detail.bucket.name, ["acme-photos"]);
  assert.deepEqual(live.pattern.detail.object.key, [{ wildcard: "uploads/*.jpg" }, { wildcard: "uploads/*.png" }]);
  assert.deepEqual(live.targets, [["bucketwire-resize", "arn:aws:lambda:us-east-1:123456789012:function:resize"]]);
  await review.getByRole("button", { name: "Close" }).click();

  // Imported back as a new document: the same rule, drawn between the
  // bucket and its target, no finding, nothing to plan.
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const wizard = page.getByRole("dialog", { name: "Import from an account" });
  await wizard.getByLabel("Search buckets").fill("acme-photos");
  await wizard.getByLabel("Select all shown (1)").click();
  await wizard.getByRole("button", { name: "Import 1 bucket", exact: true }).click();
  await wizard.getByRole("status", { name: "Import result" }).waitFor();
  await wizard.getByRole("button", { name: "Open as new document" }).click();
  await wizard.waitFor({ state: "detached" });
  const imported = page.getByTestId("node-rule/acme-photos-images");
  await imported.waitFor();
  assert.match(await imported.textContent(), /acme-photos-images/);
  await page.getByRole("region", { name: "Findings" }).getByText("No findings: AWS would accept this wiring.").waitFor();
  await page.getByRole("button", { name: "Review changes" }).click();
  await review.getByText("The account already matches the document.").waitFor();
  await page.close();
});

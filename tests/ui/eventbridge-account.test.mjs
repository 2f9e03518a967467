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
import { applyUntilNothingLeft, importBucket, matchesTheAccount, openOnSandbox, reviewInOrder } from "../support/routes.mjs";

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
  const page = await openOnSandbox(h, example, "node-images");
  // The plan, in the safe order: the permission for the rule, the rule,
  // its target, then the bucket's switch.
  const review = await reviewInOrder(page, /EventBridge rule acme-photos-images \(us-east-1\)/, [
    /\+ permission bucketwire-rule-acme-photos-images: events\.amazonaws\.com may invoke/,
    /\+ rule on the default bus, ENABLED/,
    /\+ target bucketwire-resize → resize/,
    /\+ EventBridge: on/,
  ]);
  await applyUntilNothingLeft(review);
  const live = ruleInSandbox();
  assert.equal(live.state, "ENABLED");
  assert.deepEqual(live.pattern.detail.bucket.name, ["acme-photos"]);
  assert.deepEqual(live.pattern.detail.object.key, [{ wildcard: "uploads/*.jpg" }, { wildcard: "uploads/*.png" }]);
  assert.deepEqual(live.targets, [["bucketwire-resize", "arn:aws:lambda:us-east-1:123456789012:function:resize"]]);
  await review.getByRole("button", { name: "Close" }).click();

  // Imported back as a new document: the same rule, drawn between the
  // bucket and its target, no finding, nothing to plan.
  await importBucket(page, "acme-photos");
  const imported = page.getByTestId("node-rule/acme-photos-images");
  await imported.waitFor();
  assert.match(await imported.textContent(), /acme-photos-images/);
  await matchesTheAccount(page);
  await page.close();
});

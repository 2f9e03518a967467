// SNS fan-out end to end in real Chromium against the real Rust side and
// the seeded local sandbox, whose server refuses a bucket entry naming a
// topic S3 may not publish to, as S3 does (docs/rules.md §2, §15): "fan
// out one prefix to two functions" (examples/sns-fanout.bucketwire.json)
// reviewed in the safe order — each subscriber's permission, the topic
// with its policy, the subscriptions, then the bucket —, applied, nothing
// left to do, and imported back as the same topic with no finding and
// nothing to plan; the seeded route (acme-inbox) imports the same way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { withEditor } from "../support/harness.mjs";
import { withSandbox } from "../support/sandbox.mjs";
import { applyUntilNothingLeft, importBucket, matchesTheAccount, openOnSandbox, reviewInOrder } from "../support/routes.mjs";

const sandbox = withSandbox();
const h = withEditor({ env: () => ({ BUCKETWIRE_SANDBOX_URL: sandbox.url }) });
const example = fileURLToPath(new URL("../../examples/sns-fanout.bucketwire.json", import.meta.url));
const TOPIC = "arn:aws:sns:us-east-1:123456789012:acme-uploads-incoming";

/** The sandbox's topic as SNS describes it: its policy and subscriptions. */
function topicInSandbox() {
  const script = `
import boto3, json
s = boto3.client("sns", endpoint_url="${sandbox.url}", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
a = s.get_topic_attributes(TopicArn="${TOPIC}")["Attributes"]
subs = s.list_subscriptions_by_topic(TopicArn="${TOPIC}")["Subscriptions"]
print(json.dumps({"policy": json.loads(a["Policy"]), "subscriptions": sorted([x["Protocol"], x["Endpoint"]] for x in subs)}))`;
  return JSON.parse(execFileSync(`${sandbox.repo}.venv-tools/bin/python`, ["-c", script], { encoding: "utf8" }));
}

test("a fan-out reviewed, applied to the sandbox and imported back unchanged", async () => {
  const page = await openOnSandbox(h, example, "node-fanout");
  // The plan, in the safe order.
  const review = await reviewInOrder(page, /SNS topic acme-uploads-incoming \(us-east-1\)/, [
    /\+ permission bucketwire-sns-acme-uploads-incoming: sns\.amazonaws\.com may invoke/,
    /\+ topic \(created\)/,
    /\+ policy: S3 may publish for bucket acme-uploads/,
    /\+ subscription → function virus-scan/,
    /\+ topic "new-uploads" → .*acme-uploads-incoming/,
  ]);
  await applyUntilNothingLeft(review);
  const live = topicInSandbox();
  assert.deepEqual(live.subscriptions, [
    ["lambda", "arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail"],
    ["lambda", "arn:aws:lambda:us-east-1:123456789012:function:virus-scan"],
  ]);
  const ours = live.policy.Statement.find((s) => s.Sid === "bucketwire-s3-publish");
  assert.equal(ours.Condition.ArnLike["aws:SourceArn"], "arn:aws:s3:::acme-uploads");
  await review.getByRole("button", { name: "Close" }).click();

  // Imported back: the same topic between the filter and both functions,
  // no finding, nothing to plan.
  await importBucket(page, "acme-uploads");
  await page.getByTestId("node-topic/acme-uploads-incoming").waitFor();
  assert.equal(await page.locator(".react-flow__edge").count(), 4);
  await matchesTheAccount(page);

  // The seeded route, merged in, imports the same way.
  await importBucket(page, "acme-inbox", "Merge into this document");
  await page.getByTestId("node-topic/acme-inbox-incoming").waitFor();
  await matchesTheAccount(page);
  await page.close();
});

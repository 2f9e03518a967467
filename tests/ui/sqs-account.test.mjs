// SQS buffering end to end in real Chromium against the real Rust side and
// the seeded local sandbox, whose server refuses a bucket entry naming a
// queue S3 may not send to, as S3 does (docs/rules.md §2, §16): "buffer a
// hot bucket through a queue" (examples/sqs-buffer.bucketwire.json)
// reviewed in the safe order — the consume policy, the dead-letter queue,
// the queue with its policy and attributes, the mapping, then the bucket
// —, applied, nothing left to do, and imported back as the same queue with
// no finding and nothing to plan; the seeded route (acme-clicks) imports
// the same way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { withEditor } from "../support/harness.mjs";
import { withSandbox } from "../support/sandbox.mjs";
import { applyUntilNothingLeft, importBucket, matchesTheAccount, openOnSandbox, reviewInOrder } from "../support/routes.mjs";

const sandbox = withSandbox();
const h = withEditor({ env: () => ({ BUCKETWIRE_SANDBOX_URL: sandbox.url }) });
const example = fileURLToPath(new URL("../../examples/sqs-buffer.bucketwire.json", import.meta.url));
const QUEUE = "arn:aws:sqs:us-east-1:123456789012:acme-uploads-events";

/** The sandbox's queue: its attributes and the mappings polling it. */
function queueInSandbox() {
  const script = `
import boto3, json
kw = dict(endpoint_url="${sandbox.url}", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
q = boto3.client("sqs", **kw)
url = q.get_queue_url(QueueName="acme-uploads-events")["QueueUrl"]
a = q.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
m = boto3.client("lambda", **kw).list_event_source_mappings(EventSourceArn="${QUEUE}")["EventSourceMappings"]
print(json.dumps({"visibility": a["VisibilityTimeout"], "redrive": json.loads(a["RedrivePolicy"]), "policy": json.loads(a["Policy"]),
  "mappings": [[x["FunctionArn"], x["BatchSize"], x.get("FunctionResponseTypes", [])] for x in m]}))`;
  return JSON.parse(execFileSync(`${sandbox.repo}.venv-tools/bin/python`, ["-c", script], { encoding: "utf8" }));
}

test("a buffer reviewed, applied to the sandbox and imported back unchanged", async () => {
  const page = await openOnSandbox(h, example, "node-buffer");
  const review = await reviewInOrder(page, /SQS queue acme-uploads-events \(us-east-1\)/, [
    /\+ inline policy bucketwire-sqs-consume: sqs:ReceiveMessage/,
    /SQS queue acme-uploads-events-dlq \(us-east-1\)\s*\+ queue \(created\)/,
    /SQS queue acme-uploads-events \(us-east-1\)\s*\+ queue \(created\)/,
    /\+ policy: S3 may send for bucket acme-uploads/,
    /\+ polled by function ingest-logs: batch 100, window 5 s, reports batch item failures, at most 10 at once/,
    /\+ queue "new-events" → .*acme-uploads-events/,
  ]);
  await applyUntilNothingLeft(review);
  const live = queueInSandbox();
  assert.equal(live.visibility, "180");
  assert.equal(live.redrive.deadLetterTargetArn, `${QUEUE}-dlq`);
  assert.equal(live.policy.Statement[0].Sid, "bucketwire-s3-send");
  assert.deepEqual(live.mappings, [["arn:aws:lambda:us-east-1:123456789012:function:ingest-logs", 100, ["ReportBatchItemFailures"]]]);
  await review.getByRole("button", { name: "Close" }).click();

  // Imported back: the same queue between the filter and its function,
  // no finding, nothing to plan.
  await importBucket(page, "acme-uploads");
  await page.getByTestId("node-queue/acme-uploads-events").waitFor();
  assert.equal(await page.locator(".react-flow__edge").count(), 3);
  await matchesTheAccount(page);

  // The seeded route, merged in, imports the same way.
  await importBucket(page, "acme-clicks", "Merge into this document");
  await page.getByTestId("node-queue/acme-clicks-buffer").waitFor();
  await matchesTheAccount(page);
  await page.close();
});

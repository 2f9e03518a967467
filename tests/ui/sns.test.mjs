// SNS fan-out built in real Chromium against the real Rust editor
// (docs/rules.md §15): a topic from the palette wired filter → topic → two
// functions the keyboard way, its classic mistakes named (no ARN, a FIFO
// topic, the AWS-managed key) and fixed, then Try a key through the topic:
// both subscribers lit, and the SNS envelope they receive shown.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { chooseNode, connectFromInspector, withEditor } from "../support/harness.mjs";

const h = withEditor();
let page;
beforeEach(async () => {
  await page?.close();
  page = await h.openEmptyPage();
});

const card = (id) => page.getByTestId(`node-${id}`);

test("a topic from the palette: wired to two functions, its mistakes found and fixed", async () => {
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const findings = page.getByRole("region", { name: "Findings" });
  const choose = (title) => chooseNode(page, title);
  const field = async (label, value) => {
    const input = inspector.getByLabel(label);
    await input.fill(value);
    await input.press("Enter");
  };
  for (const name of ["Add Bucket", "Add Filter"]) {
    await page.getByRole("button", { name }).click();
  }
  // Two functions, each given its ARN while it is the only card without one.
  for (const [n, name] of [[1, "virus-scan"], [2, "make-thumbnail"]]) {
    await page.getByRole("button", { name: "Add Function" }).click();
    await card(`function-${n}`).waitFor();
    await choose("(no ARN yet)");
    await field("Function ARN", `arn:aws:lambda:us-east-1:123456789012:function:${name}`);
    await card(`function-${n}`).getByText(name).waitFor();
  }

  // A new topic has no ARN yet: the check asks for one.
  await page.getByRole("button", { name: "Add Topic" }).click();
  await card("topic-1").waitFor();
  await findings.getByText("invalid-topic-arn").waitFor();
  // A FIFO topic: S3 cannot publish to it.
  await choose("(no ARN yet)");
  await field("Topic ARN", "arn:aws:sns:us-east-1:123456789012:uploads.fifo");
  await card("topic-1").getByText("uploads.fifo").waitFor();
  await findings.getByText(/S3 publishes its events to standard topics only/).waitFor();

  // bucket → filter → topic → both functions, from the inspector.
  await connectFromInspector(page, "new-bucket-1", "filter or rule", "new-filter-1", "new-filter-1");
  await connectFromInspector(page, "new-filter-1", "function, topic or queue", "topic uploads.fifo", "uploads.fifo");
  await choose("uploads.fifo");
  for (const name of ["virus-scan", "make-thumbnail"]) {
    await inspector.getByLabel("Connect to a function").selectOption({ label: name });
    await inspector.getByRole("button", { name: `Disconnect ${name}` }).waitFor();
  }
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__edge").length === 4);

  // Encrypted with SNS's AWS-managed key: S3 cannot use it.
  await field("KMS key (customer-managed)", "alias/aws/sns");
  await findings.getByText("topic-aws-managed-key").waitFor();

  // A standard topic with a customer-managed key: nothing left about it.
  await choose("uploads.fifo");
  await field("Topic ARN", "arn:aws:sns:us-east-1:123456789012:uploads");
  await card("topic-1").getByText(/^uploads$/).waitFor();
  await choose("uploads");
  await field("KMS key (customer-managed)", "alias/uploads");
  await findings.getByText("topic-aws-managed-key").waitFor({ state: "detached" });
  await findings.getByText("invalid-topic-arn").waitFor({ state: "detached" });
  await card("topic-1").getByText("encrypted with alias/uploads").waitFor();
});

test("Try a key through a topic: both subscribers lit, and the SNS envelope they receive", async () => {
  const example = fileURLToPath(new URL("../../examples/sns-fanout.bucketwire.json", import.meta.url));
  const opened = await h.openPage({ dialog: example });
  await opened.keyboard.press("Control+o");
  await opened.getByTestId("node-fanout").waitFor();
  const tryKey = opened.getByRole("region", { name: "Try a key" });
  await tryKey.getByLabel("Object key").fill("incoming/report.pdf");
  const status = tryKey.getByRole("status");
  await status
    .getByText(/"new-uploads" fires: S3 sends s3:ObjectCreated:Put for "incoming\/report\.pdf" to topic .*acme-uploads-incoming, which delivers it to .*virus-scan, .*make-thumbnail\./)
    .waitFor();
  for (const id of ["uploads", "new-uploads", "fanout", "scan", "thumbnail"]) {
    await opened.waitForFunction((id) => document.querySelector(`[data-id="${id}"]`)?.classList.contains("lit"), id);
  }
  // The envelope: an SNS record whose Message is the S3 event as text.
  await status.getByText("Event the function receives").click();
  const event = JSON.parse(await status.getByLabel("Event JSON").textContent());
  const record = event.Records[0];
  assert.equal(record.EventSource, "aws:sns");
  assert.equal(record.Sns.TopicArn, "arn:aws:sns:us-east-1:123456789012:acme-uploads-incoming");
  const message = JSON.parse(record.Sns.Message);
  assert.equal(message.Records[0].s3.object.key, "incoming/report.pdf");
  assert.equal(message.Records[0].s3.configurationId, "new-uploads");
  // Outside the prefix: nothing fires, nothing stays lit.
  await tryKey.getByLabel("Object key").fill("elsewhere/report.pdf");
  await status.getByText(/Nothing fires/).waitFor();
  await opened.waitForFunction(() => !document.querySelector('[data-id="fanout"]')?.classList.contains("lit"));
  await opened.close();
});

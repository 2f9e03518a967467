// SQS buffering built in real Chromium against the real Rust editor
// (docs/rules.md §16): a queue from the palette wired filter → queue →
// function the keyboard way, its classic mistakes named (no ARN, a FIFO
// queue, a batch over 10 without a window, no dead-letter queue) and
// fixed in the inspector, a second function refused, then Try a key
// through the queue: the function lit, and the SQS batch it receives.
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

test("a queue from the palette: wired to a function, its mistakes found and fixed", async () => {
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const findings = page.getByRole("region", { name: "Findings" });
  const choose = (title) => chooseNode(page, title);
  const field = async (label, value) => {
    const input = inspector.getByLabel(label, { exact: true });
    await input.fill(value);
    await input.press("Enter");
  };
  for (const name of ["Add Bucket", "Add Filter", "Add Function"]) {
    await page.getByRole("button", { name }).click();
  }
  await card("function-1").waitFor();
  await choose("(no ARN yet)");
  await field("Function ARN", "arn:aws:lambda:us-east-1:123456789012:function:ingest-logs");
  await card("function-1").getByText("ingest-logs").waitFor();

  // A new queue has no ARN yet; a FIFO one cannot take S3's events.
  await page.getByRole("button", { name: "Add Queue" }).click();
  await card("queue-1").waitFor();
  await findings.getByText("invalid-queue-arn").waitFor();
  await choose("(no ARN yet)");
  await field("Queue ARN", "arn:aws:sqs:us-east-1:123456789012:clicks.fifo");
  await card("queue-1").getByText("clicks.fifo").waitFor();
  await findings.getByText(/S3 sends its events to standard queues only/).waitFor();

  // bucket → filter → queue → function, from the inspector.
  await connectFromInspector(page, "new-bucket-1", "filter or rule", "new-filter-1", "new-filter-1");
  await connectFromInspector(page, "new-filter-1", "function, topic or queue", "queue clicks.fifo", "clicks.fifo");
  await choose("clicks.fifo");
  await inspector.getByLabel("Connect to a function").selectOption({ label: "ingest-logs" });
  await inspector.getByRole("button", { name: "Disconnect ingest-logs" }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__edge").length === 3);
  // With its one function, nothing more is offered.
  assert.equal(await inspector.getByLabel("Connect to a function").count(), 0);

  // A batch over 10 needs a batching window; no dead-letter queue yet.
  await field("Batch size", "100");
  await findings.getByText(/a batch size over 10 needs a batching window/).waitFor();
  await findings.getByText("no-dead-letter-queue").waitFor();
  // A number that is not one is refused, the queue kept as it was.
  await choose("clicks.fifo");
  await field("Batching window (s)", "five");
  await page.getByText(/batching window: "five" is not a whole number/).first().waitFor();

  // Fixed: a standard queue, a window, a dead-letter queue, partial batch
  // failures reported.
  await choose("clicks.fifo");
  await field("Queue ARN", "arn:aws:sqs:us-east-1:123456789012:clicks");
  await card("queue-1").getByText(/^clicks$/).waitFor();
  // Each edit shows on the card before the next, as a person sees it.
  await choose("clicks");
  await field("Batching window (s)", "5");
  await card("queue-1").getByText(/batch 100 · window 5 s/).waitFor();
  await choose("clicks");
  await field("Dead-letter queue ARN", "arn:aws:sqs:us-east-1:123456789012:clicks-dlq");
  await card("queue-1").getByText("dead letters → clicks-dlq").waitFor();
  await choose("clicks");
  // A controlled checkbox: it shows the state Rust answers, a moment later.
  await inspector.getByLabel("Report batch item failures").click();
  for (const rule of ["invalid-queue-arn", "invalid-queue-settings", "no-dead-letter-queue", "partial-batch-failures-off"]) {
    await findings.getByText(rule).waitFor({ state: "detached" });
  }
});

test("Try a key through a queue: its function lit, and the SQS batch it receives", async () => {
  const example = fileURLToPath(new URL("../../examples/sqs-buffer.bucketwire.json", import.meta.url));
  const opened = await h.openPage({ dialog: example });
  await opened.keyboard.press("Control+o");
  await opened.getByTestId("node-buffer").waitFor();
  const tryKey = opened.getByRole("region", { name: "Try a key" });
  await tryKey.getByLabel("Object key").fill("events/click.json");
  const status = tryKey.getByRole("status");
  await status
    .getByText(/"new-events" fires: S3 sends s3:ObjectCreated:Put for "events\/click\.json" to queue .*acme-uploads-events, polled by .*function:ingest-logs\./)
    .waitFor();
  for (const id of ["clicks", "new-events", "buffer", "ingest"]) {
    await opened.waitForFunction((id) => document.querySelector(`[data-id="${id}"]`)?.classList.contains("lit"), id);
  }
  await status.getByText("Event the function receives").click();
  const event = JSON.parse(await status.getByLabel("Event JSON").textContent());
  const record = event.Records[0];
  assert.equal(record.eventSource, "aws:sqs");
  assert.equal(record.eventSourceARN, "arn:aws:sqs:us-east-1:123456789012:acme-uploads-events");
  const body = JSON.parse(record.body);
  assert.equal(body.Records[0].s3.object.key, "events/click.json");
  await tryKey.getByLabel("Object key").fill("other/click.json");
  await status.getByText(/Nothing fires/).waitFor();
  await opened.waitForFunction(() => !document.querySelector('[data-id="buffer"]')?.classList.contains("lit"));
  await opened.close();
});

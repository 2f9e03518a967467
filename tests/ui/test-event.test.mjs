// "Send a test event" from Try a key, in real Chromium against the real
// Rust side and the seeded sandbox (moto runs functions without Docker):
// a DryRun says Lambda accepts the call but S3 may not invoke the function
// yet (no permission); once the permission is there, both checks pass; a
// confirmed Event invoke sends exactly the event Try a key showed (seen by
// a recording proxy in front of moto).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { withEditor } from "../support/harness.mjs";
import { withSandbox } from "../support/sandbox.mjs";
import { startProxy } from "../support/fault-proxy.mjs";

const sandbox = withSandbox();
const h = withEditor({ env: () => ({ BUCKETWIRE_SANDBOX_URL: sandbox.url }) });
let recording;
before(async () => {
  recording = await startProxy(sandbox.url);
});
after(() => recording?.stop());

test("DryRun checks Lambda and S3's permission; a confirmed Event sends the event Try a key shows", async () => {
  const page = await h.openPage();
  const tryKey = page.getByRole("region", { name: "Try a key" });
  // The sandbox is current at start; use the recorded way to it.
  await h.useEndpoint(page, "Recorded sandbox", recording.url);

  await tryKey.getByLabel("Object key").fill("uploads/red flower.jpg");
  await tryKey.getByRole("status").getByText(/"thumbnails" fires/).waitFor();
  const send = tryKey.getByLabel("Send a test event");
  await send.getByRole("button", { name: "Check with a DryRun" }).click();
  const result = send.getByRole("status", { name: "Test event result" });
  await result.waitFor();
  let lines = await result.getByRole("listitem").allTextContents();
  assert.match(lines[0], /^✓ Lambda accepts the call: .*DryRun, status 204/);
  assert.match(lines[1], /^✗ S3 may not invoke it for bucket acme-photos: no statement/);

  // Somebody grants S3 the permission; the DryRun now passes both checks.
  execFileSync(`${sandbox.repo}.venv-tools/bin/python`, [
    "-c",
    `import boto3; boto3.client("lambda", endpoint_url="${sandbox.url}", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test").add_permission(FunctionName="make-thumbnail", StatementId="s3-photos", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com", SourceArn="arn:aws:s3:::acme-photos", SourceAccount="123456789012")`,
  ]);
  await send.getByRole("button", { name: "Check with a DryRun" }).click();
  await result.getByText(/✓ S3 may invoke it for bucket acme-photos: statement s3-photos/).waitFor();

  // The real invoke asks first; Cancel sends nothing.
  const invokes = () => recording.seen.log.filter((r) => r.url.includes("/invocations"));
  const before = invokes().length;
  await send.getByRole("button", { name: "Send as an Event…" }).click();
  const confirm = send.getByRole("alertdialog", { name: "Confirm test event" });
  assert.match(await confirm.textContent(), /function:make-thumbnail/);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  assert.equal(invokes().length, before);
  await send.getByRole("button", { name: "Send as an Event…" }).click();
  await confirm.getByRole("button", { name: "Send now" }).click();
  await result.getByText(/✓ Lambda queued the event for the function \(Event, status 202\)/).waitFor();
  // The recording proxy logs the call as it arrives; on a busy machine the
  // answer can be drawn first, so look until it is there.
  const started = Date.now();
  while (invokes().length === before && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
  const sent = invokes().at(-1);
  assert.ok(sent !== undefined && invokes().length > before, "the recording proxy saw the Event invoke");
  assert.equal(sent.headers["x-amz-invocation-type"], "Event");
  const event = JSON.parse(sent.body);
  const shown = JSON.parse(await tryKey.getByLabel("Event JSON").textContent());
  assert.deepEqual(event, shown, "the function gets exactly the event Try a key shows");
  assert.equal(event.Records[0].s3.object.key, "uploads/red+flower.jpg");
  assert.equal(event.Records[0].s3.configurationId, "thumbnails");
  lines = await result.getByRole("listitem").allTextContents();
  assert.equal(lines.length, 1);
  await page.close();
});

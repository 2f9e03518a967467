// The local sandbox account `make run` starts (scripts/sandbox/start.sh: a
// seeded moto): the app starts connected to it as "Local sandbox", shows
// its account, and the seeded buckets are there to import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withEditor } from "../support/harness.mjs";
import { withSandbox } from "../support/sandbox.mjs";

const sandbox = withSandbox();
const h = withEditor({ env: () => ({ BUCKETWIRE_SANDBOX_URL: sandbox.url }) });

test("the app starts connected to the seeded local sandbox", async () => {
  const listing = await (await fetch(`${sandbox.url}/`)).text();
  for (const bucket of ["acme-photos", "acme-logs", "acme-uploads", "acme-media"]) assert.ok(listing.includes(`<Name>${bucket}</Name>`), bucket);
  const page = await h.openPage();
  await page.getByRole("button", { name: "Connection: Local sandbox · account 123456789012" }).waitFor();
  await page.getByRole("button", { name: /^Connection:/ }).click();
  const row = page.getByRole("dialog", { name: "Connections" }).getByRole("listitem", { name: "Connection Local sandbox" });
  await row.getByText(`endpoint ${sandbox.url}`).waitFor();
  await page.close();
});

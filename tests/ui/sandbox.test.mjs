// The local sandbox account `make run` starts (scripts/sandbox/start.sh: a
// seeded moto): the app starts connected to it as "Local sandbox", shows
// its account, and the seeded buckets are there to import.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { withEditor } from "../support/harness.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const pidfile = join(mkdtempSync(join(tmpdir(), "bw-sandbox-")), "pid");
let url;
before(() => {
  url = execFileSync(`${repo}scripts/sandbox/start.sh`, [pidfile], { encoding: "utf8" }).trim();
});
after(() => {
  try {
    process.kill(Number(readFileSync(pidfile, "utf8")));
  } catch {
    // already gone
  }
});
const h = withEditor({ env: () => ({ BUCKETWIRE_SANDBOX_URL: url }) });

test("the app starts connected to the seeded local sandbox", async () => {
  const listing = await (await fetch(`${url}/`)).text();
  for (const bucket of ["acme-photos", "acme-logs"]) assert.ok(listing.includes(`<Name>${bucket}</Name>`), bucket);
  const page = await h.openPage();
  await page.getByRole("button", { name: "Connection: Local sandbox · account 123456789012" }).waitFor();
  await page.getByRole("button", { name: /^Connection:/ }).click();
  const row = page.getByRole("dialog", { name: "Connections" }).getByRole("listitem", { name: "Connection Local sandbox" });
  await row.getByText(`endpoint ${url}`).waitFor();
  await page.close();
});

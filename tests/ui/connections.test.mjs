// The Connections screen in real Chromium against the real Rust side (the
// bridge keeps secrets in memory: a browser suite has no keyring) and a
// real moto server: add an endpoint connection, test it, use it; an access
// key's secret is stored and never shown or written anywhere.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { withEditor } from "../support/harness.mjs";
import { startMoto } from "../support/moto.mjs";

const h = withEditor();
let moto;
before(async () => {
  moto = await startMoto();
});
after(() => moto?.stop());

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("add an endpoint connection, test it and use it: its account is always visible", async () => {
  const page = await h.openPage();
  await page.getByRole("button", { name: "Connection: No connection" }).click();
  const screen = page.getByRole("dialog", { name: "Connections" });
  await screen.getByRole("button", { name: "Add a connection" }).click();
  const form = screen.getByRole("form", { name: "Connection" });
  await form.getByLabel("Name").fill("Local moto");
  // A new connection starts as an AWS profile (what most teams use), and
  // its Region field suggests the AWS Regions.
  assert.equal(await form.getByLabel("Kind").inputValue(), "profile");
  const suggested = await form.locator("datalist#known-regions option").evaluateAll((o) => o.map((e) => e.value));
  assert.ok(suggested.includes("eu-central-2") && suggested.includes("us-gov-west-1"), `${suggested}`);
  await form.getByLabel("Kind").selectOption("endpoint");
  // The field is empty, with an example as its placeholder: clicking into
  // it and typing gives what was typed, not the example and it.
  const url = form.getByLabel("Endpoint URL");
  assert.equal(await url.inputValue(), "");
  assert.equal(await url.getAttribute("placeholder"), "http://127.0.0.1:5000");
  // Two URLs run together are refused, saying why; nothing is saved.
  await url.click();
  await page.keyboard.type(`http://127.0.0.1:5000${moto.url}`);
  await form.getByRole("button", { name: "Save" }).click();
  assert.match(await screen.getByRole("alert").textContent(), /is not a URL: it holds a second `:\/\/`/);
  assert.equal(await screen.getByRole("listitem", { name: "Connection Local moto" }).count(), 0);
  await url.fill(moto.url);
  await form.getByRole("button", { name: "Save" }).click();
  const row = screen.getByRole("listitem", { name: "Connection Local moto" });
  await row.getByText(`endpoint ${moto.url}`).waitFor();
  await row.getByRole("button", { name: "Test" }).click();
  await row.getByRole("status").getByText(/✓ account 123456789012/).waitFor();
  await row.getByRole("button", { name: "Use" }).click();
  await screen.getByRole("button", { name: "Close" }).click();
  await page.getByRole("button", { name: "Connection: Local moto · account 123456789012" }).waitFor();
  await page.close();
});

test("a secret typed in goes to the keyring only: never shown, never in a file, refused when missing", async () => {
  const canary = "CANARYwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
  const page = await h.openPage();
  const answers = [];
  page.on("response", async (r) => {
    if (r.url().startsWith(h.bridge.url)) answers.push(await r.text().catch(() => ""));
  });
  await page.getByRole("button", { name: /^Connection:/ }).click();
  const screen = page.getByRole("dialog", { name: "Connections" });
  await screen.getByRole("button", { name: "Add a connection" }).click();
  const form = screen.getByRole("form", { name: "Connection" });
  await form.getByLabel("Name").fill("prod keys");
  await form.getByLabel("Kind").selectOption("accessKey");
  await form.getByLabel("Access key id").fill("AKIAEXAMPLE");
  // Without the secret: refused, naming what is missing.
  await form.getByRole("button", { name: "Save" }).click();
  assert.match(await screen.getByRole("alert").textContent(), /secret access key/);
  await form.getByLabel("Secret access key").fill(canary);
  await form.getByRole("button", { name: "Save" }).click();
  const row = screen.getByRole("listitem", { name: "Connection prod keys" });
  await row.getByText(/secret stored in the system keychain/).waitFor();
  // Editing shows that one is stored, never the secret itself.
  await row.getByRole("button", { name: "Edit" }).click();
  assert.equal(await form.getByLabel("Secret access key").inputValue(), "");
  assert.match(await form.getByLabel("Secret access key").getAttribute("placeholder"), /stored in the system keychain/);
  assert.ok(!(await page.content()).includes(canary), "the page shows the secret");
  for (const a of answers) assert.ok(!a.includes(canary), `an answer carries the secret: ${a.slice(0, 200)}`);
  for (const file of filesUnder(h.bridge.home)) {
    assert.ok(!readFileSync(file).includes(canary), `${file} holds the secret`);
  }
  await page.close();
});

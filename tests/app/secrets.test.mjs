// A secret canary in the real app (WebKitGTK under Xvfb, tauri-driver,
// a real gnome-keyring Secret Service on a private bus): a secret access
// key typed into the Connections screen is stored in the keyring — the
// screen then says so — and appears in no file under the app's config and
// data directories, in nothing the app printed, in no IPC answer, and not
// in the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { By } from "selenium-webdriver";
import { startApp, artifactsDir, findDisplayed, application, appHome } from "../support/tauri-driver.mjs";

const artifacts = artifactsDir();
const { home, env } = appHome("secrets");
const log = `${artifacts}tauri-driver-secrets.log`;
const CANARY = "CANARYsecretKEY0123456789abcdefghijKLMN";

let app;
let driver;
before(async () => {
  app = await startApp(application, {
    logFile: log,
    env,
  });
  driver = app.driver;
});
after(async () => {
  await app?.stop();
});

const find = (locator) => findDisplayed(driver, locator);

const field = (label) =>
  By.xpath(`//form[@aria-label="Connection"]//label[span[normalize-space()="${label}"]]/*[self::input or self::select]`);

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("a secret typed into the app goes to the keyring and nowhere else", async () => {
  await find(By.css('[data-testid="node-photos"]'));
  // Record every IPC answer the page receives from now on. Tauri answers
  // commands over its ipc:// protocol (fetch); __TAURI_INTERNALS__.invoke
  // is not writable, so the recording sits on fetch.
  await driver.executeScript(`
    window.__answers = [];
    const fetch0 = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const response = await fetch0(input, init);
      const url = typeof input === "string" ? input : input.url;
      if (url.startsWith("ipc:") || url.includes("ipc.localhost")) {
        response.clone().text().then((t) => window.__answers.push(url + " " + t));
      }
      return response;
    };
  `);
  await (await find(By.xpath('//button[starts-with(@aria-label, "Connection:")]'))).click();
  await (await find(By.xpath('//button[normalize-space()="Add a connection"]'))).click();
  await (await find(field("Name"))).sendKeys("prod keys");
  await (await find(field("Kind"))).sendKeys("Access key");
  await (await find(field("Access key id"))).sendKeys("AKIAEXAMPLECANARY");
  await (await find(field("Secret access key"))).sendKeys(CANARY);
  await (await find(By.xpath('//form[@aria-label="Connection"]//button[normalize-space()="Save"]'))).click();
  const row = await find(By.xpath('//li[@aria-label="Connection prod keys"]'));
  assert.match(await row.getText(), /secret stored in the system keychain/);
  await (await find(By.xpath('//li[@aria-label="Connection prod keys"]//button[normalize-space()="Edit"]'))).click();
  assert.equal(await (await find(field("Secret access key"))).getAttribute("value"), "");

  const answers = await driver.executeScript("return window.__answers");
  // The save's own answer is among them: it says a secret is stored.
  assert.ok(answers.some((a) => a.includes('"secretStored":true')), `IPC answers were recorded: ${answers.length}`);
  for (const a of answers) assert.ok(!a.includes(CANARY), `an IPC answer carries the secret: ${a.slice(0, 200)}`);
  assert.ok(!(await driver.getPageSource()).includes(CANARY), "the page holds the secret");
  const files = filesUnder(home);
  assert.ok(files.some((f) => f.endsWith("connections.json")), `${files}`);
  for (const file of files) assert.ok(!readFileSync(file).includes(CANARY), `${file} holds the secret`);
  assert.ok(!readFileSync(log).includes(CANARY), "the app's output holds the secret");
});

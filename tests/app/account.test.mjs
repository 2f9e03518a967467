// The account story in the real app (WebKitGTK under Xvfb, tauri-driver)
// against a real local account (the seeded moto of scripts/sandbox): add
// an endpoint connection on the Connections screen, test and use it,
// import the account's buckets, change a filter, review, apply — and the
// bucket's configuration in moto is the changed one, with the entry the
// app does not manage (an SQS queue) kept.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { By } from "selenium-webdriver";
import {
  startApp,
  artifactsDir,
  findDisplayed,
  application,
  appHome,
  retryStale,
  waitForText as waitForTextIn,
  screenshot,
} from "../support/tauri-driver.mjs";
import { withSandbox } from "../support/sandbox.mjs";

const artifacts = artifactsDir();
const { env } = appHome("account");
const sandbox = withSandbox();

let app;
let driver;
before(async () => {
  app = await startApp(application, {
    logFile: `${artifacts}tauri-driver-account.log`,
    // No BUCKETWIRE_SANDBOX_URL: the connection is added by hand.
    env,
  });
  driver = app.driver;
});
after(async () => {
  await app?.stop();
});

const find = (locator) => findDisplayed(driver, locator);
const button = (name, within = "") =>
  By.xpath(`${within}//button[normalize-space()="${name}" or @aria-label="${name}"]`);
const field = (form, label) =>
  By.xpath(`${form}//label[span[normalize-space()="${label}"]]/*[self::input or self::select]`);

const click = (locator) => retryStale(async () => (await find(locator)).click());
const textOf = (locator) => retryStale(async () => (await find(locator)).getText());

const waitForText = (locator, pattern) => waitForTextIn(driver, locator, pattern, "app-account-failed.png");

test("add an endpoint connection, import, change a filter, review, apply: moto has the change", async () => {
  await find(By.css('[data-testid="node-photos"]'));

  // Connections: add, test, use.
  await click(By.xpath('//button[starts-with(@aria-label, "Connection:")]'));
  await click(button("Add a connection"));
  const form = '//form[@aria-label="Connection"]';
  await (await find(field(form, "Name"))).sendKeys("Local moto");
  await (await find(field(form, "Kind"))).sendKeys("Custom endpoint");
  const endpoint = await find(field(form, "Endpoint URL"));
  await endpoint.clear();
  await endpoint.sendKeys(sandbox.url);
  await click(button("Save", form));
  const row = '//li[@aria-label="Connection Local moto"]';
  await click(button("Test", row));
  await waitForText(By.xpath(`${row}//*[@role="status"]`), /✓ account 123456789012/);
  await click(button("Use", row));
  await click(button("Close", '//div[@aria-label="Connections"]'));
  await find(button("Connection: Local moto · account 123456789012"));

  // Import every bucket as a new document.
  await click(button("Import"));
  const wizard = '//div[@role="dialog" and @aria-label="Import from an account"]';
  await click(By.xpath(`${wizard}//label[contains(., "Select all shown (6)")]/input`));
  await click(button("Import 6 buckets", wizard));
  await waitForText(
    By.xpath(`${wizard}//*[@aria-label="Import result"]`),
    /Read 6 bucket\(s\), 1 Lambda configuration\(s\), 1 SNS topic\(s\) with their subscribers, 1 SQS queue\(s\) with the function polling each, 4 function\(s\) and 4 role\(s\) from account 123456789012/,
  );
  await click(button("Open as new document", wizard));
  const filter = By.css('[data-testid="node-acme-logs/ingest"]');
  await find(filter);
  await find(By.css('[data-testid="node-acme-logs"]'));

  // Change the filter's prefix in the inspector.
  await click(filter);
  await retryStale(async () => {
    const prefix = await find(field('//aside[@aria-label="Inspector"]', "Key prefix"));
    await prefix.clear();
    await prefix.sendKeys("AWSLogs/2026/", "\uE007");
  });
  // The document's answer: the inspector shows the prefix Rust kept (the
  // card, zoomed out to show the whole account, shows titles only).
  await driver.wait(
    () =>
      retryStale(async () =>
        (await (await find(field('//aside[@aria-label="Inspector"]', "Key prefix"))).getAttribute("value")) ===
        "AWSLogs/2026/",
      ),
    20_000,
  );

  // Review: the plan changes that entry only; apply after the confirmation.
  await click(button("Review changes"));
  const review = '//div[@role="dialog" and @aria-label="Review changes"]';
  await waitForText(By.xpath(`${review}//pre[@aria-label="Plan"]`), /~ lambda "ingest"/);
  const plan = await textOf(By.xpath(`${review}//pre[@aria-label="Plan"]`));
  assert.match(plan, /was "ingest" .*AWSLogs\/…\.gz/);
  assert.match(plan, /Plan: 0 to add, 1 to change, 0 to remove\./);
  await click(button("Apply", review));
  await click(button("Apply now", review));
  await waitForText(By.xpath(`${review}//*[@aria-label="Apply outcome"]`), /Applied 1 change\(s\)\./);
  await screenshot(driver).then((png) => writeFileSync(`${artifacts}app-apply.png`, png, "base64"));

  // The account now has the new prefix; the queue entry is kept.
  const xml = await (await fetch(`${sandbox.url}/acme-logs?notification`)).text();
  assert.match(xml, /<Value>AWSLogs\/2026\/<\/Value>/);
  assert.ok(!xml.includes("<Value>AWSLogs/</Value>"), xml);
  assert.match(xml, /<Id>audit-deletes<\/Id>/);
});

// The first ten minutes of a new user, in the real app as `make run`
// starts it (the seeded local sandbox, no AWS credentials anywhere): the
// tour on the first start, a template, the "Local sandbox" connection
// already current, a plan and an apply — and the sandbox then holds the
// template's wiring; a DryRun test event from Try a key passes both checks.
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
const { env } = appHome("newcomer", { tourSeen: false });
const sandbox = withSandbox();

let app;
let driver;
before(async () => {
  app = await startApp(application, {
    logFile: `${artifacts}tauri-driver-newcomer.log`,
    // What `make run` gives the app; no AWS_* variables, no profile.
    env: {
      ...env,
      BUCKETWIRE_SANDBOX_URL: sandbox.url,
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
      AWS_PROFILE: "",
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
    },
  });
  driver = app.driver;
});
after(async () => {
  await app?.stop();
});

const find = (locator) => findDisplayed(driver, locator);
const button = (name, within = "") =>
  By.xpath(`${within}//button[normalize-space()="${name}" or @aria-label="${name}"]`);
const click = (locator) => retryStale(async () => (await find(locator)).click());

const waitForText = (locator, pattern) => waitForTextIn(driver, locator, pattern, "app-newcomer-failed.png");

test("tour, template, sandbox connection, plan and apply, then a DryRun test event", async () => {
  // The tour, all eight steps.
  const tour = '//div[@role="dialog" and @aria-label="Tour"]';
  for (let step = 1; step <= 7; step++) {
    await waitForText(By.xpath(tour), new RegExp(`${step} of 8`));
    await click(button("Next", tour));
  }
  await waitForText(By.xpath(tour), /8 of 8/);
  await click(button("Done", tour));
  // Connected to the sandbox from the start.
  await find(button("Connection: Local sandbox · account 123456789012"));

  // A template from the start screen of a new document.
  await click(button("New"));
  await click(By.xpath('//section[@aria-label="Start"]//button[.//strong[normalize-space()="Virus scan on upload"]]'));
  await find(By.css('[data-testid="node-every-upload"]'));

  // Plan and apply.
  await click(button("Review changes"));
  const review = '//div[@role="dialog" and @aria-label="Review changes"]';
  const plan = By.xpath(`${review}//pre[@aria-label="Plan"]`);
  await waitForText(plan, /\+ lambda "scan-on-upload"/);
  await waitForText(plan, /Plan: 3 to add, 0 to change, 0 to remove\./);
  await click(button("Apply", review));
  await click(button("Apply now", review));
  await waitForText(By.xpath(`${review}//*[@aria-label="Apply outcome"]`), /Applied 3 change\(s\)\./);
  await click(button("Close", review));
  const xml = await (await fetch(`${sandbox.url}/acme-uploads?notification`)).text();
  assert.match(xml, /<Id>scan-on-upload<\/Id>/);
  assert.match(xml, /function:virus-scan/);

  // Try a key, then check delivery with a DryRun: both halves pass now.
  const tryKey = '//section[@aria-label="Try a key"]';
  await retryStale(async () => (await find(By.xpath(`${tryKey}//input[@aria-label="Object key"]`))).sendKeys("incoming/report.pdf"));
  await waitForText(By.xpath(`${tryKey}//*[@role="status"]`), /"scan-on-upload" fires/);
  await click(button("Check with a DryRun", tryKey));
  const result = By.xpath(`${tryKey}//*[@aria-label="Test event result"]`);
  await waitForText(result, /✓ S3 may invoke it for bucket acme-uploads/);
  assert.match(await (await find(result)).getText(), /✓ Lambda accepts the call/);
  writeFileSync(`${artifacts}app-newcomer.png`, await screenshot(driver), "base64");
});

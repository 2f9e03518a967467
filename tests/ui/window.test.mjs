// The window as a product, in real Chromium against the real Rust editor
// and the seeded sandbox: at 1280×720 nothing is cut off and the canvas is
// the largest area; every menu and popover closes on Escape and on a click
// outside; panel sizes, folds and the theme survive a reload; axe finds no
// serious or critical violation on any screen or modal, light or dark.
// Screenshots of each size and theme land in tests/artifacts/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { withEditor } from "../support/harness.mjs";
import { withSandbox } from "../support/sandbox.mjs";
import { artifactsDir } from "../support/tauri-driver.mjs";

const sandbox = withSandbox();
const h = withEditor({ env: () => ({ BUCKETWIRE_SANDBOX_URL: sandbox.url }) });
const SMALL = { width: 1280, height: 720 };
const LARGE = { width: 1920, height: 1080 };
const CONNECTED = "Connection: Local sandbox · account 123456789012";

const box = (page, selector) => page.locator(selector).first().boundingBox();

/** Serious and critical axe violations on what is shown now, as text. */
async function violations(page, what) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${what}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

test("at 1280×720 the top bar is one line, nothing is cut off, and the canvas is the largest area", async () => {
  const page = await h.openPage({ viewport: SMALL });
  await page.getByRole("button", { name: CONNECTED }).waitFor();
  const bar = await box(page, ".topbar");
  assert.ok(bar.height <= 48, `top bar ${bar.height}px tall`);
  const overflow = await page.evaluate(() => {
    const b = document.querySelector(".topbar");
    return b.scrollWidth - b.clientWidth;
  });
  assert.ok(overflow <= 0, `top bar overflows by ${overflow}px`);
  const canvas = await box(page, "main.canvas");
  const inspector = await box(page, ".panel-inspector");
  const sidebar = await box(page, ".panel-sidebar");
  const findings = await box(page, ".panel-findings");
  const area = (b) => b.width * b.height;
  for (const [name, b] of Object.entries({ inspector, sidebar, findings })) {
    assert.ok(area(canvas) > 2 * area(b), `canvas ${canvas.width}×${canvas.height} vs ${name} ${b.width}×${b.height}`);
  }
  assert.ok(canvas.height >= 400, `canvas ${canvas.height}px tall`);
  assert.ok(inspector.width >= 240, `inspector ${inspector.width}px wide`);
  // Try a key is one line over the canvas, not a band above it.
  const tryKey = await box(page, "section.try-key");
  assert.ok(tryKey.height <= 48, `Try a key ${tryKey.height}px tall`);
  assert.ok(tryKey.y >= canvas.y && tryKey.y + tryKey.height <= canvas.y + canvas.height, "Try a key inside the canvas");
  // The inspector shows a function whole: no field wider than the panel.
  await page.getByTestId("node-make-thumbnail").click();
  const inspectorEl = page.getByRole("complementary", { name: "Inspector" });
  await inspectorEl.getByLabel("Function ARN").waitFor();
  const cut = await page.evaluate(() => {
    const panel = document.querySelector(".panel-inspector").getBoundingClientRect();
    return [...document.querySelectorAll(".inspector input, .inspector select, .inspector button")]
      .filter((e) => e.getBoundingClientRect().right > panel.right + 1)
      .map((e) => e.getAttribute("aria-label") ?? e.textContent);
  });
  assert.deepEqual(cut, []);
  await page.close();
});

test("every menu and popover closes on Escape and on a click outside, and focus returns to its button", async () => {
  const page = await h.openPage({ viewport: SMALL });
  const openers = [
    ["Export", "menu"],
    ["Recent", "menu"],
    ["Help", "menu"],
    ["Filter the canvas", "dialog"],
  ];
  for (const [name, role] of openers) {
    const button = page.getByRole("button", { name, exact: true });
    for (const close of ["Escape", "outside"]) {
      await button.click();
      const popup = page.getByRole(role).filter({ hasNot: page.locator(".modal") }).last();
      await popup.waitFor();
      if (close === "Escape") await page.keyboard.press("Escape");
      else {
        // Radix listens for a click outside from the task after it opens
        // (a setTimeout): on an idle machine the test can be quicker than
        // that, a person never is. Two frames later it listens.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        await page.mouse.click(700, 400);
      }
      await popup.waitFor({ state: "detached" });
      if (close === "Escape") {
        // Focus returns as the menu goes (Radix does it in the frame after).
        await page
          .waitForFunction((b) => document.activeElement === b, await button.elementHandle(), { timeout: 5000 })
          .catch(() => assert.fail(`${name}: focus back on its button`));
      }
    }
  }
  // The keyboard opens a menu on its first item; arrow keys move; Enter runs the item.
  const lit = (text) =>
    page.waitForFunction((t) => document.querySelector("[role=menu] [data-highlighted]")?.textContent.includes(t), text);
  // The pointer rests where nothing changes under it: a pointer move
  // (Chromium sends one when what is under a resting pointer changes) would
  // tell the menu it is used with the mouse.
  await page.mouse.move(5, 700);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.getByRole("button", { name: "Help", exact: true }).focus();
  await page.keyboard.press("Enter");
  await lit("The tour");
  await page.keyboard.press("ArrowDown");
  await lit("Keyboard shortcuts");
  await page.keyboard.press("Enter");
  await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
  // Dialogs too: Escape, and a click on the backdrop.
  await page.keyboard.press("Escape");
  await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor({ state: "detached" });
  await page.getByRole("button", { name: CONNECTED }).click();
  const connections = page.getByRole("dialog", { name: "Connections" });
  await connections.waitFor();
  await page.mouse.click(10, 700);
  await connections.waitFor({ state: "detached" });
  await page.close();
});

test("panel sizes, folded panels and the theme survive a reload", async () => {
  const page = await h.openPage({ viewport: SMALL });
  const width = async () => (await box(page, ".panel-inspector")).width;
  const before = await width();
  // Keyboard resize: focus the handle, arrow keys.
  await page.getByRole("separator", { name: "Resize the inspector" }).focus();
  await page.keyboard.press("ArrowLeft");
  await page.waitForFunction((w) => document.querySelector(".panel-inspector").getBoundingClientRect().width > w + 20, before);
  const wider = await width();
  // Fold the findings list; dark theme.
  await page.getByRole("button", { name: "Hide the findings list" }).click();
  await page.getByRole("button", { name: "Show the findings list" }).waitFor();
  await page.getByRole("button", { name: "Help", exact: true }).click();
  await page.getByRole("menuitemcheckbox", { name: "Theme: dark" }).click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
  // The layout is kept once the key is let go: wait until Rust has it.
  const saved = async () => {
    const r = await fetch(`${h.bridge.url}/invoke/preferences`, { method: "POST", body: "{}" });
    return r.json();
  };
  for (;;) {
    const p = await saved();
    if (p.theme === "dark" && Math.abs(Number(p["panel.inspector"]) - wider) <= 2 && p["panel.findings.folded"] === "1") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await page.reload();
  await page.getByTestId("node-photos").waitFor();
  await page.getByRole("button", { name: "Show the findings list" }).waitFor();
  assert.ok(Math.abs((await width()) - wider) <= 2, `inspector ${await width()} after reload, ${wider} before`);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  // Back as it was, for the other tests.
  await page.getByRole("button", { name: "Show the findings list" }).click();
  await page.getByRole("button", { name: "Help", exact: true }).click();
  await page.getByRole("menuitemcheckbox", { name: "Theme: as the system" }).click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === "light");
  await page.close();
});

test("axe finds no serious or critical violation on any screen or modal, light or dark", async () => {
  const found = [];
  for (const colorScheme of ["light", "dark"]) {
    const page = await h.openPage({ viewport: SMALL, colorScheme });
    await page.waitForFunction((t) => document.documentElement.dataset.theme === t, colorScheme);
    await page.getByRole("button", { name: CONNECTED }).waitFor();
    found.push(...(await violations(page, `${colorScheme} main window`)));
    await page.getByTestId("node-make-thumbnail").click();
    await page.getByRole("complementary", { name: "Inspector" }).getByLabel("Function ARN").waitFor();
    await page.getByLabel("Object key").fill("uploads/cat.jpg");
    await page.locator(".try-key-result").waitFor();
    found.push(...(await violations(page, `${colorScheme} function selected, Try a key`)));
    const screens = [
      ["Export", "menu", null],
      ["Help", "menu", null],
      ["Filter the canvas", "dialog", null],
      ["Find", "dialog", "Find"],
      ["Review changes", "dialog", "Review changes"],
      ["Import", "dialog", "Import from an account"],
      [CONNECTED, "dialog", "Connections"],
    ];
    for (const [button, role, name] of screens) {
      await page.getByRole("button", { name: button, exact: true }).click();
      const shown = name === null ? page.getByRole(role).last() : page.getByRole(role, { name });
      await shown.waitFor();
      if (name === "Review changes") await shown.getByLabel("Plan").waitFor();
      if (name === "Import from an account") await shown.getByRole("checkbox").first().waitFor();
      found.push(...(await violations(page, `${colorScheme} ${name ?? button}`)));
      await page.keyboard.press("Escape");
      await shown.waitFor({ state: "detached" });
    }
    await page.keyboard.press("Control+/");
    await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    found.push(...(await violations(page, `${colorScheme} shortcuts`)));
    await page.keyboard.press("Escape");
    // The start screen (a new, empty document) and the tour.
    await page.getByRole("button", { name: "New", exact: true }).click();
    await page.getByRole("region", { name: "Start" }).waitFor();
    found.push(...(await violations(page, `${colorScheme} start screen`)));
    await page.getByRole("button", { name: "Help", exact: true }).click();
    await page.getByRole("menuitem", { name: "The tour" }).click();
    await page.getByRole("dialog", { name: "Tour" }).waitFor();
    found.push(...(await violations(page, `${colorScheme} tour`)));
    await page.close();
  }
  assert.deepEqual(found, []);
});

test("screenshots at 1280×720 and 1920×1080, light and dark", async () => {
  for (const viewport of [SMALL, LARGE]) {
    for (const colorScheme of ["light", "dark"]) {
      const page = await h.openPage({ viewport, colorScheme });
      await page.getByRole("button", { name: CONNECTED }).waitFor();
      await page.getByTestId("node-make-thumbnail").click();
      await page.getByRole("complementary", { name: "Inspector" }).getByLabel("Function ARN").waitFor();
      await page.getByLabel("Object key").fill("uploads/cat.jpg");
      await page.locator(".try-key-result").waitFor();
      await page.waitForFunction(() => document.querySelectorAll(".react-flow__node.lit").length >= 3);
      await page.screenshot({ path: `${artifactsDir()}window-${viewport.width}x${viewport.height}-${colorScheme}.png` });
      await page.close();
    }
  }
});

test("the keyboard alone: build, a finding, Try a key, review", async () => {
  const page = await h.openPage({ viewport: SMALL });
  await page.getByRole("button", { name: CONNECTED }).waitFor();
  /** Presses Tab until the focused element is named `name` (at most 120 times). */
  const tabTo = async (name) => {
    for (let i = 0; i < 120; i++) {
      const now = await page.evaluate(() => {
        const e = document.activeElement;
        return e?.getAttribute("aria-label") ?? e?.textContent?.trim() ?? "";
      });
      if (typeof name === "string" ? now === name : name.test(now)) return;
      await page.keyboard.press("Tab");
    }
    assert.fail(`Tab never reached ${name}`);
  };
  await page.keyboard.press("Control+n");
  await page.getByRole("region", { name: "Start" }).waitFor();
  await tabTo("Add Bucket");
  await page.keyboard.press("Enter");
  await page.getByTestId("node-bucket-1").waitFor();
  await tabTo("Add Filter");
  await page.keyboard.press("Enter");
  await page.getByTestId("node-filter-1").waitFor();
  // A finding, chosen by keyboard, selects what it is about.
  const findings = page.getByRole("region", { name: "Findings" });
  await findings.locator(".finding-main").first().waitFor();
  await tabTo(/^(Error|Warning|Info)/);
  await page.keyboard.press("Enter");
  await page.getByRole("complementary", { name: "Inspector" }).locator("h2, h3").first().waitFor();
  // Try a key.
  await tabTo("Object key");
  await page.keyboard.type("uploads/cat.jpg");
  await page.getByRole("region", { name: "Try a key" }).getByRole("status").waitFor();
  // Review: its shortcut opens it, Escape closes it and focus comes back.
  await page.keyboard.press("Control+Enter");
  const review = page.getByRole("dialog", { name: "Review changes" });
  await review.getByLabel("Plan").waitFor();
  await page.keyboard.press("Escape");
  await review.waitFor({ state: "detached" });
  await page.close();
});

// Building a wiring in real Chromium against the real Rust editor (the
// browser build's IPC goes to src-tauri's ipc_bridge): drag from the
// palette, connect, a refused connection, edit in the inspector, findings,
// undo and redo.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { chooseNode, withEditor } from "../support/harness.mjs";

const h = withEditor();
let page;
beforeEach(async () => {
  await page?.close();
  // The app opens the sample; start from an empty document.
  page = await h.openEmptyPage();
});

const card = (id) => page.getByTestId(`node-${id}`);

/** Presses the mouse at the centre of `a` and releases it at `b` + offset. */
async function drag(a, b, dx = 0) {
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2 + dx, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** Drags a connection from `from`'s output handle to `to`'s input handle. */
async function connect(from, to) {
  const source = await card(from).locator(".react-flow__handle-right").boundingBox();
  const target = await card(to).locator(".react-flow__handle-left").boundingBox();
  await drag(source, target);
}

async function edgeCount() {
  return page.locator(".react-flow__edge").count();
}

test("drag from the palette, connect, and see the findings update", async () => {
  const canvas = page.getByRole("main", { name: "Canvas" });
  await page.getByRole("button", { name: "Add Bucket" }).dragTo(canvas, { targetPosition: { x: 200, y: 200 } });
  await card("bucket-1").waitFor();
  assert.match(await card("bucket-1").textContent(), /new-bucket-1/);
  await page.getByRole("button", { name: "Add Filter" }).dragTo(canvas, { targetPosition: { x: 520, y: 200 } });
  await page.getByRole("button", { name: "Add Function" }).dragTo(canvas, { targetPosition: { x: 840, y: 200 } });
  await card("function-1").waitFor();

  await connect("bucket-1", "filter-1");
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__edge").length === 1);
  await connect("filter-1", "function-1");
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__edge").length === 2);

  // The function has no ARN yet: the finding names it, the card has a badge.
  const findings = page.getByRole("region", { name: "Findings" });
  await findings.getByText("invalid-function-arn").waitFor();
  assert.match(await card("function-1").locator(".badge").getAttribute("aria-label"), /worst: Error/);

  // Clicking the finding selects the function; the inspector shows it.
  await findings.getByText("invalid-function-arn").click();
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  const arn = inspector.getByLabel("Function ARN");
  await arn.fill("arn:aws:lambda:us-east-1:123456789012:function:make-thumbnail");
  await arn.press("Enter");
  await card("function-1").getByText("make-thumbnail", { exact: true }).waitFor();
  await findings.getByText("invalid-function-arn").waitFor({ state: "detached" });
});

test("a connection the core refuses is not drawn and its reason is shown", async () => {
  await page.getByRole("button", { name: "Add Bucket" }).click();
  await page.getByRole("button", { name: "Add Function" }).click();
  await card("function-1").waitFor();
  const before = await edgeCount();
  // Both were added at the centre: move the function aside, then try to
  // wire the bucket straight to it.
  const box = await card("function-1").boundingBox();
  await drag(box, box, 350);
  await connect("bucket-1", "function-1");
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.textContent(), /filter/i);
  assert.equal(await edgeCount(), before);
});

test("inspector edits are undone and redone from the keyboard", async () => {
  await page.getByRole("button", { name: "Add Filter" }).click();
  await card("filter-1").click();
  const prefix = page.getByRole("complementary", { name: "Inspector" }).getByLabel("Key prefix");
  await prefix.fill("uploads/");
  await prefix.press("Enter");
  await card("filter-1").getByText("uploads/…", { exact: true }).waitFor();

  await page.getByRole("main", { name: "Canvas" }).click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Control+z");
  await card("filter-1").getByText("…", { exact: true }).waitFor();
  await page.keyboard.press("Control+Shift+z");
  await card("filter-1").getByText("uploads/…", { exact: true }).waitFor();
  // Undo twice more: the edit, then the filter itself.
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+z");
  await card("filter-1").waitFor({ state: "detached" });
  assert.equal(await page.getByRole("button", { name: "Undo" }).isDisabled(), true);
});

test("copy, paste, duplicate and auto-layout: one undo step each", async () => {
  await page.getByRole("button", { name: "Add Bucket" }).click();
  await card("bucket-1").click();
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await card("bucket-1-copy").waitFor();
  assert.match(await card("bucket-1-copy").textContent(), /new-bucket-1-copy/);
  await card("bucket-1").click();
  await page.keyboard.press("Control+d");
  await card("bucket-1-copy-2").waitFor();
  await page.keyboard.press("Control+z");
  await card("bucket-1-copy-2").waitFor({ state: "detached" });

  // Pasted nodes sit 40 px apart; the layout puts them in one column.
  const before = await card("bucket-1-copy").boundingBox();
  await page.getByRole("button", { name: "Auto-layout" }).click();
  await page.waitForFunction(
    (b) => {
      const r = document.querySelector('[data-testid="node-bucket-1-copy"]')?.getBoundingClientRect();
      return r !== undefined && (Math.abs(r.x - b.x) > 1 || Math.abs(r.y - b.y) > 1);
    },
    before,
  );
  // fitView animates: read the boxes once they stop moving.
  let a;
  let b;
  for (let last = ""; ; await page.waitForTimeout(100)) {
    a = await card("bucket-1").boundingBox();
    b = await card("bucket-1-copy").boundingBox();
    const now = JSON.stringify([a, b]);
    if (now === last) break;
    last = now;
  }
  const centre = (r) => r.x + r.width / 2;
  assert.ok(Math.abs(centre(a) - centre(b)) < 2, `one column: ${centre(a)} vs ${centre(b)}`);
  assert.ok(b.y >= a.y + a.height || a.y >= b.y + b.height, "no overlap");
});

test("Ctrl+K finds a node by name and selects it", async () => {
  await page.getByRole("button", { name: "Add Function" }).click();
  await page.getByRole("button", { name: "Add Bucket" }).click();
  await card("bucket-1").waitFor();
  await page.keyboard.press("Control+k");
  const find = page.getByRole("dialog", { name: "Find" });
  await find.getByLabel("Find a node or an action").fill("new-bucket");
  await page.keyboard.press("Enter");
  await find.waitFor({ state: "detached" });
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  assert.equal(await inspector.getByLabel("Bucket name").inputValue(), "new-bucket-1");
  // Actions too.
  await page.keyboard.press("Control+k");
  await find.getByLabel("Find a node or an action").fill("undo");
  // Enter runs the highlighted match: wait until it is Undo, as a person
  // would look before pressing it.
  await find.getByRole("option", { name: /^Undo/, selected: true }).waitFor();
  await page.keyboard.press("Enter");
  await card("bucket-1").waitFor({ state: "detached" });
});

test("the keyboard alone builds a path: palette, finder, connect from the inspector", async () => {
  for (const name of ["Add Bucket", "Add Filter", "Add Function"]) {
    await page.getByRole("button", { name }).focus();
    await page.keyboard.press("Enter");
  }
  await card("function-1").waitFor();
  const choose = (title) => chooseNode(page, title);
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  await choose("new-bucket-1");
  await inspector.getByLabel("Connect to a filter or rule").selectOption({ label: "new-filter-1" });
  await inspector.getByRole("button", { name: "Disconnect new-filter-1" }).waitFor();
  await choose("new-filter-1");
  await inspector.getByLabel("Connect to a function").selectOption({ label: "(no ARN yet)" });
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__edge").length === 2);

  // A second bucket cannot feed the same filter, so it is not offered (a
  // drag that tries is refused with the reason: see "a connection the core
  // refuses").
  await page.getByRole("button", { name: "Add Bucket" }).click();
  await card("bucket-2").waitFor();
  await page.getByRole("button", { name: "Add Filter" }).click();
  await card("filter-2").waitFor();
  await choose("new-bucket-2");
  const offered = inspector.getByLabel("Connect to a filter or rule").locator("option");
  await offered.filter({ hasText: "new-filter-2" }).waitFor({ state: "attached" });
  assert.deepEqual(await offered.allTextContents(), ["Connect to a filter or rule…", "new-filter-2"]);
  assert.equal(await edgeCount(), 2);

  await choose("new-bucket-1");
  await inspector.getByRole("button", { name: "Disconnect new-filter-1" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__edge").length === 1);
});

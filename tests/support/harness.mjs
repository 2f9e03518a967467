// The Chromium suite's shared set-up: the mock build served on a free
// port, Chromium, and the Rust editor behind ipc_bridge. Call once per
// test file; the returned object's fields are set once `before` has run.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { serveDirectory } from "./static-server.mjs";
import { launchChromium } from "./chromium.mjs";
import { startBridge } from "./bridge.mjs";

const dist = fileURLToPath(new URL("../../ui/dist-mock", import.meta.url));

/** `env`: more environment for the bridge (as the app would have it). */
export function withEditor({ env = {} } = {}) {
  const h = { server: null, browser: null, bridge: null };
  before(async () => {
    h.server = await serveDirectory(dist);
    h.browser = await launchChromium();
    h.bridge = await startBridge({ env: typeof env === "function" ? env() : env });
  });
  after(async () => {
    await h.browser?.close();
    await h.server?.close();
    h.bridge?.stop();
  });
  /** The app's URL with these query parameters (always the bridge). */
  h.url = (params = {}) =>
    `${new URL("/", h.server.url)}?${new URLSearchParams({ bridge: h.bridge.url, ...params })}`;
  /** A new page on the app, failing the test on any page error, once the
   * sample the app opens at start is drawn. */
  h.openPage = async ({ tour = false, viewport = { width: 1400, height: 900 }, colorScheme = "light", ...params } = {}) => {
    // Each page starts from the sample, whatever the last test left, and
    // without the first-start tour unless a test asks for it.
    await fetch(`${h.bridge.url}/invoke/open_sample`, { method: "POST", body: "{}" });
    if (!tour) await fetch(`${h.bridge.url}/invoke/mark_tour_seen`, { method: "POST", body: "{}" });
    // A context of its own (axe needs one), closed with the page.
    const context = await h.browser.newContext({ viewport, colorScheme });
    const page = await context.newPage();
    page.on("close", () => void context.close().catch(() => undefined));
    page.on("pageerror", (e) => assert.fail(`page error: ${e.message}`));
    await page.goto(h.url(params));
    await page.getByTestId("node-photos").waitFor({ timeout: 10_000 });
    return page;
  };
  /** A new page (as `openPage`) whose document is then replaced by an
   * empty one through New, as a person starting from scratch would. */
  h.openEmptyPage = async (options) => {
    const page = await h.openPage(options);
    await emptyDocument(page);
    return page;
  };
  /** Saves an endpoint connection to `url` (through the Rust side, as the
   * Connections screen would) and makes it current in `page` on the
   * Connections screen. */
  h.useEndpoint = async (page, name, url) => {
    const input = { name, region: "us-east-1", how: { kind: "endpoint", url, pathStyle: true } };
    const saved = await fetch(`${h.bridge.url}/invoke/save_connection`, { method: "POST", body: JSON.stringify({ input }) });
    assert.ok(saved.ok, await saved.text());
    await page.getByRole("button", { name: /^Connection:/ }).click();
    const screen = page.getByRole("dialog", { name: "Connections" });
    await screen.getByRole("listitem", { name: `Connection ${name}` }).getByRole("button", { name: "Use" }).click();
    await screen.getByRole("button", { name: "Close" }).click();
    await page.getByRole("button", { name: `Connection: ${name} · account 123456789012` }).waitFor({ timeout: 20_000 });
  };
  return h;
}

/** Selects the node titled `title` through Find (Ctrl+K), as a keyboard
 * user would. */
export async function chooseNode(page, title) {
  await page.keyboard.press("Control+k");
  await page.getByLabel("Find a node or an action").fill(title);
  await page.keyboard.press("Enter");
}

/** Selects the node titled `from` and connects it, from the inspector (the
 * keyboard way), to the option `option` of its "Connect to a `kind`" list;
 * waits until the inspector offers to disconnect `shown` (the new node's
 * title). */
export async function connectFromInspector(page, from, kind, option, shown) {
  await chooseNode(page, from);
  const inspector = page.getByRole("complementary", { name: "Inspector" });
  await inspector.getByLabel(`Connect to a ${kind}`).selectOption({ label: option });
  await inspector.getByRole("button", { name: `Disconnect ${shown}` }).waitFor();
}

/** New, then waits until the sample's cards are gone. */
export async function emptyDocument(page) {
  await page.getByRole("button", { name: "New" }).click();
  await page.getByTestId("node-photos").waitFor({ state: "detached" });
}

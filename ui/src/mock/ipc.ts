// Browser-only IPC for the Chromium suite. With `?bridge=http://127.0.0.1:PORT`
// every command goes to the real Rust editor behind src-tauri's
// `ipc_bridge` example, so the UI tests exercise the real core. Without
// it, `open_sample` and `current` answer the fixture Rust generated
// (sample-view.json, written by src-tauri/tests/generated_files.rs) and
// every other command fails, so a preview still opens.
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import sampleView from "./sample-view.json";

async function forward(bridge: string, cmd: string, args: unknown): Promise<unknown> {
  const response = await fetch(`${bridge}/invoke/${cmd}`, {
    method: "POST",
    // text/plain keeps the request "simple": no CORS preflight.
    headers: { "Content-Type": "text/plain" },
    body: JSON.stringify(args ?? {}),
  });
  const body: unknown = await response.json();
  if (response.ok) return body;
  throw body;
}

export function installMockIpc(): void {
  const bridge = new URLSearchParams(window.location.search).get("bridge");
  mockWindows("main");
  mockIPC((cmd, args) => {
    if (bridge !== null) return forward(bridge, cmd, args);
    switch (cmd) {
      case "open_sample":
      case "current":
        return sampleView;
      default:
        throw { code: "editRefused", message: `no editor in this preview (start it with ?bridge=...): ${cmd}` };
    }
  });
}

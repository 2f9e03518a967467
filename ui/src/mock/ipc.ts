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
  const params = new URLSearchParams(window.location.search);
  const bridge = params.get("bridge");
  // `?dialog=PATH`: every open or save dialog answers PATH, every question
  // "yes" (native dialogs cannot be driven from a browser).
  const dialog = params.get("dialog");
  mockWindows("main");
  mockIPC((cmd, args) => {
    if (cmd === "plugin:dialog|open" || cmd === "plugin:dialog|save") return dialog;
    if (cmd === "plugin:dialog|message") {
      const buttons = (args as { buttons?: unknown }).buttons;
      const ok = typeof buttons === "object" && buttons !== null ? (buttons as { OkCancelCustom?: string[] }).OkCancelCustom?.[0] : "Yes";
      return ok ?? "Yes";
    }
    if (bridge !== null) return forward(bridge, cmd, args);
    switch (cmd) {
      case "open_sample":
      case "current":
        return sampleView;
      case "recovery_status":
        return null;
      case "recent_files":
      case "templates":
      case "event_catalog":
        return [];
      case "tour_seen":
        return true;
      case "sandbox_connection":
        return null;
      case "preferences":
        return {};
      case "known_regions":
        return [];
      default:
        throw { code: "editRefused", message: `no editor in this preview (start it with ?bridge=...): ${cmd}` };
    }
  });
}

// Browser-only IPC for the Playwright suite: answers the app's commands
// with fixtures that Rust generated (sample-view.json is written by the
// desktop crate's bindings test, so it cannot drift from the real command).
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import sampleView from "./sample-view.json";

export function installMockIpc(): void {
  mockWindows("main");
  mockIPC((cmd) => {
    switch (cmd) {
      case "open_sample":
        return sampleView;
      case "open_document":
        throw { code: "fileUnreadable", message: "no files in the browser mock" };
      default:
        throw new Error(`mock IPC: unknown command ${cmd}`);
    }
  });
}

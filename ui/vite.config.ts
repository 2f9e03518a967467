import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The desktop shell serves the built files (ui/dist) from inside the binary;
// there is no dev server in the loop. `--mode mock` builds a browser-only
// copy (ui/dist-mock) whose IPC is mocked, for the Playwright suite.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  build: {
    target: "es2022",
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
  },
});

// Starts src-tauri's `ipc_bridge` example (the app's commands over loopback
// HTTP) so the Chromium suite drives the real Rust editor. Resolves to
// { url, stop }. Built by `cargo test --workspace --no-run`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const binary = process.env.BUCKETWIRE_BRIDGE ?? `${repo}target/debug/examples/ipc_bridge`;

export async function startBridge() {
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: run \`cargo test --workspace --no-run\` first`);
  }
  const child = spawn(binary, [], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`ipc_bridge exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      child.kill();
    },
  };
}

// Starts src-tauri's `ipc_bridge` example (the app's commands over loopback
// HTTP) so the Chromium suite drives the real Rust editor. Resolves to
// { url, home, stop } (home: a scratch directory for the run). Built by `cargo test --workspace --no-run`.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const binary = process.env.BUCKETWIRE_BRIDGE ?? `${repo}target/debug/examples/ipc_bridge`;

/** `home`: reuse a scratch directory (a restart); stop({keepHome}) keeps it. */
export async function startBridge({ home: reuse, env: extra = {} } = {}) {
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: run \`cargo test --workspace --no-run\` first`);
  }
  // Recent files and recovery copies of this run, away from the user's.
  const home = reuse ?? mkdtempSync(join(tmpdir(), "bw-bridge-"));
  const env = {
    ...process.env,
    BUCKETWIRE_CONFIG_DIR: join(home, "config"),
    BUCKETWIRE_DATA_DIR: join(home, "data"),
    ...extra,
  };
  const child = spawn(binary, [], { stdio: ["ignore", "pipe", "inherit"], env });
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
    home,
    stop: ({ keepHome = false } = {}) => {
      child.kill();
      if (!keepHome) rmSync(home, { recursive: true, force: true });
    },
  };
}

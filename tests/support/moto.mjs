// A moto server (the local AWS account) on a free loopback port, from the
// venv scripts/install-deps.sh makes. Resolves to { url, stop }.
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../../", import.meta.url));

export async function startMoto() {
  const child = spawn(`${repo}.venv-tools/bin/moto_server`, ["-H", "127.0.0.1", "-p", "0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = await new Promise((resolve, reject) => {
    let err = "";
    child.stderr.on("data", (chunk) => {
      err += chunk;
      const m = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`moto_server exited with ${code}: ${err}`)));
  });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/moto-api/`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => child.kill() };
}

/** Seeds the moto at `url` with a mid-size account's shape
 * (seed_account.py: `buckets` buckets in three regions, one in six wired);
 * resolves to the wired bucket names. Asynchronous: a moto child's log pipe
 * must keep draining while the seeding runs. */
export async function seedAccount(url, buckets) {
  const { stdout } = await promisify(execFile)(`${repo}.venv-tools/bin/python`, [
    `${repo}tests/support/seed_account.py`,
    url,
    String(buckets),
  ]);
  return JSON.parse(stdout);
}

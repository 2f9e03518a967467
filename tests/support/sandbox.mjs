// The local sandbox account `make run` starts (scripts/sandbox/start.sh: a
// seeded moto), for a test file: started before its tests, stopped after.
// Returns { url } (set once `before` has run).
import { before, after } from "node:test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../../", import.meta.url));

export function withSandbox() {
  const sandbox = { url: null, repo };
  const pidfile = join(mkdtempSync(join(tmpdir(), "bw-sandbox-")), "pid");
  before(() => {
    sandbox.url = execFileSync(`${repo}scripts/sandbox/start.sh`, [pidfile], { encoding: "utf8" }).trim();
  });
  after(() => {
    try {
      process.kill(Number(readFileSync(pidfile, "utf8")));
    } catch {
      // already gone
    }
  });
  return sandbox;
}

import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processAlive } from "../process-alive.ts";

/**
 * Runs `work` while holding a lock shared by every hpx on this machine (a directory made
 * atomically, holding the owner's pid; a dead owner's lock is taken over). kwokctl picks
 * "unused" ports by trying them, so two clusters created at the same moment (two
 * HPX_HOMEs: a test run and a demo) can pick the same ones; created one after the other,
 * each sees the other's ports taken.
 */
export async function withMachineLock<T>(name: string, work: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  const dir = join(tmpdir(), `hpx-${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, "pid"), String(process.pid));
      break;
    } catch {
      let owner = 0; // 0: the owner has made the directory but not written its pid yet
      try {
        owner = Number(readFileSync(join(dir, "pid"), "utf8").trim());
      } catch {
        // keep 0
      }
      if (owner > 0 && !processAlive(owner)) rmSync(dir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${dir} is held by pid ${owner}`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

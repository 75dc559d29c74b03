/**
 * A test run that is itself stopped: a CI job cancelled (SIGTERM), Ctrl-C (SIGINT), a
 * closed terminal (SIGHUP). vitest answers SIGTERM and SIGINT by exiting a millisecond
 * later without calling the global teardown, and kwokctl's components are not its
 * children: the cluster, moto, every hpx and engine a test had started kept running, and
 * the run's HPX_HOME stayed behind. What ends them here is synchronous, so it finishes
 * before vitest's exit.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { processAlive } from "../../src/process-alive.ts";

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** Every process below `root` (its children, theirs, …), from /proc's parent links. */
export function descendants(root: number, procDir = "/proc"): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync(procDir)) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`${procDir}/${entry}/stat`, "utf8");
    } catch {
      continue; // ended while the directory was read
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  for (let queue = [root]; queue.length > 0; ) {
    const next = children.get(queue.shift()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/**
 * On SIGTERM, SIGINT or SIGHUP: kills every process below this one and those `others()`
 * names (the cluster's components), removes `home`, and exits with 128 + the signal's
 * number, as a shell reports a process a signal ended.
 */
export function endRunOnSignal(others: () => number[], home: string): void {
  for (const [name, number] of Object.entries(SIGNALS)) {
    process.once(name, () => {
      const pids = [...descendants(process.pid), ...others()];
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      // SIGKILL is delivered, not done, when kill returns: wait (synchronously) until
      // they are gone before removing the directory they write in.
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (let waited = 0; waited < 5_000 && pids.some(processAlive); waited += 20) Atomics.wait(pause, 0, 0, 20);
      const left = pids.filter(processAlive);
      if (!process.env.HPX_TEST_KEEP) rmSync(home, { recursive: true, force: true });
      process.stderr.write(`[harness] ${name}: ended ${pids.length - left.length} process(es) the run had started${left.length > 0 ? `; still running: ${left.join(", ")}` : ""}\n`);
      process.exit(128 + number);
    });
  }
}

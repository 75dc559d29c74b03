/**
 * Before each measured operation, the benchmark waits until the local cluster has finished
 * the previous one's work: its own processes (API server, etcd, controller manager,
 * scheduler, kwok) using almost no CPU for a few seconds in a row.
 *
 * Why: an operation started within seconds of a cold up of 10,000 measured the cold up's
 * tail as much as the tool: a one-process change took 11.80 s there (performance.md, run
 * AL), most of it p0000's rollout queued behind the controller manager's last work, and
 * 2.93 s once the cluster was quiet (run AN). Every tool gets the same wait, and the run
 * records how long each one took.
 */
import { readFileSync } from "node:fs";

/** When the cluster counts as quiet, and how long to wait for it at most. */
export interface QuietRule {
  /** CPU of all the cluster's processes together, in cores, below which a second is quiet. */
  cores: number;
  /** How many quiet seconds in a row make the cluster quiet. */
  seconds: number;
  /** The longest wait: after it the operation runs anyway, and the wait is recorded as not quiet. */
  maxSeconds: number;
}

/**
 * An idle local cluster of 3 nodes and 1,000 processes uses 0.01-0.08 cores (sampled each
 * second); its busiest seconds in a cold up use both.
 */
export const QUIET: QuietRule = { cores: 0.25, seconds: 3, maxSeconds: 900 };

/** Whether the last `rule.seconds` samples (cores used in each second, oldest first) are all quiet. */
export function isQuiet(perSecond: readonly number[], rule: QuietRule): boolean {
  if (perSecond.length < rule.seconds) return false;
  return perSecond.slice(-rule.seconds).every((c) => c < rule.cores);
}

/** CPU seconds a process has used (user and system), or undefined once it has ended. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

export interface QuietWait {
  /** Seconds waited. */
  seconds: number;
  /** False when `maxSeconds` ran out first. */
  quiet: boolean;
}

/** For the benchmark's log: "the cluster quiet after 3 s", "the cluster still busy after 900 s". */
export function describeQuietWait(wait: QuietWait): string {
  return `the cluster ${wait.quiet ? "quiet" : "still busy"} after ${wait.seconds.toFixed(0)} s`;
}

/** What {@link waitUntilQuiet} reads and waits with; tests give their own. */
export interface QuietIo {
  read: (pid: number) => number | undefined;
  sleep: (ms: number) => Promise<void>;
  /** Milliseconds from any fixed point. */
  now: () => number;
}

const realIo: QuietIo = { read: cpuSeconds, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: () => performance.now() };

/**
 * Samples the processes' CPU once a second until they are quiet ({@link isQuiet}) or the
 * rule's longest wait has passed. A process that ended counts as using nothing from then
 * on; each process's use is taken apart, so that one ending does not take its past CPU
 * off the others' in that second.
 */
export async function waitUntilQuiet(pids: readonly number[], rule: QuietRule = QUIET, io: QuietIo = realIo): Promise<QuietWait> {
  const t0 = io.now();
  const perSecond: number[] = [];
  let last = pids.map((pid) => io.read(pid));
  let lastAt = t0;
  for (;;) {
    await io.sleep(1000);
    const now = pids.map((pid) => io.read(pid));
    const at = io.now();
    const used = now.reduce<number>((a, cpu, i) => a + (cpu === undefined ? 0 : cpu - (last[i] ?? cpu)), 0);
    perSecond.push(used / Math.max(0.001, (at - lastAt) / 1000));
    [last, lastAt] = [now, at];
    const seconds = (at - t0) / 1000;
    if (isQuiet(perSecond, rule)) return { seconds, quiet: true };
    if (seconds >= rule.maxSeconds) return { seconds, quiet: false };
  }
}

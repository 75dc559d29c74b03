/**
 * What the benchmark measures of one command: wall time, the API requests it made
 * (from kube-apiserver's audit log) and the peak resident memory of its process tree.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { countRequests } from "./audit-log.ts";

export interface Measured {
  seconds: number;
  /** Requests the command's processes made, from the audit log. */
  requests: number;
  /** Peak of the summed RSS of the command's process tree, in MB (hpx: with the Pulumi CLI and provider it starts). */
  peakRssMb: number;
  /** Peak RSS of the command's own process, in MB. */
  peakOwnRssMb: number;
  /** Every run's seconds, in order, when this is the median of several ({@link medianOf}). */
  samples?: number[];
}

/**
 * RSS of processes and all their descendants, summed, in bytes. Descendants, not the
 * process group: Pulumi starts its plugins in groups of their own.
 */
function treeRss(roots: number[]): { tree: number; own: number } {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which may hold spaces: state ppid ...
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const pages = Number(readFileSync(`/proc/${entry}/statm`, "utf8").split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      rss.set(Number(entry), pages * 4096);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const queue = [...roots];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    total += rss.get(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return { tree: total, own: roots.reduce((a, r) => a + (rss.get(r) ?? 0), 0) };
}

/** The commands being measured now, so that a stopped benchmark ends them ({@link endRunning}). */
const running = new Set<ChildProcess>();

/** Sends SIGTERM to every command being measured (hpx stops its engines on it). */
export function endRunning(): void {
  for (const child of running) child.kill("SIGTERM");
}

/**
 * Runs a command, sampling the memory of its process tree every 50 ms.
 * `okCodes` are the exit codes that mean success (kubectl diff exits 1 on a difference).
 */
export function measure(cmd: string, args: string[], opts: { cwd?: string; auditLog: string; okCodes?: number[] }): Promise<Measured> {
  return measureAll([{ cmd, args }], opts);
}

/**
 * Runs commands at once (Helm split into several releases: one `helm` per release), until
 * the last ends: the wall time, every request made meanwhile, and the peak of their
 * process trees' summed RSS. Any command failing fails the measurement.
 */
export async function measureAll(commands: { cmd: string; args: string[] }[], opts: { cwd?: string; auditLog: string; okCodes?: number[] }): Promise<Measured> {
  const started = Date.now();
  const t0 = performance.now();
  const children = commands.map(({ cmd, args }) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ["ignore", "ignore", "pipe"] });
    running.add(child);
    child.once("close", () => running.delete(child));
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
    return { cmd, args, child, closed, err: () => err };
  });
  let peak = 0;
  let peakOwn = 0;
  const sampler = setInterval(() => {
    const { tree, own } = treeRss(children.map((c) => c.child.pid!));
    peak = Math.max(peak, tree);
    peakOwn = Math.max(peakOwn, own);
  }, 50);
  const codes = await Promise.all(children.map((c) => c.closed));
  clearInterval(sampler);
  const seconds = (performance.now() - t0) / 1000;
  children.forEach((c, i) => {
    if (!(opts.okCodes ?? [0]).includes(codes[i] ?? -1)) throw new Error(`${c.cmd} ${c.args.join(" ")} exited ${codes[i]}: ${c.err()}`);
  });
  // The audit log is written as requests complete; give the last line a moment.
  await new Promise((r) => setTimeout(r, 300));
  return { seconds, requests: countRequests(opts.auditLog, started - 5, Date.now()), peakRssMb: peak / 1e6, peakOwnRssMb: peakOwn / 1e6 };
}

/** Sums measurements of commands run one after the other (apply, then wait). */
export function sum(...parts: Measured[]): Measured {
  return {
    seconds: parts.reduce((a, p) => a + p.seconds, 0),
    requests: parts.reduce((a, p) => a + p.requests, 0),
    peakRssMb: Math.max(...parts.map((p) => p.peakRssMb)),
    peakOwnRssMb: Math.max(...parts.map((p) => p.peakOwnRssMb)),
  };
}

/**
 * How many times `ls` runs, for each tool, in the benchmark. It takes a third of a second
 * at N=1,000, and one run of it varies by more than the 20 % its target allows (run AL:
 * 0.33 s against kubectl's 0.27 in the benchmark; 0.284–0.348 s and 0.296–0.333 over 8
 * runs each afterwards), so one sample cannot tell which side of the target a tool is.
 */
export const LS_RUNS = 5;

/** Runs a measurement `runs` times, one after the other, and keeps the median run ({@link medianRun}). */
export async function medianOf(runs: number, once: () => Promise<Measured>): Promise<Measured> {
  const all: Measured[] = [];
  for (let i = 0; i < runs; i++) all.push(await once());
  return { ...medianRun(all), samples: all.map((m) => m.seconds) };
}

/**
 * The run whose time is the median (the lower of the two middle ones for an even count).
 * Its requests and memory come with it: they are one run's, as every other row's.
 */
export function medianRun(all: readonly Measured[]): Measured {
  const sorted = [...all].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error("medianRun: no runs to take the median of");
  return middle;
}

/**
 * The engine processes of a run (the Pulumi CLI and the plugins it starts) carry one
 * environment variable naming their stack and the hpx process that started them. The
 * plugins run in process groups of their own, so killing hpx's group does not end them;
 * with this mark hpx finds them: its own at exit (a second signal, a run stopped early)
 * and those of a dead run of the same stack when the next run starts.
 * Linux only (it reads /proc); elsewhere nothing is found.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { processAlive } from "../process-alive.ts";

/** The variable: `<stack key>:<hpx pid>`. */
export const ENGINE_MARK = "HPX_ENGINE_OF";

/** One engine process found by its mark. */
export interface EngineProcess {
  pid: number;
  /** Its command line, for messages. */
  command: string;
  /** The stack it ran for (see {@link stackKey}). */
  stackKey: string;
  /** The hpx process that started its run. */
  hpxPid: number;
}

/** A stack on a backend, as a short digest: the same stack on this machine gives the same key. */
export function stackKey(backendUrl: string, stack: string): string {
  return createHash("sha256").update(`${backendUrl}\u0000${stack}`).digest("hex").slice(0, 16);
}

/** The variable's value for engine processes this hpx starts for a stack. */
export function engineMark(backendUrl: string, stack: string, pid = process.pid): string {
  return `${stackKey(backendUrl, stack)}:${pid}`;
}

/** Parses a mark; undefined when it is not one. */
export function parseEngineMark(value: string): { stackKey: string; hpxPid: number } | undefined {
  const m = /^([0-9a-f]{16}):(\d+)$/.exec(value);
  return m ? { stackKey: m[1]!, hpxPid: Number(m[2]) } : undefined;
}

/** Every process of this user that carries the mark. */
export function markedProcesses(procDir = "/proc"): EngineProcess[] {
  let entries: string[];
  try {
    entries = readdirSync(procDir).filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const found: EngineProcess[] = [];
  const prefix = `${ENGINE_MARK}=`;
  for (const entry of entries) {
    try {
      const vars = readFileSync(`${procDir}/${entry}/environ`, "utf8").split("\u0000");
      const value = vars.find((v) => v.startsWith(prefix))?.slice(prefix.length);
      const mark = value === undefined ? undefined : parseEngineMark(value);
      if (!mark) continue;
      const command = readFileSync(`${procDir}/${entry}/cmdline`, "utf8").split("\u0000").filter(Boolean).join(" ");
      found.push({ pid: Number(entry), command, ...mark });
    } catch {
      // gone meanwhile, or another user's
    }
  }
  return found;
}

/** Ends processes at once (SIGKILL); those already gone are skipped. Returns those it signalled. */
export function endProcesses(processes: readonly EngineProcess[]): EngineProcess[] {
  return processes.filter((p) => {
    try {
      process.kill(p.pid, "SIGKILL");
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Ends processes and waits (up to `timeoutMs`) until they are gone: a killed process
 * dies asynchronously, and hpx must not exit while its engine's processes still run.
 */
export async function endProcessesAndWait(processes: readonly EngineProcess[], timeoutMs = 3000, alive = processAlive): Promise<EngineProcess[]> {
  const ended = endProcesses(processes);
  for (const t0 = Date.now(); ended.some((p) => alive(p.pid)) && Date.now() - t0 < timeoutMs; ) await new Promise((r) => setTimeout(r, 20));
  return ended;
}

/** The engine processes this hpx process started (still running). */
export function ownEngineProcesses(found = markedProcesses(), pid = process.pid): EngineProcess[] {
  return found.filter((p) => p.hpxPid === pid && p.pid !== pid);
}

/**
 * Engine processes of `key`'s stack whose hpx is dead: left by a run killed with
 * SIGKILL. No live run can be using them, so ending them is safe; a live hpx's are kept.
 */
export function strayEngineProcesses(key: string, found = markedProcesses(), alive = processAlive): EngineProcess[] {
  return found.filter((p) => p.stackKey === key && p.hpxPid !== process.pid && !alive(p.hpxPid));
}

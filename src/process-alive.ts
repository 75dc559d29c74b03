import { readFileSync } from "node:fs";

/** The one-letter state of a process from /proc (Linux), if readable. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // pid (comm) state ...: comm may hold spaces and parentheses, so read after the last ')'.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return undefined;
  }
}

/**
 * Whether a process still runs. A killed process whose parent died too may stay a zombie
 * (state Z) until something reaps it, and some init processes never do: it exists, but
 * it runs and holds nothing any more.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  return processState(pid) !== "Z";
}

/**
 * Requests counted in kube-apiserver's audit log (bench/audit-policy.yaml): the benchmark's
 * and the scaling test's way to know how many requests a command made.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** User agents of the cluster's own components: their requests are nobody's command. */
const CLUSTER_AGENTS = /^(kube-controller-manager|kube-scheduler|kube-apiserver|kwok)/;

/**
 * Counts the requests answered between two instants, except the cluster's own. In the
 * benchmark only one command runs at a time, so the window says whose they are; where
 * other clients share the cluster (the test suite runs two files at once), `username`
 * keeps only the requests made as that user.
 */
export function countRequests(auditLog: string, fromMs: number, toMs: number, username?: string): number {
  let count = 0;
  forEachNewLine(auditLog, (line) => {
    if (line === "") return;
    const event = JSON.parse(line) as { stage: string; userAgent?: string; requestReceivedTimestamp: string; user?: { username?: string } };
    if (event.stage !== "ResponseComplete") return;
    if (CLUSTER_AGENTS.test(event.userAgent ?? "") || event.user?.username === "system:apiserver") return;
    if (username !== undefined && event.user?.username !== username) return;
    const at = Date.parse(event.requestReceivedTimestamp);
    if (at >= fromMs && at <= toMs) count++;
  });
  return count;
}

/** Where each log was read up to: the log grows by megabytes a run, so it is read once. */
const readUpTo = new Map<string, number>();

/**
 * Reads at most this much of the log at once. At N=10,000 the cluster's own requests
 * between two commands make hundreds of MB of log, past what one string may hold.
 */
const CHUNK = 32 * 1024 * 1024;

/** Calls `fn` on each complete line written since the last call, reading the log in chunks. */
function forEachNewLine(path: string, fn: (line: string) => void): void {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    // A smaller file is a new one (the API server rotated its log): read it from the start.
    const before = readUpTo.get(path) ?? 0;
    let from = size < before ? 0 : before;
    while (from < size) {
      const buf = Buffer.alloc(Math.min(CHUNK, size - from));
      const read = readSync(fd, buf, 0, buf.length, from);
      // Complete lines only: a line cut by the chunk's end is read again with the next.
      const complete = buf.lastIndexOf(0x0a, read - 1) + 1;
      if (complete === 0) {
        if (read === CHUNK) throw new Error(`${path}: a line longer than ${CHUNK} bytes`);
        break; // the last line is still being written
      }
      for (const line of buf.toString("utf8", 0, complete).split("\n")) fn(line);
      from += complete;
    }
    readUpTo.set(path, from);
  } finally {
    closeSync(fd);
  }
}

/**
 * Requests counted in kube-apiserver's audit log (bench/audit-policy.yaml): the benchmark's
 * and the scaling test's way to know how many requests a command made.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** User agents of the cluster's own components: their requests are nobody's command. */
const CLUSTER_AGENTS = /^(kube-controller-manager|kube-scheduler|kube-apiserver|kwok)/;

/**
 * Counts the requests answered between two instants, except the cluster's own.
 * Only one command runs at a time, so the window says whose they are.
 */
export function countRequests(auditLog: string, fromMs: number, toMs: number): number {
  let count = 0;
  for (const line of newLines(auditLog)) {
    if (line === "") continue;
    const event = JSON.parse(line) as { stage: string; userAgent?: string; requestReceivedTimestamp: string; user?: { username?: string } };
    if (event.stage !== "ResponseComplete") continue;
    if (CLUSTER_AGENTS.test(event.userAgent ?? "") || event.user?.username === "system:apiserver") continue;
    const at = Date.parse(event.requestReceivedTimestamp);
    if (at >= fromMs && at <= toMs) count++;
  }
  return count;
}

/** Where each log was read up to: the log grows by megabytes a run, so it is read once. */
const readUpTo = new Map<string, number>();

function newLines(path: string): string[] {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    // A smaller file is a new one (the API server rotated its log): read it from the start.
    const before = readUpTo.get(path) ?? 0;
    const from = size < before ? 0 : before;
    const buf = Buffer.alloc(size - from);
    readSync(fd, buf, 0, buf.length, from);
    const text = buf.toString("utf8");
    const complete = text.lastIndexOf("\n") + 1;
    readUpTo.set(path, from + Buffer.byteLength(text.slice(0, complete)));
    return text.slice(0, complete).split("\n");
  } finally {
    closeSync(fd);
  }
}


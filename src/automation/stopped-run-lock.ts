import { hostname } from "node:os";
import type * as pulumi from "@pulumi/pulumi";
import { processAlive } from "../process-alive.ts";
import { readLocks } from "./locks.ts";

/**
 * After a run stopped by a signal: removes the lock the run's own CLI left. The CLI
 * releases its lock when it stops on SIGINT, except when the SIGINT comes in the first
 * moments after it took the lock (seen when a signal arrived 64 ms after the lock was
 * written): it then dies holding it. A lock on this host, taken since the run started,
 * whose holder is gone, can only be that CLI's: while it held the lock no other run could
 * take one, and a run that could not take it fails as locked, not as stopped.
 */
export async function releaseStoppedRunLock(stack: pulumi.automation.Stack, startedAt: number): Promise<void> {
  const url = (await stack.workspace.projectSettings()).backend?.url;
  if (!url) return;
  const own = readLocks(url, stack.name).filter((l) => l.hostname === hostname() && Date.parse(l.timestamp) >= startedAt - 1000 && !processAlive(l.pid));
  if (own.length > 0) await stack.cancel().catch(() => undefined);
}

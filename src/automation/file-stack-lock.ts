/**
 * A stack's lock on a `file://` backend, taken by hpx itself the way Pulumi's DIY backend
 * takes it (pkg/backend/diy: look for lock files, write one's own, look again): a file
 * `<uuid>.json` holding pid, user, host and time in the stack's lock directory. Pulumi's
 * CLI, another hpx and `hpx cancel` see it as any CLI's lock.
 *
 * A sharded stack's update holds its root's lock while its shards run. Taking it through
 * an update of the root costs a Pulumi CLI (about 0.7 s of a one-process change's 3.5 s
 * at 1,000 processes), which is only needed when the root's record changes.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import { StackLockedError } from "../errors.ts";
import { PROJECT } from "./backend-url.ts";
import { readLocks } from "./locks.ts";

/** The directory Pulumi's DIY backend (project layout) keeps a stack's lock files in. */
function lockDir(url: string, stack: string): string {
  return join(url.slice("file://".length), ".pulumi", "locks", "organization", PROJECT, stack);
}

/** Lock files other than `own`, half-written ones included (their holder is alive). */
function othersIn(dir: string, own: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n.endsWith(".json") && n !== own);
  } catch {
    return [];
  }
}

/** The error a CLI gives for a held lock, with its holders named as the engine names them (locks.ts parses them back). */
function lockedError(url: string, stack: string): StackLockedError {
  const holders = readLocks(url, stack).map((l) => `  ${l.file}: created by ${l.username}@${l.hostname} (pid ${l.pid}) at ${l.timestamp}`);
  return new StackLockedError(stack, [`wait for it to finish; if it died, remove the lock: hpx cancel -s ${stack}`], [`the stack is currently locked by ${holders.length} lock(s)`, ...holders].join("\n"));
}

/**
 * Takes `stack`'s lock and returns its release (which tolerates a lock already removed by
 * `hpx cancel`). Throws {@link StackLockedError} when another holds it, or when two take
 * it at the same moment (both back off, as two CLIs do).
 */
export function lockFileStack(url: string, stack: string): () => void {
  const dir = lockDir(url, stack);
  if (othersIn(dir, "").length > 0) throw lockedError(url, stack);
  const own = `${randomUUID()}.json`;
  mkdirSync(dir, { recursive: true });
  // Written outside the lock folder, then renamed into it: the CLI reads every file there
  // as a lock, so half a lock (a run killed while writing it) would fail every later run.
  const content = JSON.stringify({ pid: process.pid, username: userInfo().username, hostname: hostname(), timestamp: new Date().toISOString() });
  const temp = join(url.slice("file://".length), ".pulumi", `hpx-lock-${own}.tmp`);
  writeFileSync(temp, content);
  renameSync(temp, join(dir, own));
  const release = () => rmSync(join(dir, own), { force: true });
  if (othersIn(dir, own).length > 0) {
    release();
    throw lockedError(url, stack);
  }
  return release;
}

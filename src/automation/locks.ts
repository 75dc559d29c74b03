import { existsSync, readdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { processAlive } from "../process-alive.ts";
import { PROJECT } from "./backend-url.ts";

/** What Pulumi's DIY backend writes in a lock file (`.pulumi/locks/.../<stack>/<id>.json`). */
export interface StackLock {
  file: string;
  pid: number;
  username: string;
  hostname: string;
  /** ISO time the lock was taken. */
  timestamp: string;
}

/** The lock files of a stack on a `file://` backend (other backends: none readable here). */
export function readLocks(backendUrl: string, stack: string): StackLock[] {
  if (!backendUrl.startsWith("file://")) return [];
  const root = join(backendUrl.slice("file://".length), ".pulumi", "locks");
  // The DIY backend nests locks by organization and project: <org>/<project>/<stack>.
  const dirs = [join(root, "organization", PROJECT, stack), join(root, stack)];
  const locks: StackLock[] = [];
  for (const dir of dirs.filter((d) => existsSync(d))) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
      try {
        const raw = JSON.parse(readFileSync(join(dir, name), "utf8")) as Partial<StackLock>;
        locks.push({ file: join(dir, name), pid: Number(raw.pid), username: String(raw.username), hostname: String(raw.hostname), timestamp: String(raw.timestamp) });
      } catch {
        // A lock file being written by its holder right now: skip it, the holder is alive.
      }
    }
  }
  return locks;
}

/**
 * The holders named in the engine's "stack is currently locked" error, which the DIY
 * backend words the same for file and S3 backends:
 * `<url>: created by USER@HOST (pid N) at TIME`.
 */
export function parseLockHolders(message: string): StackLock[] {
  // The CLI's error text can hold its own message twice (stdout and stderr): one per lock file.
  const seen = new Set<string>();
  const matches = [...message.matchAll(/(\S+): created by (\S+)@(\S+) \(pid (\d+)\) at (\S+)/g)].filter((m) => !seen.has(m[1]!) && seen.add(m[1]!));
  return matches.map((m) => ({
    file: m[1]!,
    username: m[2]!,
    hostname: m[3]!,
    pid: Number(m[4]),
    timestamp: m[5]!,
  }));
}

/** Whether the process holding a lock still runs; undefined when it is on another host. */
export function holderAlive(lock: StackLock, isAlive: (pid: number) => boolean = processAlive): boolean | undefined {
  if (lock.hostname !== hostname()) return undefined;
  return isAlive(lock.pid);
}

/** One line about a lock: who, since when, and whether its holder is gone. */
export function describeLock(lock: StackLock, alive: boolean | undefined): string {
  const state = alive === undefined ? "on another host" : alive ? "still running" : "no longer running";
  return `held by ${lock.username}@${lock.hostname} (pid ${lock.pid}, ${state}) since ${lock.timestamp}`;
}

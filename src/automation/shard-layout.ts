/**
 * Where a stack's processes live. A stack whose file fits in one shard is one Pulumi stack
 * (sharded-stack.ts, `single`); past that, a root Pulumi stack (its identity, cluster and
 * shard count) and K shard stacks holding the processes: an engine run holds
 * its stack's whole state in memory and walks all of it, so a change to one process of
 * 10,000 costs what it costs in a shard of about a hundred, and the engines of several
 * shards run side by side within a memory budget.
 *
 * A process's shard is a stable hash of its name, modulo K; K is a power of two, so when
 * the file outgrows its shards K doubles and each process either stays or moves to
 * shard k + K (half of them), never anywhere else.
 */
import { createHash } from "node:crypto";

/**
 * What sets the shard count: the processes a shard holds at most on average
 * (HPX_SHARD_SIZE overrides it). hpx's own memory during a run grows with the shard's
 * size (its inline program holds the shard's resources): measured for a cold up of 500
 * processes, 605 MB for hpx at 100 against 814 MB at 250, in 83 s against 75 s.
 */
export const SHARD_SIZE = 100;

/** What marks a Pulumi stack as a shard of an hpx stack; hpx refuses stack names that contain it. */
export const SHARD_MARK = ".hpx-shard-";

/** The processes per shard this run uses. */
export function shardSize(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.HPX_SHARD_SIZE);
  return Number.isInteger(n) && n > 0 ? n : SHARD_SIZE;
}

/** The shard count for `processes` processes: the smallest power of two that keeps shards at `size` on average, never fewer than `current`. */
export function shardCount(processes: number, current: number, size: number = shardSize()): number {
  let k = 1;
  while (k * size < processes) k *= 2;
  return Math.max(k, current);
}

/** Each name's hash, once per run: a run of K shards asks for every process's shard K times. */
const hashes = new Map<string, number>();

/** The shard (0 to count-1) a process lives in. */
export function shardOf(process: string, count: number): number {
  let h = hashes.get(process);
  if (h === undefined) {
    h = createHash("sha256").update(process).digest().readUInt32BE(0);
    // hpx serve runs for weeks: names come and go.
    if (hashes.size >= 100_000) hashes.clear();
    hashes.set(process, h);
  }
  return h % count;
}

/** The Pulumi stack of shard `k` of hpx stack `stack`. */
export function shardStackName(stack: string, k: number): string {
  return `${stack}${SHARD_MARK}${k}`;
}

/** Whether a Pulumi stack name is a shard's (hidden from users; refused as a stack name). */
export function isShardStackName(name: string): boolean {
  return /\.hpx-shard-\d+$/.test(name);
}

/** Rewrites a URN of stack `from` to the same resource in stack `to`. */
export function rehomeUrn(urn: string, from: string, to: string): string {
  const prefix = `urn:pulumi:${from}::`;
  return urn.startsWith(prefix) ? `urn:pulumi:${to}::${urn.slice(prefix.length)}` : urn;
}

/** Splits items by the shard of their process name. */
export function byShard<T>(items: readonly T[], name: (item: T) => string, count: number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = shardOf(name(item), count);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

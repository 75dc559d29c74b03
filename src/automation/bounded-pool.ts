import { availableParallelism } from "node:os";

/**
 * How many shards' engines run at once: one per CPU, at most two unless
 * HPX_SHARD_PARALLEL says otherwise. Memory bounds it too: an engine run (the Pulumi
 * CLI holding the shard's state, and the Kubernetes provider) of a full shard takes about
 * 350 MB beside hpx's own 300 MB, and the whole tree stays within 1 GB with two
 * (docs/performance.md).
 */
export function shardParallel(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.HPX_SHARD_PARALLEL);
  if (Number.isInteger(n) && n > 0) return n;
  return Math.max(1, Math.min(availableParallelism(), 2));
}

/**
 * Runs `work` on every item, at most `limit` at once, and settles each: one item's failure
 * does not stop the others. Once `signal` is aborted no further item starts (those under
 * way stop by the same signal); the ones not started are left out of the result.
 */
export async function settleBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>, signal?: AbortSignal): Promise<{ item: T; result: PromiseSettledResult<R> }[]> {
  const out: { item: T; result: PromiseSettledResult<R> }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++]!;
      try {
        out.push({ item, result: { status: "fulfilled", value: await work(item) } });
      } catch (reason) {
        out.push({ item, result: { status: "rejected", reason } });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

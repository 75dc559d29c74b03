import { availableParallelism } from "node:os";

/**
 * How many shards' engines run at once: half the CPUs, at least one and at most four
 * (HPX_SHARD_PARALLEL overrides it). An engine run is CPU-bound (hpx's program, the
 * Pulumi CLI, the provider and the API server each take a share), and each engine at once
 * costs memory whatever the shard's size: a Pulumi CLI and a provider of ~160 MB each
 * (docs/performance.md, "Memory"; the CLI was ~480 MB before hpx copied the provider
 * plugin instead of installing it). Measured for a cold up of 500 processes on 2 CPUs
 * then, a second engine saved 11 % of the time and took the tree from 1,047 to 1,717 MB.
 */
export function shardParallel(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.HPX_SHARD_PARALLEL);
  if (Number.isInteger(n) && n > 0) return n;
  return Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2)));
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

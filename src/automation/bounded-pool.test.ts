import { availableParallelism } from "node:os";
import { expect, test } from "vitest";
import { settleBounded, shardParallel } from "./bounded-pool.ts";

test("runs at most `limit` at once and settles every item, failures included", async () => {
  let running = 0;
  let peak = 0;
  const out = await settleBounded([1, 2, 3, 4, 5], 2, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    if (n === 3) throw new Error("three");
    return n * 10;
  });
  expect(peak).toBe(2);
  expect(out.map((o) => o.item).sort()).toEqual([1, 2, 3, 4, 5]);
  expect(out.find((o) => o.item === 3)!.result).toEqual({ status: "rejected", reason: new Error("three") });
  expect(out.filter((o) => o.result.status === "fulfilled").map((o) => (o.result as PromiseFulfilledResult<number>).value).sort((a, b) => a - b)).toEqual([10, 20, 40, 50]);
});

test("starts nothing more once the signal is aborted", async () => {
  const stop = new AbortController();
  const started: number[] = [];
  const out = await settleBounded([1, 2, 3, 4], 1, async (n) => {
    started.push(n);
    if (n === 2) stop.abort();
  }, stop.signal);
  expect(started).toEqual([1, 2]);
  expect(out.map((o) => o.item)).toEqual([1, 2]);
});

test("HPX_SHARD_PARALLEL overrides the default of half the CPUs (1 to 4)", () => {
  expect(shardParallel({ HPX_SHARD_PARALLEL: "5" })).toBe(5);
  expect(shardParallel({})).toBe(Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2))));
  expect(shardParallel({ HPX_SHARD_PARALLEL: "x" })).toBe(shardParallel({}));
});

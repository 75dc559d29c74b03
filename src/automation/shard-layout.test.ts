import { expect, test } from "vitest";
import { byShard, isShardStackName, rehomeUrn, shardCount, shardOf, shardSize, shardStackName } from "./shard-layout.ts";

test("the shard count is the smallest power of two that keeps shards at the size on average, and never shrinks", () => {
  expect(shardCount(0, 0, 250)).toBe(1);
  expect(shardCount(250, 0, 250)).toBe(1);
  expect(shardCount(251, 0, 250)).toBe(2);
  expect(shardCount(1000, 0, 250)).toBe(4);
  expect(shardCount(1001, 0, 250)).toBe(8);
  expect(shardCount(10000, 0, 250)).toBe(64);
  expect(shardCount(5, 8, 250)).toBe(8);
});

test("a process's shard is stable, and doubling the count keeps it or moves it to k + count", () => {
  const names = Array.from({ length: 500 }, (_, i) => `proc-${i}`);
  for (const name of names) {
    const k = shardOf(name, 4);
    expect(shardOf(name, 4)).toBe(k);
    expect([k, k + 4]).toContain(shardOf(name, 8));
  }
  const sizes = [...byShard(names, (n) => n, 4).values()].map((l) => l.length);
  expect(sizes.reduce((a, b) => a + b)).toBe(500);
  // A hash spreads them: no shard holds more than twice its share.
  for (const size of sizes) expect(size).toBeLessThan(250);
});

test("shard stack names are marked, and URNs move between stacks", () => {
  expect(shardStackName("prod", 3)).toBe("prod.hpx-shard-3");
  expect(isShardStackName("prod.hpx-shard-3")).toBe(true);
  expect(isShardStackName("prod")).toBe(false);
  expect(rehomeUrn("urn:pulumi:prod::hpx::hpx:index:HydroProcess::web", "prod", "prod.hpx-shard-1")).toBe("urn:pulumi:prod.hpx-shard-1::hpx::hpx:index:HydroProcess::web");
  expect(rehomeUrn("urn:pulumi:other::hpx::x::y", "prod", "prod.hpx-shard-1")).toBe("urn:pulumi:other::hpx::x::y");
});

test("HPX_SHARD_SIZE sets the size; anything but a positive integer keeps 100", () => {
  expect(shardSize({ HPX_SHARD_SIZE: "4" })).toBe(4);
  expect(shardSize({ HPX_SHARD_SIZE: "0" })).toBe(100);
  expect(shardSize({})).toBe(100);
});

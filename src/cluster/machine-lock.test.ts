import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { withMachineLock } from "./machine-lock.ts";

test("holders run one after the other; a dead holder's lock is taken over", async () => {
  const name = `test-${process.pid}-${Date.now()}`;
  const log: string[] = [];
  const hold = (id: string, ms: number) =>
    withMachineLock(name, async () => {
      log.push(`in ${id}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`out ${id}`);
    });
  await Promise.all([hold("a", 300), hold("b", 10)]);
  assert.deepEqual(log, ["in a", "out a", "in b", "out b"]);
  assert.equal(existsSync(join(tmpdir(), `hpx-${name}.lock`)), false);

  const stale = join(tmpdir(), `hpx-${name}.lock`);
  mkdirSync(stale);
  writeFileSync(join(stale, "pid"), String(2 ** 22 + 4321)); // no such process
  assert.equal(await withMachineLock(name, async () => "taken over"), "taken over");
});

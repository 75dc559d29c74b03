import assert from "node:assert/strict";
import { test } from "vitest";
import { SerialQueue } from "./queue.ts";

test("tasks run one at a time in order, a failure does not stop the next", async () => {
  const q = new SerialQueue();
  const log: string[] = [];
  const task = (name: string, ms: number, fail = false) => async () => {
    log.push(`start ${name}`);
    await new Promise((r) => setTimeout(r, ms));
    log.push(`end ${name}`);
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([q.run(task("a", 30)), q.run(task("b", 5, true)), q.run(task("c", 1))]);
  assert.deepEqual(log, ["start a", "end a", "start b", "end b", "start c", "end c"]);
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
});

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, test } from "vitest";
import { upStack } from "../src/automation/engine-runs.ts";
import { pulumiSdk } from "../src/automation/pulumi-sdk.ts";
import { openStack } from "../src/automation/workspace.ts";

// A shard's engine run registers hundreds of resources in hpx's process; a cold up runs
// one shard after another. What a run registered must be garbage once it is over, or
// hpx's memory grows with N (docs/performance.md, "Memory": Pulumi's gRPC clients and
// Node's AsyncWrap context frames kept every earlier shard's resources).
const dir = mkdtempSync(join(tmpdir(), "hpx-engine-memory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Collects until every name given has been finalized, or 20 tries; returns those finalized. */
async function collect(finalized: Set<string>, names: string[]): Promise<string[]> {
  for (let i = 0; i < 20 && !names.every((n) => finalized.has(n)); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return names.filter((n) => finalized.has(n));
}

test("what an engine run registered is collected once the run is over: memory does not grow with the number of shards run", async () => {
  const { ComponentResource } = await pulumiSdk();
  const stack = await openStack("memory", `file://${dir}`, undefined, { initialUpdate: false });
  // A FinalizationRegistry, not a WeakRef: a WeakRef keeps its target alive until the job
  // that made it ends, which a test cannot make happen.
  const finalized = new Set<string>();
  const registry = new FinalizationRegistry<string>((name) => finalized.add(name));
  for (const name of ["first", "second", "third", "last"]) {
    const program = async () => {
      registry.register(new ComponentResource("hpx:test:Probe", name, {}, {}), name);
      return {};
    };
    await upStack(stack, { program });
  }
  // Pulumi's runtime keeps two runs' stores anyway, whatever N is: the first (its leak detector's
  // exit handler holds that run's store) and the last (globalThis.stackResource).
  assert.deepEqual(await collect(finalized, ["second", "third"]), ["second", "third"]);
});

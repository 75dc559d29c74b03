import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "vitest";
import { stateStamp } from "./state-stamp.ts";

let dir: string;
let home: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hpx-state-stamp-"));
  home = process.env.HPX_HOME;
  process.env.HPX_HOME = join(dir, "home");
});
afterEach(() => {
  if (home === undefined) delete process.env.HPX_HOME;
  else process.env.HPX_HOME = home;
});

/** Writes a checkpoint as the DIY backend does: to a temporary name, renamed in. */
function writeCheckpoint(stack: string, outputs: Record<string, unknown> = {}): void {
  const stacks = join(dir, "state", ".pulumi", "stacks", "hpx");
  mkdirSync(stacks, { recursive: true });
  const latest = { resources: [{ urn: `urn:pulumi:${stack}::hpx::pulumi:pulumi:Stack::hpx-${stack}`, type: "pulumi:pulumi:Stack", outputs }] };
  writeFileSync(join(stacks, `${stack}.json.tmp`), JSON.stringify({ version: 3, checkpoint: { stack, latest } }));
  renameSync(join(stacks, `${stack}.json.tmp`), join(stacks, `${stack}.json`));
}

test("the stamp covers the root and every shard: a shard's checkpoint written again changes it, a read does not", () => {
  const url = `file://${join(dir, "state")}`;
  writeCheckpoint("s", { shards: 2 });
  writeCheckpoint("s.hpx-shard-0");
  writeCheckpoint("s.hpx-shard-1");
  const before = stateStamp(url, "s");
  assert.deepEqual(before?.split("\n").map((l) => l.slice(0, l.indexOf("="))), ["s", "s.hpx-shard-0", "s.hpx-shard-1"]);
  assert.equal(stateStamp(url, "s"), before);
  writeCheckpoint("s.hpx-shard-1");
  assert.notEqual(stateStamp(url, "s"), before);
});

test("a stack with no state yet has a stamp that its first checkpoint changes", () => {
  const url = `file://${join(dir, "state")}`;
  const none = stateStamp(url, "s");
  assert.equal(none, "s=none");
  writeCheckpoint("s");
  assert.notEqual(stateStamp(url, "s"), none);
});

test("a backend that is not a file gives no stamp", () => {
  assert.equal(stateStamp("s3://bucket/prefix?region=us-east-1", "s"), undefined);
});

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "vitest";
import { readCheckpointView } from "./state-files.ts";

let dir: string;
let home: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hpx-state-files-"));
  home = process.env.HPX_HOME;
  process.env.HPX_HOME = join(dir, "home");
});
afterEach(() => {
  if (home === undefined) delete process.env.HPX_HOME;
  else process.env.HPX_HOME = home;
});

/** Writes stack `s`'s checkpoint as the DIY backend does: to a temporary name, renamed in. */
function writeCheckpoint(outputs: Record<string, unknown>): void {
  const stacks = join(dir, "state", ".pulumi", "stacks", "hpx");
  mkdirSync(stacks, { recursive: true });
  const latest = { resources: [{ urn: "urn:pulumi:s::hpx::pulumi:pulumi:Stack::hpx-s", type: "pulumi:pulumi:Stack", outputs }] };
  writeFileSync(join(stacks, "s.json.tmp"), JSON.stringify({ version: 3, checkpoint: { stack: "s", latest } }));
  renameSync(join(stacks, "s.json.tmp"), join(stacks, "s.json"));
}

test("a checkpoint not written since it was last read is not read again; one written since is", () => {
  const url = `file://${join(dir, "state")}`;
  writeCheckpoint({ shards: 3 });
  const first = readCheckpointView(url, "s");
  assert.deepEqual(first?.resources?.[0]?.outputs, { shards: 3 });
  assert.equal(readCheckpointView(url, "s"), first);
  writeCheckpoint({ shards: 4 });
  const second = readCheckpointView(url, "s");
  assert.notEqual(second, first);
  assert.deepEqual(second?.resources?.[0]?.outputs, { shards: 4 });
});

test("a stack without a checkpoint has no view", () => {
  assert.equal(readCheckpointView(`file://${join(dir, "state")}`, "none"), undefined);
});

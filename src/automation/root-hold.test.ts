import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { StackLockedError } from "../errors.ts";
import { lockFileStack } from "./file-stack-lock.ts";
import { readLocks } from "./locks.ts";
import { onlyFillsIn, recordsAlready, withRootHeld, type HeldRoot, type RootOutputs } from "./root-hold.ts";
import type { Deployment } from "./shard-state.ts";

const rootWith = (outputs: Record<string, unknown>): Deployment => ({ resources: [{ urn: "urn:pulumi:ci::hpx::pulumi:pulumi:Stack::hpx-ci", type: "pulumi:pulumi:Stack", outputs }] }) as Deployment;
const outputs = { stackId: "s-1", cluster: { uid: "u-1", server: "https://k" }, shards: 4 };

test("recordsAlready: the root's outputs equal as JSON, whatever their keys' order; any field that differs says no", () => {
  assert.equal(recordsAlready(rootWith({ shards: 4, cluster: { server: "https://k", uid: "u-1" }, stackId: "s-1" }), outputs), true);
  assert.equal(recordsAlready(rootWith({ ...outputs, shards: 8 }), outputs), false);
  assert.equal(recordsAlready(rootWith({ ...outputs, stackId: "s-2" }), outputs), false);
  assert.equal(recordsAlready(rootWith({ ...outputs, cluster: { uid: "u-2", server: "https://k" } }), outputs), false);
  assert.equal(recordsAlready(undefined, outputs), false);
});

test("onlyFillsIn: a new stack's identity and cluster may be written first; a recorded value that differs, another shard count or none may not", () => {
  assert.equal(onlyFillsIn(rootWith({ shards: 4 }), outputs), true);
  assert.equal(onlyFillsIn(rootWith({ shards: 4, stackId: "s-1" }), outputs), true);
  assert.equal(onlyFillsIn(rootWith({ shards: 4, stackId: "s-1", cluster: { server: "https://k", uid: "u-1" } }), outputs), true);
  assert.equal(onlyFillsIn(rootWith({ shards: 2 }), outputs), false);
  assert.equal(onlyFillsIn(rootWith({ shards: 4, stackId: "s-2" }), outputs), false);
  assert.equal(onlyFillsIn(rootWith({ shards: 4, cluster: { server: "https://k", uid: "u-2" } }), outputs), false);
  assert.equal(onlyFillsIn(rootWith({ shards: 0 }), { ...outputs, shards: 0 }), false, "a destroy's record waits for its work");
  assert.equal(onlyFillsIn(undefined, outputs), false);
});

/** A root whose Pulumi stack must not be opened: its update is the other way of holding it. */
function root(url: string, reads: (Deployment | undefined)[]): HeldRoot & { opened: () => boolean } {
  let opened = false;
  return {
    name: "ci",
    url,
    read: async () => (reads.length > 1 ? reads.shift() : reads[0]),
    stack: async () => {
      opened = true;
      throw new Error("the root's update ran");
    },
    opened: () => opened,
  };
}

test("a root that records the outputs already is held by hpx's own lock while the work runs, and no engine runs for it", async () => {
  const url = `file://${mkdtempSync(join(tmpdir(), "hpx-root-hold-"))}`;
  const held = root(url, [rootWith(outputs)]);
  const lines: string[] = [];
  let locksDuringWork: number[] = [];
  await withRootHeld(held, outputs, { log: (l) => lines.push(l) }, async () => {
    locksDuringWork = readLocks(url, "ci").map((l) => l.pid);
  });
  assert.deepEqual(locksDuringWork, [process.pid]);
  assert.deepEqual(readLocks(url, "ci"), []);
  assert.equal(held.opened(), false);
  assert.deepEqual(lines, ["root: ci locked by hpx, its record unchanged (no engine run for it)"]);
});

test("the work's error passes through as it is, and the lock is released", async () => {
  const url = `file://${mkdtempSync(join(tmpdir(), "hpx-root-hold-"))}`;
  await assert.rejects(
    withRootHeld(root(url, [rootWith(outputs)]), outputs, {}, async () => {
      throw new Error("shard 3 failed");
    }),
    { message: "shard 3 failed" },
  );
  assert.deepEqual(readLocks(url, "ci"), []);
});

test("a record that changes goes through an update of the root, hpx's own lock released first; S3 always does", async () => {
  const url = `file://${mkdtempSync(join(tmpdir(), "hpx-root-hold-"))}`;
  const work = async () => assert.fail("the work ran without the root's update");
  let locksAtUpdate: number[] | undefined;
  const changing = { ...root(url, [rootWith({ ...outputs, shards: 2 })]) };
  changing.stack = async () => {
    locksAtUpdate = readLocks(url, "ci").map((l) => l.pid);
    throw new Error("the root's update ran");
  };
  await assert.rejects(withRootHeld(changing, outputs, {}, work), { message: "the root's update ran" });
  assert.deepEqual(locksAtUpdate, [], "the CLI would find hpx's lock");
  assert.deepEqual(readLocks(url, "ci"), []);
  await assert.rejects(withRootHeld(root("s3://bucket/state", [rootWith(outputs)]), outputs, {}, work), { message: "the root's update ran" });
});

test("a root locked by another run is refused before the work or an update of the root", async () => {
  const url = `file://${mkdtempSync(join(tmpdir(), "hpx-root-hold-"))}`;
  const release = lockFileStack(url, "ci");
  const held = root(url, [rootWith(outputs)]);
  await assert.rejects(
    withRootHeld(held, outputs, {}, async () => assert.fail("the work ran")),
    (err: unknown) => err instanceof StackLockedError && err.message === "stack ci is locked by another update",
  );
  assert.equal(held.opened(), false);
  release();
});

test("a new stack's root is written first (no lock held then), then held by hpx's own lock while the work runs: no engine runs for it", async () => {
  const url = `file://${mkdtempSync(join(tmpdir(), "hpx-root-hold-"))}`;
  const held = root(url, [rootWith({ shards: 4 }), rootWith(outputs)]);
  const written: { outputs: RootOutputs; locks: number[] }[] = [];
  held.write = async (o) => void written.push({ outputs: o, locks: readLocks(url, "ci").map((l) => l.pid) });
  const lines: string[] = [];
  let locksDuringWork: number[] = [];
  await withRootHeld(held, outputs, { log: (l) => lines.push(l) }, async () => {
    locksDuringWork = readLocks(url, "ci").map((l) => l.pid);
  });
  assert.deepEqual(written, [{ outputs, locks: [] }]);
  assert.deepEqual(locksDuringWork, [process.pid]);
  assert.deepEqual(readLocks(url, "ci"), []);
  assert.equal(held.opened(), false);
  assert.deepEqual(lines, ["root: ci records its stack id and cluster (a stack import, no engine run)", "root: ci locked by hpx, its record unchanged (no engine run for it)"]);
});

test("a root still not recording the outputs after the write, or one whose recorded values differ, goes through the root's update; the write is tried once", async () => {
  const url = `file://${mkdtempSync(join(tmpdir(), "hpx-root-hold-"))}`;
  const work = async () => assert.fail("the work ran without the root's update");
  let writes = 0;
  const stale = root(url, [rootWith({ shards: 4 })]);
  stale.write = async () => void writes++;
  await assert.rejects(withRootHeld(stale, outputs, {}, work), { message: "the root's update ran" });
  assert.equal(writes, 1);
  const other = root(url, [rootWith({ shards: 4, stackId: "s-2" })]);
  other.write = async () => void writes++;
  await assert.rejects(withRootHeld(other, outputs, {}, work), { message: "the root's update ran" });
  assert.equal(writes, 1, "a recorded stack id is never overwritten before the work");
  assert.deepEqual(readLocks(url, "ci"), []);
});

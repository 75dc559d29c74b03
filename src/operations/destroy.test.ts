import assert from "node:assert/strict";
import { test } from "vitest";
import { StackError } from "../errors.ts";
import { destroy } from "./destroy.ts";
import { digestsOf, inSyncPorts, liveOf, mark, spec, target } from "./fakes.test-support.ts";

const opts = { timeoutMs: 60_000 };

test("destroy is an update of no resource that keeps the identity, prunes what the state does not record, and removes the ApplySet parent last", async () => {
  const ports = inSyncPorts([spec("web")]);
  ports.cluster.live.push(...liveOf(digestsOf([spec("ghost")])));
  const result = await destroy(ports, target(), opts);
  assert.equal(result.applied, true);
  assert.deepEqual(ports.engine.stack.calls.map((c) => [c.verb, c.program]), [["up", "empty"]]);
  assert.deepEqual(ports.cluster.changes, ["delete Deployment/ghost,Service/ghost", `deleteParent ${mark().applySetId}`]);
  assert.deepEqual(ports.cluster.waits.map((w) => [w.ready, w.gone]), [[[], ["web", "ghost"]]]);
});

test("a sharded stack's destroy deletes the state's objects and the marked ones directly, after pruning, inside the root's update", async () => {
  const ports = inSyncPorts([spec("web"), spec("db")]);
  ports.engine.stack.sharded = true;
  // ghost is pruned first and still listed while it goes (Foreground deletion); deleting it again is harmless.
  ports.cluster.live.push(...liveOf(digestsOf([spec("ghost")])));
  const result = await destroy(ports, target(), opts);
  assert.deepEqual(ports.engine.stack.calls.map((c) => [c.verb, c.program]), [["up", "empty"]]);
  assert.deepEqual(ports.cluster.changes, ["delete Deployment/ghost,Service/ghost", "delete Deployment/web,Service/web,Deployment/db,Service/db,Deployment/ghost,Service/ghost", `deleteParent ${mark().applySetId}`]);
  assert.deepEqual(result.plans.map((p) => [p.process, p.change]), [["db", "delete"], ["ghost", "delete"], ["web", "delete"]]);
  assert.deepEqual(ports.cluster.waits.map((w) => [w.ready, w.gone]), [[[], ["web", "db", "ghost"]]]);
});

test("objects still there at the deadline keep the ApplySet parent", async () => {
  const ports = inSyncPorts([spec("web")]);
  ports.cluster.notReady = [{ process: "web", ready: false, reason: "still terminating" } as never];
  const result = await destroy(ports, target(), opts);
  assert.deepEqual(result.notGone.map((s) => s.process), ["web"]);
  assert.deepEqual(ports.cluster.changes, []);
});

test("destroy of a stack recorded on another cluster is refused; nothing changes", async () => {
  const ports = inSyncPorts([spec("web")]);
  ports.engine.stack.outputs.cluster = { uid: "uid-0", server: "https://old:6443" } as never;
  await assert.rejects(destroy(ports, target(), opts), StackError);
  assert.deepEqual(ports.engine.stack.calls, []);
  assert.deepEqual(ports.cluster.changes, []);
});

import assert from "node:assert/strict";
import { test } from "vitest";
import { processUrn } from "../automation/targets.ts";
import { InterruptedError, StackError, StackLockedError, StopRequest, UsageError } from "../errors.ts";
import { CLUSTER, digestsOf, fakePorts, inSyncPorts, liveOf, spec, target } from "./fakes.test-support.ts";
import type { SavedPlan } from "./types.ts";
import { up } from "./up.ts";

const yes = { timeoutMs: 60_000 };
const web = spec("web");
const api = spec("api");

test("a stack recorded on another cluster is refused before anything changes", async () => {
  const ports = inSyncPorts([web]);
  ports.engine.stack.outputs.cluster = { uid: "uid-0", server: "https://old:6443" } as typeof CLUSTER;
  await assert.rejects(up(ports, target(), { processes: [web] }, yes), {
    name: "StackError",
    message: "stack dev belongs to the cluster whose kube-system UID is uid-0 (https://old:6443), but this cluster's is uid-1 (https://127.0.0.1:6443)",
  });
  assert.deepEqual(ports.engine.stack.calls, []);
  assert.deepEqual(ports.cluster.changes, []);
});

test("--accept-cluster moves the stack: the state forgets the old cluster's objects, then a whole update", async () => {
  const ports = inSyncPorts([web]);
  ports.engine.stack.outputs.cluster = { uid: "uid-0", server: "https://old:6443" } as typeof CLUSTER;
  const result = await up(ports, target(), { processes: [web] }, { ...yes, acceptCluster: true });
  assert.deepEqual(result.leftBehind, { uid: "uid-0", server: "https://old:6443" });
  assert.deepEqual(ports.engine.stack.forgotten, ["all"]);
  assert.deepEqual(ports.engine.stack.calls.map((c) => [c.verb, c.target]), [["up", undefined]]);
});

test("an object of another stack under a wanted name is refused, naming its owner; nothing changes", async () => {
  const ports = fakePorts();
  ports.cluster.live = liveOf(digestsOf([web]), "applyset-other-v1");
  ports.cluster.owners.set("applyset-other-v1", { stack: "prod", state: "s3://bucket" });
  await assert.rejects(up(ports, target(), { processes: [web] }, yes), (err: unknown) => {
    assert.ok(err instanceof StackError);
    assert.equal(err.message, "stack dev would take over 2 objects it did not create in namespace default: Deployment/web, Service/web");
    assert.match(err.hints[0]!, /^Deployment\/web \(uid uid-web\) belongs to hpx stack prod whose state is at s3:\/\/bucket/);
    return true;
  });
  assert.deepEqual(ports.engine.stack.calls, []);
  assert.deepEqual(ports.cluster.changes, []);
});

test("the cluster as the state records it: the engine is not started, nothing is applied", async () => {
  const ports = inSyncPorts([web, api]);
  const result = await up(ports, target(), { processes: [web, api] }, yes);
  assert.deepEqual(ports.engine.stack.calls, []);
  assert.deepEqual(result.plans.map((p) => [p.process, p.change]), [["api", "same"], ["web", "same"]]);
  assert.deepEqual(ports.cluster.waits, [{ ready: ["web", "api"], gone: [], deadline: ports.clock.now() + 60_000 }]);
  assert.deepEqual(ports.cluster.unchanged, [["api", "web"]]);
});

test("one changed process: a targeted update of that process only", async () => {
  const ports = inSyncPorts([web, api]);
  const desired = { processes: [web, spec("api", "nginx:1.28")] };
  ports.engine.stack.applies = () => (ports.cluster.live = liveOf(digestsOf(desired.processes)));
  ports.engine.stack.plans = [{ process: "api", change: "update", fields: { "Deployment api": ["spec"] } }];
  await up(ports, target(), desired, yes);
  assert.deepEqual(
    ports.engine.stack.calls.map((c) => [c.verb, c.only, c.target]),
    [["up", ["api"], [processUrn("dev", "api"), "urn:pulumi:dev::hpx::hpx:index:HydroProcess$kubernetes:apps/v1:Deployment::api", "urn:pulumi:dev::hpx::hpx:index:HydroProcess$kubernetes:core/v1:Service::api"]]],
  );
  // The wait may read web's rollout without generations: this run left it as it was.
  assert.deepEqual(ports.cluster.unchanged, [["web"]]);
});

test("a targeted update that leaves the cluster not as the file wants (another run?) is followed by a whole one", async () => {
  const ports = inSyncPorts([web, api]);
  const log: string[] = [];
  await up(ports, target(), { processes: [web, spec("api", "nginx:1.28")] }, { ...yes, log: (l) => log.push(l) });
  assert.deepEqual(ports.engine.stack.calls.map((c) => [c.verb, c.only, c.target]), [["up", ["api"], ports.engine.stack.calls[0]!.target], ["up", undefined, undefined]]);
  assert.equal(log.at(-1), "after the targeted update 1 object(s) differ from the file (another run?): a whole update follows");
});

test("a targeted update that found the state as stamped before the look, once it held the lock, is not checked by a second listing", async () => {
  const ports = inSyncPorts([web, api]);
  ports.engine.stamp = "state-1";
  ports.engine.stack.untouched = true;
  const log: string[] = [];
  await up(ports, target(), { processes: [web, spec("api", "nginx:1.28")] }, { ...yes, log: (l) => log.push(l) });
  assert.deepEqual(ports.engine.stack.sinces, ["state-1"]);
  assert.equal(ports.cluster.listings, 1);
  assert.deepEqual(ports.engine.stack.calls.map((c) => c.only), [["api"]]);
  assert.ok(log.includes("state: no other run wrote stack dev between the look and the update; the targets stand"));
});

test("a targeted update that found the state written since the look lists the namespace again, and a whole update follows what another run changed", async () => {
  const ports = inSyncPorts([web, api]);
  ports.engine.stamp = "state-1";
  ports.engine.stack.untouched = false;
  await up(ports, target(), { processes: [web, spec("api", "nginx:1.28")] }, yes);
  assert.equal(ports.cluster.listings, 2);
  assert.deepEqual(ports.engine.stack.calls.map((c) => c.only), [["api"], undefined]);
});

test("--refresh and saved plans run the whole program", async () => {
  const ports = inSyncPorts([web, api]);
  await up(ports, target(), { processes: [web, api] }, { ...yes, refresh: true });
  assert.deepEqual(ports.engine.stack.calls.map((c) => [c.verb, c.only, c.target, c.refresh]), [["up", undefined, undefined, true]]);
});

test("objects of the stack nobody records are pruned inside the update, under the engine's lock", async () => {
  const ports = inSyncPorts([web]);
  ports.cluster.live.push(...liveOf(digestsOf([spec("ghost")])));
  await up(ports, target(), { processes: [web] }, yes);
  // A whole run (a targeted one with nothing to target would be none), which prunes first.
  assert.deepEqual(ports.engine.stack.calls.map((c) => [c.verb, c.only, c.target]), [["up", undefined, undefined]]);
  assert.deepEqual(ports.cluster.changes, [`ensureParent ${ports.cluster.live[0]!.partOf}`, "delete Deployment/ghost,Service/ghost"]);
});

test("a saved plan made for another stack or another state is refused before anything changes", async () => {
  const plan = (stack: string, state: string): SavedPlan => ({
    path: "plan.json",
    file: { hpx_plan: 1, stack, state, created: "2026-11-30T11:00:00Z", desired: { processes: [web] }, changes: [], pulumi_plan: {} },
  });
  const ports = inSyncPorts([web]);
  await assert.rejects(up(ports, target(), { processes: [web] }, { ...yes, savedPlan: plan("prod", "sha256:state") }), new UsageError("plan plan.json was made for stack prod, not dev"));
  await assert.rejects(up(ports, target(), { processes: [web] }, { ...yes, savedPlan: plan("dev", "sha256:older") }), {
    message: "plan plan.json was made against another state of stack dev: the stack has changed since 2026-11-30T11:00:00Z",
  });
  assert.deepEqual(ports.engine.stack.calls, []);
  assert.deepEqual(ports.cluster.changes, []);
});

test("a held lock fails at once without --lock-wait, saying who holds it", async () => {
  const ports = inSyncPorts([web]);
  ports.engine.stack.failUps = [new StackLockedError("dev", [])];
  const changed = { processes: [spec("web", "nginx:1.28")] };
  await assert.rejects(up(ports, target(), changed, yes), (err: unknown) => {
    assert.ok(err instanceof StackLockedError);
    assert.deepEqual(err.hints, ["wait for it to finish; if its holder died, clear it with hpx cancel -s dev"]);
    return true;
  });
  assert.deepEqual(ports.clock.sleeps, []);
});

test("with a lock wait, a held lock is waited for: told once, tried again every pause, then applied", async () => {
  const ports = inSyncPorts([web]);
  ports.engine.stack.failUps = [new StackLockedError("dev", []), new StackLockedError("dev", [])];
  const told: string[] = [];
  const result = await up(ports, target(), { processes: [spec("web", "nginx:1.28")] }, { ...yes, lockWait: { waitMs: 10_000, onWait: (m) => told.push(m) } });
  assert.equal(result.applied, true);
  assert.deepEqual(ports.clock.sleeps, [2000, 2000]);
  assert.deepEqual(told, ["stack dev is locked (wait for it to finish; if its holder died, clear it with hpx cancel -s dev); waiting for it"]);
});

test("a lock held past the wait fails with the lock error", async () => {
  const ports = inSyncPorts([web]);
  ports.engine.stack.failUps = Array.from({ length: 10 }, () => new StackLockedError("dev", []));
  await assert.rejects(up(ports, target(), { processes: [spec("web", "nginx:1.28")] }, { ...yes, lockWait: { waitMs: 5_000 } }), StackLockedError);
  assert.deepEqual(ports.clock.sleeps, [2000, 2000]);
});

test("a stop signal before the apply stops the run with its exit code; nothing changes", async () => {
  const ports = inSyncPorts([web]);
  const stop = new AbortController();
  stop.abort(new StopRequest("SIGTERM"));
  await assert.rejects(up(ports, target(), { processes: [spec("web", "nginx:1.28")] }, { ...yes, signal: stop.signal }), (err: unknown) => {
    assert.ok(err instanceof InterruptedError);
    assert.equal(err.message, "update of stack dev stopped before anything was changed");
    assert.equal(err.exitCode, 143);
    return true;
  });
  assert.deepEqual(ports.engine.stack.calls, []);
  assert.deepEqual(ports.cluster.changes, []);
});

test("a stop signal while waiting for a lock ends the wait: exit code of the signal, nothing changed", async () => {
  const ports = inSyncPorts([web]);
  const stop = new AbortController();
  ports.engine.stack.failUps = [new StackLockedError("dev", [])];
  ports.clock.sleep = async () => {
    stop.abort(new StopRequest("SIGHUP"));
    throw stop.signal.reason;
  };
  await assert.rejects(up(ports, target(), { processes: [spec("web", "nginx:1.28")] }, { ...yes, signal: stop.signal, lockWait: { waitMs: 60_000 } }), (err: unknown) => {
    assert.ok(err instanceof InterruptedError);
    assert.equal(err.message, "stopped while waiting for the lock of stack dev; nothing was changed");
    assert.equal(err.exitCode, 129);
    return true;
  });
});

test("a prompt that says no applies nothing", async () => {
  const ports = inSyncPorts([web]);
  const result = await up(ports, target(), { processes: [spec("web", "nginx:1.28")] }, { ...yes, confirm: async () => false });
  assert.equal(result.applied, false);
  assert.deepEqual(result.plans.map((p) => [p.process, p.change]), [["web", "same"]]);
  assert.deepEqual(ports.engine.stack.calls.map((c) => c.verb), ["preview"]);
  assert.deepEqual(ports.cluster.changes, []);
});

test("a stack an older hpx made gets its identity recorded before anything is marked with it", async () => {
  const ports = fakePorts();
  ports.engine.stack.outputs.stackId = undefined;
  await up(ports, target(), { processes: [web] }, yes);
  assert.match(ports.engine.stack.outputs.stackId ?? "", /^[0-9a-f]{32}$/);
});

test("processes not ready at the deadline are reported, not thrown: the front door decides", async () => {
  const ports = fakePorts();
  ports.cluster.notReady = [{ process: "web", ready: false, reason: "ImagePullBackOff" } as never];
  const result = await up(ports, target(), { processes: [web] }, yes);
  assert.deepEqual(result.notReady.map((s) => s.process), ["web"]);
});

test("without a prompt, the plan is told before anything is applied: created, changed and removed processes", async () => {
  const ports = inSyncPorts([web, api]);
  const desired = { processes: [spec("api", "nginx:1.28"), spec("new")] };
  const told: { plans: unknown; calls: number; changes: number }[] = [];
  const onPlan = (plans: unknown) => told.push({ plans, calls: ports.engine.stack.calls.length, changes: ports.cluster.changes.length });
  ports.engine.stack.applies = () => (ports.cluster.live = liveOf(digestsOf(desired.processes)));
  await up(ports, target(), desired, { ...yes, onPlan });
  assert.deepEqual(told, [
    {
      plans: [
        { process: "api", change: "update", fields: {} },
        { process: "new", change: "create", fields: {} },
        { process: "web", change: "delete", fields: {} },
      ],
      calls: 0,
      changes: 0,
    },
  ]);
});

test("the plan told for a stack already as wanted changes nothing; a prompt, when there is one, is asked instead", async () => {
  const ports = inSyncPorts([web]);
  const told: unknown[] = [];
  await up(ports, target(), { processes: [web] }, { ...yes, onPlan: (p) => told.push(p) });
  assert.deepEqual(told, [[{ process: "web", change: "same", fields: {} }]]);
  const asked: unknown[] = [];
  const prompted = inSyncPorts([web]);
  prompted.engine.stack.plans = [{ process: "web", change: "update", fields: {} }];
  await up(prompted, target(), { processes: [spec("web", "nginx:1.28")] }, { ...yes, onPlan: (p) => told.push(p), confirm: async (p) => (asked.push(p), false) });
  assert.equal(told.length, 1);
  assert.deepEqual(asked, [[{ process: "web", change: "update", fields: {} }]]);
});

import assert from "node:assert/strict";
import { test } from "vitest";
import { ProcessExistsError, SpecError, StackError, UnknownProcessError } from "../errors.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import { parseProcessSource } from "../spec/load-process-file.ts";
import { BatchedStack, type BatchedDeps } from "./batched-stack.ts";
import type { StackEdit } from "./edit-stack.ts";
import { FakeClock, digestsOf, liveOf, mark, spec } from "./fakes.test-support.ts";

const body = (name: string, group?: string) => parseProcessSource(JSON.stringify({ process_name: name, ...(group ? { group } : {}), container: { image_uri: "nginx" } }), "request body");

/** A batched stack over a stored state in memory; each run waits for `release()` when `hold` is set. */
function fixture(opts: { fail?: number; hold?: boolean } = {}) {
  let stored: DesiredState = { processes: [] };
  const runs: string[][] = [];
  const log: string[] = [];
  let failures = opts.fail ?? 0;
  let release: () => void = () => {};
  let gate = Promise.resolve();
  const hold = () => (gate = new Promise<void>((r) => (release = r)));
  if (opts.hold) hold();
  const stop = new AbortController();
  const deps: BatchedDeps = {
    clock: new FakeClock(),
    log: (l) => log.push(l),
    signal: stop.signal,
    stored: async () => stored,
    apply: async (edit: StackEdit) => {
      await gate;
      const next = edit(stored, {});
      if (failures > 0) {
        failures -= 1;
        throw new StackError("update of stack dev failed: the API server is gone");
      }
      if (next) runs.push((stored = next).processes.map((p) => p.process_name));
      return next;
    },
    checkSecrets: async () => {},
    live: async () => ({ objects: [], mark: mark() }),
    list: async () => stored.processes.map((p) => ({ process_name: p.process_name, group: p.group ?? null, socket_addresses: [], created: "x", status: "RUNNING" as const })),
  };
  const stack = new BatchedStack("dev", deps);
  return { stack, deps, runs, log, stop, release: () => release(), hold, get stored() { return stored; } };
}

test("a start is answered before its run; starts accepted meanwhile go into the next run together", async () => {
  const f = fixture({ hold: true });
  await f.stack.start(body("a")); // answered while the run waits on the gate
  await f.stack.start(body("b"));
  await f.stack.start(body("c"));
  assert.deepEqual(f.runs, []);
  f.release();
  await f.stack.settled();
  assert.deepEqual(f.runs, [["a"], ["a", "b", "c"]]);
});

test("a name taken in the stack, or by an accepted start, is 409; two requests for one name cannot both pass", async () => {
  const f = fixture({ hold: true });
  const both = await Promise.allSettled([f.stack.start(body("web")), f.stack.start(body("web"))]);
  assert.deepEqual(both.map((r) => r.status), ["fulfilled", "rejected"]);
  assert.ok((both[1] as PromiseRejectedResult).reason instanceof ProcessExistsError);
  f.release();
  await f.stack.settled();
  await assert.rejects(f.stack.start(body("web")), new ProcessExistsError("dev", "web"));
});

test("a name another owner's object has is 409 before anything is queued", async () => {
  const f = fixture();
  f.deps.live = async () => ({ objects: liveOf(digestsOf([spec("web")]), "applyset-other-v1"), mark: mark() });
  await assert.rejects(f.stack.start(body("web")), { name: "ProcessExistsError", message: "stack dev would take over Deployment/web, Service/web, which it did not create" });
  await f.stack.settled();
  assert.deepEqual(f.runs, []);
});

test("a missing secret is refused (422) before anything is queued", async () => {
  const f = fixture();
  f.deps.checkSecrets = async () => {
    throw new SpecError([{ file: "request body", line: 1, col: 2, path: "container.env.0.value", message: "secret s is not set" }]);
  };
  await assert.rejects(f.stack.start(body("web")), SpecError);
  await f.stack.settled();
  assert.deepEqual(f.runs, []);
});

test("stop: an unknown name is 404; an accepted start can be stopped before it ran; the listing hides accepted stops and shows accepted starts", async () => {
  const f = fixture({ hold: true });
  await assert.rejects(f.stack.stop("nope"), new UnknownProcessError("dev", "nope"));
  await f.stack.start(body("a", "g"));
  await f.stack.start(body("b", "g"));
  assert.deepEqual(
    (await f.stack.list()).map((p) => [p.process_name, p.status, p.socket_addresses, p.reason]),
    [["a", "STARTING", [], "accepted; waiting for the engine"], ["b", "STARTING", [], "accepted; waiting for the engine"]],
  );
  await f.stack.stop("b");
  assert.deepEqual((await f.stack.list("g")).map((p) => p.process_name), ["a"]);
  f.release();
  await f.stack.settled();
  assert.deepEqual(f.stored.processes.map((p) => p.process_name), ["a"]);
  await f.stack.stopGroup("g");
  await f.stack.stopGroup("g");
  await f.stack.settled();
  assert.deepEqual(f.stored.processes, []);
});

test("a failing run is tried three times, then its starts are listed FAILED with the reason until stopped", async () => {
  const f = fixture({ fail: 3 });
  await f.stack.start(body("web"));
  await f.stack.settled();
  assert.deepEqual(f.runs, []);
  assert.deepEqual(f.log.filter((l) => !l.startsWith("applying")), [
    "run failed (attempt 1 of 3), trying again: update of stack dev failed: the API server is gone",
    "run failed (attempt 2 of 3), trying again: update of stack dev failed: the API server is gone",
    "dropped start web: update of stack dev failed: the API server is gone",
  ]);
  assert.deepEqual((await f.stack.list()).map((p) => [p.process_name, p.status, p.reason]), [["web", "FAILED", "update of stack dev failed: the API server is gone"]]);
  await f.stack.stop("web");
  await f.stack.settled();
  assert.deepEqual(await f.stack.list(), []);
  // Started again, it runs.
  await f.stack.start(body("web"));
  await f.stack.settled();
  assert.deepEqual(f.runs, [["web"]]);
});

test("on shutdown the changes still waiting are dropped and reported; the one in flight ends", async () => {
  const f = fixture({ hold: true });
  await f.stack.start(body("a"));
  await f.stack.start(body("b"));
  f.stop.abort();
  const closing = f.stack.close();
  f.release();
  assert.deepEqual((await closing).map((c) => c.what), ["start b"]);
  assert.deepEqual(f.runs, [["a"]]);
});

test("ten clients at once: every change is applied, none lost", async () => {
  const f = fixture({ hold: true });
  const names = Array.from({ length: 10 }, (_, i) => `p${i}`);
  await Promise.all(names.map((n) => f.stack.start(body(n))));
  f.release();
  await f.stack.settled();
  assert.deepEqual(f.stored.processes.map((p) => p.process_name).sort(), names);
  // The first run took the first start; the nine accepted while it ran went into one more.
  assert.deepEqual(f.runs.map((r) => r.length), [1, 10]);
});

test("the culler's change reports what it culled, whatever listings ran meanwhile", async () => {
  const f = fixture();
  await f.stack.start(body("old"));
  await f.stack.settled();
  const deps = f.deps as unknown as { clock: FakeClock };
  deps.clock.time += 2 * 60 * 60_000;
  // Creation times come from the stored record; the fixture's apply records none, so stub them.
  const apply = f.deps.apply;
  f.deps.apply = (edit) => apply((d, created) => edit(d, { ...created, old: new Date(deps.clock.time - 3 * 60 * 60_000).toISOString() }));
  const culling = f.stack.cull(60 * 60_000);
  await f.stack.list();
  assert.deepEqual(await culling, ["old"]);
  assert.deepEqual(f.stored.processes, []);
});

test("a process whose start is still being applied (its objects already live) and that an accepted stop removes is not listed", async () => {
  const f = fixture({ hold: true });
  await f.stack.start(body("a"));
  // The run has created a's objects and not returned yet.
  const live = [{ process_name: "a", group: null, socket_addresses: [], created: "x", status: "RUNNING" as const }];
  f.deps.list = async () => live;
  await f.stack.stop("a");
  assert.deepEqual(await f.stack.list(), []);
  f.release();
  await f.stack.settled();
  assert.deepEqual(f.stored.processes, []);
});

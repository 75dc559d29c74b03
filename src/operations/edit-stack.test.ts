import assert from "node:assert/strict";
import { test } from "vitest";
import { ProcessExistsError, UnknownProcessError, UsageError } from "../errors.ts";
import { applyEdit, cullEdit, startEdit, stopEdit, stopGroupEdit, type EditDeps } from "./edit-stack.ts";
import { fakePorts, spec, target } from "./fakes.test-support.ts";

/** A stack whose stored state holds `names`; the deps count the targets resolved (an up follows each). */
function stored(processes: ReturnType<typeof spec>[], created: Record<string, string> = {}) {
  const ports = fakePorts();
  ports.engine.stack.outputs = { ...ports.engine.stack.outputs, desired: { processes }, created };
  const applied: string[][] = [];
  const deps: EditDeps = {
    engine: ports.engine,
    target: async (desired) => {
      applied.push(desired.processes.map((p) => p.process_name));
      return { target: target(), ports };
    },
  };
  return { deps, applied, stack: { name: "dev", backend: "file:///state" } };
}
const opts = { timeoutMs: 0, wait: false };

test("start adds; hpx start replaces a same-named process, Hydroplane's POST refuses it", async () => {
  const s = stored([spec("web")]);
  await applyEdit(s.deps, s.stack, startEdit("dev", [spec("web", "nginx:1.28"), spec("api")], { replace: true }), opts);
  assert.deepEqual(s.applied, [["api", "web"]]);
  await assert.rejects(applyEdit(s.deps, s.stack, startEdit("dev", [spec("web")], { replace: false }), opts), new ProcessExistsError("dev", "web"));
  assert.equal(s.applied.length, 1);
});

test("stop: an unknown name is refused before anything is resolved or applied", async () => {
  const s = stored([spec("web")]);
  await assert.rejects(applyEdit(s.deps, s.stack, stopEdit("dev", "nope"), opts), new UnknownProcessError("dev", "nope"));
  assert.deepEqual(s.applied, []);
  await applyEdit(s.deps, s.stack, stopEdit("dev", "web"), opts);
  assert.deepEqual(s.applied, [[]]);
});

test("stop -g: an empty group is an error for hpx stop, nothing to do for Hydroplane's API", async () => {
  const s = stored([spec("web", "nginx", "blue"), spec("api", "nginx", "green")]);
  await assert.rejects(applyEdit(s.deps, s.stack, stopGroupEdit("dev", "red", { emptyOk: false }), opts), new UsageError("stack dev has no process in group red"));
  assert.equal(await applyEdit(s.deps, s.stack, stopGroupEdit("dev", "red", { emptyOk: true }), opts), undefined);
  await applyEdit(s.deps, s.stack, stopGroupEdit("dev", "blue", { emptyOk: true }), opts);
  assert.deepEqual(s.applied, [["api"]]);
});

test("cull stops exactly the processes older than the limit by their recorded creation time", async () => {
  const now = Date.parse("2026-11-30T12:00:00Z");
  const s = stored([spec("old"), spec("new"), spec("unknown")], { old: "2026-11-30T10:00:00Z", new: "2026-11-30T11:59:00Z" });
  let culled: string[] = [];
  await applyEdit(s.deps, s.stack, cullEdit(60 * 60_000, now, (names) => (culled = names)), opts);
  assert.deepEqual(culled, ["old"]);
  assert.deepEqual(s.applied, [["new", "unknown"]]);
});

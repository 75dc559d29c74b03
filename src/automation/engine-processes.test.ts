import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { engineMark, markedProcesses, ownEngineProcesses, parseEngineMark, stackKey, strayEngineProcesses } from "./engine-processes.ts";

/** A /proc of three processes: two engine processes of two runs of one stack, one unrelated. */
function fakeProc(): string {
  const dir = mkdtempSync(join(tmpdir(), "hpx-proc-"));
  const add = (pid: number, env: string[], cmd: string[]) => {
    mkdirSync(join(dir, String(pid)));
    writeFileSync(join(dir, String(pid), "environ"), env.join("\u0000") + "\u0000");
    writeFileSync(join(dir, String(pid), "cmdline"), cmd.join("\u0000") + "\u0000");
  };
  const key = stackKey("file:///s", "prod");
  add(101, ["PATH=/bin", `HPX_ENGINE_OF=${key}:900`], ["pulumi-resource-kubernetes", "127.0.0.1:41425"]);
  add(102, [`HPX_ENGINE_OF=${key}:901`], ["pulumi", "up"]);
  add(103, ["HPX_ENGINE_OF=nonsense"], ["bash"]);
  mkdirSync(join(dir, "self"));
  return dir;
}

test("the mark names the stack (by backend and name) and the hpx process", () => {
  const mark = engineMark("file:///s", "prod", 42);
  assert.deepEqual(parseEngineMark(mark), { stackKey: stackKey("file:///s", "prod"), hpxPid: 42 });
  assert.notEqual(stackKey("file:///s", "prod"), stackKey("file:///t", "prod"));
  assert.equal(parseEngineMark("x:1"), undefined);
});

test("engine processes are found by their mark; a dead run's are strays, a live run's are not", () => {
  const found = markedProcesses(fakeProc());
  assert.deepEqual(found.map((p) => [p.pid, p.hpxPid, p.command]).sort(), [
    [101, 900, "pulumi-resource-kubernetes 127.0.0.1:41425"],
    [102, 901, "pulumi up"],
  ]);
  const key = stackKey("file:///s", "prod");
  assert.deepEqual(strayEngineProcesses(key, found, (pid) => pid === 901).map((p) => p.pid), [101]);
  assert.deepEqual(strayEngineProcesses(stackKey("file:///s", "dev"), found, () => false), []);
  assert.deepEqual(ownEngineProcesses(found, 901).map((p) => p.pid), [102]);
});

test("no /proc: nothing found", () => {
  assert.deepEqual(markedProcesses("/nonexistent-proc"), []);
});

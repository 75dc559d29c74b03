import assert from "node:assert/strict";
import { test } from "vitest";
import { ProgressLines, stateOf } from "./progress-block.ts";

test("each line ProgressView writes has one state", () => {
  assert.deepEqual(
    [
      "FAILED Deployment web",
      "waiting: unschedulable: no node fits",
      "deleting: 1 pod left",
      "ready",
      "gone",
      "would create Deployment web",
      "creating Deployment web",
      "cleaning up Service web",
      "deleting Service web",
      "created Deployment web",
      "cleaned up Service web",
    ].map(stateOf),
    ["failed", "waiting", "waiting", "ready", "gone", "planned", "in progress", "in progress", "in progress", "applied", "applied"],
  );
});

test("counts follow each process's latest line, and the listed ones are those needing attention, failed first", () => {
  const lines = new ProgressLines();
  for (const p of ["p3", "p1", "p2", "p4", "p5"]) lines.set(p, `creating Deployment ${p}`);
  lines.set("p1", "created Deployment p1");
  lines.set("p1", "ready");
  lines.set("p2", "ready");
  lines.set("p5", "waiting: image pull failed");
  lines.set("p4", "FAILED Deployment p4");
  assert.equal(lines.size, 5);
  assert.equal(lines.summary(), "5 processes: 1 failed, 1 waiting, 1 in progress, 2 ready");
  assert.deepEqual(lines.listed(10), [
    ["p4", "FAILED Deployment p4"],
    ["p5", "waiting: image pull failed"],
    ["p3", "creating Deployment p3"],
  ]);
  assert.deepEqual(lines.listed(2), [
    ["p4", "FAILED Deployment p4"],
    ["p5", "waiting: image pull failed"],
  ]);
  assert.deepEqual(lines.all().map(([p]) => p), ["p1", "p2", "p3", "p4", "p5"]);
  // After an engine diagnostic the view starts afresh: no line, no count is left over.
  lines.clear();
  assert.equal(lines.size, 0);
  assert.deepEqual(lines.listed(10), []);
  for (const p of ["p6", "p7", "p8"]) lines.set(p, "ready");
  lines.set("p9", "waiting: no pod yet");
  assert.equal(lines.summary(), "4 processes: 1 waiting, 3 ready");
  assert.deepEqual(lines.listed(10), [["p9", "waiting: no pod yet"]]);
});

test("of many processes in one state, the earliest to reach it are listed, by name", () => {
  const lines = new ProgressLines();
  for (const p of ["p9", "p2", "p7", "p1"]) lines.set(p, "waiting: no pod yet");
  assert.deepEqual(lines.listed(3).map(([p]) => p), ["p2", "p7", "p9"]);
});

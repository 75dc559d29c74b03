import assert from "node:assert/strict";
import { test } from "vitest";
import type { automation } from "@pulumi/pulumi";
import { ProgressView, progressReporter } from "./progress-view.ts";

const D = "kubernetes:apps/v1:Deployment";
const parent = "urn:pulumi:local::hpx::hpx:index:HydroProcess::web";
const meta = (op: automation.OpType) =>
  ({ op, urn: `urn:pulumi:local::hpx::hpx:index:HydroProcess$${D}::web`, type: D, provider: "", new: { parent } }) as automation.StepEventMetadata;

test("plain lines on a pipe: one per object step, with errors from diagnostics", () => {
  let out = "";
  const onEvent = progressReporter((t) => (out += t), false);
  onEvent({ sequence: 1, timestamp: 0, resourcePreEvent: { metadata: meta("create") } });
  onEvent({ sequence: 2, timestamp: 0, resOutputsEvent: { metadata: meta("create") } });
  onEvent({ sequence: 3, timestamp: 0, diagnosticEvent: { message: "boom\n", color: "never", severity: "error" } });
  onEvent({ sequence: 4, timestamp: 0, diagnosticEvent: { message: "chatter", color: "never", severity: "info" } });
  assert.equal(out, "web: creating Deployment web\nweb: created Deployment web\nerror: boom\n");
});

test("a live view on a terminal redraws one line per process in place", () => {
  let out = "";
  const onEvent = progressReporter((t) => (out += t), true);
  onEvent({ sequence: 1, timestamp: 0, resourcePreEvent: { metadata: meta("update") } });
  onEvent({ sequence: 2, timestamp: 0, resOutputsEvent: { metadata: meta("update") } });
  assert.equal(out, `\x1b[2K  ${"web".padEnd(24)} updating Deployment web\n\x1b[1A\x1b[2K  ${"web".padEnd(24)} updated Deployment web\n`);
});

test("the wait's states join the per-process lines, and finish closes with counts and time", () => {
  let out = "";
  let now = 1000;
  const view = new ProgressView((t) => (out += t), false, () => now);
  view.onEvent({ sequence: 1, timestamp: 0, resourcePreEvent: { metadata: meta("create") } });
  view.onCluster({ process: "web", ready: false, reason: "unschedulable: no node fits" }, "rollout");
  view.onCluster({ process: "web", ready: true }, "rollout");
  view.onCluster({ process: "old", ready: true }, "deletion");
  now = 13_345;
  view.finish({ created: 1, updated: 0, deleted: 1, ready: 1, "not ready": 0 });
  assert.equal(
    out,
    "web: creating Deployment web\nweb: waiting: unschedulable: no node fits\nweb: ready\nold: gone\ndone in 12.3 s: 1 created, 0 updated, 1 deleted, 1 ready, 0 not ready\n",
  );
});

test("off a terminal, a process nothing was said of gets no ready line; one that waited or changed does", () => {
  let out = "";
  const view = new ProgressView((t) => (out += t), false, () => 0);
  view.onEvent({ sequence: 1, timestamp: 0, resourcePreEvent: { metadata: meta("update") } });
  view.onCluster({ process: "idle", ready: true }, "rollout");
  view.onCluster({ process: "slow", ready: false, reason: "no pod yet" }, "rollout");
  view.onCluster({ process: "slow", ready: true }, "rollout");
  view.onCluster({ process: "web", ready: true }, "rollout");
  view.finish({ updated: 1, unchanged: 2, ready: 3 });
  assert.equal(out, "web: updating Deployment web\nslow: waiting: no pod yet\nslow: ready\nweb: ready\ndone in 0.0 s: 1 updated, 2 unchanged, 3 ready\n");
});

test("on a terminal, every process's state is shown, the unchanged ones' too", () => {
  let out = "";
  const view = new ProgressView((t) => (out += t), true, () => 0);
  view.onCluster({ process: "idle", ready: true }, "rollout");
  assert.equal(out, `\x1b[2K  ${"idle".padEnd(24)} ready\n`);
});

test("a preview speaks of what would happen: one line per step, and says it changed nothing", () => {
  let out = "";
  let now = 0;
  const view = new ProgressView((t) => (out += t), false, () => now, "preview");
  view.onEvent({ sequence: 1, timestamp: 0, resourcePreEvent: { metadata: meta("update") } });
  view.onEvent({ sequence: 2, timestamp: 0, resOutputsEvent: { metadata: meta("update") } });
  view.onEvent({ sequence: 3, timestamp: 0, resourcePreEvent: { metadata: meta("create") } });
  view.onEvent({ sequence: 4, timestamp: 0, resourcePreEvent: { metadata: meta("delete") } });
  now = 2_500;
  view.finishPreview();
  assert.equal(
    out,
    "web: would update Deployment web\nweb: would create Deployment web\nweb: would delete Deployment web\npreviewed in 2.5 s: nothing was changed\n",
  );
});

const line = (name: string, state: string) => `\x1b[2K  ${name.padEnd(24)} ${state}\n`;

test("with more processes than the terminal has rows, the live block is the counts and the processes needing attention", () => {
  let out = "";
  let now = 0;
  const view = new ProgressView((t) => (out += t), true, () => now, "apply", 3);
  for (const p of ["a", "b", "c"]) view.onCluster({ process: p, ready: false, reason: "no pod yet" }, "rollout");
  assert.equal(out, line("a", "waiting: no pod yet") + `\x1b[1A${line("a", "waiting: no pod yet")}${line("b", "waiting: no pod yet")}` + `\x1b[2A${line("a", "waiting: no pod yet")}${line("b", "waiting: no pod yet")}${line("c", "waiting: no pod yet")}`);
  out = "";
  now = 1000;
  view.onCluster({ process: "d", ready: true }, "rollout");
  assert.equal(out, `\x1b[3A\x1b[2K  4 processes: 3 waiting, 1 ready\n${line("a", "waiting: no pod yet")}${line("b", "waiting: no pod yet")}`);
  out = "";
  now = 1200;
  view.onCluster({ process: "a", ready: true }, "rollout");
  view.onCluster({ process: "b", ready: true }, "rollout");
  assert.equal(out, `\x1b[3A\x1b[2K  4 processes: 2 waiting, 2 ready\n${line("b", "waiting: no pod yet")}${line("c", "waiting: no pod yet")}`);
});

test("a large live block is redrawn at most every 100 ms, and what is left is drawn before the closing line", () => {
  let out = "";
  let now = 0;
  const view = new ProgressView((t) => (out += t), true, () => now, "apply", 2);
  view.onCluster({ process: "a", ready: true }, "rollout");
  view.onCluster({ process: "b", ready: true }, "rollout");
  view.onCluster({ process: "c", ready: true }, "rollout");
  out = "";
  now = 50;
  view.onCluster({ process: "d", ready: false, reason: "no pod yet" }, "rollout");
  assert.equal(out, "");
  now = 2050;
  view.finish({ ready: 3, "not ready": 1 });
  assert.equal(out, `\x1b[2A\x1b[2K  4 processes: 1 waiting, 3 ready\n${line("d", "waiting: no pod yet")}done in 2.0 s: 3 ready, 1 not ready\n`);
});

test("a block shorter than the last one clears what is left of it below", () => {
  let out = "";
  let now = 0;
  const view = new ProgressView((t) => (out += t), true, () => now, "apply", 3);
  for (const p of ["a", "b", "c"]) view.onCluster({ process: p, ready: false, reason: "x" }, "rollout");
  for (const p of ["a", "b", "c"]) view.onCluster({ process: p, ready: true }, "rollout");
  out = "";
  now = 1000;
  view.onCluster({ process: "d", ready: true }, "rollout");
  assert.equal(out, "\x1b[3A\x1b[2K  4 processes: 4 ready\n\x1b[J");
});

test("flush draws a waiting redraw at once, and nothing is drawn after it (an error printed next stays below the block)", async () => {
  let out = "";
  let now = 0;
  const view = new ProgressView((t) => (out += t), true, () => now, "apply", 2);
  for (const p of ["a", "b", "c"]) view.onCluster({ process: p, ready: true }, "rollout");
  out = "";
  now = 10;
  view.onCluster({ process: "c", ready: false, reason: "no pod yet" }, "rollout");
  assert.equal(out, "");
  view.flush();
  const flushed = `\x1b[2A\x1b[2K  3 processes: 1 waiting, 2 ready\n${line("c", "waiting: no pod yet")}`;
  assert.equal(out, flushed);
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(out, flushed);
});

test("a waiting redraw is drawn by its timer when no report follows", async () => {
  let out = "";
  const view = new ProgressView((t) => (out += t), true, Date.now, "apply", 2);
  for (const p of ["a", "b", "c"]) view.onCluster({ process: p, ready: true }, "rollout");
  out = "";
  view.onCluster({ process: "c", ready: false, reason: "no pod yet" }, "rollout");
  assert.equal(out, "");
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(out, `\x1b[2A\x1b[2K  3 processes: 1 waiting, 2 ready\n${line("c", "waiting: no pod yet")}`);
});

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

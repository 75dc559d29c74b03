import assert from "node:assert/strict";
import { test } from "node:test";
import type { automation } from "@pulumi/pulumi";
import { progressReporter } from "./progress.ts";

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

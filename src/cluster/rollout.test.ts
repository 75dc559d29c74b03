import assert from "node:assert/strict";
import { test } from "vitest";
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import { rolloutState } from "./rollout.ts";

const deployment = (generation: number, status: V1Deployment["status"]): V1Deployment => ({
  metadata: { name: "web", generation },
  spec: { replicas: 1, selector: {}, template: {} },
  status,
});
const pod = (name: string, created: string, status: V1Pod["status"]): V1Pod => ({ metadata: { name, creationTimestamp: new Date(created) }, status });

test("complete: seen, updated, no old replica, available", () => {
  assert.deepEqual(rolloutState("web", deployment(2, { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }), []), {
    process: "web",
    ready: true,
  });
});

test("not complete: each missing step has its reason", () => {
  assert.equal(rolloutState("web", undefined, []).reason, "its Deployment does not exist");
  assert.equal(
    rolloutState("web", deployment(3, { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }), []).reason,
    "the Deployment controller has not seen the new spec yet",
  );
  assert.equal(rolloutState("web", deployment(1, { observedGeneration: 1, replicas: 1, updatedReplicas: 1 }), []).reason, "no pod yet");
  assert.equal(
    rolloutState("web", deployment(1, { observedGeneration: 1, replicas: 1, updatedReplicas: 1 }), [pod("web-1", "2026-01-01T00:00:00Z", { phase: "Pending" })]).reason,
    "pod web-1 is Pending, not ready yet",
  );
});

test("the newest live pod's problem is the reason: unschedulable, crash loop", () => {
  const unschedulable = pod("web-2", "2026-01-01T00:01:00Z", {
    phase: "Pending",
    conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector." }],
  });
  const old = pod("web-1", "2026-01-01T00:00:00Z", { phase: "Running" });
  const d = deployment(1, { observedGeneration: 1, replicas: 1, updatedReplicas: 1 });
  assert.equal(
    rolloutState("web", d, [old, unschedulable]).reason,
    "unschedulable: 0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
  );
  const crashing = pod("web-3", "2026-01-01T00:02:00Z", {
    phase: "Running",
    containerStatuses: [{ name: "web", image: "x", imageID: "", ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } }],
  });
  assert.equal(rolloutState("web", d, [unschedulable, crashing]).reason, "crash loop: restarted 4 time(s)");
});

test("a stalled rollout says so when no pod tells more", () => {
  const d = deployment(1, {
    observedGeneration: 1,
    replicas: 1,
    updatedReplicas: 0,
    conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "ReplicaSet web-abc has timed out progressing." }],
  });
  assert.equal(rolloutState("web", d, []).reason, "rollout stalled: ReplicaSet web-abc has timed out progressing.");
});

import assert from "node:assert/strict";
import type { V1Pod } from "@kubernetes/client-node";
import { test } from "vitest";
import { notStarted } from "./pod-logs.ts";

const pod = (nodeName: string | undefined, status: V1Pod["status"]): V1Pod => ({ spec: { containers: [{ name: "web" }], ...(nodeName ? { nodeName } : {}) }, status });

test("notStarted: a running or finished container has a log; --previous needs a restart", () => {
  const running = pod("n0", { containerStatuses: [{ name: "web", image: "x", imageID: "", ready: true, restartCount: 0, state: { running: {} } }] });
  assert.equal(notStarted(running, "web", false), undefined);
  assert.equal(notStarted(running, "web", true), "its container has not restarted: there is no previous run (drop --previous)");
  const restarted = pod("n0", { containerStatuses: [{ name: "web", image: "x", imageID: "", ready: true, restartCount: 2, state: { running: {} } }] });
  assert.equal(notStarted(restarted, "web", true), undefined);
});

test("notStarted: not scheduled, or a container still waiting, says why", () => {
  const unschedulable = pod(undefined, { conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available" }] });
  assert.equal(notStarted(unschedulable, "web", false), "unschedulable: 0/3 nodes are available");
  assert.equal(notStarted(pod(undefined, {}), "web", false), "not scheduled on a node yet");
  const creating = pod("n0", { containerStatuses: [{ name: "web", image: "x", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] });
  assert.equal(notStarted(creating, "web", false), "its container is ContainerCreating");
  const pulling = pod("n0", { containerStatuses: [{ name: "web", image: "x", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ImagePullBackOff", message: "no such image" } } }] });
  assert.equal(notStarted(pulling, "web", false), "image pull failure (ImagePullBackOff): no such image");
});

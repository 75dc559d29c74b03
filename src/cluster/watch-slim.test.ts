import { expect, test } from "vitest";
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import { rolloutState } from "./rollout.ts";
import { slimForWait } from "./watch-slim.ts";

const managedFields = [{ manager: "kube-controller-manager", operation: "Update", fieldsType: "FieldsV1", fieldsV1: { "f:status": {} } }];

const deployment = (): V1Deployment => ({
  metadata: {
    name: "web",
    namespace: "default",
    resourceVersion: "17",
    generation: 2,
    labels: { "hydroplane/process-id": "web" },
    annotations: { "deployment.kubernetes.io/revision": "2" },
    managedFields,
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { "hydroplane/process-id": "web" } },
    template: { metadata: { labels: { "hydroplane/process-id": "web" } }, spec: { containers: [{ name: "main", image: "nginxdemos/hello" }] } },
  },
  status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 0 },
});

const pod = (): V1Pod => ({
  metadata: {
    name: "web-5d8f-abcde",
    namespace: "default",
    resourceVersion: "21",
    creationTimestamp: new Date("2026-12-01T00:00:00Z"),
    labels: { "hydroplane/process-id": "web" },
    ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d8f", uid: "u1" }],
    managedFields,
  },
  spec: { containers: [{ name: "main", image: "nginxdemos/hello" }], nodeName: "kwok-node-0" },
  status: { phase: "Pending", containerStatuses: [{ name: "main", image: "nginxdemos/hello", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "ImagePullBackOff", message: "back-off pulling image" } } }] },
});

test("a Deployment keeps its name, labels, generation, replicas and status; the rest goes", () => {
  expect(slimForWait(deployment())).toEqual({
    metadata: { name: "web", namespace: "default", resourceVersion: "17", generation: 2, labels: { "hydroplane/process-id": "web" } },
    spec: { replicas: 1 },
    status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 0 },
  });
});

test("a pod keeps its name, labels, timestamps and status, not its spec", () => {
  const slim = slimForWait(pod());
  expect(slim.spec).toBeUndefined();
  expect(slim.metadata).toEqual({
    name: "web-5d8f-abcde",
    namespace: "default",
    resourceVersion: "21",
    creationTimestamp: new Date("2026-12-01T00:00:00Z"),
    labels: { "hydroplane/process-id": "web" },
  });
  expect(slim.status).toEqual(pod().status);
});

test("a wait reads the same from slimmed objects as from whole ones", () => {
  expect(rolloutState("web", slimForWait(deployment()), [slimForWait(pod())])).toEqual(rolloutState("web", deployment(), [pod()]));
  expect(rolloutState("web", slimForWait(deployment()), [slimForWait(pod())])).toEqual({
    process: "web",
    ready: false,
    reason: "image pull failure (ImagePullBackOff): back-off pulling image",
  });
});

test("slimming twice changes nothing more, and a watch event's kind is kept", () => {
  const once = slimForWait({ ...pod(), kind: "Pod", apiVersion: "v1" });
  expect(slimForWait(structuredClone(once))).toEqual(once);
  expect(once.kind).toBe("Pod");
});

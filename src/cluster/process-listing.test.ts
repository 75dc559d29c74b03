import assert from "node:assert/strict";
import { test } from "vitest";
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import { indexByProcess } from "./process-index.ts";
import { listDeployments, listingPaths, listPods, remainingStates, rolloutStates, SELECT_UP_TO, watchSelector } from "./process-listing.ts";

test("watchSelector names the processes of a small wait, each once, and the whole namespace's past SELECT_UP_TO", () => {
  assert.equal(watchSelector(["web", "api", "web"]), "app.kubernetes.io/managed-by=hpx,hydroplane/process-id in (api,web)");
  assert.equal(watchSelector(undefined), "app.kubernetes.io/managed-by=hpx");
  assert.equal(watchSelector([]), "app.kubernetes.io/managed-by=hpx");
  const many = Array.from({ length: SELECT_UP_TO + 1 }, (_, i) => `p${i}`);
  assert.equal(watchSelector(many), "app.kubernetes.io/managed-by=hpx");
  assert.equal(watchSelector(many.slice(1)).split(",").length, SELECT_UP_TO + 1);
});

const labelled = (process: string) => ({ name: process, labels: { "hydroplane/process-id": process } });
const rolledOut = (process: string): V1Deployment => ({
  metadata: { ...labelled(process), generation: 1 },
  spec: { replicas: 1, selector: {}, template: {} },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
});
// The pod's label names its process, as components/labels.ts sets it.
const runningPod = (process: string): V1Pod => ({ metadata: { name: `${process}-1`, labels: { "hydroplane/process-id": process } }, status: { phase: "Running" } });

test("listingPaths: one selector for both lists, the namespace escaped", () => {
  assert.deepEqual(listingPaths("a b", ["web"]), {
    deployments: "/apis/apps/v1/namespaces/a%20b/deployments?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dhpx%2Chydroplane%2Fprocess-id%20in%20(web)",
    pods: "/api/v1/namespaces/a%20b/pods?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dhpx%2Chydroplane%2Fprocess-id%20in%20(web)",
  });
});

test("rolloutStates and remainingStates read one index: rolled out, missing, still there", () => {
  const index = indexByProcess([rolledOut("web")], [runningPod("web"), runningPod("old")]);
  assert.deepEqual(rolloutStates(index, ["web", "api"]), [
    { process: "web", ready: true },
    { process: "api", ready: false, reason: "its Deployment does not exist" },
  ]);
  assert.deepEqual(remainingStates(index, ["web", "old", "gone"]), [
    { process: "web", ready: false, reason: "its Deployment and 1 pod(s) still there" },
    { process: "old", ready: false, reason: "1 pod(s) still there" },
    { process: "gone", ready: true },
  ]);
});

test("listDeployments and listPods list with the wait's selector, an absent items as none", async () => {
  const asked: string[] = [];
  const get = async (path: string) => {
    asked.push(path);
    return path.startsWith("/apis/apps") ? { kind: "DeploymentList", metadata: { resourceVersion: "7" }, items: [rolledOut("web")] } : { kind: "PodList", metadata: {} };
  };
  // Cut to what a wait reads (watched-fields.ts): the spec's replicas only.
  assert.deepEqual((await listDeployments(get, "ns", ["web"])).items, [{ ...rolledOut("web"), spec: { replicas: 1 } }]);
  assert.deepEqual((await listPods(get, "ns", ["web"])).items, []);
  assert.deepEqual(asked, [`${listingPaths("ns", ["web"]).deployments}&limit=500`, `${listingPaths("ns", ["web"]).pods}&limit=500`]);
});

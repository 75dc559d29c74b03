import assert from "node:assert/strict";
import { test } from "vitest";
import type { V1Deployment } from "@kubernetes/client-node";
import { waitForProcesses } from "./process-wait.ts";
import type { RolloutState } from "./rollout.ts";

const rolledOut = (process: string): V1Deployment => ({
  metadata: { name: process, generation: 1, labels: { "hydroplane/process-id": process } },
  spec: { replicas: 1, selector: {}, template: {} },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
});
const noWatch = async () => {
  throw new Error("the wait opened a watch");
};
const explain = async (err: unknown): Promise<never> => {
  throw new Error(`explained: ${(err as Error).message}`);
};

test("a wait whose first look finds every process there reports each, in its phase, and opens no watch", async () => {
  const asked: string[] = [];
  const get = async (path: string) => {
    asked.push(path.slice(0, path.indexOf("?")));
    return { items: path.startsWith("/apis/apps") ? [rolledOut("web"), rolledOut("api")] : [] };
  };
  const heard: [RolloutState, string][] = [];
  const notReady = await waitForProcesses({ get, kc: noWatch, namespace: "ns", explain }, ["web", "api"], ["old"], Date.now() + 60_000, {
    onRollout: (s, phase) => heard.push([s, phase]),
  });
  assert.deepEqual(notReady, []);
  assert.deepEqual(heard, [
    [{ process: "old", ready: true }, "deletion"],
    [{ process: "web", ready: true }, "rollout"],
    [{ process: "api", ready: true }, "rollout"],
  ]);
  assert.deepEqual(asked, ["/apis/apps/v1/namespaces/ns/deployments", "/api/v1/namespaces/ns/pods"]);
});

test("with nothing to delete, a first look that finds every Deployment rolled out lists no pods", async () => {
  const asked: string[] = [];
  const get = async (path: string) => {
    asked.push(path.slice(0, path.indexOf("?")));
    return { items: path.startsWith("/apis/apps") ? [rolledOut("web")] : [] };
  };
  assert.deepEqual(await waitForProcesses({ get, kc: noWatch, namespace: "ns", explain }, ["web"], [], Date.now() + 60_000, {}), []);
  assert.deepEqual(asked, ["/apis/apps/v1/namespaces/ns/deployments"]);
});

test("a first look the API server refuses is explained, and no watch is opened", async () => {
  const get = async () => {
    throw new Error("HTTP 403: forbidden");
  };
  await assert.rejects(waitForProcesses({ get, kc: noWatch, namespace: "ns", explain }, ["web"], [], Date.now() + 60_000, {}), { message: "explained: HTTP 403: forbidden" });
});

test("a first look that finds a process not rolled out lists its pods, then goes on to a watch", async () => {
  const asked: string[] = [];
  const get = async (path: string) => {
    asked.push(path.slice(0, path.indexOf("?")));
    return { items: [] };
  };
  await assert.rejects(waitForProcesses({ get, kc: noWatch, namespace: "ns", explain }, ["web"], [], Date.now() + 60_000, {}), { message: "the wait opened a watch" });
  assert.deepEqual(asked, ["/apis/apps/v1/namespaces/ns/deployments", "/api/v1/namespaces/ns/pods"]);
});

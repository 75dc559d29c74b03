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

const tableOf = (rows: [string, string][]) => ({
  kind: "Table",
  columnDefinitions: ["Name", "Ready", "Up-to-date", "Available"].map((name) => ({ name })),
  rows: rows.map(([name, ready]) => ({ cells: [name, ready, Number(ready[0]), Number(ready[0])] })),
});

test("processes the run did not change are read from the Deployments' Table; the changed one from its Deployment, by name", async () => {
  const asked: [string, string | undefined][] = [];
  const get = async (path: string, accept?: string) => {
    asked.push([decodeURIComponent(path), accept]);
    return accept?.includes("as=Table") ? tableOf([["web", "1/1"], ["db", "1/1"], ["api", "0/1"]]) : { items: [rolledOut("api")] };
  };
  const heard: string[] = [];
  const notReady = await waitForProcesses({ get, kc: noWatch, namespace: "ns", explain }, ["web", "api", "db"], [], Date.now() + 60_000, {
    unchanged: new Set(["web", "db"]),
    onRollout: (s, phase) => heard.push(`${s.process} ${s.ready} ${phase}`),
  });
  assert.deepEqual(notReady, []);
  assert.deepEqual(heard, ["web true rollout", "api true rollout", "db true rollout"]);
  assert.deepEqual(asked, [
    ["/apis/apps/v1/namespaces/ns/deployments?labelSelector=app.kubernetes.io/managed-by=hpx&includeObject=None", "application/json;as=Table;v=v1;g=meta.k8s.io"],
    ["/apis/apps/v1/namespaces/ns/deployments?labelSelector=app.kubernetes.io/managed-by=hpx,hydroplane/process-id in (api)&limit=500", "application/json"],
  ]);
});

test("an unchanged process the Table shows not rolled out is looked at in full, as a changed one", async () => {
  const asked: string[] = [];
  const get = async (path: string, accept?: string) => {
    asked.push(decodeURIComponent(path.slice(path.indexOf("?"))));
    return accept?.includes("as=Table") ? tableOf([["web", "0/1"], ["db", "1/1"]]) : { items: [rolledOut("web"), rolledOut("api")] };
  };
  const heard: string[] = [];
  await waitForProcesses({ get, kc: noWatch, namespace: "ns", explain }, ["web", "api", "db"], [], Date.now() + 60_000, {
    unchanged: new Set(["web", "db"]),
    onRollout: (s) => heard.push(s.process),
  });
  assert.deepEqual(heard, ["web", "api", "db"]);
  assert.deepEqual(asked.at(-1), "?labelSelector=app.kubernetes.io/managed-by=hpx,hydroplane/process-id in (api,web)&limit=500");
});

test("an answer that is not a Table (an API server that ignores the Accept header) leaves every process to the full look", async () => {
  const asked: string[] = [];
  const get = async (path: string) => {
    asked.push(decodeURIComponent(path.slice(path.indexOf("?"))));
    return { items: [rolledOut("web"), rolledOut("api")] };
  };
  assert.deepEqual(await waitForProcesses({ get, kc: noWatch, namespace: "ns", explain }, ["web", "api"], [], Date.now() + 60_000, { unchanged: new Set(["web"]) }), []);
  assert.deepEqual(asked.at(-1), "?labelSelector=app.kubernetes.io/managed-by=hpx,hydroplane/process-id in (api,web)&limit=500");
});

test("with more changed processes than a selector names, one listing of every Deployment serves all: no Table", async () => {
  const many = Array.from({ length: 101 }, (_, i) => `p${i}`);
  const asked: (string | undefined)[] = [];
  const get = async (_path: string, accept?: string) => {
    asked.push(accept);
    return { items: [...many, "web"].map(rolledOut) };
  };
  await waitForProcesses({ get, kc: noWatch, namespace: "ns", explain }, [...many, "web"], [], Date.now() + 60_000, { unchanged: new Set(["web"]) });
  assert.deepEqual(asked, ["application/json"]);
});

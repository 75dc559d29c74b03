import { readFileSync } from "node:fs";
import tls from "node:tls";
import { afterEach, expect, test } from "vitest";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { kubeCluster } from "../src/cluster/kube-cluster.ts";
import { directGet } from "../src/cluster/kube-direct.ts";
import { clientNodeGet } from "../src/cluster/kube-list.ts";
import { kubeConfigFor } from "../src/cluster/kube-config.ts";
import type { LiveObject } from "../src/cluster/ownership.ts";
import { harnessEnv } from "./harness/env.ts";

// hpx's own requests through client-node (a destroy's deletions, a wait's lists) on the
// real API server: how many TLS connections they open, counted where undici opens them.
const connect = tls.connect;
let opened = 0;
const counting = ((...args: Parameters<typeof tls.connect>) => {
  opened++;
  return connect.apply(tls, args);
}) as typeof tls.connect;

afterEach(() => {
  tls.connect = connect;
});

function counted<T>(work: () => Promise<T>): Promise<{ value: T; connections: number }> {
  opened = 0;
  tls.connect = counting;
  return work().then((value) => ({ value, connections: opened }));
}

const missingServices = (n: number): LiveObject[] =>
  Array.from({ length: n }, (_, i) => ({ kind: "Service", name: `never-made-${i}`, uid: "", partOf: undefined, stack: undefined, applied: undefined, process: `never-made-${i}` }));

test("a destroy's 96 deletions reuse connections: at most one per deletion in flight (32)", async () => {
  const text = readFileSync(harnessEnv().kubeconfig, "utf8");
  const cluster = kubeCluster({ kubeconfig: text, kubeconfigPath: harnessEnv().kubeconfig, context: undefined, namespace: "default", clusterIdentifier: "test", simulated: true });
  // Objects already gone are fine (404): the requests are real, the namespace unchanged.
  const { connections } = await counted(() => cluster.deleteObjects(missingServices(96), { background: true }));
  expect(connections).toBeGreaterThan(0);
  expect(connections).toBeLessThanOrEqual(32);
});

test("the guards' plain GETs, one after another, go over one connection", async () => {
  const get = directGet(readFileSync(harnessEnv().kubeconfig, "utf8"));
  expect(get).toBeTypeOf("function");
  const { connections } = await counted(async () => {
    for (let i = 0; i < 10; i++) await get!("/api/v1/namespaces/default");
  });
  expect(connections).toBe(1);
});

test("GETs with client-node's credentials (an exec plugin's path, EKS's) go over one connection", async () => {
  const text = readFileSync(harnessEnv().kubeconfig, "utf8");
  const get = clientNodeGet(kubeConfigFor({ kubeconfig: text, kubeconfigPath: harnessEnv().kubeconfig, context: undefined, namespace: "default", clusterIdentifier: "test", simulated: true }));
  const { connections } = await counted(async () => {
    for (let i = 0; i < 10; i++) await get("/api/v1/namespaces/default");
  });
  expect(connections).toBe(1);
});

test("client-node alone opens a connection per request (what shared-dispatchers.ts works around)", async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(harnessEnv().kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const { connections } = await counted(async () => {
    for (let i = 0; i < 10; i++) await core.readNamespace({ name: "default" });
  });
  expect(connections).toBe(10);
});

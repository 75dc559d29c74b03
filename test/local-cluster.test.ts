import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "vitest";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { hpx } from "./harness/cli.ts";
import { harnessEnv } from "./harness/env.ts";

function api(): { core: CoreV1Api; apps: AppsV1Api } {
  const kc = new KubeConfig();
  kc.loadFromFile(harnessEnv().kubeconfig);
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}

test("hpx local status: 3 Ready simulated nodes, each with an InternalIP and a distinct ExternalIP", async () => {
  const res = await hpx(["local", "status", "--json"]);
  assert.equal(res.code, 0, res.stderr);
  const status = JSON.parse(res.stdout);
  assert.equal(status.running, true);
  assert.deepEqual(
    status.nodes.map((n: { name: string; ready: boolean; internalIP: string; externalIP: string }) => [n.name, n.ready, n.internalIP, n.externalIP]),
    [
      ["hpx-node-0", true, "198.51.100.10", "203.0.113.10"],
      ["hpx-node-1", true, "198.51.100.11", "203.0.113.11"],
      ["hpx-node-2", true, "198.51.100.12", "203.0.113.12"],
    ],
  );
  const components = status.processes.map((p: { component: string }) => p.component).sort();
  assert.deepEqual(components, ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok-controller"]);
  // Without leader election, an overloaded API server cannot make them exit (local-cluster.ts).
  for (const p of status.processes as { component: string; pid: number }[]) {
    if (p.component !== "kube-controller-manager" && p.component !== "kube-scheduler") continue;
    assert.ok(readFileSync(`/proc/${p.pid}/cmdline`, "utf8").split("\0").includes("--leader-elect=false"), `${p.component} runs with --leader-elect=false`);
  }
});

test("hpx local up on a running cluster changes nothing: same component processes", async () => {
  const before = JSON.parse((await hpx(["local", "status", "--json"])).stdout);
  const res = await hpx(["local", "up", "--json"]);
  assert.equal(res.code, 0, res.stderr);
  const after = JSON.parse(res.stdout);
  assert.deepEqual(after.processes, before.processes);
  assert.equal(after.nodes.length, 3);
});

test("hpx local status on a terminal says that nothing really runs", async () => {
  const res = await hpx(["local", "status"]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^local cluster: running, Kubernetes \d+\.\d+\.\d+ at https:\/\/127\.0\.0\.1:\d+$/m);
  assert.match(res.stdout, /no container really runs here/);
});

test("a Deployment gets its pod, scheduled onto a simulated node and Running", async () => {
  const { core, apps } = api();
  const ns = "default";
  const name = `substrate-${process.pid}`;
  const labels = { app: name };
  await apps.createNamespacedDeployment({
    namespace: ns,
    body: {
      metadata: { name, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: "web", image: "nginxdemos/hello" }] } },
      },
    },
  });
  try {
    let pod;
    for (let i = 0; i < 200; i++) {
      const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: `app=${name}` });
      pod = pods.items[0];
      if (pod?.status?.phase === "Running") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(pod?.status?.phase, "Running");
    assert.match(pod?.spec?.nodeName ?? "", /^hpx-node-[0-2]$/);
    const node = await core.readNode({ name: pod?.spec?.nodeName ?? "" });
    assert.equal(pod?.status?.hostIP, node.status?.addresses?.find((a) => a.type === "InternalIP")?.address);
  } finally {
    await apps.deleteNamespacedDeployment({ name, namespace: ns });
  }
});

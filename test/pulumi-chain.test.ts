import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { engineEnv, ensureKubernetesPlugin, pulumiCommand } from "../src/automation/engine.ts";
import { toolchain } from "../src/toolchain.ts";
import { harnessEnv } from "./harness/env.ts";

async function gone(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (err) {
    return (err as { code?: number }).code === 404;
  }
}

test("Automation API inline program: Deployment + NodePort Service on the local cluster, then destroy", async () => {
  await ensureKubernetesPlugin();
  const env = harnessEnv();
  const tools = toolchain();
  const kubeconfig = readFileSync(env.kubeconfig, "utf8");
  const name = `chain-${process.pid}`;
  const labels = { app: name };
  const program = async () => {
    const provider = new k8s.Provider("local", { kubeconfig, namespace: "default" });
    new k8s.apps.v1.Deployment(
      name,
      {
        metadata: { name, labels },
        spec: {
          replicas: 1,
          strategy: { type: "Recreate" },
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: "web", image: "nginxdemos/hello", ports: [{ containerPort: 80 }] }] } },
        },
      },
      { provider },
    );
    const svc = new k8s.core.v1.Service(
      name,
      { metadata: { name, labels }, spec: { type: "NodePort", selector: labels, ports: [{ port: 80, targetPort: 80, protocol: "TCP" }] } },
      { provider },
    );
    return { nodePort: svc.spec.ports[0]?.nodePort };
  };
  const stack = await pulumi.automation.LocalWorkspace.createOrSelectStack(
    { stackName: "chain", projectName: "hpx-chain", program },
    {
      pulumiCommand: await pulumiCommand(tools),
      envVars: { ...engineEnv(tools), PULUMI_CONFIG_PASSPHRASE: "hpx-test-passphrase" },
      projectSettings: { name: "hpx-chain", runtime: "nodejs", backend: { url: env.backendUrl } },
    },
  );
  const up = await stack.up();
  assert.equal(up.summary.result, "succeeded");
  const nodePort = up.outputs.nodePort?.value as number;
  assert.ok(nodePort >= 30000 && nodePort <= 32767, `nodePort ${nodePort}`);

  const kc = new KubeConfig();
  kc.loadFromFile(env.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const pods = await core.listNamespacedPod({ namespace: "default", labelSelector: `app=${name}` });
  assert.equal(pods.items.length, 1);
  const pod = pods.items[0]!;
  assert.equal(pod.status?.phase, "Running");
  const node = await core.readNode({ name: pod.spec?.nodeName ?? "" });
  assert.equal(node.metadata?.annotations?.["kwok.x-k8s.io/node"], "fake");
  assert.match(node.status?.addresses?.find((a) => a.type === "ExternalIP")?.address ?? "", /^203\.0\.113\.\d+$/);
  const svc = await core.readNamespacedService({ name, namespace: "default" });
  assert.equal(svc.spec?.type, "NodePort");
  assert.equal(svc.spec?.ports?.[0]?.nodePort, nodePort);

  const destroyed = await stack.destroy();
  assert.equal(destroyed.summary.result, "succeeded");
  assert.ok(await gone(() => apps.readNamespacedDeployment({ name, namespace: "default" })), "deployment still exists");
  assert.ok(await gone(() => core.readNamespacedService({ name, namespace: "default" })), "service still exists");
  await stack.workspace.removeStack("chain");
  assert.ok(!existsSync(join(new URL(env.backendUrl).pathname, ".pulumi", "stacks", "hpx-chain", "chain.json")));
});

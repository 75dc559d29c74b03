import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, test } from "vitest";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { listProcesses } from "../src/cluster/list-processes.ts";
import { buildService } from "../src/components/build-service.ts";
import { buildDeployment } from "../src/components/build-workload.ts";
import { loadProcessFile } from "../src/spec/load-process-file.ts";
import type { ProcessSpec } from "../src/spec/process-spec.ts";
import { repoRoot } from "../src/toolchain.ts";
import { hpx } from "./harness/cli.ts";
import { harnessEnv, testDir } from "./harness/env.ts";

// hpx ls reads the cluster, not the engine: these tests put the builders' objects on the
// local cluster directly, so they run even where the kubernetes plugin is unavailable.
const NS = "ls-test";
let kc: KubeConfig;
const admin = () => ({ kubeconfig: readFileSync(harnessEnv().kubeconfig, "utf8"), context: undefined });
let cwd: string;
const ls = (args: string[]) => hpx(["ls", ...args], {}, cwd);
let core: CoreV1Api;
let apps: AppsV1Api;

/** The builders' objects, marked as an older hpx marked a stack's (`hpx.dev/stack: local`, its name only). */
async function apply(specs: ProcessSpec[], namespace: string): Promise<void> {
  const named = <T extends { metadata?: { annotations?: Record<string, string> } }>(o: T): T => ({ ...o, metadata: { ...o.metadata, annotations: { "hpx.dev/stack": "local" } } });
  for (const spec of specs) {
    await apps.createNamespacedDeployment({ namespace, body: named(buildDeployment(spec, namespace)) });
    await core.createNamespacedService({ namespace, body: named(buildService(spec, namespace)) });
  }
  for (let i = 0; i < 300; i++) {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: "app.kubernetes.io/managed-by=hpx" });
    const ready = pods.items.filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
    if (ready.length === specs.length) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("pods did not become ready");
}

beforeAll(async () => {
  kc = new KubeConfig();
  kc.loadFromFile(harnessEnv().kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  // A project whose local stack uses its own namespace and state, apart from the other
  // tests': that stack records no identity, so ls lists the objects its name marks.
  cwd = testDir("ls");
  mkdirSync(join(cwd, "stacks"));
  writeFileSync(join(cwd, "stacks", "local.yml"), `backend: file://${join(cwd, "state")}\nruntime: {runtime_type: local, namespace: ${NS}}\n`);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await apply(loadProcessFile(`${repoRoot}/examples/three-processes.yml`), NS);
});

test("hpx ls -o json: public ports on the pod's node ExternalIP + NodePort, private on ClusterIP + port, RUNNING", async () => {
  const res = await ls(["-o", "json"]);
  assert.equal(res.code, 0, res.stderr);
  const expected = [];
  for (const name of ["batch", "dns", "web"]) {
    const svc = await core.readNamespacedService({ name, namespace: NS });
    const pod = (await core.listNamespacedPod({ namespace: NS, labelSelector: `hydroplane/process-id=${name}` })).items[0]!;
    const node = await core.readNode({ name: pod.spec!.nodeName! });
    const external = node.status!.addresses!.find((a) => a.type === "ExternalIP")!.address;
    assert.match(external, /^203\.0\.113\.\d+$/);
    expected.push({
      process_name: name,
      group: name === "batch" ? null : "demo",
      socket_addresses: svc.spec!.ports!.map((p) =>
        name === "web" ? { host: external, port: p.nodePort, is_public: true } : { host: svc.spec!.clusterIP, port: p.port, is_public: false },
      ),
      created: pod.metadata!.creationTimestamp!.toISOString().replace(/\.\d{3}Z$/, "+00:00"),
      status: "RUNNING",
      node: pod.spec!.nodeName,
    });
  }
  assert.deepEqual(JSON.parse(res.stdout), expected);
  assert.equal(expected[2]!.socket_addresses.length, 2, "web has two public ports");
});

test("hpx ls -g demo lists exactly that group; the table is for people", async () => {
  const json = await ls(["-g", "demo", "-o", "json"]);
  assert.deepEqual(JSON.parse(json.stdout).map((p: { process_name: string }) => p.process_name), ["dns", "web"]);
  const table = await ls([]);
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.split("\n");
  assert.match(lines[0]!, /^NAME\s+GROUP\s+STATUS\s+ADDRESSES\s+CREATED$/);
  assert.match(lines.find((l) => l.startsWith("web "))!, /^web\s+demo\s+RUNNING\s+203\.0\.113\.\d+:3\d{4}, 203\.0\.113\.\d+:3\d{4}\s+\S+$/);
  assert.match(lines.find((l) => l.startsWith("dns "))!, /^dns\s+demo\s+RUNNING\s+10\.\d+\.\d+\.\d+:53 \(private\)\s+\S+$/);
  assert.ok(table.stdout.includes("nothing really listens there"));
});

test("hpx ls makes three API requests whatever the number of processes", async () => {
  const count = async (namespace: string) => {
    const urls: string[] = [];
    await listProcesses(admin(), { namespace, onRequest: (_m, url) => urls.push(new URL(url, "https://cluster").pathname) });
    return urls.sort();
  };
  assert.deepEqual(await count(NS), [`/api/v1/namespaces/${NS}/pods`, `/api/v1/namespaces/${NS}/services`, "/api/v1/nodes"]);
  const many = "ls-many";
  await core.createNamespace({ body: { metadata: { name: many } } });
  const specs: ProcessSpec[] = Array.from({ length: 12 }, (_, i) => ({
    process_name: `p${i}`,
    has_public_ip: i % 2 === 0,
    container: { image_uri: "nginx", ports: [{ container_port: 80, protocol: "tcp" }], env: [] },
  }));
  await apply(specs, many);
  assert.equal((await listProcesses(admin(), { namespace: many })).length, 12);
  assert.deepEqual(await count(many), [`/api/v1/namespaces/${many}/pods`, `/api/v1/namespaces/${many}/services`, "/api/v1/nodes"]);
  await core.deleteNamespace({ name: many });
});

test("hpx ls -o yaml is a usage error", async () => {
  const res = await ls(["-o", "yaml"]);
  assert.equal(res.code, 2);
  assert.equal(res.stderr, "hpx: -o must be one of table, json, wide, got yaml\n");
});

test("the kubeconfig runtime (explicit file and context) lists the same processes", async () => {
  const context = kc.getCurrentContext();
  // The same stack (named local, its own state) reached through a kubeconfig file instead.
  const byFile = testDir("ls-byfile");
  mkdirSync(join(byFile, "stacks"));
  writeFileSync(
    join(byFile, "stacks", "local.yml"),
    `backend: file://${join(byFile, "state")}\nruntime: {runtime_type: kubeconfig, kubeconfig: ${harnessEnv().kubeconfig}, context: ${context}, namespace: ${NS}}\n`,
  );
  const viaFile = await hpx(["ls", "-o", "json"], {}, byFile);
  assert.equal(viaFile.code, 0, viaFile.stderr);
  const viaLocal = await ls(["-o", "json"]);
  assert.equal(JSON.parse(viaLocal.stdout).length, 3);
  assert.deepEqual(JSON.parse(viaFile.stdout), JSON.parse(viaLocal.stdout));
  writeFileSync(join(cwd, "stacks", "badctx.yml"), `runtime: {runtime_type: kubeconfig, kubeconfig: ${harnessEnv().kubeconfig}, context: nope}\n`);
  const bad = await hpx(["ls", "-s", "badctx"], {}, cwd);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, `hpx: kubeconfig ${harnessEnv().kubeconfig} has no context nope\n  contexts: ${context}\n`);
});

import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { hpx, type CliResult } from "./harness/cli.ts";
import { harnessEnv, testDir } from "./harness/env.ts";

const THREE = `processes:
  - process_name: web
    group: demo
    has_public_ip: true
    container:
      image_uri: nginxdemos/hello
      ports:
        - {container_port: 80}
        - {container_port: 443, protocol: tcp}
  - process_name: dns
    group: demo
    container:
      image_uri: coredns/coredns
      command: ["/coredns", "-dns.port", "53"]
      ports: [{container_port: 53, protocol: udp}]
  - process_name: batch
    container:
      image_uri: busybox
      resource_request: {cpu_vcpu: "0.25", memory_mib: 128}
      resource_limit: {cpu_vcpu: "0.5", memory_mib: 256}
      node_selector: {kubernetes.io/arch: amd64}
      ports: [{container_port: 8080}]
`;

/** A project directory with a stack file pointing at the harness's backend and cluster. */
function project(): { dir: string; run: (args: string[]) => Promise<CliResult> } {
  const dir = testDir("core");
  mkdirSync(join(dir, "stacks"));
  writeFileSync(
    join(dir, "stacks", "local.yml"),
    `backend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: local, namespace: default}\n`,
  );
  return { dir, run: (args) => hpx(args, {}, dir) };
}

function clients(): { core: CoreV1Api; apps: AppsV1Api } {
  const kc = new KubeConfig();
  kc.loadFromFile(harnessEnv().kubeconfig);
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}

async function hpxObjects(): Promise<string[]> {
  const { core, apps } = clients();
  const sel = { namespace: "default", labelSelector: "app.kubernetes.io/managed-by=hpx" };
  const [d, s, sec] = await Promise.all([apps.listNamespacedDeployment(sel), core.listNamespacedService(sel), core.listNamespacedSecret(sel)]);
  return [...d.items.map((o) => `Deployment/${o.metadata?.name}`), ...s.items.map((o) => `Service/${o.metadata?.name}`), ...sec.items.map((o) => `Secret/${o.metadata?.name}`)].sort();
}

test("up → ls → change one field → preview → stop -g → destroy, on the local cluster", async () => {
  const { dir, run } = project();
  writeFileSync(join(dir, "processes.yml"), THREE);

  const up = await run(["up", "processes.yml", "--yes", "--json"]);
  assert.equal(up.code, 0, up.stderr);
  assert.deepEqual(
    JSON.parse(up.stdout).changes.map((c: { process: string; change: string }) => [c.process, c.change]),
    [["batch", "create"], ["dns", "create"], ["web", "create"]],
  );

  // ls: public ports on the pod's node ExternalIP + NodePort, private on ClusterIP + port.
  const ls = await run(["ls", "-o", "json"]);
  assert.equal(ls.code, 0, ls.stderr);
  const { core } = clients();
  const expected = [];
  for (const name of ["batch", "dns", "web"]) {
    const svc = await core.readNamespacedService({ name, namespace: "default" });
    const pod = (await core.listNamespacedPod({ namespace: "default", labelSelector: `hydroplane/process-id=${name}` })).items[0]!;
    const node = await core.readNode({ name: pod.spec!.nodeName! });
    const external = node.status!.addresses!.find((a) => a.type === "ExternalIP")!.address;
    const isPublic = name === "web";
    expected.push({
      process_name: name,
      group: name === "batch" ? null : "demo",
      socket_addresses: svc.spec!.ports!.map((p) =>
        isPublic ? { host: external, port: p.nodePort, is_public: true } : { host: svc.spec!.clusterIP, port: p.port, is_public: false },
      ),
      status: "RUNNING",
    });
  }
  const listed = JSON.parse(ls.stdout).map((p: Record<string, unknown>) => ({
    process_name: p.process_name,
    group: p.group,
    socket_addresses: p.socket_addresses,
    status: p.status,
  }));
  assert.deepEqual(listed, expected);

  const again = await run(["preview", "processes.yml", "--expect-no-changes"]);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.equal(again.stdout, "no changes\n");

  writeFileSync(join(dir, "processes.yml"), THREE.replace("image_uri: busybox", "image_uri: busybox:1.36"));
  const changed = await run(["preview", "processes.yml", "--diff", "--json"]);
  assert.equal(changed.code, 0, changed.stderr);
  const plans = JSON.parse(changed.stdout).changes.filter((c: { change: string }) => c.change !== "same");
  assert.deepEqual(plans.map((c: { process: string; change: string }) => [c.process, c.change]), [["batch", "update"]]);
  assert.equal((await run(["preview", "processes.yml", "--expect-no-changes"])).code, 3);

  // Removing a process from the file deletes its objects.
  writeFileSync(join(dir, "processes.yml"), THREE.slice(0, THREE.indexOf("  - process_name: batch")));
  assert.equal((await run(["up", "processes.yml", "--yes"])).code, 0);
  assert.deepEqual(await hpxObjects(), ["Deployment/dns", "Deployment/web", "Service/dns", "Service/web"]);

  writeFileSync(join(dir, "processes.yml"), THREE);
  assert.equal((await run(["up", "--yes"])).code, 0, "up without a file re-applies the stored state");
  assert.equal((await run(["up", "processes.yml", "--yes"])).code, 0);
  assert.equal((await run(["stop", "-g", "demo"])).code, 0);
  assert.deepEqual(await hpxObjects(), ["Deployment/batch", "Service/batch"]);

  assert.equal((await run(["destroy", "--yes"])).code, 0);
  assert.deepEqual(await hpxObjects(), []);
});

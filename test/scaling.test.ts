import assert from "node:assert/strict";
import { join } from "node:path";
import { KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { test } from "vitest";
import { countRequests } from "../bench/audit-log.ts";
import { harnessEnv } from "./harness/env.ts";
import { adminConfig, project, type Project } from "./harness/project.ts";

const processes = (n: number) =>
  "processes:\n" +
  Array.from({ length: n }, (_, i) => `  - process_name: s${String(i).padStart(3, "0")}\n    has_public_ip: ${i % 2 === 0}\n    container: {image_uri: nginxdemos/hello, ports: [{container_port: 80}]}\n`).join("");

/**
 * Makes the project's stack reach the cluster as a user of its own (a ServiceAccount bound
 * to cluster-admin, through a kubeconfig), so its requests can be told from those of the
 * test files running beside this one. Returns that user's name as the audit log has it.
 */
async function ownUser(p: Project): Promise<string> {
  const admin = adminConfig();
  const cluster = admin.getCurrentCluster()!;
  const sa = "counted";
  await p.core.createNamespacedServiceAccount({ namespace: p.namespace, body: { metadata: { name: sa } } });
  const user = `system:serviceaccount:${p.namespace}:${sa}`;
  await admin.makeApiClient(RbacAuthorizationV1Api).createClusterRoleBinding({
    body: { metadata: { name: `hpx-test-${p.namespace}-${sa}` }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "ServiceAccount", name: sa, namespace: p.namespace }] },
  });
  const issued = await p.core.createNamespacedServiceAccountToken({ name: sa, namespace: p.namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: sa, token: issued.status!.token }],
    contexts: [{ name: sa, cluster: cluster.name, user: sa, namespace: p.namespace }],
    currentContext: sa,
  });
  const kubeconfig = join(p.dir, "counted.kubeconfig");
  p.write("counted.kubeconfig", kc.exportConfig());
  p.write(`stacks/${p.stack}.yml`, `backend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: kubeconfig, kubeconfig: ${kubeconfig}, namespace: ${p.namespace}}\n`);
  return user;
}

/** API requests the command made as `user`, from kube-apiserver's audit log. */
async function requests(p: Project, user: string, args: string[]): Promise<number> {
  const log = process.env.HPX_TEST_AUDIT_LOG!;
  countRequests(log, 0, 0); // read past everything before this command
  const from = Date.now();
  const res = await p.hpx(args);
  assert.equal(res.code, 0, `${args.join(" ")}: ${res.stderr}`);
  await new Promise((r) => setTimeout(r, 300));
  return countRequests(log, from, Date.now(), user);
}

// The design (docs/performance.md): a no-op preview reads the cluster's identity and lists
// the namespace's Deployments, Services and Secrets; ls lists nodes, pods and Services.
// Neither depends on the number of processes.
test("at 10 and at 300 processes (more Services than a /24 holds), a no-op preview and ls make the same few API requests", async () => {
  const p = await project("scaling");
  const user = await ownUser(p);
  const seen: Record<number, { preview: number; ls: number }> = {};
  for (const n of [10, 300]) {
    p.write("many.yml", processes(n));
    const up = await p.hpx(["up", "many.yml", "--yes", "--no-wait"]);
    assert.equal(up.code, 0, up.stderr);
    seen[n] = { preview: await requests(p, user, ["preview", "many.yml", "--expect-no-changes"]), ls: await requests(p, user, ["ls", "-o", "json"]) };
  }
  assert.equal((await p.core.listNamespacedService({ namespace: p.namespace })).items.length, 300);
  assert.deepEqual(seen[300], seen[10], JSON.stringify(seen));
  assert.equal(seen[300]!.ls, 3);
  assert.ok(seen[300]!.preview <= 6, `a no-op preview made ${seen[300]!.preview} requests`);
  const destroyed = await p.hpx(["destroy", "--yes"]);
  assert.equal(destroyed.code, 0, destroyed.stderr);
  await adminConfig().makeApiClient(RbacAuthorizationV1Api).deleteClusterRoleBinding({ name: `hpx-test-${p.namespace}-counted` });
});

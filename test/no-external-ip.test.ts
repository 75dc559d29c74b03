import assert from "node:assert/strict";
import { test } from "vitest";
import { simulatedNode } from "../src/cluster/simulated-nodes.ts";
import { project } from "./harness/project.ts";

test("a public process on a node without an ExternalIP is listed RUNNING with a hint, never a crash", async () => {
  const p = await project("noexternal");
  // A kwok node like a Fargate one: an InternalIP only, and a label the process selects.
  const node = simulatedNode(9);
  node.metadata!.name = "hpx-private-node";
  node.metadata!.labels = { ...node.metadata!.labels, "kubernetes.io/hostname": "hpx-private-node", "hpx-test/subnet": "private" };
  node.status!.addresses = node.status!.addresses!.filter((a) => a.type !== "ExternalIP");
  await p.core.createNode({ body: node });
  try {
    p.write("web.yml", "process_name: inside\nhas_public_ip: true\ncontainer:\n  image_uri: nginxdemos/hello\n  ports: [{container_port: 80}]\n  node_selector: {hpx-test/subnet: private}\n");
    const up = await p.hpx(["up", "web.yml", "--yes"]);
    assert.equal(up.code, 0, up.stderr);
    const ls = await p.hpx(["ls", "-o", "json"]);
    assert.equal(ls.code, 0, ls.stderr);
    const [info] = JSON.parse(ls.stdout) as { process_name: string; status: string; socket_addresses: unknown[]; reason: string; node: string }[];
    const svc = await p.core.readNamespacedService({ name: "inside", namespace: p.namespace });
    assert.deepEqual([info!.process_name, info!.status, info!.socket_addresses, info!.node], ["inside", "RUNNING", [], "hpx-private-node"]);
    assert.equal(
      info!.reason,
      "node hpx-private-node has no ExternalIP (Fargate or a private subnet): not reachable from outside the cluster; " +
        `inside it, use ${svc.spec!.clusterIP}:80; to publish it, run it on nodes in public subnets (hpx doctor counts the nodes with an external IP)`,
    );
    const table = await p.hpx(["ls"]);
    assert.match(table.stdout, /^inside +- +RUNNING +/m);
    assert.equal((await p.hpx(["destroy", "--yes"])).code, 0);
  } finally {
    await p.core.deleteNode({ name: "hpx-private-node" });
  }
});

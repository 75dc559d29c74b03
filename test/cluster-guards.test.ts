import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { LocalCluster, localClusterPaths } from "../src/cluster/local-cluster.ts";
import { harnessEnv, testDir } from "./harness/env.ts";
import { project, type Project } from "./harness/project.ts";

// A kubeconfig stack whose kubeconfig file the test points at another API server:
// a dead port (unreachable cluster) or a second local cluster (another cluster).
let p: Project;
let kubeconfig: string;
let second: LocalCluster | undefined;

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

const stateFile = () => join(new URL(harnessEnv().backendUrl).pathname, ".pulumi", "stacks", "hpx", `${p.stack}.json`);

beforeAll(async () => {
  p = await project("guards");
  kubeconfig = join(p.dir, "cluster.kubeconfig");
  writeFileSync(kubeconfig, readFileSync(harnessEnv().kubeconfig));
  p.write(`stacks/${p.stack}.yml`, `backend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: kubeconfig, kubeconfig: ${kubeconfig}, namespace: ${p.namespace}}\n`);
  p.write("one.yml", "process_name: guarded\ncontainer: {image_uri: nginxdemos/hello, ports: [{container_port: 80}]}\n");
  const up = await p.hpx(["up", "one.yml", "--yes"]);
  assert.equal(up.code, 0, up.stderr);
});

afterAll(async () => {
  await second?.down();
});

test("an unreachable cluster: preview, up and refresh fail in seconds, and the state stays as it was", async () => {
  const port = await deadPort();
  writeFileSync(kubeconfig, readFileSync(harnessEnv().kubeconfig, "utf8").replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://127.0.0.1:${port}`));
  const state = readFileSync(stateFile(), "utf8");
  for (const args of [["preview", "one.yml"], ["preview", "one.yml", "--refresh"], ["up", "one.yml", "--yes"], ["up", "one.yml", "--yes", "--refresh"], ["destroy", "--yes"]]) {
    const t0 = Date.now();
    const res = await p.hpx(args);
    const took = Date.now() - t0;
    assert.equal(res.code, 1, `${args.join(" ")}: ${res.stderr}`);
    assert.equal(
      res.stderr,
      `hpx: cannot reach the cluster at https://127.0.0.1:${port}: ECONNREFUSED\n  nothing was changed; check that the cluster runs and that the kubeconfig points at it\n`,
    );
    assert.ok(took < 10_000, `${args.join(" ")} took ${took} ms`);
  }
  assert.equal(readFileSync(stateFile(), "utf8"), state);
  writeFileSync(kubeconfig, readFileSync(harnessEnv().kubeconfig));
});

test("another cluster: up is refused naming both; --accept-cluster moves the stack there", async () => {
  const home = testDir("second-cluster");
  second = new LocalCluster(localClusterPaths(home));
  await second.up({ nodes: 1 });
  const secondConfig = localClusterPaths(home).kubeconfig;
  const uid = async (file: string) => {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const ns = await kc.makeApiClient(CoreV1Api).readNamespace({ name: "kube-system" });
    return { uid: ns.metadata!.uid!, server: kc.getCurrentCluster()!.server, core: kc.makeApiClient(CoreV1Api) };
  };
  const [first, other] = [await uid(harnessEnv().kubeconfig), await uid(secondConfig)];
  assert.notEqual(first.uid, other.uid);
  await other.core.createNamespace({ body: { metadata: { name: p.namespace } } });
  writeFileSync(kubeconfig, readFileSync(secondConfig));
  const state = readFileSync(stateFile(), "utf8");

  for (const args of [["up", "one.yml", "--yes"], ["preview", "one.yml"]]) {
    const res = await p.hpx(args);
    assert.equal(res.code, 1, res.stderr);
    assert.equal(
      res.stderr.split("\n")[0],
      `hpx: stack guards belongs to the cluster whose kube-system UID is ${first.uid} (${first.server}), but this cluster's is ${other.uid} (${other.server})`,
    );
  }
  assert.equal(readFileSync(stateFile(), "utf8"), state);
  assert.equal((await other.core.listNamespacedService({ namespace: p.namespace })).items.length, 0);

  const moved = await p.hpx(["up", "one.yml", "--yes", "--accept-cluster"]);
  assert.equal(moved.code, 0, moved.stderr);
  assert.match(moved.stderr, new RegExp(`^stack guards moved to this cluster; its objects in the cluster ${first.uid} \\(${first.server.replace(/\./g, "\\.")}\\) were left there$`, "m"));
  assert.deepEqual((await other.core.listNamespacedService({ namespace: p.namespace })).items.map((s) => s.metadata?.name), ["guarded"]);
  assert.equal((await p.hpx(["preview", "one.yml", "--expect-no-changes"])).code, 0, "the state now records the second cluster");
  assert.equal((await p.hpx(["destroy", "--yes"])).code, 0);
  // The first cluster keeps what the stack left there when it moved: the admin removes it.
  await p.kubectl(["delete", "deployment,service", "guarded", "--wait=true"]);
});

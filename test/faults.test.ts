import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { freePort } from "./harness/ports.ts";
import { harnessEnv } from "./harness/env.ts";
import { adminConfig, project } from "./harness/project.ts";
import { startProxy } from "./harness/tcp-proxy.ts";

const stateFile = (stack: string, backend = harnessEnv().backendUrl) => join(new URL(backend).pathname, ".pulumi", "stacks", "hpx", `${stack}.json`);

test("a truncated or corrupt state file is refused with a message and never overwritten", async () => {
  const p = await project("corrupt");
  p.write("one.yml", "process_name: kept\ncontainer: {image_uri: nginxdemos/hello}\n");
  assert.equal((await p.hpx(["up", "one.yml", "--yes"])).code, 0);
  const whole = readFileSync(stateFile(p.stack), "utf8");
  for (const [what, broken] of [
    ["truncated", whole.slice(0, Math.floor(whole.length / 2))],
    ["corrupt", whole.replace('"resources"', '"resources": 42, "x"')],
  ] as const) {
    writeFileSync(stateFile(p.stack), broken);
    for (const args of [["up", "one.yml", "--yes"], ["preview", "one.yml"], ["destroy", "--yes"]]) {
      const res = await p.hpx(args);
      assert.equal(res.code, 1, `${what} ${args[0]}: ${res.stderr}`);
      assert.match(res.stderr, /^hpx: cannot (read the state of stack corrupt|open stack corrupt at file:\/\/\S+): .*(checkpoint|JSON|json)/m, `${what} ${args[0]}: ${res.stderr}`);
      assert.equal(readFileSync(stateFile(p.stack), "utf8"), broken, `${what} state was rewritten by ${args[0]}`);
    }
  }
  writeFileSync(stateFile(p.stack), whole);
  assert.equal((await p.hpx(["preview", "one.yml", "--expect-no-changes"])).code, 0, "the restored state works again");
  assert.equal((await p.hpx(["destroy", "--yes"])).code, 0);
});

test("a run killed while the backend wrote a state attributes file: the next up repairs it and converges", async () => {
  const p = await project("attrs");
  // A backend of its own: every hpx run repairs the broken sidecars of its whole backend,
  // so on the shared one another file's run, running beside this one, could repair it first.
  const backend = `file://${join(p.dir, "state")}`;
  p.write(`stacks/${p.stack}.yml`, `backend: ${backend}\nruntime: {runtime_type: local, namespace: ${p.namespace}}\n`);
  const state = stateFile(p.stack, backend);
  p.write("one.yml", "process_name: kept\ncontainer: {image_uri: nginxdemos/hello}\n");
  assert.equal((await p.hpx(["up", "one.yml", "--yes"])).code, 0);
  const whole = readFileSync(state, "utf8");
  // What a kill -9 inside the backend's attributes write left behind (found by the kill test).
  writeFileSync(`${state}.attrs`, "");
  const res = await p.hpx(["up", "one.yml", "--yes", "--verbose"]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stderr, new RegExp(`state: removed ${state}\\.attrs, an attributes file a killed run left unfinished`));
  assert.equal(readFileSync(state, "utf8").length > 0, true);
  assert.equal(JSON.parse(readFileSync(state, "utf8")).checkpoint.latest.resources.length, JSON.parse(whole).checkpoint.latest.resources.length);
  assert.equal((await p.hpx(["preview", "one.yml", "--expect-no-changes"])).code, 0);
  assert.equal((await p.hpx(["destroy", "--yes"])).code, 0);
});

test("STS and EKS unavailable: an eks stack fails with a clear error before any change", async () => {
  const p = await project("awsdown");
  p.write(
    `stacks/${p.stack}.yml`,
    `backend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: eks, cluster_name: hpx-test-eks, region: us-west-2, namespace: ${p.namespace}}\n`,
  );
  p.write("one.yml", "process_name: never\ncontainer: {image_uri: nginxdemos/hello}\n");
  const dead = `http://127.0.0.1:${await freePort()}`;
  const env = { AWS_ENDPOINT_URL: dead, AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "x", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", AWS_EC2_METADATA_DISABLED: "true" };
  const t0 = Date.now();
  const res = await p.hpx(["up", "one.yml", "--yes"], env);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr.split("\n")[0]!, /^hpx: .*(DescribeCluster|AWS|ECONNREFUSED|reach)/i, res.stderr);
  assert.ok(Date.now() - t0 < 60_000, `took ${Date.now() - t0} ms`);
  assert.deepEqual(await p.hpxObjects(), []);
});

test("a slow link to the API server still converges; a link that drops every connection fails clearly in bounded time", async () => {
  const p = await project("links");
  const kc = adminConfig();
  const server = new URL(kc.getCurrentCluster()!.server);
  const proxy = await startProxy({ host: server.hostname, port: Number(server.port) }, { delayMs: 20 });
  try {
    const kubeconfig = join(p.dir, "proxied.kubeconfig");
    writeFileSync(kubeconfig, readFileSync(harnessEnv().kubeconfig, "utf8").replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://127.0.0.1:${proxy.port}`));
    p.write(`stacks/${p.stack}.yml`, `backend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: kubeconfig, kubeconfig: ${kubeconfig}, namespace: ${p.namespace}}\n`);
    p.write("two.yml", "- {process_name: s1, container: {image_uri: nginxdemos/hello}}\n- {process_name: s2, container: {image_uri: nginxdemos/hello}}\n");
    const slow = await p.hpx(["up", "two.yml", "--yes"]);
    assert.equal(slow.code, 0, slow.stderr);

    proxy.mode = { drop: true };
    for (const args of [["preview", "two.yml"], ["up", "two.yml", "--yes"]]) {
      const t0 = Date.now();
      const res = await p.hpx(args);
      assert.equal(res.code, 1, res.stderr);
      assert.equal(res.stderr.split("\n")[0], `hpx: cannot reach the cluster at https://127.0.0.1:${proxy.port}: ECONNRESET`);
      assert.ok(Date.now() - t0 < 30_000, `${args[0]} took ${Date.now() - t0} ms`);
    }
    proxy.mode = {};
    assert.equal((await p.hpx(["destroy", "--yes"])).code, 0);
  } finally {
    await proxy.close();
  }
});

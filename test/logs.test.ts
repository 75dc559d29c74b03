import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, test } from "vitest";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { localClusterPaths } from "../src/cluster/local-cluster.ts";
import { DEFAULT_LOG, DEMO_LOGS } from "../src/cluster/simulated-logs.ts";
import { buildService } from "../src/components/build-service.ts";
import { buildDeployment } from "../src/components/build-workload.ts";
import { loadProcessFile } from "../src/spec/load-process-file.ts";
import type { ProcessSpec } from "../src/spec/process-spec.ts";
import { repoRoot } from "../src/toolchain.ts";
import { hpx } from "./harness/cli.ts";
import { harnessEnv, testDir } from "./harness/env.ts";
import { until } from "./harness/until.ts";

// hpx logs reads the cluster, not the engine: as test/ls.test.ts, these tests put the
// builders' objects on the local cluster directly (marked as an older hpx marked stack
// `local`'s). The logs are real pods/log answers: kube-apiserver asks kwok's server, which
// reads the files `hpx local up` wrote (src/cluster/simulated-logs.ts).
const NS = "logs-test";
let cwd: string;
let core: CoreV1Api;
let apps: AppsV1Api;
const logs = (args: string[]) => hpx(["logs", ...args], {}, cwd);
const text = (lines: readonly string[]) => lines.map((l) => `${l}\n`).join("");
const mark = <T extends { metadata?: { annotations?: Record<string, string> } }>(o: T): T => ({ ...o, metadata: { ...o.metadata, annotations: { "hpx.dev/stack": "local" } } });
const spec = (name: string, group: string | undefined, extra: Partial<ProcessSpec["container"]> = {}): ProcessSpec => ({
  process_name: name,
  ...(group ? { group } : {}),
  has_public_ip: false,
  container: { image_uri: "busybox", ports: [{ container_port: 8080, protocol: "tcp" }], env: [], ...extra },
});

async function podsReady(names: string[]): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const pods = await core.listNamespacedPod({ namespace: NS, labelSelector: "app.kubernetes.io/managed-by=hpx" });
    const ready = pods.items.filter((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).map((p) => p.metadata!.labels!["hydroplane/process-id"]);
    if (names.every((n) => ready.includes(n))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pods of ${names.join(", ")} did not become ready`);
}

beforeAll(async () => {
  const kc = new KubeConfig();
  kc.loadFromFile(harnessEnv().kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  cwd = testDir("logs");
  mkdirSync(join(cwd, "stacks"));
  writeFileSync(join(cwd, "stacks", "local.yml"), `backend: file://${join(cwd, "state")}\nruntime: {runtime_type: local, namespace: ${NS}}\n`);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  // The demo's three processes (their own simulated logs), a worker of group "mixed" (the
  // default log), and two that have nothing to show: "lonely" has a Service and no
  // Deployment, so no pod; "stuck" asks for a node no one has, so its pod is never scheduled.
  const withPods = [...loadProcessFile(`${repoRoot}/examples/three-processes.yml`), spec("worker", "mixed"), spec("stuck", "mixed", { node_selector: { "kubernetes.io/arch": "arm64" } })];
  for (const s of withPods) {
    await apps.createNamespacedDeployment({ namespace: NS, body: mark(buildDeployment(s, NS)) });
    await core.createNamespacedService({ namespace: NS, body: mark(buildService(s, NS)) });
  }
  await core.createNamespacedService({ namespace: NS, body: mark(buildService(spec("lonely", "mixed"), NS)) });
  await podsReady(["web", "dns", "batch", "worker"]);
});

test("hpx logs NAME prints what the process printed; --tail N its last N lines", async () => {
  const all = await logs(["web"]);
  assert.deepEqual(all, { code: 0, stdout: text(DEMO_LOGS.web!), stderr: "" });
  const tail = await logs(["batch", "--tail", "2"]);
  assert.deepEqual(tail, { code: 0, stdout: text(DEMO_LOGS.batch!.slice(-2)), stderr: "" });
  const none = await logs(["worker", "--tail", "0"]);
  assert.deepEqual(none, { code: 0, stdout: "", stderr: "" });
  const since = await logs(["worker", "--since", "1h", "--tail", "1"]);
  assert.deepEqual(since, { code: 0, stdout: text(DEFAULT_LOG.slice(-1)), stderr: "" });
});

test("hpx logs -g GROUP interleaves the group's processes, each line prefixed with its name", async () => {
  const res = await logs(["-g", "demo", "--tail", "3"]);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stderr, "");
  const lines = res.stdout.split("\n").slice(0, -1);
  for (const name of ["dns", "web"]) {
    assert.deepEqual(
      lines.filter((l) => l.startsWith(`[${name}] `)),
      DEMO_LOGS[name]!.slice(-3).map((l) => `[${name}] ${l}`),
    );
  }
  assert.equal(lines.length, 6, "nothing but the two processes' lines");
});

test("an unknown name or group exits 2, as hpx stop's", async () => {
  assert.deepEqual(await logs(["nope"]), { code: 2, stdout: "", stderr: "hpx: stack local has no process named nope\n" });
  assert.deepEqual(await logs(["-g", "nogroup"]), { code: 2, stdout: "", stderr: "hpx: stack local has no process in group nogroup\n" });
  assert.deepEqual(await logs([]), { code: 2, stdout: "", stderr: "hpx: give a process NAME or -g GROUP (one of them)\n" });
  assert.deepEqual(await logs(["web", "--tail", "-3"]), { code: 2, stdout: "", stderr: 'hpx: --tail: expected a number of lines (0 or more), got "-3"\n' });
});

test("a process with no pod yet, or a pod not scheduled, says so and exits 1; in a group the others are shown", async () => {
  assert.deepEqual(await logs(["lonely"]), {
    code: 1,
    stdout: "",
    stderr: "hpx: process lonely has no log yet: it has no pod yet\n  hpx ls -s local shows its status\n",
  });
  const stuck = await logs(["stuck"]);
  assert.equal(stuck.code, 1);
  assert.equal(stuck.stdout, "");
  assert.match(stuck.stderr, /^hpx: process stuck has no log yet: unschedulable: 0\/\d+ nodes are available: .*node affinity\/selector.*\n {2}hpx ls -s local shows its status\n$/);
  const group = await logs(["-g", "mixed"]);
  assert.equal(group.code, 0, group.stderr);
  assert.equal(group.stdout, text(DEFAULT_LOG.map((l) => `[worker] ${l}`)));
  const skipped = group.stderr.split("\n");
  assert.equal(skipped[0], "hpx: process lonely has no log yet: it has no pod yet");
  assert.match(skipped[1]!, /^hpx: process stuck has no log yet: unschedulable: /);
  assert.equal(skipped.length, 3);
  const previous = await logs(["web", "--previous"]);
  assert.deepEqual(previous, {
    code: 1,
    stdout: "",
    stderr: "hpx: process web has no log yet: its container has not restarted: there is no previous run (drop --previous)\n  hpx ls -s local shows its status\n",
  });
});

test("hpx logs -f prints new lines as they come and ends promptly on Ctrl-C, leaving no process", async () => {
  // Its own process group, to check afterwards that nothing of it is left.
  const child = spawn(join(repoRoot, "bin", "hpx"), ["logs", "-f", "dns"], { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const seen = (what: string) => () => `${what}; stdout: ${stdout}; stderr: ${stderr}`;
  await until(() => stdout === text(DEMO_LOGS.dns!), seen("the log so far"), { timeoutMs: 20_000 });
  // What the process prints next: kwok's server follows the file as a kubelet follows a container's.
  const line = `[INFO] follow test ${Date.now()}`;
  appendFileSync(join(localClusterPaths(harnessEnv().home).dir, "simulated-logs", "dns.log"), `${new Date().toISOString()} stdout F ${line}\n`);
  await until(() => stdout === text([...DEMO_LOGS.dns!, line]), seen("the new line"), { timeoutMs: 20_000 });
  const sent = Date.now();
  child.kill("SIGINT");
  const code = await exited;
  assert.ok(Date.now() - sent < 2000, `ended ${Date.now() - sent} ms after SIGINT`);
  assert.equal(code, 130);
  assert.equal(stderr, "hpx: stopped reading the logs\n");
  assert.throws(() => process.kill(-child.pid!, 0), { code: "ESRCH" }, "a process of hpx logs -f outlived it");
});

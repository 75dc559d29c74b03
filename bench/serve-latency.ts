/**
 * hpctl's latency through `hpx serve` against Hydroplane's way of starting a process (two
 * API creates, a Deployment and a Service, then the answer), measured in one run on a
 * local cluster of its own:
 * - 100 sequential `hpctl start`s (its exact requests, test/harness/hpctl.ts): the median
 *   and p90 answer time, and the time from the first request until all 100 are RUNNING;
 * - 10 clients at once, 10 starts each: answers other than 201, and every process RUNNING.
 *
 * Usage: npm run bench:serve [-- --n 100]
 * Uses its own HPX_HOME (a temporary directory): your ~/.hpx and local cluster are untouched.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { hpctlList, hpctlStart } from "../test/harness/hpctl.ts";
import { freePort, waitFor } from "../test/harness/ports.ts";

const { values } = parseArgs({ options: { n: { type: "string", default: "100" } } });
const N = Number(values.n);
const home = mkdtempSync(join(tmpdir(), "hpx-bench-serve-"));
process.env.HPX_HOME = home;
const { repoRoot } = await import("../src/toolchain.ts");
const { LocalCluster } = await import("../src/cluster/local-cluster.ts");
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const spec = (name: string) => ({ process_name: name, container: { image_uri: "nginxdemos/hello", ports: [{ container_port: 80 }] } });
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const out = await work();
  return [out, (performance.now() - t) / 1000];
};

const cluster = new LocalCluster();
await cluster.up({ onProgress: log });
const kc = new KubeConfig();
kc.loadFromFile(cluster.paths.kubeconfig);
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
const project = join(home, "project");
mkdirSync(join(project, "stacks"), { recursive: true });
writeFileSync(join(project, "stacks", "bench.yml"), `backend: file://${join(home, "state")}\nruntime: {runtime_type: local, namespace: bench}\n`);
mkdirSync(join(home, "state"));
for (const ns of ["bench", "peer"]) await core.createNamespace({ body: { metadata: { name: ns } } });

const port = await freePort();
const serve = spawn(join(repoRoot, "bin", "hpx"), ["serve", "-s", "bench", "--port", String(port)], { cwd: project, env: process.env, stdio: ["ignore", "ignore", "inherit"] });
const url = `http://127.0.0.1:${port}`;
try {
  await waitFor("hpx serve", async () => (await fetch(`${url}/openapi.json`)).status === 200, 120_000);
  const allRunning = async (prefix: string, count: number) => {
    const list = (await hpctlList(url)).json as { process_name: string; status: string }[];
    return list.filter((p) => p.process_name.startsWith(prefix) && p.status === "RUNNING").length === count;
  };

  // hpx serve: N sequential starts.
  const answers: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const [res, s] = await time(() => hpctlStart(url, spec(`s${i}`)));
    if (res.status !== 201) throw new Error(`start s${i}: ${res.status} ${JSON.stringify(res.json)}`);
    answers.push(s);
  }
  const postedAfter = (performance.now() - t0) / 1000;
  await waitFor(`all ${N} RUNNING`, () => allRunning("s", N), 600_000);
  const hpxAllRunning = (performance.now() - t0) / 1000;

  // Hydroplane's start: create the Deployment and the Service, answer.
  const peer: number[] = [];
  const p0 = performance.now();
  for (let i = 0; i < N; i++) {
    const name = `s${i}`;
    const labels = { "hydroplane/process-id": name };
    const [, s] = await time(async () => {
      await apps.createNamespacedDeployment({ namespace: "peer", body: { metadata: { name, labels }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: "nginxdemos/hello", ports: [{ containerPort: 80 }] }] } } } } });
      await core.createNamespacedService({ namespace: "peer", body: { metadata: { name, labels }, spec: { selector: labels, ports: [{ port: 80, targetPort: 80 }] } } });
    });
    peer.push(s);
  }
  await waitFor(`the peer's ${N} pods Running`, async () => (await core.listNamespacedPod({ namespace: "peer" })).items.filter((p) => p.status?.phase === "Running").length >= N, 600_000);
  const peerAllRunning = (performance.now() - p0) / 1000;

  // 10 clients at once, 10 starts each.
  const clients = 10;
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < 10; i++) statuses.push((await hpctlStart(url, spec(`c${c}-${i}`))).status);
    }),
  );
  await waitFor("the concurrent clients' 100 RUNNING", () => allRunning("c", clients * 10), 600_000);
  const not201 = statuses.filter((s) => s !== 201).length;

  const median = quantile(answers, 0.5);
  const peerMedian = quantile(peer, 0.5);
  const lines = [
    `machine: ${cpus().length} cores, Node ${process.version}; ${N} sequential starts, then ${clients} clients x 10`,
    `hpx serve  start answer: median ${median.toFixed(3)} s, p90 ${quantile(answers, 0.9).toFixed(3)} s; all ${N} posted after ${postedAfter.toFixed(1)} s, all RUNNING ${hpxAllRunning.toFixed(1)} s after the first request`,
    `direct     start answer: median ${peerMedian.toFixed(3)} s, p90 ${quantile(peer, 0.9).toFixed(3)} s; all ${N} Running ${peerAllRunning.toFixed(1)} s after the first create`,
    `ratio hpx/direct: median answer ${(median / peerMedian).toFixed(2)}x, all running ${(hpxAllRunning / peerAllRunning).toFixed(2)}x`,
    `targets: median answer <= 0.5 s: ${median <= 0.5 ? "met" : "MISSED"}; ${N} RUNNING within 60 s of the first: ${hpxAllRunning <= 60 ? "met" : "MISSED"}`,
    `concurrent clients: ${statuses.length} starts, ${not201} answered other than 201 (${statuses.filter((s) => s >= 500).length} with 5xx), all ${clients * 10} RUNNING`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  serve.kill("SIGTERM");
  await new Promise((r) => serve.once("exit", r));
  await cluster.down();
}

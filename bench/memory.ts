/**
 * Where hpx's memory goes: the peak RSS of each process of an `hpx up` (hpx itself, the
 * Pulumi CLI, the kubernetes provider), at one N, on a local cluster of its own.
 * Also the CPU time each command used (summed over its processes).
 * Usage: node bench/memory.ts [--n 500] [--env NAME=VALUE ...] [--wait] [--events 0]
 * (`--wait`: the up waits for the rollouts, as the benchmark's cold up does; `--events N`:
 * the namespace holds N Events before the up, as after a large fleet's cold up)
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";

const { values } = parseArgs({ options: { n: { type: "string", default: "500" }, env: { type: "string", multiple: true, default: [] }, wait: { type: "boolean", default: false }, events: { type: "string", default: "0" } } });
/** Variables for hpx's run only (`--env GOMEMLIMIT=256MiB`), not for the cluster this script starts. */
const runEnv = Object.fromEntries(
  values.env.map((kv) => {
    const at = kv.indexOf("=");
    if (at < 1) throw new Error(`--env ${kv}: expected NAME=VALUE`);
    return [kv.slice(0, at), kv.slice(at + 1)];
  }),
);
const n = Number(values.n);
const home = mkdtempSync(join(tmpdir(), "hpx-mem-"));
process.env.HPX_HOME = home;
process.env.PULUMI_CONFIG_PASSPHRASE = "hpx-bench";
const { repoRoot } = await import("../src/toolchain.ts");
const { LocalCluster } = await import("../src/cluster/local-cluster.ts");
const { makeEvents } = await import("./namespace-events.ts");

/** CPU seconds (user + system) each process had used when last seen, by pid. */
const cpu = new Map<number, { name: string; seconds: number }>();
const TICKS_PER_SECOND = 100;

/** Peak RSS (MB) per command name among the descendants of `root`; their CPU time into `cpu`. */
function sample(root: number, peaks: Map<string, number>): void {
  const children = new Map<number, number[]>();
  const info = new Map<number, { name: string; rss: number; seconds: number }>();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      info.set(Number(e), { name, rss: (Number(readFileSync(`/proc/${e}/statm`, "utf8").split(" ")[1]) * 4096) / 1e6, seconds });
    } catch {
      // gone
    }
  }
  const queue = [root];
  let total = 0;
  while (queue.length > 0) {
    const pid = queue.pop()!;
    const i = info.get(pid);
    if (i) {
      peaks.set(i.name, Math.max(peaks.get(i.name) ?? 0, i.rss));
      cpu.set(pid, { name: i.name, seconds: i.seconds });
      total += i.rss;
    }
    queue.push(...(children.get(pid) ?? []));
  }
  peaks.set("(tree)", Math.max(peaks.get("(tree)") ?? 0, total));
}

const cluster = new LocalCluster();
await cluster.up();
try {
  const events = Number(values.events);
  if (events > 0) {
    const k8s = await import("@kubernetes/client-node");
    const seconds = await makeEvents((await cluster.kubeConfig()).makeApiClient(k8s.CoreV1Api), "default", events);
    console.log(`N=${n}: ${events} Events made in namespace default in ${seconds.toFixed(1)} s`);
  }
  const dir = join(home, "p");
  mkdirSync(join(dir, "stacks"), { recursive: true });
  writeFileSync(join(dir, "stacks", "mem.yml"), "runtime: {runtime_type: local, namespace: default}\n");
  const processes = Array.from({ length: n }, (_, i) => ({ process_name: `m${i}`, container: { image_uri: "nginxdemos/hello", ports: [{ container_port: 80 }] } }));
  writeFileSync(join(dir, "p.yml"), stringify({ processes }));
  const peaks = new Map<string, number>();
  const child = spawn(join(repoRoot, "bin", "hpx"), ["up", "p.yml", "--yes", ...(values.wait ? [] : ["--no-wait"]), "-s", "mem"], { cwd: dir, stdio: "inherit", env: { ...process.env, ...runEnv } });
  const timer = setInterval(() => sample(child.pid!, peaks), 100);
  await new Promise((r) => child.once("close", r));
  clearInterval(timer);
  console.log(`N=${n}, ${events} Events: peak RSS per process (MB):`, Object.fromEntries([...peaks].map(([k, v]) => [k, Math.round(v)])));
  const seconds = new Map<string, number>();
  for (const { name, seconds: s } of cpu.values()) seconds.set(name, (seconds.get(name) ?? 0) + s);
  // As last sampled (every 100 ms): a process's last 100 ms may be missing.
  console.log(`N=${n}: CPU seconds per command, all its processes:`, Object.fromEntries([...seconds].map(([k, v]) => [k, Math.round(v * 10) / 10])));
} finally {
  await cluster.down();
  rmSync(home, { recursive: true, force: true });
}

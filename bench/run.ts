/**
 * hpx against its peers on the same objects, in one run on a local cluster of its own:
 * kubectl, Helm 4 with its defaults (`helm`) and with its client rate limit raised
 * (`helm-tuned`), and the floor (bench/floor.ts: server-side apply at high concurrency,
 * one watch). For each N: cold up, no-op preview, a one-process change, ls and destroy;
 * wall time, API requests (kube-apiserver's audit log) and peak RSS of each command.
 *
 * Usage: npm run bench -- --n 100,500,1000 [--out bench-results.json] [--tools hpx,kubectl,...]
 *          [--max-seconds-per-tool 1800] [--helm-release-processes K] [--quiet-max-seconds 900]
 * Writes the JSON (rows per N, operation and tool) to --out and its plot beside it (.svg).
 * Prints at its start how long it should take and which (N, tool) pairs it skips
 * (bench/estimate.ts): a tool whose estimate at N is above --max-seconds-per-tool has no
 * row there, nor has a tool at a larger N than one it failed at; the JSON's `skipped`
 * list says why. Each operation starts once the cluster is quiet (bench/quiet-cluster.ts).
 * Uses its own HPX_HOME (a temporary directory): your ~/.hpx and local cluster are untouched.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { describePlan, formatDuration, loadModels, planRun, skipAfterFailure, type Failure, type Skipped } from "./estimate.ts";
import { helmBinary, helmEnv, splitReleases, storedReleaseBytes, writeChart, type HelmSplit } from "./helm.ts";
import { endRunning, LS_RUNS, measure, medianOf, type Measured } from "./measure.ts";
import { plotSvg } from "./plot.ts";
import { describeQuietWait, QUIET, waitUntilQuiet } from "./quiet-cluster.ts";
import { printTable, toRow, TOOLS, type Operation, type Row, type Tool } from "./targets.ts";
import { toolPlans } from "./tool-plans.ts";

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    /** Sizes to measure, comma-separated. */
    n: { type: "string", default: "100,500,1000" },
    /** The JSON written (after every row); the SVG goes beside it. */
    out: { type: "string", default: "bench-results.json" },
    /** Tools to run, comma-separated (default: all five). */
    tools: { type: "string", default: TOOLS.join(",") },
    /** Helm's client rate limit for `helm-tuned` (issue 21: 200/400, or higher if faster). */
    "helm-qps": { type: "string", default: "200" },
    "helm-burst": { type: "string", default: "400" },
    /**
     * A tool whose estimated time for its operations at N (bench/estimate.ts) is above
     * this is skipped at that N; 0: no limit. The default runs 1,000/5,000/10,000 in
     * about 2 hours here: Helm with its defaults (~1.9 s a process) at none of them,
     * kubectl (~0.7 s a process, serial) at 1,000 only.
     */
    "max-seconds-per-tool": { type: "string", default: "1800" },
    /** At most this many processes per Helm release (default: one release, unless it outgrows a Secret). */
    "helm-release-processes": { type: "string" },
    /** The longest wait for a quiet cluster before an operation (bench/quiet-cluster.ts); 0: no wait. */
    "quiet-max-seconds": { type: "string", default: String(QUIET.maxSeconds) },
  },
});
const sizes = values.n.split(",").map(Number);
const chosen = values.tools.split(",") as Tool[];
for (const t of chosen) if (!TOOLS.includes(t)) throw new Error(`--tools: unknown tool ${t} (known: ${TOOLS.join(", ")})`);
const svgOut = values.out.replace(/\.json$/, "") + ".svg";
const maxSeconds = Number(values["max-seconds-per-tool"]);
if (!Number.isFinite(maxSeconds) || maxSeconds < 0) throw new Error(`--max-seconds-per-tool: a number of seconds (0: no limit), not ${values["max-seconds-per-tool"]}`);
const forcedPerRelease = values["helm-release-processes"] === undefined ? undefined : Number(values["helm-release-processes"]);
if (forcedPerRelease !== undefined && !(Number.isInteger(forcedPerRelease) && forcedPerRelease > 0)) throw new Error("--helm-release-processes: a positive integer");
const quietRule = { ...QUIET, maxSeconds: Number(values["quiet-max-seconds"]) };
if (!(quietRule.maxSeconds >= 0)) throw new Error(`--quiet-max-seconds: a number of seconds (0: no wait), not ${values["quiet-max-seconds"]}`);
for (const n of sizes) if (!(Number.isInteger(n) && n > 0 && n <= 10_000)) throw new Error(`--n: sizes from 1 to 10,000 (process names have four digits), not ${n}`);
// A quarter of the processes are public, one NodePort each: kube-apiserver's default
// range (30000-32767) holds 2,768, for one tool's processes at a time.
const NODE_PORTS = 2768;
for (const n of sizes) if (Math.ceil(n / 4) > NODE_PORTS) throw new Error(`--n ${n}: ${Math.ceil(n / 4)} public processes need more NodePorts than the ${NODE_PORTS} of the default range`);

const home = mkdtempSync(join(tmpdir(), "hpx-bench-"));
process.env.HPX_HOME = home;
process.env.PULUMI_CONFIG_PASSPHRASE = "hpx-bench";
Object.assign(process.env, helmEnv(join(home, "helm")));
const { repoRoot, toolchain } = await import("../src/toolchain.ts");
const { LocalCluster } = await import("../src/cluster/local-cluster.ts");
const { buildProcess } = await import("../src/components/build.ts");
const { DEFAULT_NODE_COUNT, SIMULATED_NODE_PODS } = await import("../src/cluster/simulated-nodes.ts");
const hpxBin = join(repoRoot, "bin", "hpx");
const floorScript = join(repoRoot, "bench", "floor.ts");
const tools = toolchain();
const helm = helmBinary();
// Said before the cluster starts, not after an hour of the other tools.
if (chosen.some((t) => t.startsWith("helm")) && !existsSync(helm)) throw new Error(`${helm} is missing: bash scripts/toolchain.sh helm (scripts/bench.sh does it)`);

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
// Which (N, tool) pairs run, and how long the whole should take, before anything starts.
const plan = planRun(sizes, chosen, loadModels(join(repoRoot, "bench", "results")), maxSeconds);
for (const line of describePlan(plan, sizes, chosen)) log(line);
for (const s of plan.skipped) log(`skipping ${s.tool} at N=${s.n}: ${s.reason}`);
const skipped: Skipped[] = plan.skipped;

/**
 * A quarter public (NodePort), the rest private: NodePorts allow at most 2,768 public
 * processes per cluster, and a quarter of 10,000 fits (issue 21).
 */
function spec(i: number, image = "nginxdemos/hello:0.4") {
  return {
    process_name: `p${String(i).padStart(4, "0")}`,
    has_public_ip: i % 4 === 0,
    container: { image_uri: image, ports: [{ container_port: 80, protocol: "tcp" as const }], env: [] },
  };
}

const cluster = new LocalCluster();
// Enough simulated nodes for the largest N's pods (1,000 each) and a spare one: 3 up to
// N=2,000 (what `hpx local up` starts), 11 at N=10,000.
const nodes = Math.max(DEFAULT_NODE_COUNT, Math.ceil(Math.max(...sizes) / SIMULATED_NODE_PODS) + 1);
log(`starting a local cluster of ${nodes} simulated nodes (HPX_HOME=${home})`);
// Never rotate the audit log mid-run: the requests written to a rotated file after its last
// count are lost. 0 is not "never": the API server's log writer then rotates at 100 MB,
// which the N=5,000 run reached three times; 1 TiB is never on this machine.
// The files stay within the default NodePort range (NODE_PORTS), but the cluster's is wider:
// at N=10,000, after tuned Helm's Service creates timed out at the API server and its
// namespace was deleted, the next tool found the default range full (run Q; most likely
// NodePorts those creates had taken).
await cluster.up({ nodes, auditPolicy: join(repoRoot, "bench", "audit-policy.yaml"), extraArgs: ["kube-apiserver=audit-log-maxsize=1048576", "kube-apiserver=service-node-port-range=30000-39999"], onProgress: log });
const auditLog = cluster.auditLogPath();
// Stopped (Ctrl-C, a cancelled job): the command under way, the cluster and the temporary
// home end too, instead of a cluster left running.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
  process.once(signal, () => {
    log(`${signal} received: ending the command under way and the local cluster`);
    endRunning();
    void cluster.down().finally(() => {
      rmSync(home, { recursive: true, force: true });
      process.exit(code);
    });
  });
}
const kubeconfig = cluster.paths.kubeconfig;
const kubectl = (args: string[], okCodes?: number[]) => measure(tools.kubectl, ["--kubeconfig", kubeconfig, ...args], { auditLog, okCodes });
/** kubectl's `ls`: what `hpx ls` is measured against. */
const kubectlLs = (ns: string) => medianOf(LS_RUNS, () => kubectl(["get", "-n", ns, "pods,svc,nodes"]));
const node = process.execPath;
const floor = (ns: string, args: string[]) => measure(node, [floorScript, "--kubeconfig", kubeconfig, "--namespace", ns, ...args], { auditLog });
const rows: Row[] = [];
// Helm's and hpx's own limits on their waits (hpx's default, 5 min after its engine, ran
// out at N=10,000 while the controller manager was thousands of pods behind); the
// benchmark's is --max-seconds-per-tool.
const waitTimeout = maxSeconds > 0 ? `${Math.max(60, Math.ceil((2 * maxSeconds) / 60))}m` : "24h";
const helmReleases: HelmSplit[] = [];
const failed: (Failure & { operation: Operation; error: string })[] = [];
/** Each ls run's seconds, for the rows that are the median of LS_RUNS runs. */
const lsSamples: { n: number; tool: Tool; seconds: number[] }[] = [];
/** How long each operation waited for a quiet cluster before it started (not part of its row). */
const quietWaits: { n: number; tool: Tool; operation: Operation; seconds: number; quiet: boolean }[] = [];
/** The N at which kubectl's ls row was measured on hpx's namespace (kubectl itself skipped there). */
const kubectlLsOnHpx: number[] = [];
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const started = new Date().toISOString();
// Other work on the machine skews every figure: the run says how busy it was when it began.
const load = loadavg().map((l) => Number(l.toFixed(2)));
const title = `hpx and its peers on the local simulated cluster, ${started.slice(0, 10)}: seconds against N`;
const record = (n: number, op: Operation, tool: Tool, m: Measured) => {
  rows.push(toRow(n, op, tool, m));
  // Written after every row: a run that fails late keeps what it measured.
  writeFile();
  writeFileSync(svgOut, plotSvg(rows, title));
  if (m.samples) lsSamples.push({ n, tool, seconds: m.samples.map((s) => Number(s.toFixed(3))) });
  const runs = m.samples ? ` (the median of ${m.samples.length}: ${m.samples.map((s) => s.toFixed(2)).join(", ")})` : "";
  log(`N=${n} ${op} ${tool}: ${m.seconds.toFixed(2)} s${runs}, ${m.requests} requests, ${m.peakRssMb.toFixed(0)} MB`);
};

function writeFile() {
  const json = {
    machine,
    date: started,
    load_average_at_start: load,
    helm_qps: values["helm-qps"],
    helm_burst: values["helm-burst"],
    simulated_nodes: nodes,
    max_seconds_per_tool: maxSeconds,
    estimated_seconds: Math.round(plan.totalSeconds),
    // How many Helm releases each N used (one unless a release outgrows its Secret).
    helm_releases: helmReleases,
    // kubectl's `ls` row at these N is `kubectl get pods,svc,nodes` on hpx's namespace
    // (the same N processes), measured right after hpx ls because kubectl was skipped.
    kubectl_ls_on_hpx_namespace: kubectlLsOnHpx,
    // An ls row is the median of LS_RUNS runs (measure.ts); these are all of them.
    ls_samples: lsSamples,
    // Each operation started once the cluster's own processes were quiet (quiet-cluster.ts):
    // the rule, and how long each waited (quiet false: the longest wait ran out first).
    quiet_rule: { cores: quietRule.cores, seconds: quietRule.seconds, max_seconds: quietRule.maxSeconds },
    quiet_waits: quietWaits,
    // (N, tool) pairs not run, and why: they have no row.
    skipped,
    // A tool's operation that failed: its later operations at that N have no row.
    failed,
    rows,
  };
  writeFileSync(values.out, JSON.stringify(json, null, 2) + "\n");
}
writeFile();

try {
  // Seconds measured and estimated so far, for the remaining time said after each tool.
  let spent = 0;
  let spentEstimated = 0;
  for (const n of sizes) {
    const toRun: typeof plan.runs = [];
    for (const r of plan.runs.filter((r) => r.n === n)) {
      const afterFailure = skipAfterFailure(failed, n, r.tool, r.estimate);
      if (!afterFailure) {
        toRun.push(r);
        continue;
      }
      skipped.push(afterFailure);
      writeFile();
      log(`skipping ${r.tool} at N=${n}: ${afterFailure.reason}`);
    }
    if (toRun.length === 0) continue;
    const dir = mkdtempSync(join(home, `n${n}-`));
    const specs = Array.from({ length: n }, (_, i) => spec(i));
    const changed = [spec(0, "nginxdemos/hello:0.4-plain-text"), ...specs.slice(1)];
    // Every peer gets exactly the objects hpx's builders make, in its own namespace.
    const objects = (ns: string, list: typeof specs) =>
      list.flatMap((s) => {
        const o = buildProcess(s, { namespace: ns, secrets: () => "" });
        return [o.deployment, o.service];
      });
    // One Helm release holds all N processes unless its stored form outgrows a Secret
    // (measured once per N, on Helm's own dry run of the chart): then several, in parallel.
    let split: HelmSplit | undefined;
    if (toRun.some((r) => r.tool.startsWith("helm"))) {
      const sizeOf = async (processes: number) => {
        const chart = writeChart(join(dir, `size-${processes}`), objects(`helm-${n}`, specs.slice(0, processes)));
        const bytes = await storedReleaseBytes(helm, chart, `helm-${n}`);
        rmSync(chart, { recursive: true, force: true });
        return bytes;
      };
      split = await splitReleases(n, sizeOf, forcedPerRelease);
      helmReleases.push(split);
      writeFile();
      log(
        split.releases === 1
          ? `N=${n}: one Helm release, ${split.release_bytes} bytes stored (${((100 * split.release_bytes) / 2 ** 20).toFixed(0)} % of a Secret's 1 MiB)`
          : `N=${n}: ${split.releases} Helm releases of at most ${split.processes_per_release} processes, upgraded in parallel (${split.reason}); largest ${split.release_bytes} bytes`,
      );
    }
    const plans = toolPlans({
      n,
      dir,
      specs,
      changed,
      objects,
      hpxBin,
      helm,
      kubeconfig,
      auditLog,
      waitTimeout,
      tunedRateFlags: ["--qps", values["helm-qps"], "--burst-limit", values["helm-burst"]],
      split,
      kubectl,
      kubectlLs,
      floor,
    });

    // One tool at a time, all its operations, so only one tool's N pods load the cluster.
    for (const { tool, estimate } of toRun) {
      const ns = `${tool}-${n}`;
      await run(tools.kubectl, ["--kubeconfig", kubeconfig, "create", "namespace", ns]);
      const ops = plans[tool](ns);
      let seconds = 0;
      let failure: string | undefined;
      for (const [op, go] of Object.entries(ops) as [Operation, () => Promise<Measured>][]) {
        const wait = quietRule.maxSeconds > 0 ? await waitUntilQuiet(cluster.processes().map((p) => p.pid), quietRule) : undefined;
        if (wait) quietWaits.push({ n, tool, operation: op, seconds: Number(wait.seconds.toFixed(1)), quiet: wait.quiet });
        log(`N=${n}: ${tool} ${op}${wait ? ` (${describeQuietWait(wait)})` : ""}`);
        try {
          const m = await go();
          seconds += m.seconds;
          record(n, op, tool, m);
          if (tool === "hpx" && op === "ls" && !toRun.some((r) => r.tool === "kubectl")) {
            // hpx ls's target is against kubectl get: on the same objects when kubectl's own side
            // is skipped. Its failure is kubectl's, and does not stop hpx's destroy.
            await kubectlLs(ns).then(
              (k) => (record(n, "ls", "kubectl", k), kubectlLsOnHpx.push(n)),
              (e: Error) => failed.push({ n, tool: "kubectl", operation: "ls", error: e.message.slice(0, 2000) }),
            );
          }
        } catch (e) {
          // One tool failing (hours into a run) does not lose the others: its remaining
          // operations at this N have no row, the JSON's `failed` list says why.
          failure = (e as Error).message.slice(0, 2000);
          failed.push({ n, tool, operation: op, error: failure });
          writeFile();
          log(`N=${n}: ${tool} ${op} FAILED, its other operations at N=${n} are not run: ${failure}`);
          break;
        }
      }
      if (failure !== undefined) {
        // What the failed tool left: the namespace and all in it, then its pods.
        await run(tools.kubectl, ["--kubeconfig", kubeconfig, "delete", "namespace", ns, "--wait", "--timeout=60m"]);
        await run(node, [floorScript, "--kubeconfig", kubeconfig, "--namespace", ns, "--wait", "gone"]);
        continue;
      }
      if (estimate !== undefined) {
        spent += seconds;
        spentEstimated += estimate;
        const left = plan.runs.slice(plan.runs.findIndex((r) => r.n === n && r.tool === tool) + 1).reduce((a, r) => a + (r.estimate ?? 0), 0);
        log(`N=${n}: ${tool} took ${seconds.toFixed(0)} s (estimated ${estimate} s); what is left should take ~${formatDuration((left * spent) / spentEstimated)}`);
      }
      // Not measured: the next tool starts on a cluster without this one's pods (kubectl's
      // delete does not wait for them).
      await run(node, [floorScript, "--kubeconfig", kubeconfig, "--namespace", ns, "--wait", "gone"]);
      await run(tools.kubectl, ["--kubeconfig", kubeconfig, "delete", "namespace", ns, "--wait=false"]);
    }
  }
} finally {
  await cluster.down();
  rmSync(home, { recursive: true, force: true });
}

printTable(rows, `${machine}; load average at start ${load.join(", ")}`);
for (const s of skipped) console.log(`skipped: ${s.tool} at N=${s.n}: ${s.reason}`);
for (const f of failed) console.log(`FAILED: ${f.tool} ${f.operation} at N=${f.n}: ${f.error}`);
log(`wrote ${values.out} and ${svgOut}`);
if (failed.length > 0) process.exitCode = 1;

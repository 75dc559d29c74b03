/**
 * hpx against its peers on the same objects, in one run on a local cluster of its own:
 * kubectl, Helm 4 with its defaults (`helm`) and with its client rate limit raised
 * (`helm-tuned`), and the floor (bench/floor.ts: server-side apply at high concurrency,
 * one watch). For each N: cold up, no-op preview, a one-process change, ls and destroy;
 * wall time, API requests (kube-apiserver's audit log) and peak RSS of each command.
 *
 * Usage: npm run bench -- --n 100,500,1000 [--out bench-results.json] [--tools hpx,kubectl,...]
 * Writes the JSON (rows per N, operation and tool) to --out and its plot beside it (.svg).
 * Uses its own HPX_HOME (a temporary directory): your ~/.hpx and local cluster are untouched.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { stringify } from "yaml";
import { helmBinary, helmEnv, uninstallArgs, upgradeArgs, writeChart, type HelmSide } from "./helm.ts";
import { measure, sum, type Measured } from "./measure.ts";
import { plotSvg } from "./plot.ts";
import { printTable, toRow, TOOLS, type Operation, type Row, type Tool } from "./targets.ts";

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
  },
});
const sizes = values.n.split(",").map(Number);
const chosen = values.tools.split(",") as Tool[];
for (const t of chosen) if (!TOOLS.includes(t)) throw new Error(`--tools: unknown tool ${t} (known: ${TOOLS.join(", ")})`);
const svgOut = values.out.replace(/\.json$/, "") + ".svg";

const home = mkdtempSync(join(tmpdir(), "hpx-bench-"));
process.env.HPX_HOME = home;
process.env.PULUMI_CONFIG_PASSPHRASE = "hpx-bench";
Object.assign(process.env, helmEnv(join(home, "helm")));
const { repoRoot, toolchain } = await import("../src/toolchain.ts");
const { LocalCluster } = await import("../src/cluster/local-cluster.ts");
const { buildProcess } = await import("../src/components/build.ts");
const hpxBin = join(repoRoot, "bin", "hpx");
const floorScript = join(repoRoot, "bench", "floor.ts");
const tools = toolchain();
const helm = helmBinary();
// Said before the cluster starts, not after an hour of the other tools.
if (chosen.some((t) => t.startsWith("helm")) && !existsSync(helm)) throw new Error(`${helm} is missing: bash scripts/toolchain.sh helm (scripts/bench.sh does it)`);

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
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
log(`starting a local cluster (HPX_HOME=${home})`);
// Never rotate the audit log mid-run (its default size limit was reached at N=1000).
await cluster.up({ auditPolicy: join(repoRoot, "bench", "audit-policy.yaml"), extraArgs: ["kube-apiserver=audit-log-maxsize=0"], onProgress: log });
const auditLog = cluster.auditLogPath();
const kubeconfig = cluster.paths.kubeconfig;
const kubectl = (args: string[], okCodes?: number[]) => measure(tools.kubectl, ["--kubeconfig", kubeconfig, ...args], { auditLog, okCodes });
const node = process.execPath;
const floor = (ns: string, args: string[]) => measure(node, [floorScript, "--kubeconfig", kubeconfig, "--namespace", ns, ...args], { auditLog });
const rows: Row[] = [];
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const started = new Date().toISOString();
// Other work on the machine skews every figure: the run says how busy it was when it began.
const load = loadavg().map((l) => Number(l.toFixed(2)));
const title = `hpx and its peers on the local simulated cluster, ${started.slice(0, 10)}: seconds against N`;
const record = (n: number, op: Operation, tool: Tool, m: Measured) => {
  rows.push(toRow(n, op, tool, m));
  // Written after every row: a run that fails late keeps what it measured.
  writeFileSync(values.out, JSON.stringify({ machine, date: started, load_average_at_start: load, helm_qps: values["helm-qps"], helm_burst: values["helm-burst"], rows }, null, 2) + "\n");
  writeFileSync(svgOut, plotSvg(rows, title));
  log(`N=${n} ${op} ${tool}: ${m.seconds.toFixed(1)} s, ${m.requests} requests, ${m.peakRssMb.toFixed(0)} MB`);
};

/** What each tool does for each operation; a tool without an operation has no row (docs/performance.md). */
type Plan = Partial<Record<Operation, () => Promise<Measured>>>;

try {
  for (const n of sizes) {
    const dir = mkdtempSync(join(home, `n${n}-`));
    const specs = Array.from({ length: n }, (_, i) => spec(i));
    const changed = [spec(0, "nginxdemos/hello:0.4-plain-text"), ...specs.slice(1)];
    // Every peer gets exactly the objects hpx's builders make, in its own namespace.
    const objects = (ns: string, list: typeof specs) =>
      list.flatMap((s) => {
        const o = buildProcess(s, { namespace: ns, secrets: () => "" });
        return [o.deployment, o.service];
      });
    const objectsFile = (ns: string, name: string, list: typeof specs) => {
      writeFileSync(join(dir, name), objects(ns, list).map((d) => stringify(d)).join("---\n"));
      return join(dir, name);
    };
    const plans: Record<Tool, (ns: string) => Plan> = {
      hpx: (ns) => {
        const stack = `bench-${n}`;
        mkdirSync(join(dir, "stacks"));
        writeFileSync(join(dir, "stacks", `${stack}.yml`), `runtime: {runtime_type: local, namespace: ${ns}}\n`);
        writeFileSync(join(dir, "processes.yml"), stringify({ processes: specs }));
        writeFileSync(join(dir, "changed.yml"), stringify({ processes: changed }));
        const hpx = (args: string[]) => measure(hpxBin, args, { cwd: dir, auditLog });
        return {
          "cold up": () => hpx(["up", "processes.yml", "--yes", "-s", stack]),
          "no-op preview": () => hpx(["preview", "processes.yml", "--expect-no-changes", "-s", stack]),
          "one-process change": () => hpx(["up", "changed.yml", "--yes", "-s", stack]),
          ls: () => hpx(["ls", "-s", stack]),
          destroy: () => hpx(["destroy", "--yes", "-s", stack]),
        };
      },
      kubectl: (ns) => {
        const all = objectsFile(ns, "kubectl.yaml", specs);
        const allChanged = objectsFile(ns, "kubectl-changed.yaml", changed);
        return {
          "cold up": async () => sum(await kubectl(["apply", "--server-side", "-f", all]), await kubectl(["wait", "-n", ns, "--for=condition=Available", "deployment", "--all", "--timeout=30m"])),
          "no-op preview": () => kubectl(["diff", "--server-side", "-f", all], [0]),
          // The whole file, as a declarative user does.
          "one-process change": async () => sum(await kubectl(["apply", "--server-side", "-f", allChanged]), await kubectl(["rollout", "status", "-n", ns, "deployment/p0000", "--timeout=10m"])),
          ls: () => kubectl(["get", "-n", ns, "pods,svc,nodes"]),
          destroy: () => kubectl(["delete", "--wait", "-f", allChanged]),
        };
      },
      helm: (ns) => helmPlan({ kubeconfig, namespace: ns, rateFlags: [] }),
      "helm-tuned": (ns) => helmPlan({ kubeconfig, namespace: ns, rateFlags: ["--qps", values["helm-qps"], "--burst-limit", values["helm-burst"]] }),
      floor: (ns) => {
        const all = objectsFile(ns, "floor.yaml", specs);
        const allChanged = objectsFile(ns, "floor-changed.yaml", changed);
        return {
          "cold up": () => floor(ns, ["--apply", all, "--wait", "ready"]),
          // The floor's no-op is the same applies again, and the (immediate) wait.
          "no-op preview": () => floor(ns, ["--apply", all, "--wait", "ready"]),
          "one-process change": () => floor(ns, ["--apply", allChanged, "--wait", "ready"]),
          destroy: () => floor(ns, ["--delete", allChanged, "--wait", "gone"]),
        };
      },
    };
    function helmPlan(side: HelmSide): Plan {
      const chart = writeChart(join(dir, `chart-${side.namespace}`), objects(side.namespace, specs));
      const chartChanged = writeChart(join(dir, `chart-${side.namespace}-changed`), objects(side.namespace, changed));
      const helmRun = (args: string[]) => measure(helm, args, { auditLog });
      return {
        "cold up": () => helmRun(upgradeArgs(side, chart)),
        // Helm has no preview: its no-op is the same upgrade with nothing changed.
        "no-op preview": () => helmRun(upgradeArgs(side, chart)),
        "one-process change": () => helmRun(upgradeArgs(side, chartChanged)),
        // To hpx destroy's end point: uninstall, then until the pods are gone.
        destroy: async () => sum(await helmRun(uninstallArgs(side)), await floor(side.namespace, ["--wait", "gone"])),
      };
    }

    // One tool at a time, all its operations, so only one tool's N pods load the cluster.
    for (const tool of chosen) {
      const ns = `${tool}-${n}`;
      await run(tools.kubectl, ["--kubeconfig", kubeconfig, "create", "namespace", ns]);
      const plan = plans[tool](ns);
      for (const [op, go] of Object.entries(plan) as [Operation, () => Promise<Measured>][]) {
        log(`N=${n}: ${tool} ${op}`);
        record(n, op, tool, await go());
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
log(`wrote ${values.out} and ${svgOut}`);

/**
 * hpx against kubectl on the same objects, in one run on a local cluster of its own.
 * For each N: cold up, no-op preview, a one-process change, ls and destroy, each with
 * its kubectl peer; wall time, API requests (kube-apiserver's audit log) and peak RSS.
 *
 * Usage: npm run bench -- --n 100,500,1000 [--out bench-results.json]
 * Uses its own HPX_HOME (a temporary directory): your ~/.hpx and local cluster are untouched.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { stringify } from "yaml";
import { measure, sum, type Measured } from "./measure.ts";
import { judge, printTable, type Row } from "./targets.ts";

const run = promisify(execFile);
const { values } = parseArgs({ options: { n: { type: "string", default: "100,500,1000" }, out: { type: "string", default: "bench-results.json" } } });
const sizes = values.n.split(",").map(Number);

const home = mkdtempSync(join(tmpdir(), "hpx-bench-"));
process.env.HPX_HOME = home;
process.env.PULUMI_CONFIG_PASSPHRASE = "hpx-bench";
const { repoRoot, toolchain } = await import("../src/toolchain.ts");
const { LocalCluster } = await import("../src/cluster/local-cluster.ts");
const { buildProcess } = await import("../src/components/build.ts");
const hpxBin = join(repoRoot, "bin", "hpx");
const tools = toolchain();

/** Half public (NodePort), half private, as a mixed real file would be. */
function spec(i: number, image = "nginxdemos/hello:0.4") {
  return {
    process_name: `p${String(i).padStart(4, "0")}`,
    has_public_ip: i % 2 === 0,
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
const hpx = (dir: string, args: string[]) => measure(hpxBin, args, { cwd: dir, auditLog });
const rows: Row[] = [];
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const started = new Date().toISOString();
const row = (n: number, op: string, k: Measured, h: Measured) => {
  rows.push(judge(n, op, k, h));
  // Written after every row: a run that fails late keeps what it measured.
  writeFileSync(values.out, JSON.stringify({ machine, date: started, rows }, null, 2) + "\n");
  log(`N=${n} ${op}: kubectl ${k.seconds.toFixed(1)} s / ${k.requests} requests, hpx ${h.seconds.toFixed(1)} s / ${h.requests} requests, ${h.peakRssMb.toFixed(0)} MB`);
};

try {
  for (const n of sizes) {
    const dir = mkdtempSync(join(home, `n${n}-`));
    const specs = Array.from({ length: n }, (_, i) => spec(i));
    const changed = [spec(0, "nginxdemos/hello:0.4-plain-text"), ...specs.slice(1)];
    const knsName = `kubectl-${n}`;
    const hnsName = `hpx-${n}`;
    await run(tools.kubectl, ["--kubeconfig", kubeconfig, "create", "namespace", knsName]);
    await run(tools.kubectl, ["--kubeconfig", kubeconfig, "create", "namespace", hnsName]);
    // kubectl gets exactly the objects hpx's builders make.
    const objectsFile = (name: string, list: typeof specs) => {
      const docs = list.flatMap((s) => {
        const o = buildProcess(s, { namespace: knsName, secrets: () => "" });
        return [o.deployment, o.service];
      });
      writeFileSync(join(dir, name), docs.map((d) => stringify(d)).join("---\n"));
      return join(dir, name);
    };
    const objects = objectsFile("objects.yaml", specs);
    const objectsChanged = objectsFile("objects-changed.yaml", changed);
    const stack = `bench-${n}`;
    mkdirSync(join(dir, "stacks"));
    writeFileSync(join(dir, "stacks", `${stack}.yml`), `runtime: {runtime_type: local, namespace: ${hnsName}}\n`);
    writeFileSync(join(dir, "processes.yml"), stringify({ processes: specs }));
    writeFileSync(join(dir, "changed.yml"), stringify({ processes: changed }));
    const ns = ["-n", knsName];
    const waitAll = ["wait", ...ns, "--for=condition=Available", "deployment", "--all", "--timeout=30m"];

    log(`N=${n}: cold up`);
    row(n, "cold up", sum(await kubectl(["apply", "--server-side", "-f", objects]), await kubectl(waitAll)), await hpx(dir, ["up", "processes.yml", "--yes", "-s", stack]));
    log(`N=${n}: no-op preview`);
    row(n, "no-op preview", await kubectl(["diff", "--server-side", "-f", objects], [0]), await hpx(dir, ["preview", "processes.yml", "--expect-no-changes", "-s", stack]));
    log(`N=${n}: one-process change`);
    row(
      n,
      "one-process change",
      sum(await kubectl(["apply", "--server-side", "-f", objectsChanged]), await kubectl(["rollout", "status", ...ns, "deployment/p0000", "--timeout=10m"])),
      await hpx(dir, ["up", "changed.yml", "--yes", "-s", stack]),
    );
    log(`N=${n}: ls`);
    row(n, "ls", await kubectl(["get", ...ns, "pods,svc,nodes"]), await hpx(dir, ["ls", "-s", stack]));
    log(`N=${n}: destroy`);
    row(n, "destroy", await kubectl(["delete", "--wait", "-f", objectsChanged]), await hpx(dir, ["destroy", "--yes", "-s", stack]));
    await run(tools.kubectl, ["--kubeconfig", kubeconfig, "delete", "namespace", knsName, hnsName, "--wait=false"]);
  }
} finally {
  await cluster.down();
  rmSync(home, { recursive: true, force: true });
}

printTable(rows, machine);
log(`wrote ${values.out}`);

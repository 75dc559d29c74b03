/**
 * hpx against kubectl on the same objects, in one run on a fresh local cluster:
 *   cold `hpx up FILE` vs `kubectl apply --server-side` + `kubectl wait --for=condition=Available`,
 *   and a no-op `hpx preview FILE`.
 * Usage: node bench/up-vs-kubectl.ts [--n 3,50]   (scripts/env.sh puts the toolchain's node first)
 * Uses its own HPX_HOME (a temporary directory): your ~/.hpx and local cluster are untouched.
 */
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { stringify } from "yaml";

const run = promisify(execFile);
const { values } = parseArgs({ options: { n: { type: "string", default: "3,50" } } });
const sizes = values.n.split(",").map(Number);

const home = mkdtempSync(join(tmpdir(), "hpx-bench-"));
process.env.HPX_HOME = home;
process.env.PULUMI_CONFIG_PASSPHRASE = "hpx-bench";
const { repoRoot, toolchain } = await import("../src/toolchain.ts");
const { LocalCluster } = await import("../src/cluster/local-cluster.ts");
const { buildProcess } = await import("../src/components/build.ts");
const hpxBin = join(repoRoot, "bin", "hpx");
const tools = toolchain();

function spec(i: number) {
  return {
    process_name: `p${String(i).padStart(4, "0")}`,
    has_public_ip: i % 2 === 0,
    container: { image_uri: "nginxdemos/hello", ports: [{ container_port: 80, protocol: "tcp" as const }], env: [] },
  };
}

async function timed(cmd: string, args: string[], cwd?: string): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}: ${err.slice(-2000)}`))));
  });
  return (performance.now() - t0) / 1000;
}

const cluster = new LocalCluster();
process.stderr.write("starting a local cluster for the benchmark\n");
await cluster.up();
const kubeconfig = cluster.paths.kubeconfig;
const kubectl = (...args: string[]) => run(tools.kubectl, ["--kubeconfig", kubeconfig, ...args]);
const rows: Record<string, number | string>[] = [];
try {
  for (const n of sizes) {
    const dir = mkdtempSync(join(home, `n${n}-`));
    const specs = Array.from({ length: n }, (_, i) => spec(i));
    // kubectl: the same objects hpx's builders make, in their own namespace.
    const ns = `kubectl-${n}`;
    await kubectl("create", "namespace", ns);
    const docs = specs.flatMap((s) => {
      const o = buildProcess(s, { namespace: ns, secrets: () => "" });
      return [o.deployment, o.service];
    });
    writeFileSync(join(dir, "objects.yaml"), docs.map((d) => stringify(d)).join("---\n"));
    const kApply = await timed(tools.kubectl, ["--kubeconfig", kubeconfig, "apply", "--server-side", "-f", join(dir, "objects.yaml")]);
    const kWait = await timed(tools.kubectl, ["--kubeconfig", kubeconfig, "-n", ns, "wait", "--for=condition=Available", "deployment", "--all", "--timeout=15m"]);

    const hns = `hpx-${n}`;
    await kubectl("create", "namespace", hns);
    const stack = `bench-${n}`;
    mkdirSync(join(dir, "stacks"));
    writeFileSync(join(dir, "stacks", `${stack}.yml`), `runtime: {runtime_type: local, namespace: ${hns}}\n`);
    writeFileSync(join(dir, "processes.yml"), stringify({ processes: specs }));
    const up = await timed(hpxBin, ["up", "processes.yml", "--yes", "-s", stack], dir);
    const preview = await timed(hpxBin, ["preview", "processes.yml", "--expect-no-changes", "-s", stack], dir);
    const kubectlUp = kApply + kWait;
    rows.push({
      n,
      "kubectl apply+wait (s)": kubectlUp.toFixed(1),
      "hpx up (s)": up.toFixed(1),
      "up ratio": (up / kubectlUp).toFixed(2),
      "hpx no-op preview (s)": preview.toFixed(1),
    });
    await timed(hpxBin, ["destroy", "--yes", "-s", stack], dir);
    await kubectl("delete", "namespace", ns, hns, "--wait=false");
  }
} finally {
  await cluster.down();
  rmSync(home, { recursive: true, force: true });
}
console.table(rows);
console.log(JSON.stringify(rows));

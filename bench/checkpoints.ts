/**
 * What Pulumi's checkpoint writes cost hpx: `hpx up` and `hpx destroy` of N processes
 * (default 200) on the file and the S3 backend (moto), with the DIY backend's default
 * (the whole checkpoint rewritten around every step) and with PULUMI_SKIP_CHECKPOINTS=true
 * (only the final state is written: no crash safety). Engine time only (--no-wait).
 * Usage: node bench/checkpoints.ts [--n 200]
 * Uses its own HPX_HOME and local cluster; your ~/.hpx is untouched.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CoreV1Api } from "@kubernetes/client-node";

const { values } = parseArgs({ options: { n: { type: "string", default: "200" } } });
const n = Number(values.n);
const home = mkdtempSync(join(tmpdir(), "hpx-bench-ckpt-"));
process.env.HPX_HOME = home;
process.env.PULUMI_CONFIG_PASSPHRASE = "hpx-bench";
const { repoRoot } = await import("../src/toolchain.ts");
const { LocalCluster } = await import("../src/cluster/local-cluster.ts");
const { startMoto } = await import("../test/harness/moto.ts");
const hpxBin = join(repoRoot, "bin", "hpx");

function timed(args: string[], cwd: string, env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(hpxBin, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("close", (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`hpx ${args.join(" ")}: ${code}\n${err.slice(-1500)}`))));
  });
}

const cluster = new LocalCluster();
await cluster.up({ onProgress: (m) => process.stderr.write(`${m}\n`) });
const moto = await startMoto();
await fetch(`${moto.url}/hpx-bench`, { method: "PUT" });
const aws = { AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1" };
const rows: Record<string, string | number>[] = [];
try {
  const dir = mkdtempSync(join(home, "p-"));
  mkdirSync(join(dir, "stacks"));
  writeFileSync(
    join(dir, "processes.yml"),
    "processes:\n" + Array.from({ length: n }, (_, i) => `  - process_name: c${i}\n    container: {image_uri: nginxdemos/hello, ports: [{container_port: 80}]}\n`).join(""),
  );
  const backends = { file: `file://${join(home, "state")}`, s3: `s3://hpx-bench/ckpt?region=us-east-1&endpoint=${moto.url}&use_path_style=true` };
  for (const [backend, url] of Object.entries(backends)) {
    for (const skip of [false, true]) {
      const stack = `${backend}-${skip ? "skip" : "full"}`;
      // A namespace per run: a destroyed run's objects may still be going when the next starts.
      await (await cluster.kubeConfig()).makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: stack } } });
      writeFileSync(join(dir, "stacks", `${stack}.yml`), `backend: ${url}\nruntime: {runtime_type: local, namespace: ${stack}}\n`);
      const env = { ...aws, PULUMI_SKIP_CHECKPOINTS: skip ? "true" : "false" };
      const up = await timed(["up", "processes.yml", "--yes", "--no-wait", "-s", stack], dir, env);
      const destroy = await timed(["destroy", "--yes", "--no-wait", "-s", stack], dir, env);
      rows.push({ backend, checkpoints: skip ? "final only (SKIP)" : "every step (default)", n, "up (s)": up.toFixed(1), "destroy (s)": destroy.toFixed(1) });
      process.stderr.write(`${JSON.stringify(rows.at(-1))}\n`);
    }
  }
} finally {
  await moto.stop();
  await cluster.down();
  rmSync(home, { recursive: true, force: true });
}
console.table(rows);
console.log(JSON.stringify(rows));

/**
 * The test suite stopped as a cancelled CI job stops it: SIGTERM to the runner while an up
 * is under way. Runs a second, small test run (its own cluster and moto, under its own
 * HPX_HOME; test/fixtures/interrupted-run) and stops that.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { LocalCluster, localClusterPaths } from "../src/cluster/local-cluster.ts";
import { processAlive } from "../src/process-alive.ts";
import { repoRoot } from "../src/toolchain.ts";
import { descendants } from "./harness/interrupted-run.ts";
import { until } from "./harness/until.ts";

const cmdline = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
};


test("SIGTERM to the test runner during an up: the cluster, moto, hpx and the engine end, the run's HPX_HOME is removed, exit 143", async () => {
  const run = spawn(process.execPath, [join(repoRoot, "node_modules", "vitest", "vitest.mjs"), "run", "--config", join(repoRoot, "test", "fixtures", "interrupted-run", "vitest.config.ts")], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  run.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((r) => run.once("exit", (code) => r(code)));
  const tree = () => descendants(run.pid!).map((pid) => ({ pid, cmd: cmdline(pid) }));
  let started: { pid: number; cmd: string }[] = [];
  let cluster: { component: string; pid: number }[] = [];
  let home = "";
  try {
    await until(() => run.exitCode !== null || tree().some((p) => p.cmd.includes("pulumi-resource-kubernetes")), "the inner run's engine", { timeoutMs: 300_000 });
    started = tree();
    assert.equal(run.exitCode, null, stderr);
    home = /^\[harness\] local cluster and moto ready in \d+ ms \(HPX_HOME=(\S+)\)$/m.exec(stderr)![1]!;
    cluster = new LocalCluster(localClusterPaths(home)).processes();
    // What a cancelled job used to leave running: each kind is there to be ended.
    assert.deepEqual(cluster.map((c) => c.component).sort(), ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok-controller"]);
    for (const part of ["moto_eks_mapped.py", "/src/main.ts up hundred.yml", "/bin/pulumi up", "pulumi-resource-kubernetes"]) {
      assert.ok(started.some((p) => p.cmd.includes(part)), `${part} runs in the inner run:\n${started.map((p) => p.cmd).join("\n")}`);
    }

    run.kill("SIGTERM");
    assert.equal(await exit, 143, stderr);
    assert.match(stderr, /^\[harness\] SIGTERM: ended \d+ process\(es\) the run had started$/m);
    const pids = [...started.map((p) => p.pid), ...cluster.map((c) => c.pid)];
    assert.deepEqual(pids.filter(processAlive).map((pid) => `${pid} ${cmdline(pid)}`), [], "every process the inner run started has ended");
    assert.equal(existsSync(home), false, `${home} is removed`);
  } finally {
    // Whatever the outcome, nothing of the inner run outlives this test.
    for (const pid of [run.pid!, ...started.map((p) => p.pid), ...cluster.map((c) => c.pid)]) if (processAlive(pid)) process.kill(pid, "SIGKILL");
    if (home) rmSync(home, { recursive: true, force: true });
  }
});

import { spawn } from "node:child_process";
import { openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { localClusterPaths } from "../../src/cluster/local-cluster.ts";
import { processAlive } from "../../src/process-alive.ts";

interface Component {
  name: string;
  binary: string;
  args?: string[];
  workDir: string;
}

const clusterDir = (home: string) => join(localClusterPaths(home).kwokWorkdir, "clusters", "hpx");
const pidFile = (home: string, name: string) => join(clusterDir(home), "pids", `${name}.pid`);

/** The components as kwokctl recorded them (binary, arguments, directory) in the cluster's kwok.yaml. */
function components(home: string): Component[] {
  const docs = parseAllDocuments(readFileSync(join(clusterDir(home), "kwok.yaml"), "utf8")).map((d) => d.toJS() as { kind?: string; components?: Component[] });
  return docs.find((d) => d.kind === "KwokctlConfiguration")?.components ?? [];
}

/** Starts a component as kwokctl does (its binary, arguments and log file) and records its pid where kwokctl looks. */
function start(home: string, c: Component): void {
  const log = openSync(join(clusterDir(home), "logs", `${c.name}.log`), "a");
  const child = spawn(c.binary, c.args ?? [], { cwd: c.workDir, detached: true, stdio: ["ignore", log, log] });
  child.unref();
  writeFileSync(pidFile(home, c.name), String(child.pid));
}

const pidOf = (home: string, name: string): number => Number(readFileSync(pidFile(home, name), "utf8").trim());

/**
 * Restarts the harness cluster's kube-apiserver alone, as a crash or an upgrade would:
 * same arguments, data and port. Resolves when it answers again.
 */
export async function restartApiServer(home: string): Promise<void> {
  const pid = pidOf(home, "kube-apiserver");
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) process.kill(pid, "SIGKILL");
  start(home, components(home).find((c) => c.name === "kube-apiserver")!);
  const kc = new KubeConfig();
  kc.loadFromFile(localClusterPaths(home).kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  for (let i = 0; i < 600; i++) {
    if (await core.readNamespace({ name: "kube-system" }).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("kube-apiserver did not come back within 60 s");
}

/**
 * Starts again the components that exited while the API server was away: the controller
 * manager and the scheduler exit when they cannot renew their leader lease, and nothing
 * in the simulated cluster restarts them (a real node's kubelet or systemd would).
 * Returns their names.
 */
export function restartExited(home: string): string[] {
  const exited = components(home).filter((c) => !processAlive(pidOf(home, c.name)));
  for (const c of exited) start(home, c);
  return exited.map((c) => c.name);
}

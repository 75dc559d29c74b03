import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { KubeConfig, V1NodeList } from "@kubernetes/client-node";
import { ClusterError } from "../errors.ts";
import { processAlive } from "../process-alive.ts";
import { directGet } from "./kube-direct.ts";
import { kubeconfigEntry } from "./kube-get.ts";
import { clientNodeGet } from "./kube-list.ts";
import { withMachineLock } from "./machine-lock.ts";
import { hpxHome } from "../paths.ts";
import { requireTool, toolchain, type Toolchain } from "../toolchain.ts";
import { writeSimulatedLogs } from "./simulated-logs.ts";
import { DEFAULT_NODE_COUNT, KUBELET_ADDRESS_TYPES, SIMULATED_LABEL, simulatedNode } from "./simulated-nodes.ts";

const run = promisify(execFile);

/** kwokctl's name for hpx's cluster; its components run from ~/.hpx/local/kwok. */
export const LOCAL_CLUSTER_NAME = "hpx";

/**
 * Service addresses of the local cluster. kube-apiserver's default (/24) runs out after
 * 253 Services; a /16 holds 65,533, far beyond the 2,000 processes the local cluster is sized for.
 */
export const LOCAL_SERVICE_CIDR = "10.0.0.0/16";

export interface LocalClusterPaths {
  dir: string;
  kubeconfig: string;
  kwokWorkdir: string;
}

export function localClusterPaths(home = hpxHome()): LocalClusterPaths {
  const dir = join(home, "local");
  return { dir, kubeconfig: join(dir, "kubeconfig"), kwokWorkdir: join(dir, "kwok") };
}

export interface LocalNode {
  name: string;
  ready: boolean;
  internalIP: string | undefined;
  externalIP: string | undefined;
}

export interface LocalClusterStatus {
  running: boolean;
  kubeconfig: string;
  server: string | undefined;
  kubernetesVersion: string;
  /** Component processes kwokctl started that are still alive. */
  processes: { component: string; pid: number }[];
  nodes: LocalNode[];
}

export interface LocalUpOptions {
  nodes?: number;
  /** Extra `component=key=value` arguments for kwokctl (the EKS harness adds a token webhook). */
  extraArgs?: string[];
  /** Turns on RBAC authorization in kube-apiserver. */
  authorization?: boolean;
  /** An audit policy file for kube-apiserver (the benchmark counts requests in its log, see auditLogPath). */
  auditPolicy?: string;
  /** Extra kwok Stage files (the test harness simulates crashing pods); kwok's defaults are kept. */
  stages?: string[];
  onProgress?: (message: string) => void;
}

export class LocalCluster {
  readonly paths: LocalClusterPaths;
  readonly tools: Toolchain;

  constructor(paths = localClusterPaths(), tools = toolchain()) {
    this.paths = paths;
    this.tools = tools;
  }

  private kwokctl(args: string[]): Promise<{ stdout: string; stderr: string }> {
    const bin = requireTool(this.tools.kwokctl, "kwok");
    // KWOK_WORKDIR keeps kwokctl's files under ~/.hpx instead of ~/.kwok.
    const env = { ...process.env, KWOK_WORKDIR: this.paths.kwokWorkdir };
    return run(bin, args, { env, maxBuffer: 16 * 1024 * 1024 }).catch((err: { stderr?: string; message: string }) => {
      throw new ClusterError(`kwokctl ${args[0]} ${args[1] ?? ""} failed: ${(err.stderr ?? err.message).trim()}`);
    });
  }

  private clusterDir(): string {
    return join(this.paths.kwokWorkdir, "clusters", LOCAL_CLUSTER_NAME);
  }

  /** Live component processes, from the pid files kwokctl keeps. */
  processes(): { component: string; pid: number }[] {
    const pidDir = join(this.clusterDir(), "pids");
    if (!existsSync(pidDir)) return [];
    const alive: { component: string; pid: number }[] = [];
    for (const file of readdirSync(pidDir)) {
      const pid = Number(readFileSync(join(pidDir, file), "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) alive.push({ component: file.replace(/\.pid$/, ""), pid });
    }
    return alive;
  }

  async kubeConfig(): Promise<KubeConfig> {
    // Imported when needed: client-node takes ~260 ms to load, and `hpx ls` never needs it.
    const { KubeConfig } = await import("@kubernetes/client-node");
    const kc = new KubeConfig();
    kc.loadFromFile(this.paths.kubeconfig);
    (await import("./shared-dispatchers.ts")).shareDispatchers(kc);
    return kc;
  }

  async status(): Promise<LocalClusterStatus> {
    const base = {
      kubeconfig: this.paths.kubeconfig,
      kubernetesVersion: this.tools.versions.kubernetes,
      processes: this.processes(),
    };
    if (!existsSync(this.paths.kubeconfig) || base.processes.length === 0) {
      return { ...base, running: false, server: undefined, nodes: [] };
    }
    // A plain GET: the local cluster's kubeconfig holds client certificates (kube-direct.ts),
    // so a command on a running local cluster does not load client-node for this check.
    const text = readFileSync(this.paths.kubeconfig, "utf8");
    let server: string | undefined;
    try {
      server = kubeconfigEntry(text).cluster.server;
      const get = directGet(text) ?? clientNodeGet(await this.kubeConfig());
      const list = (await get(`/api/v1/nodes?labelSelector=${encodeURIComponent(`${SIMULATED_LABEL}=true`)}`)) as V1NodeList;
      const nodes = list.items.map((n): LocalNode => {
        const address = (type: string) => n.status?.addresses?.find((a) => a.type === type)?.address;
        return {
          name: n.metadata?.name ?? "",
          ready: n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
          internalIP: address("InternalIP"),
          externalIP: address("ExternalIP"),
        };
      });
      return { ...base, running: true, server, nodes };
    } catch {
      return { ...base, running: false, server, nodes: [] };
    }
  }

  /** Starts the cluster, or returns at once when it already runs with enough nodes. */
  async up(opts: LocalUpOptions = {}): Promise<LocalClusterStatus> {
    const progress = opts.onProgress ?? (() => {});
    const want = opts.nodes ?? DEFAULT_NODE_COUNT;
    let status = await this.status();
    if (!status.running) {
      if (existsSync(this.clusterDir())) {
        // A stale cluster (machine restarted, killed components): start afresh.
        progress("removing a stopped local cluster");
        await this.kwokctl(["delete", "cluster", "--name", LOCAL_CLUSTER_NAME]);
      }
      progress(`starting etcd, kube-apiserver ${this.tools.versions.kubernetes}, controller-manager, scheduler, kwok`);
      await this.create(opts);
    }
    status = await this.status();
    if (status.nodes.length < want) {
      progress(`adding ${want - status.nodes.length} simulated node(s)`);
      await this.addNodes(status.nodes.length, want);
      status = await this.waitForReadyNodes(want);
    }
    return status;
  }

  private async create(opts: LocalUpOptions): Promise<void> {
    const t = this.tools;
    mkdirSync(this.paths.dir, { recursive: true, mode: 0o700 });
    const kube = (name: string) => requireTool(join(t.kubeBinDir, name), "kube");
    const args = [
      "create", "cluster", "--name", LOCAL_CLUSTER_NAME, "--runtime", "binary",
      "--kube-apiserver-binary", kube("kube-apiserver"),
      "--kube-controller-manager-binary", kube("kube-controller-manager"),
      "--kube-scheduler-binary", kube("kube-scheduler"),
      "--etcd-binary", requireTool(t.etcd, "etcd"),
      "--kwok-controller-binary", requireTool(t.kwok, "kwok"),
      "--kubeconfig", this.paths.kubeconfig,
      "--disable-qps-limits",
      "--wait", "120s",
      "--extra-args", `kube-apiserver=service-cluster-ip-range=${LOCAL_SERVICE_CIDR}`,
      // pods/log: the API server reaches a node's "kubelet" (kwok's server) at its
      // InternalDNS address, localhost, and not at the simulated IPs nothing holds.
      "--extra-args", `kube-apiserver=kubelet-preferred-address-types=${KUBELET_ADDRESS_TYPES}`,
      // One controller manager and one scheduler: nothing to elect. With leader election
      // on, each exits for good ("leaderelection lost") when the API server, which runs
      // without in-flight limits here, answers a lease renewal late: it happened within a minute of
      // a tuned Helm's apply of 5,000 processes, and the cluster never made a pod again.
      "--extra-args", "kube-controller-manager=leader-elect=false",
      "--extra-args", "kube-scheduler=leader-elect=false",
      // A ClusterLogs object alone keeps kwok's default Stages (only a Stage replaces them).
      "--config", writeSimulatedLogs(join(this.paths.dir, "simulated-logs")),
    ];
    if (opts.authorization) args.push("--kube-authorization");
    if (opts.auditPolicy) args.push("--kube-audit-policy", opts.auditPolicy);
    for (const extra of opts.extraArgs ?? []) args.push("--extra-args", extra);
    if (opts.stages && opts.stages.length > 0) {
      // kwokctl drops every default Stage once it is given one: list the defaults too.
      const dir = requireTool(t.kwokDefaultStages, "kwok");
      for (const file of [...readdirSync(dir).sort().map((f) => join(dir, f)), ...opts.stages]) args.push("--config", file);
    }
    await withMachineLock("kwokctl-create", () => this.kwokctl(args));
  }

  /** Where kube-apiserver writes its audit log when started with an audit policy. */
  auditLogPath(): string {
    return join(this.clusterDir(), "logs", "audit.log");
  }

  private async addNodes(from: number, to: number): Promise<void> {
    const { CoreV1Api } = await import("@kubernetes/client-node");
    const api = (await this.kubeConfig()).makeApiClient(CoreV1Api);
    for (let i = from; i < to; i++) {
      await api.createNode({ body: simulatedNode(i) });
    }
  }

  private async waitForReadyNodes(want: number, timeoutMs = 60_000): Promise<LocalClusterStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.status();
      if (status.nodes.filter((n) => n.ready).length >= want) return status;
      if (Date.now() > deadline) {
        throw new ClusterError(`only ${status.nodes.filter((n) => n.ready).length} of ${want} simulated nodes became Ready`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Stops every component and removes the cluster's files; leaves no process behind. */
  async down(): Promise<{ stopped: number }> {
    const before = this.processes();
    if (existsSync(this.clusterDir())) {
      await this.kwokctl(["delete", "cluster", "--name", LOCAL_CLUSTER_NAME, "--kubeconfig", this.paths.kubeconfig]);
    }
    // kwokctl stops components with a signal; make sure none outlived it.
    for (const { pid } of before) {
      if (processAlive(pid)) process.kill(pid, "SIGKILL");
    }
    return { stopped: before.length };
  }
}

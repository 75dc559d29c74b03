import type { Command } from "commander";
import type { LocalClusterStatus } from "../cluster/local-cluster.ts";

import { DEFAULT_NODE_COUNT } from "../cluster/simulated-nodes.ts";
import { UsageError } from "../errors.ts";
import { jsonOption } from "./options.ts";
import { printJson, printLines, progress } from "./output.ts";

// The cluster module (and its Kubernetes client) loads only when a command runs.
const cluster = async () => new (await import("../cluster/local-cluster.ts")).LocalCluster();

const SIMULATED_NOTICE = "simulated cluster: kwok fakes the nodes, so no container really runs here";

function describe(status: LocalClusterStatus): string[] {
  if (!status.running) {
    const leftover = status.processes.length > 0 ? ` (${status.processes.length} component process(es) still alive)` : "";
    return [`local cluster: stopped${leftover}`];
  }
  return [
    `local cluster: running, Kubernetes ${status.kubernetesVersion} at ${status.server}`,
    `kubeconfig:    ${status.kubeconfig}`,
    `components:    ${status.processes.map((p) => `${p.component} (pid ${p.pid})`).join(", ")}`,
    `nodes:         ${status.nodes.length}`,
    ...status.nodes.map(
      (n) => `  ${n.name}  ${n.ready ? "Ready" : "NotReady"}  internal ${n.internalIP ?? "-"}  external ${n.externalIP ?? "-"}`,
    ),
    SIMULATED_NOTICE,
  ];
}

function parseNodeCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new UsageError(`--nodes must be an integer from 1 to 200, got ${value}`);
  return n;
}

export function registerLocal(program: Command): void {
  const local = program.command("local").description("the local simulated cluster (kwok), hpx's default target");

  local
    .command("up")
    .description("start the local cluster (idempotent)")
    .option("--nodes <n>", "number of simulated nodes", String(DEFAULT_NODE_COUNT))
    .addOption(jsonOption())
    .action(async (opts: { nodes: string; json?: boolean }) => {
      const nodes = parseNodeCount(opts.nodes);
      const status = await (await cluster()).up({ nodes, onProgress: opts.json ? undefined : progress });
      if (opts.json) printJson(status);
      else printLines(...describe(status));
    });

  local
    .command("down")
    .description("stop the local cluster and remove its files")
    .addOption(jsonOption())
    .action(async (opts: { json?: boolean }) => {
      const result = await (await cluster()).down();
      if (opts.json) printJson(result);
      else printLines(`local cluster: stopped ${result.stopped} component process(es)`);
    });

  local
    .command("status")
    .description("say what runs")
    .addOption(jsonOption())
    .action(async (opts: { json?: boolean }) => {
      const status = await (await cluster()).status();
      if (opts.json) printJson(status);
      else printLines(...describe(status));
    });
}

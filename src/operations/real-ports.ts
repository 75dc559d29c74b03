import { setTimeout as sleep } from "node:timers/promises";
import { pulumiEngine } from "../automation/pulumi-engine.ts";
import type { ClusterAccess } from "../cluster/cluster-access.ts";
import { kubeCluster } from "../cluster/kube-cluster.ts";
import type { Clock, Engine, Ports } from "./ports.ts";

/** The machine's clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
};

/** Pulumi's engine, as every operation gets it. */
export const engine: Engine = pulumiEngine;

/** The real collaborators: Pulumi's engine, the stack's cluster, the machine's clock. */
export function realPorts(access: ClusterAccess): Ports {
  return { engine, cluster: kubeCluster(access), clock: systemClock };
}

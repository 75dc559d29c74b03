import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { ClusterError } from "../errors.ts";
import { expandHome } from "../paths.ts";
import type { EksIdentity } from "./kube-errors.ts";
import { localClusterPaths } from "./local-cluster.ts";

/** How to reach a cluster, for both the Pulumi provider and live queries. */
export interface ClusterAccess {
  /** Kubeconfig file contents (handed to the provider as a secret). */
  kubeconfig: string;
  kubeconfigPath: string;
  context: string | undefined;
  namespace: string;
  /**
   * Stable identity for the provider's `clusterIdentifier`: resources are replaced only
   * when it changes, not when the kubeconfig's path, port or certificates do.
   */
  clusterIdentifier: string;
  /** True for the local simulated cluster (nothing really runs there). */
  simulated: boolean;
  /** For EKS clusters: who hpx is, to explain an Unauthorized answer. */
  eks?: EksIdentity;
}

function readKubeconfig(path: string): string {
  if (!existsSync(path)) throw new ClusterError(`kubeconfig ${path} does not exist`);
  return readFileSync(path, "utf8");
}

/** The local simulated cluster (runtime_type: local). */
export function localAccess(namespace: string, home?: string): ClusterAccess {
  const path = localClusterPaths(home).kubeconfig;
  const stopped = () => new ClusterError("the local simulated cluster is not running", undefined, ["start it: hpx local up"]);
  if (!existsSync(path)) throw stopped();
  const kubeconfig = readKubeconfig(path);
  // `hpx local down` (kwokctl delete) leaves the file behind with no cluster in it.
  if (!(parse(kubeconfig) as { "current-context"?: string } | null)?.["current-context"]) throw stopped();
  return {
    kubeconfig,
    kubeconfigPath: path,
    context: undefined,
    namespace,
    clusterIdentifier: "hpx-local",
    simulated: true,
  };
}

/** An explicit kubeconfig file and optional context (runtime_type: kubeconfig). */
export function kubeconfigAccess(path: string, context: string | undefined, namespace: string): ClusterAccess {
  const file = expandHome(path);
  const kubeconfig = readKubeconfig(file);
  // Read as YAML, not with client-node, which `hpx ls` does not load (kube-get.ts).
  const parsed = (parse(kubeconfig) ?? {}) as { "current-context"?: string; contexts?: { name: string; context?: { cluster?: string } }[] };
  const contexts = parsed.contexts ?? [];
  if (context !== undefined && !contexts.some((c) => c.name === context)) {
    throw new ClusterError(`kubeconfig ${file} has no context ${context}`, undefined, [`contexts: ${contexts.map((c) => c.name).join(", ") || "(none)"}`]);
  }
  const ctx = contexts.find((c) => c.name === (context ?? parsed["current-context"]))?.context;
  if (!ctx) throw new ClusterError(`kubeconfig ${file} has no current context; set runtime.context`);
  return { kubeconfig, kubeconfigPath: file, context, namespace, clusterIdentifier: `kubeconfig:${ctx.cluster}`, simulated: false };
}

/**
 * Listings of hpx's Deployments and pods as plain GETs, and where each process stands in
 * them: a wait's first look (process-wait.ts), and the lists its watch starts from.
 */
import type { KubernetesListObject, V1Deployment, V1Pod } from "@kubernetes/client-node";
import { PROCESS_ID } from "../components/labels.ts";
import type { JsonGet } from "./kube-get.ts";
import { listPaged } from "./kube-list.ts";
import { MANAGED_BY_SELECTOR } from "./process-info.ts";
import type { ProcessIndex } from "./process-index.ts";
import { rolloutState, type RolloutState } from "./rollout.ts";
import { keepDeploymentFields, keepPodFields, type WatchedDeployment, type WatchedPod } from "./watched-fields.ts";

/**
 * A wait for at most this many processes lists and watches only theirs (a label selector
 * naming them): a one-process change in a namespace of 5,000 need not list 10,000
 * Deployments and pods. Past it, the selector would grow long and the whole namespace is
 * about as cheap.
 */
export const SELECT_UP_TO = 100;

/** The label selector of a wait on `processes` (undefined: every hpx process of the namespace). */
export function watchSelector(processes: readonly string[] | undefined): string {
  if (processes === undefined || processes.length === 0 || processes.length > SELECT_UP_TO) return MANAGED_BY_SELECTOR;
  return `${MANAGED_BY_SELECTOR},${PROCESS_ID} in (${[...new Set(processes)].sort().join(",")})`;
}

/** The Deployments and pods of a wait's processes, as the API server listed them. */
export interface ProcessListing {
  deployments: KubernetesListObject<WatchedDeployment>;
  pods: KubernetesListObject<WatchedPod>;
}

/** The list paths of a wait on `processes` in `namespace` (a watch starts from the same lists). */
export function listingPaths(namespace: string, processes: readonly string[] | undefined): { deployments: string; pods: string } {
  const ns = encodeURIComponent(namespace);
  const selector = `labelSelector=${encodeURIComponent(watchSelector(processes))}`;
  return { deployments: `/apis/apps/v1/namespaces/${ns}/deployments?${selector}`, pods: `/api/v1/namespaces/${ns}/pods?${selector}` };
}

/** Lists the Deployments of `processes`, a page at a time, with only what a wait reads (watched-fields.ts). */
export function listDeployments(get: JsonGet, namespace: string, processes: readonly string[] | undefined): Promise<KubernetesListObject<WatchedDeployment>> {
  return listPaged<V1Deployment, WatchedDeployment>(get, listingPaths(namespace, processes).deployments, keepDeploymentFields);
}

/** Lists the pods of `processes`, a page at a time, with only what a wait reads (watched-fields.ts). */
export function listPods(get: JsonGet, namespace: string, processes: readonly string[] | undefined): Promise<KubernetesListObject<WatchedPod>> {
  return listPaged<V1Pod, WatchedPod>(get, listingPaths(namespace, processes).pods, keepPodFields);
}

/** The rollout state of each process. */
export function rolloutStates(index: ProcessIndex, processes: readonly string[]): RolloutState[] {
  return processes.map((p) => rolloutState(p, index.deployment(p), index.pods(p)));
}

/** Each process's deletion as a state: ready once neither its Deployment nor a pod is left. */
export function remainingStates(index: ProcessIndex, processes: readonly string[]): RolloutState[] {
  return processes.map((p): RolloutState => {
    const pods = index.pods(p).length;
    const deployment = index.deployment(p) !== undefined;
    if (!deployment && pods === 0) return { process: p, ready: true };
    return { process: p, ready: false, reason: `${deployment ? "its Deployment and " : ""}${pods} pod(s) still there` };
  });
}

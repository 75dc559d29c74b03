/**
 * What a wait reads of a Deployment and of a pod (rollout.ts, process-info.ts's
 * podProblem, process-index.ts), and nothing else. A wait at 10,000 processes keeps
 * 10,000 of each for its whole length; kept whole (managed fields, pod specs), they took
 * 650-700 MB of hpx's process during a cold up.
 */
import type { V1ContainerStatus, V1DeploymentStatus, V1ObjectMeta, V1PodCondition } from "@kubernetes/client-node";

/** The metadata a wait and the watch's cache use: identity and version (the cache's keys), labels, times. */
export type WatchedMeta = Pick<V1ObjectMeta, "name" | "namespace" | "uid" | "resourceVersion" | "generation" | "labels" | "creationTimestamp" | "deletionTimestamp">;

/** A Deployment as a wait reads it. */
export interface WatchedDeployment {
  metadata?: WatchedMeta;
  spec?: { replicas?: number };
  status?: V1DeploymentStatus;
}

/** A container's status as podProblem reads it. */
export type WatchedContainerStatus = Pick<V1ContainerStatus, "image" | "restartCount"> & { state?: { waiting?: { reason?: string; message?: string } } };

/** A pod as a wait reads it. */
export interface WatchedPod {
  metadata?: WatchedMeta;
  status?: { phase?: string; conditions?: V1PodCondition[]; containerStatuses?: WatchedContainerStatus[] };
}

const META_KEPT = ["name", "namespace", "uid", "resourceVersion", "generation", "labels", "creationTimestamp", "deletionTimestamp"] as const;

function keepMeta(m: WatchedMeta | undefined): WatchedMeta | undefined {
  if (!m) return undefined;
  const kept: Record<string, unknown> = {};
  for (const key of META_KEPT) if (m[key] !== undefined) kept[key] = m[key];
  return kept as WatchedMeta;
}

/**
 * Drops, in place, what a wait does not read of a Deployment. In place because the
 * watch's cache (client-node's informer) holds the object it hands to its listeners.
 */
export function keepDeploymentFields(d: WatchedDeployment): WatchedDeployment {
  d.metadata = keepMeta(d.metadata);
  if (d.spec) d.spec = { replicas: d.spec.replicas };
  return d;
}

/** Drops, in place, what a wait does not read of a pod (as keepDeploymentFields). */
export function keepPodFields(p: WatchedPod & { spec?: unknown }): WatchedPod {
  p.metadata = keepMeta(p.metadata);
  delete p.spec;
  const s = p.status;
  if (s) {
    const containerStatuses = s.containerStatuses?.map(({ image, restartCount, state }) => ({ image, restartCount, state: { waiting: state?.waiting } }));
    p.status = { phase: s.phase, conditions: s.conditions, containerStatuses };
  }
  return p;
}

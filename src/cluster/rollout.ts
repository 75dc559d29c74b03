import { podProblem } from "./process-info.ts";
import type { WatchedDeployment, WatchedPod } from "./watched-fields.ts";

/** Where one process's rollout stands. */
export interface RolloutState {
  process: string;
  ready: boolean;
  /** Why it is not ready yet (absent when ready). */
  reason?: string;
}

const newest = (pods: readonly WatchedPod[]): WatchedPod | undefined =>
  pods
    .filter((p) => !p.metadata?.deletionTimestamp)
    .sort((a, b) => String(b.metadata?.creationTimestamp ?? "").localeCompare(String(a.metadata?.creationTimestamp ?? "")))[0];

/**
 * Whether a process's Deployment has finished rolling out, by the rule of
 * `kubectl rollout status`: the controller has seen the latest spec, every replica runs
 * it, no old replica is left, and every one is available. When not, the reason comes
 * from its newest pod (unschedulable, image pull failure, crash loop) or the
 * Deployment's own conditions.
 */
export function rolloutState(process: string, deployment: WatchedDeployment | undefined, pods: readonly WatchedPod[]): RolloutState {
  const waiting = (reason: string): RolloutState => ({ process, ready: false, reason });
  if (!deployment) return waiting("its Deployment does not exist");
  const status = deployment.status ?? {};
  const want = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const observed = (deployment.metadata?.generation ?? 0) <= (status.observedGeneration ?? -1);
  if (observed && updated >= want && (status.replicas ?? 0) <= updated && available >= updated) return { process, ready: true };
  const stalled = status.conditions?.find((c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded");
  const failed = status.conditions?.find((c) => c.type === "ReplicaFailure" && c.status === "True");
  const pod = newest(pods);
  const problem = pod ? podProblem(pod) : undefined;
  if (problem) return waiting(problem);
  if (failed) return waiting(`replica failure: ${failed.message ?? failed.reason ?? ""}`.trim());
  if (stalled) return waiting(`rollout stalled: ${stalled.message ?? ""}`.trim());
  if (!observed) return waiting("the Deployment controller has not seen the new spec yet");
  if (!pod) return waiting("no pod yet");
  return waiting(`pod ${pod.metadata?.name} is ${pod.status?.phase ?? "pending"}, not ready yet`);
}

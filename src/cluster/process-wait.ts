/**
 * A wait for processes to roll out (`ready`) and to be deleted (`gone`): one look first
 * (process-listing.ts, plain GETs), then, only when it finds some process not yet there,
 * a watch from that look's lists (process-watch.ts, which loads client-node).
 *
 * The first look lists the Deployments alone when nothing is to be deleted: a rolled-out
 * Deployment's status says so without its pods, which only name what a rollout waits
 * for (at 1,000 processes the pods are 8.4 MB of JSON, the Deployments 6.7 MB).
 */
import type { KubeConfig } from "@kubernetes/client-node";
import type { JsonGet } from "./kube-get.ts";
import { indexByProcess } from "./process-index.ts";
import { listDeployments, listPods, remainingStates, rolloutStates } from "./process-listing.ts";
import type { RolloutState } from "./rollout.ts";

const watchModule = () => import("./process-watch.ts");

/** The namespace a wait looks in, and how it reads it. */
export interface WaitAccess {
  get: JsonGet;
  kc: () => Promise<KubeConfig>;
  namespace: string;
  /** Turns an API server's refusal into an error saying how to fix it (kube-errors.ts); throws. */
  explain: (err: unknown) => Promise<never>;
}

export interface WaitOptions {
  /** Each process whose state changed, in the phase it is waited for in. */
  onRollout?: (state: RolloutState, phase: "rollout" | "deletion") => void;
  signal?: AbortSignal;
}

/** Waits until every `gone` process is deleted, then every `ready` one rolled out; returns those not there at the deadline. */
export async function waitForProcesses(access: WaitAccess, ready: readonly string[], gone: readonly string[], deadline: number, opts: WaitOptions): Promise<RolloutState[]> {
  const processes = [...ready, ...gone];
  const { get, namespace } = access;
  const [deployments, podsNow] = await Promise.all([
    listDeployments(get, namespace, processes),
    gone.length > 0 ? listPods(get, namespace, processes) : undefined,
  ]).catch(access.explain);
  const index = indexByProcess(deployments.items, podsNow?.items ?? []);
  const deletion = remainingStates(index, gone);
  const rollout = rolloutStates(index, ready);
  if ([...deletion, ...rollout].every((s) => s.ready)) {
    // A change's rollout often ends before its update does: then neither the pods, a
    // watch, nor client-node's import (~0.4 s) is needed.
    for (const s of deletion) opts.onRollout?.(s, "deletion");
    for (const s of rollout) opts.onRollout?.(s, "rollout");
    return [];
  }
  const pods = podsNow ?? (await listPods(get, namespace, processes).catch(access.explain));
  const watch = new (await watchModule()).ProcessWatch(await access.kc(), namespace, processes, { deployments, pods });
  try {
    await watch.start();
    // The watch failed at once (RBAC, network): say why instead of waiting for nothing.
    if (watch.error() !== undefined) await access.explain(watch.error());
    const deleted = await watch.until(() => watch.remaining(gone), deadline, { onChange: (s) => opts.onRollout?.(s, "deletion"), signal: opts.signal });
    const rolled = await watch.until(() => watch.rollouts(ready), deadline, { onChange: (s) => opts.onRollout?.(s, "rollout"), signal: opts.signal });
    return [...deleted.states, ...rolled.states].filter((s) => !s.ready);
  } finally {
    await watch.stop();
  }
}

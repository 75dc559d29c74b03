/**
 * A wait for processes to roll out (`ready`) and to be deleted (`gone`): one look first
 * (process-listing.ts, plain GETs), then, only when it finds some process not yet there,
 * a watch from that look's lists (process-watch.ts, which loads client-node).
 *
 * The first look lists the Deployments alone when nothing is to be deleted: a rolled-out
 * Deployment's status says so without its pods, which only name what a rollout waits
 * for (at 1,000 processes the pods are 8.4 MB of JSON, the Deployments 6.7 MB).
 *
 * Processes the run left as they were are looked at in the Deployments' Table
 * (rollout-table.ts) when the others are few enough to be listed by name: a one-process
 * change in a namespace of 5,000 reads 5,000 rows, not 33 MB of Deployments.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import type { JsonGet } from "./kube-get.ts";
import { indexByProcess } from "./process-index.ts";
import { listDeployments, listPods, remainingStates, rolloutStates, SELECT_UP_TO } from "./process-listing.ts";
import { listRolloutRows, rowRolledOut } from "./rollout-table.ts";
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
  /** Processes whose objects this run did not change: their rollout may be read from the Deployments' Table. */
  unchanged?: ReadonlySet<string>;
}

/** Waits until every `gone` process is deleted, then every `ready` one rolled out; returns those not there at the deadline. */
export async function waitForProcesses(access: WaitAccess, ready: readonly string[], gone: readonly string[], deadline: number, opts: WaitOptions): Promise<RolloutState[]> {
  const { get, namespace } = access;
  const settled = await settledInTable(access, ready, gone, opts.unchanged);
  const looked = ready.filter((p) => !settled.has(p));
  // Told as the others are: after the deletions, in the order asked for.
  const tellSettled = () => {
    for (const p of ready) if (settled.has(p)) opts.onRollout?.({ process: p, ready: true }, "rollout");
  };
  if (looked.length === 0 && gone.length === 0) return (tellSettled(), []);
  const processes = [...looked, ...gone];
  const [deployments, podsNow] = await Promise.all([
    listDeployments(get, namespace, processes),
    gone.length > 0 ? listPods(get, namespace, processes) : undefined,
  ]).catch(access.explain);
  const index = indexByProcess(deployments.items, podsNow?.items ?? []);
  const deletion = remainingStates(index, gone);
  const rollout = new Map(rolloutStates(index, looked).map((s) => [s.process, s]));
  if ([...deletion, ...rollout.values()].every((s) => s.ready)) {
    // A change's rollout often ends before its update does: then neither the pods, a
    // watch, nor client-node's import (~0.4 s) is needed.
    for (const s of deletion) opts.onRollout?.(s, "deletion");
    for (const p of ready) opts.onRollout?.(rollout.get(p) ?? { process: p, ready: true }, "rollout");
    return [];
  }
  const pods = podsNow ?? (await listPods(get, namespace, processes).catch(access.explain));
  const watch = new (await watchModule()).ProcessWatch(await access.kc(), namespace, processes, { deployments, pods });
  try {
    await watch.start();
    // The watch failed at once (RBAC, network): say why instead of waiting for nothing.
    if (watch.error() !== undefined) await access.explain(watch.error());
    const deleted = await watch.until(() => watch.remaining(gone), deadline, { onChange: (s) => opts.onRollout?.(s, "deletion"), signal: opts.signal });
    tellSettled();
    const rolled = await watch.until(() => watch.rollouts(looked), deadline, { onChange: (s) => opts.onRollout?.(s, "rollout"), signal: opts.signal });
    return [...deleted.states, ...rolled.states].filter((s) => !s.ready);
  } finally {
    await watch.stop();
  }
}

/**
 * The unchanged processes the Deployments' Table shows rolled out; none when the rest are
 * too many to list by name (then one listing of every Deployment serves all) or the answer
 * is not a Table.
 */
async function settledInTable(access: WaitAccess, ready: readonly string[], gone: readonly string[], unchanged: ReadonlySet<string> | undefined): Promise<Set<string>> {
  const candidates = unchanged === undefined ? [] : ready.filter((p) => unchanged.has(p));
  if (candidates.length === 0 || ready.length - candidates.length + gone.length > SELECT_UP_TO) return new Set();
  const rows = await listRolloutRows(access.get, access.namespace).catch(access.explain);
  return new Set(rows === undefined ? [] : candidates.filter((p) => rowRolledOut(rows.get(p))));
}

import type { StackMark } from "../components/stack-mark.ts";
import { deleteObjects, deleteParent, ensureParent, ownersOf } from "./applyset.ts";
import type { ClusterAccess } from "./cluster-access.ts";
import { clusterIdentity } from "./cluster-identity.ts";
import { kubeConfigFor } from "./kube-config.ts";
import { explainKubeError } from "./kube-errors.ts";
import { listProcesses, type ListOptions } from "./list-processes.ts";
import { liveObjects, type LiveObject } from "./ownership.ts";
import { ProcessWatch } from "./process-watch.ts";
import type { RolloutState } from "./rollout.ts";

/**
 * The stack's cluster through the Kubernetes API (the operations' `Cluster`, ports.ts).
 * Answers the API server refused (401, 403, other statuses) become errors that say how
 * to fix them; a network failure is passed on as it is, for the caller to word.
 */
export function kubeCluster(access: ClusterAccess) {
  const kc = kubeConfigFor(access);
  const ns = access.namespace;
  const explained = <T>(work: Promise<T>): Promise<T> => work.catch((err: unknown) => explainKubeError(err, access.eks));
  return {
    server: kc.getCurrentCluster()?.server ?? "?",
    identity: () => clusterIdentity(kc, access.eks),
    liveObjects: () => explained(liveObjects(kc, ns)),
    ownersOf: (ids: readonly string[]) => explained(ownersOf(kc, ns, ids)),
    ensureParent: (mark: StackMark, stateUrl: string) => ensureParent(kc, ns, mark, stateUrl),
    deleteParent: (mark: StackMark) => deleteParent(kc, ns, mark),
    deleteObjects: (objects: readonly LiveObject[], opts?: { background?: boolean }) => deleteObjects(kc, ns, objects, opts),
    waitFor: async (
      ready: readonly string[],
      gone: readonly string[],
      deadline: number,
      opts: { onRollout?: (state: RolloutState, phase: "rollout" | "deletion") => void; signal?: AbortSignal },
    ): Promise<RolloutState[]> => {
      const watch = new ProcessWatch(kc, ns, [...ready, ...gone]);
      try {
        await watch.start();
        // The first listing failed (RBAC, network): say why instead of waiting for nothing.
        if (watch.error() !== undefined) await explainKubeError(watch.error(), access.eks);
        const deleted = await watch.until(() => watch.remaining([...gone]), deadline, { onChange: (s) => opts.onRollout?.(s, "deletion"), signal: opts.signal });
        const rolled = await watch.until(() => watch.rollouts([...ready]), deadline, { onChange: (s) => opts.onRollout?.(s, "rollout"), signal: opts.signal });
        return [...deleted.states, ...rolled.states].filter((s) => !s.ready);
      } finally {
        await watch.stop();
      }
    },
    processes: (opts: Omit<ListOptions, "namespace">) => explained(listProcesses(access, { ...opts, namespace: ns })),
  };
}

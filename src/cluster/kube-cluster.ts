import type { KubeConfig } from "@kubernetes/client-node";
import type { StackMark } from "../components/stack-mark.ts";
import type { ClusterAccess } from "./cluster-access.ts";
import { clusterIdentity } from "./cluster-identity.ts";
import { directGet } from "./kube-direct.ts";
import { explainKubeError } from "./kube-errors.ts";
import { kubeconfigEntry, type JsonGet } from "./kube-get.ts";
import { clientNodeGet, METADATA_ACCEPT } from "./kube-list.ts";
import { listProcesses, type ListOptions } from "./list-processes.ts";
import { liveObjects, type LiveObject } from "./ownership.ts";
import { waitForProcesses, type WaitOptions } from "./process-wait.ts";
import type { RolloutState } from "./rollout.ts";

// @kubernetes/client-node (behind these two, and a wait's watch) loads only when a
// command needs it: a no-op preview with a plain kubeconfig never does (kube-direct.ts).
const applySet = () => import("./applyset.ts");
const kubeConfigModule = () => import("./kube-config.ts");

/**
 * The stack's cluster through the Kubernetes API (the operations' `Cluster`, ports.ts).
 * Answers the API server refused (401, 403, other statuses) become errors that say how
 * to fix them; a network failure is passed on as it is, for the caller to word.
 */
export function kubeCluster(access: ClusterAccess) {
  let config: Promise<KubeConfig> | undefined;
  const kc = () => (config ??= kubeConfigModule().then((m) => m.kubeConfigFor(access)));
  const get: JsonGet = directGet(access.kubeconfig, access.context) ?? (async (path, accept) => clientNodeGet(await kc())(path, accept));
  const ns = access.namespace;
  const explained = <T>(work: Promise<T>): Promise<T> => work.catch((err: unknown) => explainKubeError(err, access.eks));
  const server = serverOf(access);
  return {
    server,
    identity: () => clusterIdentity(get, server, access.eks),
    liveObjects: () => explained(liveObjects(get, ns)),
    ownersOf: (ids: readonly string[]) => explained(applySet().then(async (m) => m.ownersOf(await kc(), ns, ids))),
    ensureParent: async (mark: StackMark, stateUrl: string) => {
      // Every update but a stack's first finds its parent there: one GET says so, and the
      // update does not wait for client-node's import (~0.4 s), which only a create needs.
      if (await exists(get, `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps/${encodeURIComponent(mark.parent)}`)) return;
      await (await applySet()).ensureParent(await kc(), ns, mark, stateUrl);
    },
    deleteParent: async (mark: StackMark) => (await applySet()).deleteParent(await kc(), ns, mark),
    deleteObjects: async (objects: readonly LiveObject[], opts?: { background?: boolean }) => (await applySet()).deleteObjects(await kc(), ns, objects, opts),
    waitFor: (ready: readonly string[], gone: readonly string[], deadline: number, opts: WaitOptions): Promise<RolloutState[]> =>
      waitForProcesses({ get, kc, namespace: ns, explain: (err) => explainKubeError(err, access.eks) }, ready, gone, deadline, opts),
    processes: (opts: Omit<ListOptions, "namespace">) => explained(listProcesses(access, { ...opts, namespace: ns })),
  };
}

/**
 * Whether the object at `path` exists. Any failure (404, a denied GET, the network) says
 * no: the caller then creates it, and that request's own error is the one to report.
 */
async function exists(get: JsonGet, path: string): Promise<boolean> {
  return get(path, METADATA_ACCEPT).then(
    () => true,
    () => false,
  );
}

/** The API server's URL, for messages; "?" when the kubeconfig names none (client-node then says why). */
function serverOf(access: ClusterAccess): string {
  try {
    return kubeconfigEntry(access.kubeconfig, access.context).cluster.server ?? "?";
  } catch {
    return "?";
  }
}

/**
 * The live side of a stack's ApplySet (components/stack-mark.ts): its parent ConfigMap,
 * the owners of foreign members, and the deletion of members the state does not record.
 */
import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { APPLYSET_ID_LABEL, STACK_ANNOTATION, STATE_ANNOTATION, applySetParent, type StackMark } from "../components/stack-mark.ts";
import { ClusterError } from "../errors.ts";
import { HPX_VERSION } from "../version.ts";
import { deletionOrder } from "./deletion-order.ts";
import type { LiveObject, OwnerInfo } from "./ownership.ts";


const status = (err: unknown): number | undefined => {
  const code = (err as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
};

/** Creates the stack's parent ConfigMap unless it exists (its name holds the stack's random identity: it is ours). */
export async function ensureParent(kc: KubeConfig, namespace: string, mark: StackMark, backend: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  try {
    await core.createNamespacedConfigMap({ namespace, body: applySetParent(mark, namespace, backend, HPX_VERSION) });
  } catch (err) {
    if (status(err) === 404) {
      // A create answers 404 only when its namespace is missing: hpx does not make
      // namespaces (they outlive a stack and are not in its ApplySet), as kubectl apply does not.
      throw new ClusterError(`namespace ${namespace} does not exist in the cluster`, undefined, [
        `nothing was changed; create it (kubectl create namespace ${namespace}), or name an existing one as the stack's runtime.namespace`,
      ]);
    }
    if (status(err) !== 409) throw err;
  }
}

/** Deletes the stack's parent ConfigMap, once no member is left. */
export async function deleteParent(kc: KubeConfig, namespace: string, mark: StackMark): Promise<void> {
  try {
    await kc.makeApiClient(CoreV1Api).deleteNamespacedConfigMap({ name: mark.parent, namespace });
  } catch (err) {
    if (status(err) !== 404) throw err;
  }
}

/** The stacks behind ApplySet ids, read from their parents (one request); a missing parent is absent from the map. */
export async function ownersOf(kc: KubeConfig, namespace: string, ids: readonly string[]): Promise<Map<string, OwnerInfo>> {
  const owners = new Map<string, OwnerInfo>();
  if (ids.length === 0) return owners;
  const list = await kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace, labelSelector: `${APPLYSET_ID_LABEL} in (${[...new Set(ids)].join(",")})` });
  for (const cm of list.items) {
    const id = cm.metadata?.labels?.[APPLYSET_ID_LABEL];
    const stack = cm.metadata?.annotations?.[STACK_ANNOTATION];
    if (id && stack) owners.set(id, { stack, state: cm.metadata?.annotations?.[STATE_ANNOTATION] });
  }
  return owners;
}

/**
 * Deletes objects directly (not through the engine). Deployments go in the foreground, so
 * they disappear only after their pods; with `background` at once, their ReplicaSets and
 * pods left to the garbage collector (a destroy waits for the pods itself: measured at
 * 1,000 processes, foreground cascades took 158 s to the last pod). An object already gone is fine.
 */
export async function deleteObjects(kc: KubeConfig, namespace: string, objects: readonly LiveObject[], opts: { background?: boolean } = {}): Promise<void> {
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const remove = async (o: LiveObject) => {
    const args = { name: o.name, namespace, body: { propagationPolicy: opts.background ? "Background" : "Foreground" } };
    try {
      if (o.kind === "Deployment") await apps.deleteNamespacedDeployment(args);
      else if (o.kind === "Service") await core.deleteNamespacedService(args);
      else await core.deleteNamespacedSecret(args);
    } catch (err) {
      if (status(err) !== 404) throw err;
    }
  };
  // A destroy deletes thousands at once: a bounded number in flight (all at once exhausted
  // the client's connections, "fetch failed" at 2,000 objects).
  const ordered = deletionOrder(objects);
  let next = 0;
  const worker = async () => {
    while (next < ordered.length) await remove(ordered[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(DELETES_IN_FLIGHT, ordered.length) }, worker));
}

/** Deletions in flight at once (the API server answers each in milliseconds). */
const DELETES_IN_FLIGHT = 32;

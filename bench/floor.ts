/**
 * The benchmark's floor: the fastest way the cluster allows to reach the same end points
 * as hpx. Server-side apply (or delete) of every object at high concurrency, then ONE
 * watch until the namespace's Deployments are rolled out ("ready") or its pods are gone.
 * Run as its own process by bench/run.ts, so its time, requests and RSS are measured
 * exactly as hpx's and the other peers' are (bench/measure.ts).
 *
 * Usage: node bench/floor.ts --kubeconfig FILE --namespace NS
 *          [--apply objects.yaml | --delete objects.yaml] [--wait ready|gone] [--concurrency 96]
 */
import { readFileSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { parseArgs } from "node:util";
import type { KubernetesObject, V1Deployment, V1Pod } from "@kubernetes/client-node";

// The floor is the least a client must spend: loading the Kubernetes client is most of its
// start-up, so it is compiled once and cached (hpx's own start is measured as it ships).
enableCompileCache();
const { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, Watch } = await import("@kubernetes/client-node");
const { parseAllDocuments } = await import("yaml");
const { shareDispatchers } = await import("../src/cluster/shared-dispatchers.ts");

const { values } = parseArgs({
  options: {
    /** kubeconfig of the benchmark's cluster. */
    kubeconfig: { type: "string" },
    /** The namespace whose pods or Deployments are waited for. */
    namespace: { type: "string" },
    /** Multi-document YAML file of objects to server-side apply. */
    apply: { type: "string" },
    /** Multi-document YAML file of objects to delete. */
    delete: { type: "string" },
    /** What to wait for after the requests: every Deployment rolled out, or no pod left. */
    wait: { type: "string" },
    /** Requests in flight at once. */
    concurrency: { type: "string", default: "96" },
  },
});
if (!values.kubeconfig || !values.namespace) throw new Error("--kubeconfig and --namespace are required");
const namespace = values.namespace;
const kc = new KubeConfig();
kc.loadFromFile(values.kubeconfig);
// Kept-alive connections, as any fast client keeps them: client-node alone opens a TLS
// connection per request (src/cluster/shared-dispatchers.ts), which a floor must not pay.
shareDispatchers(kc);
const objects = KubernetesObjectApi.makeApiClient(kc);

const load = (file: string) => parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS() as KubernetesObject);

/** Runs `work` on every item with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const concurrency = Number(values.concurrency);
if (values.apply) {
  // force: the floor owns its objects; the field manager is its own, as each tool's is.
  await pool(load(values.apply), concurrency, (o) => objects.patch(o, undefined, undefined, "hpx-bench-floor", true, PatchStrategy.ServerSideApply));
}
if (values.delete) {
  await pool(load(values.delete), concurrency, async (o) => {
    try {
      await objects.delete(o, undefined, undefined, undefined, undefined, "Background");
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  });
}

/** A Deployment is rolled out as `kubectl rollout status` says: observed, updated and available. */
function rolledOut(d: V1Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && (s.updatedReplicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.replicas ?? 0) === want;
}

/**
 * Lists, then watches from the list's resourceVersion (one watch), until `done` holds for
 * the set of objects by name. Deployments, not pods, for "ready": right after a change
 * the old pod is still Ready and the new one not yet made, which pods alone cannot tell
 * from a finished rollout. The API server may end a watch early (it did during a destroy
 * at N=300) or answer 410 Gone: then list and watch again, as an informer does.
 */
async function waitUntil<T extends KubernetesObject>(path: string, list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>, done: (all: Map<string, T>) => boolean): Promise<void> {
  for (;;) {
    const initial = await list();
    const all = new Map(initial.items.map((o) => [o.metadata!.name!, o]));
    if (done(all)) return;
    if (await watchOnce(path, initial.metadata?.resourceVersion, all, done)) return;
  }
}

/** One watch from `resourceVersion`, updating `all`: true once `done` holds, false when the watch ended first. */
function watchOnce<T extends KubernetesObject>(path: string, resourceVersion: string | undefined, all: Map<string, T>, done: (all: Map<string, T>) => boolean): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    let controller: AbortController | undefined;
    let settled = false;
    const settle = (reached: boolean) => {
      if (settled) return;
      settled = true;
      controller?.abort();
      resolve(reached);
    };
    new Watch(kc)
      .watch(
        path,
        { resourceVersion, allowWatchBookmarks: true },
        (phase, obj: T) => {
          if (settled || phase === "BOOKMARK") return;
          if (phase === "ERROR") return settle(false); // e.g. 410 Gone: the caller lists again
          if (phase === "DELETED") all.delete(obj.metadata!.name!);
          else all.set(obj.metadata!.name!, obj);
          if (done(all)) settle(true);
        },
        (err) => (err && !settled && (err as Error).name !== "AbortError" ? reject(err) : settle(false)),
      )
      .then((c) => {
        controller = c;
        if (settled) c.abort();
      }, reject);
  });
}

if (values.wait === "ready") {
  const apps = kc.makeApiClient(AppsV1Api);
  await waitUntil<V1Deployment>(`/apis/apps/v1/namespaces/${namespace}/deployments`, () => apps.listNamespacedDeployment({ namespace }), (all) => [...all.values()].every(rolledOut));
} else if (values.wait === "gone") {
  const core = kc.makeApiClient(CoreV1Api);
  await waitUntil<V1Pod>(`/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace }), (all) => all.size === 0);
} else if (values.wait !== undefined) {
  throw new Error(`--wait: ready or gone, not ${values.wait}`);
}

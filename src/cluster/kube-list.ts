/**
 * Lists read as plain JSON, with the kubeconfig's credentials as client-node applies them
 * (exec plugins included). client-node's own list calls turn every object into typed
 * objects (dates included), which for thousands of Deployments and pods costs seconds.
 * The digest comparison and the ownership guard read only names, labels, annotations and
 * uids: they ask for metadata only (`PartialObjectMetadataList`, as the garbage collector
 * does), which also keeps Secrets' data on the API server.
 */
import type { KubeConfig, KubernetesListObject, KubernetesObject, V1ObjectMeta } from "@kubernetes/client-node";
import type { RequestOptions } from "node:https";
import { apiUrl, getJson, KubeGetError, PROTOBUF, type JsonGet } from "./kube-get.ts";
import { decodeMetadataList } from "./kube-protobuf.ts";
import { keptAliveAgent } from "./shared-dispatchers.ts";

/** Accept header asking the API server for metadata only (served since Kubernetes 1.15). */
export const METADATA_LIST_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

/** The same list in protobuf first (as client-go's metadata client asks for it), else JSON. */
export const METADATA_LIST_PROTOBUF_ACCEPT = `${PROTOBUF};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, ${METADATA_LIST_ACCEPT}`;

/** Accept header asking for one object's metadata only. */
export const METADATA_ACCEPT = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";

/** GETs with the kubeconfig's credentials as client-node applies them. */
export function clientNodeGet(kc: KubeConfig): JsonGet {
  return async (path, accept = "application/json") => {
    const server = kc.getCurrentCluster()?.server;
    if (server === undefined) throw new Error("kubeconfig: the current context has no cluster");
    const opts: RequestOptions = { headers: {} };
    await kc.applyToHTTPSOptions(opts);
    opts.agent = keptAliveAgent(kc, opts);
    opts.headers = { ...opts.headers, Accept: accept };
    return getJson(apiUrl(new URL(server), path), opts);
  };
}

/** The list at `path` (for example `/api/v1/namespaces/x/pods?labelSelector=...`), as the API server sends it. */
export async function listJson<T extends KubernetesObject>(get: JsonGet, path: string, accept = "application/json"): Promise<KubernetesListObject<T>> {
  const list = (await get(path, accept)) as KubernetesListObject<T>;
  return { ...list, items: list.items ?? [] };
}

/** Items per page of {@link listPaged}: client-go's reflectors page their lists by 500 too. */
export const PAGE_SIZE = 500;

/**
 * The list at `path` a page at a time (`limit` and `continue`, one snapshot of the API
 * server's), each page's items passed through `keep` before the next is asked for: what a
 * list of 10,000 pods holds at once is one page of whole objects, not all of them. A page
 * that cannot be had (its snapshot expired: 410) lists again, whole, in one request.
 */
export async function listPaged<T extends KubernetesObject, U>(get: JsonGet, path: string, keep: (item: T) => U, pageSize = PAGE_SIZE): Promise<{ metadata?: KubernetesListObject<T>["metadata"]; items: U[] }> {
  const items: U[] = [];
  const sep = path.includes("?") ? "&" : "?";
  let token: string | undefined;
  for (;;) {
    let page: KubernetesListObject<T>;
    try {
      page = await listJson<T>(get, `${path}${sep}limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ""}`);
    } catch (err) {
      if (token === undefined || !(err instanceof KubeGetError && err.code === 410)) throw err;
      const whole = await listJson<T>(get, path);
      return { metadata: whole.metadata, items: whole.items.map(keep) };
    }
    for (const item of page.items) items.push(keep(item));
    // As sent: `continue` (client-node's type calls it `_continue`, a name JSON never has).
    token = (page.metadata as { continue?: string } | undefined)?.continue;
    if (!token) return { metadata: page.metadata, items };
  }
}

/**
 * The metadata of every object at `path` (for example `/apis/apps/v1/namespaces/x/deployments`):
 * in protobuf when the API server sends it (kube-protobuf.ts: the managed fields are
 * stepped over, not parsed), as JSON otherwise.
 */
export async function listMetadata(get: JsonGet, path: string): Promise<V1ObjectMeta[]> {
  const answer = await get(path, METADATA_LIST_PROTOBUF_ACCEPT);
  if (Buffer.isBuffer(answer)) return decodeMetadataList(answer);
  return ((answer as KubernetesListObject<KubernetesObject>).items ?? []).map((i) => i.metadata ?? {});
}

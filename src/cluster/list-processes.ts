import type { V1NodeList, V1PodList, V1ServiceList } from "@kubernetes/client-node";
import { kubeGetter } from "./kube-get.ts";
import { GROUP_ID_LABEL, MANAGED_BY_SELECTOR, processInfos, type ProcessInfo } from "./process-info.ts";

export interface ListOptions {
  namespace: string;
  /** Only processes of this group. */
  group?: string;
  /** Called once per HTTP request sent (for `--verbose`). */
  onRequest?: (method: string, url: string) => void;
}

/**
 * Lists hpx's processes with exactly three API requests whatever their number:
 * nodes, pods and services, each listed once by label.
 */
export async function listProcesses(access: { kubeconfig: string; context: string | undefined }, opts: ListOptions): Promise<ProcessInfo[]> {
  const labelSelector = opts.group === undefined ? MANAGED_BY_SELECTOR : `${MANAGED_BY_SELECTOR},${GROUP_ID_LABEL}=${opts.group}`;
  const selector = `labelSelector=${encodeURIComponent(labelSelector)}`;
  const ns = encodeURIComponent(opts.namespace);
  const kube = await kubeGetter(access.kubeconfig, access.context);
  const get = <T>(path: string): Promise<T> => {
    opts.onRequest?.("GET", path);
    return kube.get(path) as Promise<T>;
  };
  try {
    const [nodes, pods, services] = await Promise.all([
      get<V1NodeList>("/api/v1/nodes"),
      get<V1PodList>(`/api/v1/namespaces/${ns}/pods?${selector}`),
      get<V1ServiceList>(`/api/v1/namespaces/${ns}/services?${selector}`),
    ]);
    return processInfos(nodes.items, pods.items, services.items);
  } finally {
    kube.close();
  }
}

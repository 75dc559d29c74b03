import type { V1NodeList, V1PodList, V1Service, V1ServiceList } from "@kubernetes/client-node";
import { kubeGetter } from "./kube-get.ts";
import { PART_OF_LABEL, STACK_ANNOTATION } from "../components/stack-mark.ts";
import { GROUP_ID } from "../components/labels.ts";
import { MANAGED_BY_SELECTOR, processInfos, type ProcessInfo } from "./process-info.ts";

export interface ListOptions {
  namespace: string;
  /** Only processes of this group. */
  group?: string;
  /** Called once per HTTP request sent (for `--verbose`). */
  onRequest?: (method: string, url: string) => void;
  /**
   * Only this stack's processes: members of its ApplySet; for a stack an older hpx made
   * (no identity recorded yet), those its name-only mark names. Unset: every hpx process
   * of the namespace.
   */
  stack?: { name: string; applySetId: string | undefined };
  /** Hydroplane's answers exactly (process-info.ts `InfoOptions`). */
  hydroplane?: boolean;
}

/** Whether a Service is the stack's (see {@link ListOptions.stack}). */
export function ofStack(svc: V1Service, stack: ListOptions["stack"]): boolean {
  if (!stack) return true;
  const partOf = svc.metadata?.labels?.[PART_OF_LABEL];
  if (stack.applySetId !== undefined) return partOf === stack.applySetId;
  return partOf === undefined && svc.metadata?.annotations?.[STACK_ANNOTATION] === stack.name;
}

/**
 * Lists hpx's processes with exactly three API requests whatever their number:
 * nodes, pods and services, each listed once by label.
 */
export async function listProcesses(access: { kubeconfig: string; context: string | undefined }, opts: ListOptions): Promise<ProcessInfo[]> {
  const labelSelector = opts.group === undefined ? MANAGED_BY_SELECTOR : `${MANAGED_BY_SELECTOR},${GROUP_ID}=${opts.group}`;
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
    return processInfos(nodes.items, pods.items, services.items.filter((svc) => ofStack(svc, opts.stack)), { hydroplane: opts.hydroplane });
  } finally {
    kube.close();
  }
}

import {
  CoreV1Api,
  Observable,
  type KubeConfig,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
} from "@kubernetes/client-node";
import { GROUP_ID_LABEL, MANAGED_BY_SELECTOR, processInfos, type ProcessInfo } from "./process-info.ts";

export interface ListOptions {
  namespace: string;
  /** Only processes of this group. */
  group?: string;
  /** Called once per HTTP request sent (for `--verbose` and the request-count test). */
  onRequest?: (method: string, url: string) => void;
}

/**
 * Lists hpx's processes with exactly three API requests whatever their number:
 * nodes, pods and services, each listed once by label.
 */
export async function listProcesses(kc: KubeConfig, opts: ListOptions): Promise<ProcessInfo[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const labelSelector = opts.group === undefined ? MANAGED_BY_SELECTOR : `${MANAGED_BY_SELECTOR},${GROUP_ID_LABEL}=${opts.group}`;
  const observe = opts.onRequest;
  const callOpts = observe
    ? { middleware: [requestObserver(observe)], middlewareMergeStrategy: "append" as const }
    : undefined;
  const [nodes, pods, services] = await Promise.all([
    core.listNode({}, callOpts),
    core.listNamespacedPod({ namespace: opts.namespace, labelSelector }, callOpts),
    core.listNamespacedService({ namespace: opts.namespace, labelSelector }, callOpts),
  ]);
  return processInfos(nodes.items, pods.items, services.items);
}

function requestObserver(observe: (method: string, url: string) => void): ObservableMiddleware {
  return {
    pre: (ctx: RequestContext) => {
      observe(ctx.getHttpMethod(), ctx.getUrl());
      return new Observable(Promise.resolve(ctx));
    },
    post: (rsp: ResponseContext) => new Observable(Promise.resolve(rsp)),
  };
}

import { PassThrough } from "node:stream";
import type { KubeConfig, V1Pod } from "@kubernetes/client-node";
import { GROUP_ID, PROCESS_ID } from "../components/labels.ts";
import { ofStack, type ListOptions } from "./list-processes.ts";
import { MANAGED_BY_SELECTOR, podProblem } from "./process-info.ts";

/** One process of the stack whose log is asked for, and the pod that prints it, if any. */
export interface LogTarget {
  process: string;
  group: string | undefined;
  /** The process's current pod; absent before it has one. */
  pod: V1Pod | undefined;
}

/** What to read of a container's log (the pods/log API's own options). */
export interface PodLogOptions {
  /** Keep streaming new lines until stopped. */
  follow?: boolean;
  /** Only the last N lines. */
  tailLines?: number;
  /** Only lines newer than this many seconds. */
  sinceSeconds?: number;
  /** The previous run of the container (after a restart). */
  previous?: boolean;
  /** Each line prefixed with its RFC 3339 time. */
  timestamps?: boolean;
}

/**
 * The stack's processes named, or of a group, with their pods: two list requests (services,
 * which say which processes are the stack's as `hpx ls` reads them, and pods, by label).
 */
export async function logTargets(kc: KubeConfig, namespace: string, stack: ListOptions["stack"], which: { name?: string; group?: string }): Promise<LogTarget[]> {
  const { CoreV1Api } = await import("@kubernetes/client-node");
  const api = kc.makeApiClient(CoreV1Api);
  const labelSelector = [
    MANAGED_BY_SELECTOR,
    ...(which.name !== undefined ? [`${PROCESS_ID}=${which.name}`] : []),
    ...(which.group !== undefined ? [`${GROUP_ID}=${which.group}`] : []),
  ].join(",");
  const [services, pods] = await Promise.all([api.listNamespacedService({ namespace, labelSelector }), api.listNamespacedPod({ namespace, labelSelector })]);
  return services.items
    .filter((svc) => ofStack(svc, stack))
    .map((svc) => {
      const process = svc.metadata?.labels?.[PROCESS_ID] ?? svc.metadata?.name ?? "";
      return { process, group: svc.metadata?.labels?.[GROUP_ID], pod: currentPod(pods.items.filter((p) => p.metadata?.labels?.[PROCESS_ID] === process)) };
    })
    .sort((a, b) => a.process.localeCompare(b.process));
}

/** The pod a process runs in: the newest not being deleted (a Recreate rollout briefly has two). */
function currentPod(pods: V1Pod[]): V1Pod | undefined {
  const time = (p: V1Pod) => new Date(p.metadata?.creationTimestamp ?? 0).getTime();
  const live = pods.filter((p) => p.metadata?.deletionTimestamp === undefined || p.metadata.deletionTimestamp === null);
  return (live.length > 0 ? live : pods).sort((a, b) => time(b) - time(a))[0];
}

/** Why a pod has no log to show yet (not scheduled, container not started), or undefined when it has one. */
export function notStarted(pod: V1Pod, container: string, previous: boolean): string | undefined {
  if (!pod.spec?.nodeName) return podProblem(pod) ?? "not scheduled on a node yet";
  const status = pod.status?.containerStatuses?.find((c) => c.name === container);
  if (previous) return status?.lastState?.terminated || status?.restartCount ? undefined : "its container has not restarted: there is no previous run (drop --previous)";
  if (status?.state?.running || status?.state?.terminated) return undefined;
  return podProblem(pod) ?? `its container is ${status?.state?.waiting?.reason ?? "not started yet"}`;
}

/**
 * Streams one container's log, a line at a time, through the pods/log API (client-node's
 * `Log`); resolves when the log ends (at once without `follow`) or `signal` aborts.
 */
export async function streamPodLog(
  kc: KubeConfig,
  target: { namespace: string; pod: string; container: string },
  opts: PodLogOptions,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) return;
  const { Log } = await import("@kubernetes/client-node");
  const out = new PassThrough();
  let rest = "";
  out.on("data", (chunk: Buffer) => {
    const lines = (rest + chunk.toString("utf8")).split("\n");
    rest = lines.pop()!;
    for (const line of lines) onLine(line);
  });
  const ended = new Promise<void>((resolve, reject) => {
    out.on("end", resolve);
    out.on("error", reject);
    // client-node pipes the response into `out` and leaves the response's own errors unheard
    // (an abort is one): heard here, an abort ends the log and anything else fails it.
    out.on("pipe", (source) => source.on("error", (err: Error) => (signal?.aborted ? resolve() : reject(err))));
    // An abort ends the request; client-node does not end the stream it pipes into then.
    signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  // client-node sends no tailLines of 0 (it tests the value for truth): "no line so far"
  // is asked as "lines from now on", which is what a tail of 0 gives.
  const asked = opts.tailLines === 0 ? { ...opts, tailLines: undefined, sinceSeconds: undefined, sinceTime: new Date().toISOString() } : opts;
  const request = await new Log(kc).log(target.namespace, target.pod, target.container, out, asked);
  const stop = () => request.abort();
  signal?.addEventListener("abort", stop, { once: true });
  if (signal?.aborted) stop();
  try {
    await ended;
  } finally {
    signal?.removeEventListener("abort", stop);
    if (rest !== "") onLine(rest);
  }
}

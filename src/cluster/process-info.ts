import type { V1Node, V1Pod, V1Service } from "@kubernetes/client-node";
import { z } from "zod";
import { GROUP_ID, MANAGED_BY, MANAGER, PROCESS_ID } from "../components/labels.ts";
import type { WatchedPod } from "./watched-fields.ts";

/** The label selector of every object hpx manages (components/labels.ts sets the labels). */
export const MANAGED_BY_SELECTOR = `${MANAGED_BY}=${MANAGER}`;

/** One reachable address, as Hydroplane reports it. */
export const SocketAddress = z.object({
  host: z.string(),
  port: z.number().int(),
  is_public: z.boolean(),
});
export type SocketAddress = z.infer<typeof SocketAddress>;

/** Hydroplane's `ProcessInfo` shape (`hpctl list`), plus hpx's status and reason; `hpx serve`'s OpenAPI document is generated from it. */
export const ProcessInfo = z.object({
  process_name: z.string(),
  group: z.string().nullable(),
  socket_addresses: z.array(SocketAddress),
  /** ISO 8601 time the process's pod (or, before it has one, its Service) was created. */
  created: z.string().describe("ISO 8601 time the process's pod (or, before it has one, its Service) was created"),
  /** FAILED: hpx serve accepted the start, and its runs failed (the reason says why). */
  status: z.enum(["STARTING", "RUNNING", "FAILED"]),
  /** Why a process is not reachable or not running yet; absent when all is well. */
  reason: z.string().optional().describe("why the process is not reachable or not running yet; absent when all is well"),
  /** Node the pod runs on (shown by `-o wide`). */
  node: z.string().optional().describe("the node the pod runs on"),
});
export type ProcessInfo = z.infer<typeof ProcessInfo>;

function created(obj: V1Pod | V1Service | undefined): string | undefined {
  const t = obj?.metadata?.creationTimestamp as Date | string | undefined;
  if (t === undefined) return undefined;
  return (t instanceof Date ? t : new Date(t)).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** The reason a pod is not running, from its conditions and container states. */
export function podProblem(pod: WatchedPod | undefined): string | undefined {
  if (!pod) return "no pod yet";
  const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
  if (scheduled?.status === "False" && scheduled.reason === "Unschedulable") {
    return `unschedulable: ${scheduled.message ?? "no node fits"}`;
  }
  for (const cs of pod.status?.containerStatuses ?? []) {
    const waiting = cs.state?.waiting;
    if (waiting?.reason === "ErrImagePull" || waiting?.reason === "ImagePullBackOff" || waiting?.reason === "InvalidImageName") {
      return `image pull failure (${waiting.reason}): ${waiting.message ?? cs.image}`;
    }
    if (waiting?.reason === "CrashLoopBackOff") return `crash loop: restarted ${cs.restartCount} time(s)`;
  }
  return undefined;
}

function isRunning(pod: V1Pod | undefined): boolean {
  return pod?.status?.phase === "Running" && (pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false);
}

/** Why a public process has no address, and where to look instead. */
function noExternalIpHint(nodeName: string, svc: V1Service): string {
  const inside = (svc.spec?.ports ?? []).map((p) => `${svc.spec?.clusterIP}:${p.port}`).join(", ");
  return (
    `node ${nodeName} has no ExternalIP (Fargate or a private subnet): not reachable from outside the cluster; ` +
    `inside it, use ${inside}; to publish it, run it on nodes in public subnets (hpx doctor counts the nodes with an external IP)`
  );
}

/** How a listing reads. */
export interface InfoOptions {
  /**
   * Hydroplane's answers exactly (hpx serve): no address until the process is RUNNING
   * (its clients poll for one), and `created` is always the Service's creation time.
   * Otherwise (hpx ls) a STARTING process shows the addresses it will have, and `created`
   * is its pod's (the Service's before it has one).
   */
  hydroplane?: boolean;
}

/**
 * Joins one listing each of nodes, pods and services into Hydroplane's process list.
 * Public ports are reported on the ExternalIP of the node the pod actually runs on
 * (with its NodePort), private ones on the ClusterIP, as Hydroplane does.
 */
export function processInfos(nodes: V1Node[], pods: V1Pod[], services: V1Service[], opts: InfoOptions = {}): ProcessInfo[] {
  const externalIP = new Map<string, string | undefined>();
  for (const n of nodes) {
    externalIP.set(n.metadata?.name ?? "", n.status?.addresses?.find((a) => a.type === "ExternalIP")?.address);
  }
  // A Recreate Deployment has at most one live pod, but a terminating one may linger: prefer the newest.
  const podOf = new Map<string, V1Pod>();
  for (const p of pods) {
    const id = p.metadata?.labels?.[PROCESS_ID];
    if (!id || p.metadata?.deletionTimestamp) continue;
    const seen = podOf.get(id);
    if (!seen || (created(p) ?? "") > (created(seen) ?? "")) podOf.set(id, p);
  }
  const out: ProcessInfo[] = [];
  for (const svc of services) {
    const name = svc.metadata?.labels?.[PROCESS_ID];
    if (!name) continue;
    const pod = podOf.get(name);
    const isPublic = svc.spec?.type === "NodePort";
    const nodeName = pod?.spec?.nodeName;
    const addresses: SocketAddress[] = [];
    let reason = podProblem(pod);
    for (const port of svc.spec?.ports ?? []) {
      if (!isPublic) {
        if (svc.spec?.clusterIP && svc.spec.clusterIP !== "None") {
          addresses.push({ host: svc.spec.clusterIP, port: port.port, is_public: false });
        }
        continue;
      }
      const host = nodeName ? externalIP.get(nodeName) : undefined;
      if (host && port.nodePort) addresses.push({ host, port: port.nodePort, is_public: true });
      else if (nodeName && !host) reason ??= noExternalIpHint(nodeName, svc);
    }
    const running = isRunning(pod);
    const info: ProcessInfo = {
      process_name: name,
      group: svc.metadata?.labels?.[GROUP_ID] ?? null,
      socket_addresses: opts.hydroplane && !running ? [] : addresses,
      created: (opts.hydroplane ? created(svc) : (created(pod) ?? created(svc))) ?? "",
      status: running ? "RUNNING" : "STARTING",
    };
    if (reason) info.reason = reason;
    if (nodeName) info.node = nodeName;
    out.push(info);
  }
  return out.sort((a, b) => a.process_name.localeCompare(b.process_name));
}

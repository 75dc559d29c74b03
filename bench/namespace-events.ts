/**
 * Fills a namespace with Events such as the controllers write for each process (a
 * Deployment scaled, a pod created, a pod scheduled), for measuring what a namespace's
 * Events cost the kubernetes provider: it lists and watches them all during every
 * engine run that creates, updates or deletes (pulumi-kubernetes 4.24.1, await.go).
 */
import { randomUUID } from "node:crypto";
import type * as k8s from "@kubernetes/client-node";

const IN_FLIGHT = 64;
const KINDS = [
  { kind: "Deployment", apiVersion: "apps/v1", reason: "ScalingReplicaSet", message: "Scaled up replica set %s-5d8f7c to 1", component: "deployment-controller" },
  { kind: "ReplicaSet", apiVersion: "apps/v1", reason: "SuccessfulCreate", message: "Created pod: %s-5d8f7c-x2x9q", component: "replicaset-controller" },
  { kind: "Pod", apiVersion: "v1", reason: "Scheduled", message: "Successfully assigned default/%s-5d8f7c-x2x9q to kwok-node-0", component: "default-scheduler" },
] as const;

/** Creates `count` Events in `namespace`, IN_FLIGHT at a time; resolves with the seconds it took. */
export async function makeEvents(core: k8s.CoreV1Api, namespace: string, count: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const k = KINDS[i % KINDS.length]!;
      const name = `e${Math.floor(i / KINDS.length)}`;
      const now = new Date();
      await core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name: `${name}.${i.toString(16)}`, namespace },
          involvedObject: { kind: k.kind, apiVersion: k.apiVersion, namespace, name, uid: randomUUID() },
          reason: k.reason,
          message: k.message.replace("%s", name),
          source: { component: k.component },
          reportingComponent: k.component,
          reportingInstance: "",
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          type: "Normal",
        },
      });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return (performance.now() - t0) / 1000;
}

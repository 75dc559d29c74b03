import assert from "node:assert/strict";
import { test } from "vitest";
import type { V1Node, V1Pod, V1Service } from "@kubernetes/client-node";
import { podProblem, processInfos } from "./process-info.ts";

const node = (name: string, external?: string): V1Node => ({
  metadata: { name },
  status: {
    addresses: [{ type: "InternalIP", address: "10.0.0.1" }, ...(external ? [{ type: "ExternalIP", address: external }] : [])],
  },
});
const labels = (name: string, group?: string) => ({
  "hydroplane/process-id": name,
  ...(group ? { "hydroplane/group-id": group } : {}),
  "app.kubernetes.io/managed-by": "hpx",
});
const runningPod = (name: string, nodeName: string, created = "2026-11-22T10:00:00Z"): V1Pod => ({
  metadata: { name: `${name}-abc`, labels: labels(name), creationTimestamp: new Date(created) },
  spec: { nodeName, containers: [] },
  status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
});

test("public ports on the pod's node ExternalIP + NodePort; private on ClusterIP + port", () => {
  const services: V1Service[] = [
    {
      metadata: { name: "web", labels: labels("web", "demo") },
      spec: { type: "NodePort", clusterIP: "10.96.0.10", ports: [{ port: 80, nodePort: 30080 }, { port: 443, nodePort: 30443 }] },
    },
    { metadata: { name: "dns", labels: labels("dns", "demo") }, spec: { type: "ClusterIP", clusterIP: "10.96.0.53", ports: [{ port: 53 }] } },
  ];
  const pods = [runningPod("web", "n2"), runningPod("dns", "n1")];
  assert.deepEqual(processInfos([node("n1", "203.0.113.1"), node("n2", "203.0.113.2")], pods, services), [
    {
      process_name: "dns",
      group: "demo",
      socket_addresses: [{ host: "10.96.0.53", port: 53, is_public: false }],
      created: "2026-11-22T10:00:00+00:00",
      status: "RUNNING",
      node: "n1",
    },
    {
      process_name: "web",
      group: "demo",
      socket_addresses: [
        { host: "203.0.113.2", port: 30080, is_public: true },
        { host: "203.0.113.2", port: 30443, is_public: true },
      ],
      created: "2026-11-22T10:00:00+00:00",
      status: "RUNNING",
      node: "n2",
    },
  ]);
});

test("a public process on a node without ExternalIP is reported as such, not a crash", () => {
  const svc: V1Service = { metadata: { labels: labels("web") }, spec: { type: "NodePort", clusterIP: "10.96.0.9", ports: [{ port: 80, nodePort: 31000 }] } };
  const [info] = processInfos([node("fargate-1")], [runningPod("web", "fargate-1")], [svc]);
  assert.deepEqual(info?.socket_addresses, []);
  assert.equal(
    info?.reason,
    "node fargate-1 has no ExternalIP (Fargate or a private subnet): not reachable from outside the cluster; " +
      "inside it, use 10.96.0.9:80; to publish it, run it on nodes in public subnets (hpx doctor counts the nodes with an external IP)",
  );
  assert.equal(info?.status, "RUNNING");
  assert.equal(info?.group, null);
});

test("a process whose pod is missing is STARTING with a reason, dated by its Service", () => {
  const svc: V1Service = {
    metadata: { labels: labels("web"), creationTimestamp: new Date("2026-11-22T09:00:00Z") },
    spec: { type: "ClusterIP", clusterIP: "10.96.0.9", ports: [{ port: 80 }] },
  };
  assert.deepEqual(processInfos([], [], [svc]), [
    {
      process_name: "web",
      group: null,
      socket_addresses: [{ host: "10.96.0.9", port: 80, is_public: false }],
      created: "2026-11-22T09:00:00+00:00",
      status: "STARTING",
      reason: "no pod yet",
    },
  ]);
});

test("podProblem names unschedulable pods, image pull failures and crash loops", () => {
  assert.equal(
    podProblem({ status: { conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available" }] } }),
    "unschedulable: 0/3 nodes are available",
  );
  assert.equal(
    podProblem({ status: { containerStatuses: [{ image: "x", restartCount: 0, state: { waiting: { reason: "ImagePullBackOff", message: "back-off pulling x" } } }] } }),
    "image pull failure (ImagePullBackOff): back-off pulling x",
  );
  assert.equal(
    podProblem({ status: { containerStatuses: [{ image: "x", restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } }] } }),
    "crash loop: restarted 4 time(s)",
  );
  assert.equal(podProblem(runningPod("a", "n")), undefined);
});

test("a terminating pod is ignored in favour of the live one", () => {
  const old = runningPod("web", "n1", "2026-11-22T08:00:00Z");
  old.metadata!.deletionTimestamp = new Date("2026-11-22T10:00:01Z");
  const fresh = runningPod("web", "n2", "2026-11-22T10:00:00Z");
  const svc: V1Service = { metadata: { labels: labels("web") }, spec: { type: "NodePort", ports: [{ port: 80, nodePort: 30001 }] } };
  const [info] = processInfos([node("n1", "203.0.113.1"), node("n2", "203.0.113.2")], [old, fresh], [svc]);
  assert.deepEqual(info?.socket_addresses, [{ host: "203.0.113.2", port: 30001, is_public: true }]);
});

test("Hydroplane's answers (hpx serve): no address until RUNNING, and created is always the Service's", () => {
  const svc: V1Service = {
    metadata: { name: "api", labels: labels("api"), creationTimestamp: new Date("2026-11-22T09:00:00Z") },
    spec: { type: "ClusterIP", clusterIP: "10.96.0.7", ports: [{ port: 8080 }] },
  };
  const starting: V1Pod = { ...runningPod("api", "n1", "2026-11-22T10:00:00Z"), status: { phase: "Pending" } };
  const view = (pod: V1Pod, hydroplane: boolean) => processInfos([node("n1")], [pod], [svc], { hydroplane }).map((p) => [p.status, p.socket_addresses.length, p.created]);
  assert.deepEqual(view(starting, true), [["STARTING", 0, "2026-11-22T09:00:00+00:00"]]);
  assert.deepEqual(view(starting, false), [["STARTING", 1, "2026-11-22T10:00:00+00:00"]]);
  assert.deepEqual(view(runningPod("api", "n1", "2026-11-22T10:00:00Z"), true), [["RUNNING", 1, "2026-11-22T09:00:00+00:00"]]);
});

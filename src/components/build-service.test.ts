import assert from "node:assert/strict";
import { test } from "vitest";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { buildService } from "./build-service.ts";

const spec = (name: string, has_public_ip: boolean, ports: ProcessSpec["container"]["ports"], group?: string): ProcessSpec => ({
  process_name: name,
  ...(group ? { group } : {}),
  has_public_ip,
  container: { image_uri: "img", ports, env: [] },
});
const selector = (name: string) => ({ "hydroplane/process-id": name, "app.kubernetes.io/managed-by": "hpx" });

test("public process with two ports and a group: NodePort, named ports, port = targetPort", () => {
  const web = spec("web", true, [{ container_port: 80, protocol: "tcp" }, { container_port: 443, protocol: "tcp", host_port: 8443 }], "demo");
  assert.deepEqual(buildService(web, "apps"), {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "web",
      namespace: "apps",
      labels: { "hydroplane/process-id": "web", "hydroplane/group-id": "demo", "app.kubernetes.io/name": "web", "app.kubernetes.io/managed-by": "hpx" },
    },
    spec: {
      type: "NodePort",
      selector: selector("web"),
      ports: [
        { name: "tcp-80", port: 80, targetPort: 80, protocol: "TCP" },
        { name: "tcp-443", port: 443, targetPort: 443, protocol: "TCP" },
      ],
    },
  });
});

test("private UDP process: ClusterIP, one unnamed port", () => {
  assert.deepEqual(buildService(spec("dns", false, [{ container_port: 53, protocol: "udp" }]), "default"), {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "dns", namespace: "default", labels: { "hydroplane/process-id": "dns", "app.kubernetes.io/name": "dns", "app.kubernetes.io/managed-by": "hpx" } },
    spec: { type: "ClusterIP", selector: selector("dns"), ports: [{ port: 53, targetPort: 53, protocol: "UDP" }] },
  });
});

test("private process without ports: a headless Service", () => {
  assert.deepEqual(buildService(spec("batch", false, []), "default"), {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "batch", namespace: "default", labels: { "hydroplane/process-id": "batch", "app.kubernetes.io/name": "batch", "app.kubernetes.io/managed-by": "hpx" } },
    spec: { type: "ClusterIP", clusterIP: "None", selector: selector("batch") },
  });
});

test("public process without ports: refused, as the spec rules do", () => {
  assert.throws(() => buildService(spec("lonely", true, []), "default"), /public process needs at least one container port/);
});

test("a named port names the Service port too; host_port does not change the Service port", () => {
  const named = spec("api", false, [{ container_port: 8443, protocol: "tcp", host_port: 443, name: "https" }, { container_port: 9090, protocol: "tcp" }]);
  assert.deepEqual(buildService(named, "default").spec?.ports, [
    { name: "https", port: 8443, targetPort: 8443, protocol: "TCP" },
    { name: "tcp-9090", port: 9090, targetPort: 9090, protocol: "TCP" },
  ]);
});

import assert from "node:assert/strict";
import { test } from "vitest";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { buildDeployment } from "./build-workload.ts";

const labels = (name: string, group?: string) => ({
  "hydroplane/process-id": name,
  ...(group ? { "hydroplane/group-id": group } : {}),
  "app.kubernetes.io/name": name,
  "app.kubernetes.io/managed-by": "hpx",
});
const selector = (name: string) => ({ "hydroplane/process-id": name, "app.kubernetes.io/managed-by": "hpx" });

/** The whole Deployment, around the given pod spec. */
const deployment = (name: string, namespace: string, podSpec: object, group?: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace, labels: labels(name, group) },
  spec: {
    replicas: 1,
    strategy: { type: "Recreate" },
    selector: { matchLabels: selector(name) },
    template: { metadata: { labels: labels(name, group) }, spec: podSpec },
  },
});

test("public TCP process with two ports and a group: named ports, host_port ignored", () => {
  const web: ProcessSpec = {
    process_name: "web",
    group: "demo",
    has_public_ip: true,
    container: {
      image_uri: "nginxdemos/hello",
      ports: [
        { container_port: 80, protocol: "tcp" },
        { container_port: 443, protocol: "tcp", host_port: 8443 },
      ],
      env: [],
    },
  };
  assert.deepEqual(
    buildDeployment(web, "apps"),
    deployment(
      "web",
      "apps",
      {
        containers: [
          {
            name: "web",
            image: "nginxdemos/hello",
            ports: [
              { name: "tcp-80", containerPort: 80, protocol: "TCP" },
              { name: "tcp-443", containerPort: 443, protocol: "TCP" },
            ],
          },
        ],
      },
      "demo",
    ),
  );
});

test("private UDP process with a command: the command as `command`, one unnamed port", () => {
  const dns: ProcessSpec = {
    process_name: "dns",
    has_public_ip: false,
    container: { image_uri: "coredns/coredns", command: ["/coredns", "-dns.port", "53"], ports: [{ container_port: 53, protocol: "udp" }], env: [] },
  };
  assert.deepEqual(
    buildDeployment(dns, "default"),
    deployment("dns", "default", {
      containers: [{ name: "dns", image: "coredns/coredns", command: ["/coredns", "-dns.port", "53"], ports: [{ containerPort: 53, protocol: "UDP" }] }],
    }),
  );
});

test("resources become millicores and MiB; the node selector is passed through", () => {
  const batch: ProcessSpec = {
    process_name: "batch",
    has_public_ip: false,
    container: {
      image_uri: "busybox",
      ports: [],
      env: [],
      resource_request: { cpu_vcpu: 0.1, memory_mib: 128 },
      resource_limit: { cpu_vcpu: 1.5, memory_mib: 1024 },
      node_selector: { "kubernetes.io/arch": "amd64" },
    },
  };
  assert.deepEqual(
    buildDeployment(batch, "default"),
    deployment("batch", "default", {
      containers: [{ name: "batch", image: "busybox", resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1500m", memory: "1024Mi" } } }],
      nodeSelector: { "kubernetes.io/arch": "amd64" },
    }),
  );
});

test("env: literals as `value`, store references as a valid secretKeyRef to <process>-env", () => {
  const api: ProcessSpec = {
    process_name: "api",
    has_public_ip: false,
    container: {
      image_uri: "app",
      ports: [],
      env: [
        { name: "MODE", value: "demo" },
        { name: "API_TOKEN", value: { secret_name: "api", key: "token" } },
      ],
    },
  };
  assert.deepEqual(
    buildDeployment(api, "default"),
    deployment("api", "default", {
      containers: [
        {
          name: "api",
          image: "app",
          env: [
            { name: "MODE", value: "demo" },
            { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "api-env", key: "API_TOKEN" } } },
          ],
        },
      ],
    }),
  );
});

test("registry credentials: the pod pulls with <process>-registry", () => {
  const priv: ProcessSpec = {
    process_name: "priv",
    has_public_ip: false,
    container: { image_uri: "registry.example:5000/team/app:1", ports: [], env: [], username: "bot", password: { secret_name: "registry" } },
  };
  assert.deepEqual(
    buildDeployment(priv, "default"),
    deployment("priv", "default", {
      containers: [{ name: "priv", image: "registry.example:5000/team/app:1" }],
      imagePullSecrets: [{ name: "priv-registry" }],
    }),
  );
});

test("named ports keep their names in the container; lone resource fields stay alone", () => {
  const spec: ProcessSpec = {
    process_name: "named",
    has_public_ip: false,
    container: {
      image_uri: "x",
      ports: [{ container_port: 8443, host_port: 443, protocol: "tcp", name: "https" }],
      env: [],
      resource_request: { memory_mib: 256 },
      resource_limit: { cpu_vcpu: 3.5 },
    },
  };
  assert.deepEqual(buildDeployment(spec, "default").spec?.template.spec?.containers[0], {
    name: "named",
    image: "x",
    ports: [{ name: "https", containerPort: 8443, protocol: "TCP" }],
    resources: { requests: { memory: "256Mi" }, limits: { cpu: "3500m" } },
  });
});

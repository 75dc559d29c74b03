import assert from "node:assert/strict";
import { test } from "node:test";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { buildEnvSecret, buildRegistrySecret, registryHost } from "./build-secrets.ts";
import { buildService } from "./build-service.ts";
import { buildDeployment } from "./build-workload.ts";

const web: ProcessSpec = {
  process_name: "web",
  group: "demo",
  has_public_ip: true,
  container: { image_uri: "nginxdemos/hello", ports: [{ container_port: 80, protocol: "tcp" }, { container_port: 443, protocol: "tcp", host_port: 8443 }], env: [] },
};
const labelsWeb = { "hydroplane/process-id": "web", "hydroplane/group-id": "demo", "app.kubernetes.io/name": "web", "app.kubernetes.io/managed-by": "hpx" };
const selectorWeb = { "hydroplane/process-id": "web", "app.kubernetes.io/managed-by": "hpx" };
const noSecrets = () => {
  throw new Error("no secrets expected");
};

test("public TCP process with two ports and a group: Deployment (1 replica, Recreate) and NodePort Service", () => {
  assert.deepEqual(buildDeployment(web, "apps"), {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "apps", labels: labelsWeb },
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: selectorWeb },
      template: {
        metadata: { labels: labelsWeb },
        spec: {
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
      },
    },
  });
  assert.deepEqual(buildService(web, "apps"), {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "apps", labels: labelsWeb },
    spec: {
      type: "NodePort",
      selector: selectorWeb,
      ports: [
        { name: "tcp-80", port: 80, targetPort: 80, protocol: "TCP" },
        { name: "tcp-443", port: 443, targetPort: 443, protocol: "TCP" },
      ],
    },
  });
});

test("private UDP process with a command and no group: ClusterIP, unnamed single port, no group label", () => {
  const dns: ProcessSpec = {
    process_name: "dns",
    has_public_ip: false,
    container: { image_uri: "coredns/coredns", command: ["/coredns", "-dns.port", "53"], ports: [{ container_port: 53, protocol: "udp" }], env: [] },
  };
  const labels = { "hydroplane/process-id": "dns", "app.kubernetes.io/name": "dns", "app.kubernetes.io/managed-by": "hpx" };
  assert.deepEqual(buildDeployment(dns, "default").spec?.template.spec?.containers, [
    { name: "dns", image: "coredns/coredns", command: ["/coredns", "-dns.port", "53"], ports: [{ containerPort: 53, protocol: "UDP" }] },
  ]);
  assert.deepEqual(buildService(dns, "default"), {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "dns", namespace: "default", labels },
    spec: { type: "ClusterIP", selector: { "hydroplane/process-id": "dns", "app.kubernetes.io/managed-by": "hpx" }, ports: [{ port: 53, targetPort: 53, protocol: "UDP" }] },
  });
});

test("resources become millicores and MiB; node selector is passed through; no ports: headless Service", () => {
  const batch: ProcessSpec = {
    process_name: "batch",
    has_public_ip: false,
    container: {
      image_uri: "busybox",
      ports: [],
      env: [],
      resource_request: { cpu_vcpu: 0.25, memory_mib: 128 },
      resource_limit: { cpu_vcpu: 1.5, memory_mib: 1024 },
      node_selector: { "kubernetes.io/arch": "amd64" },
    },
  };
  const pod = buildDeployment(batch, "default").spec?.template.spec;
  assert.deepEqual(pod?.containers[0]?.resources, { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "1500m", memory: "1024Mi" } });
  assert.deepEqual(pod?.nodeSelector, { "kubernetes.io/arch": "amd64" });
  assert.deepEqual(buildService(batch, "default").spec, {
    type: "ClusterIP",
    clusterIP: "None",
    selector: { "hydroplane/process-id": "batch", "app.kubernetes.io/managed-by": "hpx" },
  });
});

test("env from the secret store: a valid secretKeyRef to <process>-env, whose stringData holds the values", () => {
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
  assert.deepEqual(buildDeployment(api, "default").spec?.template.spec?.containers[0]?.env, [
    { name: "MODE", value: "demo" },
    { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "api-env", key: "API_TOKEN" } } },
  ]);
  const secret = buildEnvSecret(api, "default", (ref) => `${ref.secret_name}/${ref.key}-value`);
  assert.deepEqual(secret, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "api-env", namespace: "default", labels: { "hydroplane/process-id": "api", "app.kubernetes.io/name": "api", "app.kubernetes.io/managed-by": "hpx" } },
    type: "Opaque",
    stringData: { API_TOKEN: "api/token-value" },
  });
  assert.equal(buildEnvSecret(web, "default", noSecrets), undefined);
});

test("registry credentials: a dockerconfigjson pull Secret for the image's registry, referenced by the pod", () => {
  const priv: ProcessSpec = {
    process_name: "priv",
    has_public_ip: false,
    container: { image_uri: "registry.example:5000/team/app:1", ports: [], env: [], username: "bot", password: { secret_name: "registry", key: "password" } },
  };
  const secret = buildRegistrySecret(priv, "default", () => "pw");
  assert.equal(secret?.type, "kubernetes.io/dockerconfigjson");
  assert.deepEqual(JSON.parse(secret?.stringData?.[".dockerconfigjson"] ?? ""), {
    auths: { "registry.example:5000": { username: "bot", password: "pw", auth: Buffer.from("bot:pw").toString("base64") } },
  });
  assert.deepEqual(buildDeployment(priv, "default").spec?.template.spec?.imagePullSecrets, [{ name: "priv-registry" }]);
  assert.equal(registryHost("nginx"), "https://index.docker.io/v1/");
  assert.equal(registryHost("library/nginx"), "https://index.docker.io/v1/");
  assert.equal(registryHost("localhost/app"), "localhost");
});

import assert from "node:assert/strict";
import { test } from "vitest";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { objectAnnotations } from "./annotations.ts";
import { APPLIED_ANNOTATION, appliedDigests, markedProcess } from "./marked-objects.ts";
import { HydroProcess, type HydroProcessInfo } from "./hydro-process.ts";
import { PART_OF_LABEL, stackMark } from "./stack-mark.ts";

const mark = stackMark("test", "00000000000000000000000000000001", "default");
const prodMark = stackMark("prod", "00000000000000000000000000000002", "default");

const HYDRO_TYPE = "hpx:index:HydroProcess";
type Created = { type: string; name: string; inputs: Record<string, any>; provider?: string };
const created: Created[] = [];

await pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      created.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
      const state = { ...args.inputs };
      if (args.type === "kubernetes:core/v1:Service") {
        // What the API server fills in: a ClusterIP unless headless, and NodePorts when asked for.
        const spec = args.inputs.spec as { type: string; clusterIP?: string; ports?: { port: number }[] };
        const nodePorts = spec.type === "NodePort";
        state.spec = {
          ...spec,
          clusterIP: spec.clusterIP ?? "10.96.0.7",
          ...(spec.ports ? { ports: spec.ports.map((p, i) => ({ ...p, ...(nodePorts ? { nodePort: 30080 + i } : {}) })) } : {}),
        };
      }
      return { id: `${args.name}-id`, state };
    },
    call: (args) => args.inputs,
  },
  "hpx",
  "test",
  false,
);

const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
const providerRef = pulumi.all([provider.urn, provider.id]).apply(([urn, id]) => `${urn}::${id}`);
const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply((v) => resolve(v)));

/** Registrations are asynchronous: wait until no new one arrives for a few ticks. */
async function settled(): Promise<void> {
  let seen = -1;
  while (seen !== created.length) {
    seen = created.length;
    await new Promise((r) => setTimeout(r, 20));
  }
}
const children = (process: string) =>
  created
    .filter((c) => c.type.startsWith("kubernetes:") && (c.name === process || c.name.startsWith(`${process}-`)))
    .map((c) => [c.type, c.name])
    .sort();
const secretEnvelope = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

test("public process with env and registry secrets: exactly its four objects, secrets marked, NodePorts reported", async () => {
  const spec: ProcessSpec = {
    process_name: "web",
    group: "demo",
    has_public_ip: true,
    container: {
      image_uri: "nginxdemos/hello",
      ports: [{ container_port: 80, protocol: "tcp" }, { container_port: 53, protocol: "udp" }],
      env: [{ name: "TOKEN", value: { secret_name: "api" } }],
      username: "bot",
      password: { secret_name: "registry" },
    },
  };
  const p = new HydroProcess("web", { spec, namespace: "default", secrets: (r) => `${r.secret_name}-value`, mark }, { provider });
  const info: HydroProcessInfo = await valueOf(p.info);
  await settled();
  assert.deepEqual(info, {
    processName: "web",
    group: "demo",
    hasPublicIp: true,
    serviceName: "web",
    serviceType: "NodePort",
    clusterIP: "10.96.0.7",
    ports: [
      { containerPort: 80, protocol: "TCP", port: 80, nodePort: 30080 },
      { containerPort: 53, protocol: "UDP", port: 53, nodePort: 30081 },
    ],
  });
  assert.deepEqual(children("web"), [
    ["kubernetes:apps/v1:Deployment", "web"],
    ["kubernetes:core/v1:Secret", "web-env"],
    ["kubernetes:core/v1:Secret", "web-registry"],
    ["kubernetes:core/v1:Service", "web"],
  ]);
  assert.equal(created.filter((c) => c.type === HYDRO_TYPE && c.name === "web").length, 1);
  const ref = await valueOf(providerRef);
  for (const c of created.filter((c) => c.type.startsWith("kubernetes:") && c.name.startsWith("web"))) assert.equal(c.provider, ref, c.name);
  // Pulumi's secret envelope reaches the engine, so state stores the values encrypted.
  const byName = (n: string) => created.find((c) => c.name === n)!;
  assert.deepEqual(byName("web-env").inputs.stringData, secretEnvelope({ TOKEN: "api-value" }));
  assert.deepEqual(
    byName("web-registry").inputs.stringData,
    secretEnvelope({ ".dockerconfigjson": '{"auths":{"https://index.docker.io/v1/":{"username":"bot","password":"registry-value","auth":"Ym90OnJlZ2lzdHJ5LXZhbHVl"}}}' }),
  );
  const { [APPLIED_ANNOTATION]: applied, ...marks } = byName("web-env").inputs.metadata.annotations;
  assert.deepEqual(marks, objectAnnotations("Secret", "test"));
  assert.match(applied, /^hmac-sha256:[0-9a-f]{32}$/);
});

test("private process: Deployment and ClusterIP Service only, no NodePort", async () => {
  const spec: ProcessSpec = { process_name: "dns", has_public_ip: false, container: { image_uri: "coredns/coredns", ports: [{ container_port: 53, protocol: "udp" }], env: [] } };
  const p = new HydroProcess("dns", { spec, namespace: "default", secrets: () => assert.fail("no secrets"), mark }, { provider });
  const info = await valueOf(p.info);
  await settled();
  assert.deepEqual(info, {
    processName: "dns",
    group: null,
    hasPublicIp: false,
    serviceName: "dns",
    serviceType: "ClusterIP",
    clusterIP: "10.96.0.7",
    ports: [{ containerPort: 53, protocol: "UDP", port: 53, nodePort: null }],
  });
  assert.deepEqual(children("dns"), [
    ["kubernetes:apps/v1:Deployment", "dns"],
    ["kubernetes:core/v1:Service", "dns"],
  ]);
});

test("private process without ports: headless Service, no ports reported", async () => {
  const spec: ProcessSpec = { process_name: "batch", has_public_ip: false, container: { image_uri: "busybox", ports: [], env: [] } };
  const info = await valueOf(new HydroProcess("batch", { spec, namespace: "default", secrets: () => "", mark }, { provider }).info);
  assert.equal(info.clusterIP, "None");
  assert.deepEqual(info.ports, []);
});

test("every object carries the stack's mark and the engine annotations of its kind", async () => {
  const spec: ProcessSpec = {
    process_name: "quick",
    has_public_ip: false,
    container: { image_uri: "x", ports: [{ container_port: 1, protocol: "tcp" }], env: [{ name: "S", value: { secret_name: "s" } }] },
  };
  await valueOf(new HydroProcess("quick", { spec, namespace: "default", secrets: () => "", mark: prodMark }, { provider }).info);
  await settled();
  const objs = created.filter((c) => c.type.startsWith("kubernetes:") && c.name.startsWith("quick"));
  // The digest each object carries is the one the stack's outputs record (marked-objects.ts).
  const digests = appliedDigests(markedProcess(spec, { namespace: "default", secrets: () => "", mark: prodMark }));
  assert.deepEqual(
    objs.map((c) => [c.type, c.inputs.metadata.annotations]).sort(),
    [
      ["kubernetes:apps/v1:Deployment", { ...objectAnnotations("Deployment", "prod"), [APPLIED_ANNOTATION]: digests["Deployment/quick"] }],
      ["kubernetes:core/v1:Secret", { ...objectAnnotations("Secret", "prod"), [APPLIED_ANNOTATION]: digests["Secret/quick-env"] }],
      ["kubernetes:core/v1:Service", { ...objectAnnotations("Service", "prod"), [APPLIED_ANNOTATION]: digests["Service/quick"] }],
    ],
  );
  assert.equal(objs.find((c) => c.type.endsWith("Deployment"))!.inputs.metadata.annotations["hpx.dev/stack"], "prod");
  for (const o of objs) assert.equal(o.inputs.metadata.labels[PART_OF_LABEL], prodMark.applySetId);
});

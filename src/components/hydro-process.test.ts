import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { HydroProcess, type HydroProcessInfo } from "./hydro-process.ts";

const created: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      created.push({ type: args.type, name: args.name, inputs: args.inputs });
      const state = { ...args.inputs };
      if (args.type === "kubernetes:core/v1:Service") {
        const spec = args.inputs.spec as { ports: { port: number }[] };
        // What the API server fills in: a ClusterIP and, for NodePort, allocated ports.
        state.spec = { ...spec, clusterIP: "10.96.0.7", ports: spec.ports.map((p, i) => ({ ...p, nodePort: 30080 + i })) };
      }
      return { id: `${args.name}-id`, state };
    },
    call: (args) => args.inputs,
  },
  "hpx",
  "test",
  false,
);

const outputOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply((v) => resolve(v)));

test("HydroProcess creates exactly its Deployment, Service and env Secret, and reports the allocated ports", async () => {
  const spec: ProcessSpec = {
    process_name: "web",
    group: "demo",
    has_public_ip: true,
    container: {
      image_uri: "nginxdemos/hello",
      ports: [{ container_port: 80, protocol: "tcp" }],
      env: [{ name: "TOKEN", value: { secret_name: "api" } }],
    },
  };
  const p = new HydroProcess("web", { spec, namespace: "default", secrets: () => "s3cr3t" });
  const info: HydroProcessInfo = await outputOf(p.info);
  assert.deepEqual(info, {
    processName: "web",
    group: "demo",
    hasPublicIp: true,
    serviceType: "NodePort",
    clusterIP: "10.96.0.7",
    ports: [{ containerPort: 80, protocol: "TCP", port: 80, nodePort: 30080 }],
  });
  assert.deepEqual(
    created.map((c) => [c.type, c.name]).sort(),
    [
      ["hpx:index:HydroProcess", "web"],
      ["kubernetes:apps/v1:Deployment", "web"],
      ["kubernetes:core/v1:Secret", "web-env"],
      ["kubernetes:core/v1:Service", "web"],
    ],
  );
  const secret = created.find((c) => c.type === "kubernetes:core/v1:Secret");
  // Marked secret: the engine receives Pulumi's secret envelope, so state stores it encrypted.
  assert.deepEqual(secret?.inputs.stringData, {
    [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
    value: { TOKEN: "s3cr3t" },
  });
});

test("skipAwait annotates the workload and the service", async () => {
  created.length = 0;
  const spec: ProcessSpec = { process_name: "quick", has_public_ip: false, container: { image_uri: "x", ports: [{ container_port: 1, protocol: "tcp" }], env: [] } };
  const p = new HydroProcess("quick", { spec, namespace: "default", secrets: () => "", skipAwait: true });
  await outputOf(p.info);
  for (const c of created.filter((c) => c.type.startsWith("kubernetes:"))) {
    assert.deepEqual((c.inputs.metadata as { annotations?: unknown }).annotations, { "pulumi.com/skipAwait": "true" }, c.type);
  }
});

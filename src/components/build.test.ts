import assert from "node:assert/strict";
import { test } from "vitest";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { buildProcess, processObjectRefs } from "./build.ts";
import { buildEnvSecret, buildRegistrySecret } from "./build-secrets.ts";
import { buildService } from "./build-service.ts";
import { buildDeployment } from "./build-workload.ts";

test("buildProcess: Deployment, Service, and the env then the pull Secret, from the same builders", () => {
  const full: ProcessSpec = {
    process_name: "full",
    group: "g",
    has_public_ip: true,
    container: {
      image_uri: "ghcr.io/o/app",
      ports: [{ container_port: 8080, protocol: "tcp" }],
      env: [{ name: "T", value: { secret_name: "t" } }],
      username: { secret_name: "gh", key: "user" },
      password: { secret_name: "gh", key: "token" },
    },
  };
  const opts = { namespace: "ns", secrets: (r: { secret_name: string; key?: string }) => `${r.secret_name}.${r.key ?? ""}` };
  assert.deepEqual(buildProcess(full, opts), {
    deployment: buildDeployment(full, "ns"),
    service: buildService(full, "ns"),
    secrets: [buildEnvSecret(full, opts), buildRegistrySecret(full, opts)],
  });
});

test("buildProcess without secrets in the spec: no Secrets, resolver never called", () => {
  const plain: ProcessSpec = { process_name: "plain", has_public_ip: false, container: { image_uri: "x", ports: [], env: [] } };
  const never = (): string => {
    throw new Error("no secret expected");
  };
  assert.deepEqual(buildProcess(plain, { namespace: "default", secrets: never }).secrets, []);
});

test("processObjectRefs names exactly what buildProcess builds", () => {
  const specs: ProcessSpec[] = [
    { process_name: "plain", has_public_ip: false, container: { image_uri: "x", ports: [], env: [{ name: "A", value: "lit" }] } },
    {
      process_name: "full",
      has_public_ip: false,
      container: { image_uri: "x", ports: [], env: [{ name: "T", value: { secret_name: "t" } }], username: "u", password: { secret_name: "p" } },
    },
  ];
  for (const spec of specs) {
    const built = buildProcess(spec, { namespace: "ns", secrets: () => "v" });
    const objects = [built.deployment, built.service, ...built.secrets].map((o) => ({ kind: o.kind, name: o.metadata!.name }));
    assert.deepEqual(processObjectRefs(spec), objects);
  }
});

test("with a digest key, the pod template carries the digest of its Secrets' values; without secrets, none", () => {
  const spec: ProcessSpec = { process_name: "rot", has_public_ip: false, container: { image_uri: "x", ports: [], env: [{ name: "T", value: { secret_name: "t" } }] } };
  const one = buildProcess(spec, { namespace: "ns", secrets: () => "one", digestKey: "k" });
  const two = buildProcess(spec, { namespace: "ns", secrets: () => "two", digestKey: "k" });
  const digest = (o: typeof one) => o.deployment.spec?.template.metadata?.annotations?.["hpx.dev/secrets-digest"];
  assert.match(digest(one)!, /^hmac-sha256:/);
  assert.notEqual(digest(one), digest(two));
  const plain: ProcessSpec = { process_name: "p", has_public_ip: false, container: { image_uri: "x", ports: [], env: [] } };
  assert.equal(buildProcess(plain, { namespace: "ns", secrets: () => "", digestKey: "k" }).deployment.spec?.template.metadata?.annotations, undefined);
});

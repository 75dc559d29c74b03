import assert from "node:assert/strict";
import { test } from "vitest";
import type { automation } from "@pulumi/pulumi";
import { fieldValues } from "./field-values.ts";

// The shapes below are what the engine sent in a real preview (recorded from an hpx run).
const secretData = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "[secret]" };

function meta(type: string, old: object, now: object, diff: Record<string, string>): automation.StepEventMetadata {
  const detailedDiff = Object.fromEntries(Object.entries(diff).map(([p, k]) => [p, { diffKind: k, inputDiff: false }]));
  return {
    op: "update",
    urn: "urn:x",
    type,
    provider: "",
    old: { type, urn: "urn:x", inputs: old, outputs: {} } as automation.StepEventStateMetadata,
    new: { type, urn: "urn:x", inputs: now, outputs: {} } as automation.StepEventStateMetadata,
    detailedDiff,
  } as unknown as automation.StepEventMetadata;
}

const deployment = (image: string, mode: string, port: number) => ({
  metadata: { annotations: { "hpx.dev/applied": `hmac-sha256:${image}` } },
  spec: { template: { spec: { containers: [{ image, env: [{ name: "MODE", value: mode }], ports: [{ containerPort: port }] }] } } },
});

test("an image, an env value and a port: their old and new values", () => {
  const values = fieldValues(
    meta("kubernetes:apps/v1:Deployment", deployment("busybox", "fast", 80), deployment("busybox:1.36", "slow", 8080), {
      "spec.template.spec.containers[0].image": "update",
      "spec.template.spec.containers[0].env[0].value": "update",
      "spec.template.spec.containers[0].ports[0].containerPort": "update",
      'metadata.annotations["hpx.dev/applied"]': "update",
    }),
  );
  assert.deepEqual(values, {
    "spec.template.spec.containers[0].image": { kind: "update", old: "busybox", new: "busybox:1.36" },
    "spec.template.spec.containers[0].env[0].value": { kind: "update", old: "fast", new: "slow" },
    "spec.template.spec.containers[0].ports[0].containerPort": { kind: "update", old: 80, new: 8080 },
    'metadata.annotations["hpx.dev/applied"]': { kind: "update", old: "hmac-sha256:busybox", new: "hmac-sha256:busybox:1.36" },
  });
});

test("a field added, one deleted, one that replaces the object", () => {
  const old = { spec: { a: 1, type: "ClusterIP" } };
  const now = { spec: { b: [2], type: "NodePort" } };
  assert.deepEqual(fieldValues(meta("kubernetes:core/v1:Service", old, now, { "spec.a": "delete", "spec.b": "add", "spec.type": "update-replace" })), {
    "spec.a": { kind: "delete", old: 1 },
    "spec.b": { kind: "add", new: [2] },
    "spec.type": { kind: "update", replaces: true, old: "ClusterIP", new: "NodePort" },
  });
});

test("secret values are named, never shown: the engine's secret mark, and anything under a Secret's data", () => {
  assert.deepEqual(fieldValues(meta("kubernetes:core/v1:Secret", { data: secretData }, { data: secretData }, { "data.TOKEN": "update" })), {
    "data.TOKEN": { kind: "update", secret: true },
  });
  // Even unmarked (no event carries them so, but a Secret's data is never shown).
  assert.deepEqual(fieldValues(meta("kubernetes:core/v1:Secret", { stringData: { K: "v1" } }, { stringData: { K: "v2" } }, { "stringData.K": "update" })), {
    "stringData.K": { kind: "update", secret: true },
  });
  // A secret value inside another object.
  assert.deepEqual(fieldValues(meta("kubernetes:apps/v1:Deployment", { spec: { token: "[secret]" } }, { spec: { token: "[secret]" } }, { "spec.token": "update" })), {
    "spec.token": { kind: "update", secret: true },
  });
});

test("the live state (outputs) is the old value when the event has it: drift shows what the cluster holds", () => {
  const m = meta("kubernetes:apps/v1:Deployment", { spec: { replicas: 1 } }, { spec: { replicas: 1 } }, { "spec.replicas": "update" });
  (m.old as { outputs: object }).outputs = { spec: { replicas: 3 } };
  assert.deepEqual(fieldValues(m), { "spec.replicas": { kind: "update", old: 3, new: 1 } });
});

test("a path it cannot read keeps the field, without values", () => {
  assert.deepEqual(fieldValues(meta("kubernetes:apps/v1:Deployment", {}, {}, { "spec[x]": "update" })), { "spec[x]": { kind: "update" } });
});

import assert from "node:assert/strict";
import { test } from "vitest";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { APPLIED_ANNOTATION, appliedDigests, markedProcess } from "./marked-objects.ts";
import { PART_OF_LABEL, STACK_ANNOTATION, stackMark } from "./stack-mark.ts";

const spec = (image: string): ProcessSpec => ({
  process_name: "web",
  has_public_ip: true,
  container: { image_uri: image, ports: [{ container_port: 80, protocol: "tcp" }], env: [{ name: "T", value: { secret_name: "t" } }] },
});
const PROD_ID = "0123456789abcdef0123456789abcdef";
const opts = (value: string, stack = "prod", id = PROD_ID) => ({ namespace: "ns", secrets: () => value, mark: stackMark(stack, id, "ns"), digestKey: "k" });

test("each object carries its stack's mark and its own digest, and the outputs record the same digests", () => {
  const m = markedProcess(spec("nginx:1"), opts("v1"));
  const { applySetId } = stackMark("prod", PROD_ID, "ns");
  assert.deepEqual(Object.keys(appliedDigests(m)), ["Secret/web-env", "Deployment/web", "Service/web"]);
  for (const o of [m.deployment, m.service, ...m.secrets]) {
    assert.equal(o.object.metadata!.annotations![APPLIED_ANNOTATION], o.digest);
    assert.equal(o.object.metadata!.annotations![STACK_ANNOTATION], "prod");
    assert.equal(o.object.metadata!.labels![PART_OF_LABEL], applySetId);
    assert.match(o.digest, /^hmac-sha256:[0-9a-f]{32}$/);
  }
});

test("equal inputs give equal digests; a changed image changes only the Deployment's; a changed secret value the Secret's and the Deployment's", () => {
  const base = appliedDigests(markedProcess(spec("nginx:1"), opts("v1")));
  assert.deepEqual(appliedDigests(markedProcess(spec("nginx:1"), opts("v1"))), base);
  const image = appliedDigests(markedProcess(spec("nginx:2"), opts("v1")));
  assert.deepEqual(Object.keys(base).filter((k) => base[k as keyof typeof base] !== image[k as keyof typeof image]), ["Deployment/web"]);
  const secret = appliedDigests(markedProcess(spec("nginx:1"), opts("v2")));
  assert.deepEqual(Object.keys(base).filter((k) => base[k as keyof typeof base] !== secret[k as keyof typeof secret]), ["Secret/web-env", "Deployment/web"]);
  const stack = appliedDigests(markedProcess(spec("nginx:1"), opts("v1", "dev")));
  assert.equal(Object.keys(base).filter((k) => base[k as keyof typeof base] === stack[k as keyof typeof stack]).length, 0);
  // The same name with another identity (another backend's stack) is another mark.
  const other = appliedDigests(markedProcess(spec("nginx:1"), opts("v1", "prod", "fedcba9876543210fedcba9876543210")));
  assert.equal(Object.keys(base).filter((k) => base[k as keyof typeof base] === other[k as keyof typeof other]).length, 0);
});

test("the digest does not reveal a secret value: it is keyed", () => {
  const a = markedProcess(spec("nginx:1"), { ...opts("v1"), digestKey: "k1" }).secrets[0]!.digest;
  const b = markedProcess(spec("nginx:1"), { ...opts("v1"), digestKey: "k2" }).secrets[0]!.digest;
  assert.notEqual(a, b);
});

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "vitest";
import { applySetId, applySetParent, newStackId, parentName, publicStateLocation, stackMark } from "./stack-mark.ts";

test("a stack identity is 128 random bits, never the same twice", () => {
  const ids = new Set(Array.from({ length: 1000 }, newStackId));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
});

test("the ApplySet id follows KEP-3659: base64url of sha256(name.namespace.kind.group), unpadded, v1", () => {
  const want = createHash("sha256").update("hpx-prod-ab.team.ConfigMap.").digest("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  assert.equal(applySetId("hpx-prod-ab", "team"), `applyset-${want}-v1`);
  assert.match(applySetId("hpx-prod-ab", "team"), /^applyset-[A-Za-z0-9_-]{43}-v1$/);
});

test("same name, other identity or namespace: another mark", () => {
  const a = stackMark("shared", "0".repeat(32), "team");
  assert.equal(a.parent, `hpx-shared-${"0".repeat(32)}`);
  assert.notEqual(stackMark("shared", "1".repeat(32), "team").applySetId, a.applySetId);
  assert.notEqual(stackMark("shared", "0".repeat(32), "other").applySetId, a.applySetId);
});

test("the parent's name is a DNS name whatever the stack's name", () => {
  assert.equal(parentName("My_Stack.v2", "f".repeat(32)), `hpx-my-stack-v2-${"f".repeat(32)}`);
});

test("the parent says which stack and where its state lives, without query or credentials", () => {
  assert.equal(publicStateLocation("s3://bucket/prefix?region=us-east-1&endpoint=127.0.0.1:9000"), "s3://bucket/prefix");
  assert.equal(publicStateLocation("s3://key:secret@bucket/p"), "s3://bucket/p");
  assert.equal(publicStateLocation("file:///home/me/.hpx/state"), "file:///home/me/.hpx/state");
  const mark = stackMark("shared", "a".repeat(32), "team");
  assert.deepEqual(applySetParent(mark, "team", "s3://b/p?region=x", "0.1.0"), {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: mark.parent,
      namespace: "team",
      labels: { "applyset.kubernetes.io/id": mark.applySetId, "app.kubernetes.io/managed-by": "hpx" },
      annotations: {
        "applyset.kubernetes.io/tooling": "hpx/v0.1.0",
        "applyset.kubernetes.io/contains-group-kinds": "Deployment.apps,Secret,Service",
        "hpx.dev/stack": "shared",
        "hpx.dev/state": "s3://b/p",
      },
    },
  });
});

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import type { V1ObjectMeta } from "@kubernetes/client-node";
import { repoRoot } from "../toolchain.ts";
import { decodeMetadataList, statusAsJson } from "./kube-protobuf.ts";

// Answers of kube-apiserver 1.34.2 (the benchmark's cluster, hpx's objects), each list
// asked for in protobuf and, at the same resource version, as JSON.
const fixture = (name: string) => readFileSync(join(repoRoot, "test", "fixtures", "kube-protobuf", name));
const READ = ["name", "namespace", "uid", "resourceVersion", "labels", "annotations"] as const;
const asRead = (m: V1ObjectMeta) => Object.fromEntries(READ.filter((k) => m[k] !== undefined).map((k) => [k, m[k]]));

for (const kind of ["deployments", "services"]) {
  test(`a protobuf list of ${kind}' metadata decodes to the JSON answer's fields hpx reads, without the managed fields`, () => {
    const json = JSON.parse(fixture(`${kind}.json`).toString("utf8")) as { items: { metadata: V1ObjectMeta }[] };
    const decoded = decodeMetadataList(fixture(`${kind}.pb`));
    assert.deepEqual(decoded, json.items.map((i) => asRead(i.metadata)));
    assert.ok(json.items.every((i) => (i.metadata.managedFields?.length ?? 0) > 0), "the JSON answer has managed fields");
  });
}

test("an empty protobuf list decodes to no items", () => {
  assert.deepEqual(decodeMetadataList(fixture("empty.pb")), []);
});

test("an answer that is not a protobuf list of metadata is refused, naming what came", () => {
  assert.throws(() => decodeMetadataList(Buffer.from('{"kind":"Status"}')), { message: "not a Kubernetes protobuf answer (no k8s magic)" });
  assert.throws(() => decodeMetadataList(fixture("status-not-found.pb")), { message: "expected a PartialObjectMetadataList, the API server sent a Status" });
});

test("a protobuf refusal reads as the JSON Status the API server sends otherwise", () => {
  assert.deepEqual(JSON.parse(statusAsJson(fixture("status-not-found.pb"))), {
    kind: "Status",
    apiVersion: "v1",
    status: "Failure",
    message: 'secrets "x" not found',
    reason: "NotFound",
    code: 404,
  });
});

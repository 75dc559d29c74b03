import assert from "node:assert/strict";
import { test } from "vitest";
import { ClusterError } from "../errors.ts";
import { KubeGetError } from "./kube-get.ts";
import { explainKubeError } from "./kube-errors.ts";

test("explainKubeError words an HTTP status, and passes a network error (a string code) on as it is", async () => {
  await assert.rejects(explainKubeError(new KubeGetError(500, '{"message":"etcd down"}')), new ClusterError("the Kubernetes API answered 500: etcd down"));
  const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
  await assert.rejects(explainKubeError(reset), (err) => err === reset);
});

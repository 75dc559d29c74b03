import assert from "node:assert/strict";
import { test } from "vitest";
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import { PROCESS_ID } from "../components/labels.ts";
import { indexByProcess } from "./process-index.ts";

const labelled = <T>(name: string, process?: string) => ({ metadata: { name, labels: process === undefined ? {} : { [PROCESS_ID]: process } } }) as T;

test("each process's Deployment and pods; the first Deployment of a process wins; unlabelled objects are left out", () => {
  const deployments = [labelled<V1Deployment>("a", "a"), labelled<V1Deployment>("b", "b"), labelled<V1Deployment>("b-dup", "b"), labelled<V1Deployment>("x")];
  const pods = [labelled<V1Pod>("a-1", "a"), labelled<V1Pod>("b-1", "b"), labelled<V1Pod>("a-2", "a"), labelled<V1Pod>("y")];
  const index = indexByProcess(deployments, pods);
  assert.equal(index.deployment("a")?.metadata?.name, "a");
  assert.equal(index.deployment("b")?.metadata?.name, "b");
  assert.equal(index.deployment("c"), undefined);
  assert.deepEqual(index.pods("a").map((p) => p.metadata?.name), ["a-1", "a-2"]);
  assert.deepEqual(index.pods("b").map((p) => p.metadata?.name), ["b-1"]);
  assert.deepEqual(index.pods("c"), []);
});

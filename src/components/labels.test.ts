import assert from "node:assert/strict";
import { test } from "vitest";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { processLabels, selectorLabels } from "./labels.ts";

const spec = (group?: string | null): ProcessSpec => ({
  process_name: "web",
  ...(group !== undefined ? { group } : {}),
  has_public_ip: false,
  container: { image_uri: "nginx", ports: [], env: [] },
});

test("labels: Hydroplane's process and group ids, the recommended name and managed-by", () => {
  assert.deepEqual(processLabels(spec("demo")), {
    "hydroplane/process-id": "web",
    "hydroplane/group-id": "demo",
    "app.kubernetes.io/name": "web",
    "app.kubernetes.io/managed-by": "hpx",
  });
});

test("no group (absent or null): no group label", () => {
  const expected = { "hydroplane/process-id": "web", "app.kubernetes.io/name": "web", "app.kubernetes.io/managed-by": "hpx" };
  assert.deepEqual(processLabels(spec()), expected);
  assert.deepEqual(processLabels(spec(null)), expected);
});

test("selector: process id and managed-by only, the same whatever the group", () => {
  const expected = { "hydroplane/process-id": "web", "app.kubernetes.io/managed-by": "hpx" };
  assert.deepEqual(selectorLabels(spec("demo")), expected);
  assert.deepEqual(selectorLabels(spec("other")), expected);
  assert.deepEqual(selectorLabels(spec()), expected);
});

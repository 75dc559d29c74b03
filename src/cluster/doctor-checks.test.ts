import assert from "node:assert/strict";
import { test } from "vitest";
import { resourceAndSubresource } from "./doctor-checks.ts";

test("resourceAndSubresource: RBAC's pods/log is asked as resource pods, subresource log", () => {
  assert.deepEqual(resourceAndSubresource("pods/log"), { resource: "pods", subresource: "log" });
  assert.deepEqual(resourceAndSubresource("deployments"), { resource: "deployments" });
});

import assert from "node:assert/strict";
import { test } from "vitest";
import { objectAnnotations } from "./annotations.ts";

test("every object: the stack's mark, forced apply as the hpx field manager, no provider await", () => {
  const common = {
    "hpx.dev/stack": "prod",
    "pulumi.com/patchForce": "true",
    "pulumi.com/patchFieldManager": "hpx",
    "pulumi.com/skipAwait": "true",
  };
  assert.deepEqual(objectAnnotations("Service", "prod"), common);
  assert.deepEqual(objectAnnotations("Secret", "prod"), common);
  assert.deepEqual(objectAnnotations("Deployment", "prod"), { ...common, "pulumi.com/deletionPropagationPolicy": "foreground" });
});

import assert from "node:assert/strict";
import { test } from "vitest";
import { SELECT_UP_TO, watchSelector } from "./process-watch.ts";

test("watchSelector names the processes of a small wait, each once, and the whole namespace's past SELECT_UP_TO", () => {
  assert.equal(watchSelector(["web", "api", "web"]), "app.kubernetes.io/managed-by=hpx,hydroplane/process-id in (api,web)");
  assert.equal(watchSelector(undefined), "app.kubernetes.io/managed-by=hpx");
  assert.equal(watchSelector([]), "app.kubernetes.io/managed-by=hpx");
  const many = Array.from({ length: SELECT_UP_TO + 1 }, (_, i) => `p${i}`);
  assert.equal(watchSelector(many), "app.kubernetes.io/managed-by=hpx");
  assert.equal(watchSelector(many.slice(1)).split(",").length, SELECT_UP_TO + 1);
});

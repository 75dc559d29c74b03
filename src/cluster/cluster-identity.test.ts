import assert from "node:assert/strict";
import { test } from "vitest";
import { checkSameCluster, networkCause, withTimeout } from "./cluster-identity.ts";

const a = { uid: "11111111-aaaa", server: "https://127.0.0.1:6443" };
const b = { uid: "22222222-bbbb", server: "https://127.0.0.1:7443" };

test("same cluster, or nothing recorded yet: accepted", () => {
  checkSameCluster("local", undefined, a);
  checkSameCluster("local", a, { ...a, server: "https://elsewhere:443" });
});

test("another cluster: refused, naming both", () => {
  assert.throws(() => checkSameCluster("prod", a, b), {
    message:
      "stack prod belongs to the cluster whose kube-system UID is 11111111-aaaa (https://127.0.0.1:6443), but this cluster's is 22222222-bbbb (https://127.0.0.1:7443)",
    exitCode: 1,
  });
});

test("networkCause finds the system error code through causes; HTTP errors have none", () => {
  assert.equal(networkCause(Object.assign(new Error("fetch failed"), { cause: { code: "ECONNREFUSED" } })), "ECONNREFUSED");
  assert.equal(networkCause({ code: 404 }), undefined);
  assert.equal(networkCause(new Error("x")), undefined);
});

test("withTimeout: the work's value, or the timeout's error", async () => {
  assert.equal(await withTimeout(Promise.resolve(7), 1000, () => new Error("late")), 7);
  await assert.rejects(withTimeout(new Promise(() => {}), 10, () => new Error("late")), { message: "late" });
});

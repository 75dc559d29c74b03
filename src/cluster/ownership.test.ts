import assert from "node:assert/strict";
import { test } from "vitest";
import { stackMark } from "../components/stack-mark.ts";
import { foreignObjects, ownedBy, refuseForeign, type LiveObject } from "./ownership.ts";

const local = stackMark("local", "11111111111111111111111111111111", "default");
const prod = stackMark("prod", "22222222222222222222222222222222", "default");
// Same name as `local`, another backend: another identity.
const otherLocal = stackMark("local", "33333333333333333333333333333333", "default");
const obj = (kind: LiveObject["kind"], name: string, uid: string, partOf?: string, stack?: string): LiveObject => ({
  kind,
  name,
  uid,
  partOf,
  stack,
  applied: undefined,
  process: name,
});

const live: LiveObject[] = [
  obj("Deployment", "web", "u1", local.applySetId, "local"),
  obj("Service", "web", "u2", local.applySetId, "local"),
  obj("Deployment", "squatter", "u3"),
  obj("Service", "api", "u4", prod.applySetId, "prod"),
  obj("Secret", "unrelated", "u5"),
  obj("Deployment", "old", "u6", undefined, "local"),
];
const wanted = [
  { kind: "Deployment", name: "web" },
  { kind: "Service", name: "web" },
  { kind: "Deployment", name: "squatter" },
  { kind: "Service", name: "squatter" },
  { kind: "Service", name: "api" },
  { kind: "Deployment", name: "api" },
  { kind: "Secret", name: "web-env" },
  { kind: "Deployment", name: "old" },
] as const;

test("ownership is the ApplySet mark, not the stack's name", () => {
  assert.deepEqual(foreignObjects(wanted, live, local, new Set()).map((o) => o.uid), ["u3", "u4", "u6"]);
  assert.deepEqual(foreignObjects(wanted, live, prod, new Set()).map((o) => o.uid), ["u1", "u2", "u3", "u6"]);
  // A same-named stack of another backend owns none of local's objects.
  assert.deepEqual(foreignObjects(wanted, live, otherLocal, new Set(["Deployment/web"])).map((o) => o.uid), ["u1", "u2", "u3", "u4", "u6"]);
});

test("an older hpx's name-only mark is this stack's only when its state records the object", () => {
  const old = live[5]!;
  assert.equal(ownedBy(old, local, new Set(["Deployment/old"])), true);
  assert.equal(ownedBy(old, local, new Set()), false);
  assert.equal(ownedBy(old, prod, new Set(["Deployment/old"])), false);
  assert.deepEqual(foreignObjects(wanted, live, local, new Set(["Deployment/old"])).map((o) => o.uid), ["u3", "u4"]);
});

test("the refusal names each object, its uid and its owner with where its state lives", () => {
  refuseForeign([], "default", "local", new Map());
  const owners = new Map([[prod.applySetId, { stack: "prod", state: "s3://team-b/state" }]]);
  const foreign = [live[2]!, live[3]!, live[5]!, obj("Service", "gone", "u7", otherLocal.applySetId, "local")];
  assert.throws(() => refuseForeign(foreign, "default", "local", owners), (err: Error & { hints: string[] }) => {
    assert.equal(err.message, "stack local would take over 4 objects it did not create in namespace default: Deployment/squatter, Service/api, Deployment/old, Service/gone");
    assert.deepEqual(err.hints, [
      "Deployment/squatter (uid u3) not created by hpx",
      `Service/api (uid u4) belongs to hpx stack prod whose state is at s3://team-b/state (ApplySet ${prod.applySetId})`,
      "Deployment/old (uid u6) carries an older hpx's mark of a stack named local, and this stack's state does not record it",
      `Service/gone (uid u7) belongs to another hpx stack (ApplySet ${otherLocal.applySetId}, whose parent ConfigMap is gone)`,
      "nothing was changed; rename the process, or remove the object if it is not needed",
    ]);
    return true;
  });
});

import assert from "node:assert/strict";
import { test } from "vitest";
import { foreignObjects, refuseForeign, type LiveObject } from "./ownership.ts";

const live: LiveObject[] = [
  { kind: "Deployment", name: "web", uid: "u1", stack: "local", applied: undefined },
  { kind: "Service", name: "web", uid: "u2", stack: "local", applied: undefined },
  { kind: "Deployment", name: "squatter", uid: "u3", stack: undefined, applied: undefined },
  { kind: "Service", name: "api", uid: "u4", stack: "prod", applied: undefined },
  { kind: "Secret", name: "unrelated", uid: "u5", stack: undefined, applied: undefined },
];

test("only same kind and name without this stack's mark is foreign", () => {
  const wanted = [
    { kind: "Deployment", name: "web" },
    { kind: "Service", name: "web" },
    { kind: "Deployment", name: "squatter" },
    { kind: "Service", name: "squatter" },
    { kind: "Service", name: "api" },
    { kind: "Deployment", name: "api" },
    { kind: "Secret", name: "web-env" },
  ] as const;
  assert.deepEqual(
    foreignObjects(wanted, live, "local").map((o) => o.uid),
    ["u3", "u4"],
  );
  assert.deepEqual(foreignObjects(wanted, live, "prod").map((o) => o.uid), ["u1", "u2", "u3"]);
});

test("the refusal names each object and its owner", () => {
  refuseForeign([], "default", "local");
  assert.throws(() => refuseForeign([live[2]!, live[3]!], "default", "local"), (err: Error & { hints: string[] }) => {
    assert.equal(err.message, "stack local would take over 2 objects it did not create in namespace default: Deployment/squatter, Service/api");
    assert.deepEqual(err.hints, [
      "Deployment/squatter (uid u3) not created by hpx",
      "Service/api (uid u4) belongs to hpx stack prod",
      "nothing was changed; rename the process, or remove the object if it is not needed",
    ]);
    return true;
  });
});

import assert from "node:assert/strict";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { stateFingerprint } from "../automation/state-fingerprint.ts";
import { checkPlan, readPlanFile, writePlanFile, type PlanFile } from "./plan-file.ts";

const plan: PlanFile = {
  hpx_plan: 1,
  stack: "prod",
  state: stateFingerprint({ resources: [{ urn: "a" }] }),
  created: "2026-11-26T10:00:00.000Z",
  desired: { processes: [] },
  changes: [],
  pulumi_plan: { resourcePlans: {} },
};

test("the fingerprint follows resources and pending operations, nothing else", () => {
  assert.equal(stateFingerprint({ resources: [{ urn: "a" }] }), stateFingerprint({ resources: [{ urn: "a" }], manifest: { time: "x" } } as never));
  assert.notEqual(stateFingerprint({ resources: [{ urn: "a" }] }), stateFingerprint({ resources: [{ urn: "b" }] }));
  assert.notEqual(stateFingerprint({ resources: [] }), stateFingerprint({ resources: [], pending_operations: [{}] }));
  assert.equal(stateFingerprint(undefined), stateFingerprint({}));
});

test("written 0600 and read back; other files are usage errors naming the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "hpx-plan-"));
  writePlanFile(join(dir, "p.json"), plan);
  assert.equal(statSync(join(dir, "p.json")).mode & 0o777, 0o600);
  assert.deepEqual(readPlanFile(join(dir, "p.json")), plan);
  writeFileSync(join(dir, "other.json"), "{}");
  assert.throws(() => readPlanFile(join(dir, "other.json")), { message: `plan ${join(dir, "other.json")}: not an hpx plan file (made by hpx preview --save-plan)`, exitCode: 2 });
  assert.throws(() => readPlanFile(join(dir, "missing.json")), { message: `plan ${join(dir, "missing.json")}: no such file`, exitCode: 2 });
});

test("a plan for another stack, or a changed state, is refused", () => {
  checkPlan("p.json", plan, "prod", plan.state);
  assert.throws(() => checkPlan("p.json", plan, "dev", plan.state), { message: "plan p.json was made for stack prod, not dev", exitCode: 2 });
  assert.throws(() => checkPlan("p.json", plan, "prod", "sha256:other"), {
    message: "plan p.json was made against another state of stack prod: the stack has changed since 2026-11-26T10:00:00.000Z",
    exitCode: 1,
  });
});

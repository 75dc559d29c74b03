import assert from "node:assert/strict";
import { test } from "vitest";
import type { automation } from "@pulumi/pulumi";
import type { FieldChange } from "./field-values.ts";
import { hasChanges, summarisePlan } from "./plan-summary.ts";

const comp = (name: string) => `urn:pulumi:local::hpx::hpx:index:HydroProcess::${name}`;
const child = (type: string, name: string) => `urn:pulumi:local::hpx::hpx:index:HydroProcess$${type}::${name}`;

function step(op: automation.OpType, urn: string, type: string, parent?: string, detailedDiff?: Record<string, unknown>): automation.EngineEvent {
  const state = { type, urn, parent: parent ?? "urn:pulumi:local::hpx::pulumi:pulumi:Stack::hpx-local" } as automation.StepEventStateMetadata;
  return {
    sequence: 0,
    timestamp: 0,
    resourcePreEvent: {
      metadata: { op, urn, type, provider: "", new: state, old: state, detailedDiff } as automation.StepEventMetadata,
    },
  };
}

test("one entry per process: created, updated (with fields), replaced, deleted, unchanged", () => {
  const D = "kubernetes:apps/v1:Deployment";
  const S = "kubernetes:core/v1:Service";
  const events: automation.EngineEvent[] = [
    step("create", comp("new"), "hpx:index:HydroProcess"),
    step("create", child(D, "new"), D, comp("new")),
    step("same", comp("web"), "hpx:index:HydroProcess"),
    step("update", child(D, "web"), D, comp("web"), { "spec.template.spec.containers[0].image": {}, "spec.replicas": {} }),
    step("same", child(S, "web"), S, comp("web")),
    step("same", comp("dns"), "hpx:index:HydroProcess"),
    step("replace", child(S, "dns"), S, comp("dns"), { "spec.type": {} }),
    step("delete", child(D, "old"), D, comp("old")),
    step("delete", comp("old"), "hpx:index:HydroProcess"),
    step("same", comp("calm"), "hpx:index:HydroProcess"),
    step("same", child(D, "calm"), D, comp("calm")),
    { sequence: 1, timestamp: 0, diagnosticEvent: { message: "hi", color: "never", severity: "info" as const } },
  ];
  assert.deepEqual(summarisePlan(events), [
    { process: "calm", change: "same", fields: {} },
    { process: "dns", change: "replace", fields: { "Service dns": ["spec.type"] } },
    { process: "new", change: "create", fields: {} },
    { process: "old", change: "delete", fields: {} },
    { process: "web", change: "update", fields: { "Deployment web": ["spec.replicas", "spec.template.spec.containers[0].image"] } },
  ]);
});

test("an env Secret added to an existing process is an update of that process", () => {
  const K = "kubernetes:core/v1:Secret";
  const plans = summarisePlan([step("same", comp("web"), "hpx:index:HydroProcess"), step("create", child(K, "web-env"), K, comp("web"))]);
  assert.deepEqual(plans, [{ process: "web", change: "update", fields: { "Secret web-env": ["(added)"] } }]);
  assert.equal(hasChanges(plans), true);
  assert.equal(hasChanges([{ process: "web", change: "same", fields: {} }]), false);
});

test("the changed fields' values go with their object; the applied digest and created processes carry none", () => {
  const D = "kubernetes:apps/v1:Deployment";
  const applied = 'metadata.annotations["hpx.dev/applied"]';
  const values = new Map<string, Record<string, FieldChange>>([
    [child(D, "web"), { "spec.replicas": { kind: "update", old: 1, new: 2 }, [applied]: { kind: "update", old: "a", new: "b" } }],
    [child(D, "new"), { "spec.replicas": { kind: "add", new: 1 } }],
  ]);
  const plans = summarisePlan(
    [
      step("update", child(D, "web"), D, comp("web"), { "spec.replicas": {}, [applied]: {} }),
      step("create", comp("new"), "hpx:index:HydroProcess"),
      step("create", child(D, "new"), D, comp("new")),
    ],
    values,
  );
  assert.deepEqual(plans, [
    { process: "new", change: "create", fields: {} },
    { process: "web", change: "update", fields: { "Deployment web": ["spec.replicas"] }, values: { "Deployment web": { "spec.replicas": { kind: "update", old: 1, new: 2 } } } },
  ]);
});

import assert from "node:assert/strict";
import { test } from "vitest";
import { formatPlan } from "./plan-view.ts";

test("--diff: objects in name order, each changed field with its old and new value; a secret is named, its value hidden", () => {
  const lines = formatPlan(
    [
      {
        process: "app",
        change: "update",
        fields: {
          "Deployment app": ["spec.template.spec.containers[0].env[0].value", "spec.template.spec.containers[0].image", "spec.template.spec.containers[0].ports[0].containerPort"],
          "Secret app-env": ["data.TOKEN"],
          "Service app": ["spec.ports[0].port", "spec.type"],
          "Secret app-registry": ["(added)"],
        },
        values: {
          "Deployment app": {
            "spec.template.spec.containers[0].env[0].value": { kind: "update", old: "fast", new: "slow" },
            "spec.template.spec.containers[0].image": { kind: "update", old: "busybox", new: "busybox:1.36" },
            "spec.template.spec.containers[0].ports[0].containerPort": { kind: "update", old: 80, new: 8080 },
          },
          "Secret app-env": { "data.TOKEN": { kind: "update", secret: true } },
          "Service app": { "spec.ports[0].port": { kind: "add", new: { port: 81 } }, "spec.type": { kind: "update", replaces: true, old: "ClusterIP", new: "NodePort" } },
        },
      },
      { process: "calm", change: "same", fields: {} },
    ],
    true,
  );
  assert.deepEqual(lines, [
    "~  app  update",
    "     Deployment app:",
    '         ~ spec.template.spec.containers[0].env[0].value: "fast" => "slow"',
    '         ~ spec.template.spec.containers[0].image: "busybox" => "busybox:1.36"',
    "         ~ spec.template.spec.containers[0].ports[0].containerPort: 80 => 8080",
    "     Secret app-env:",
    "         ~ data.TOKEN: (secret value changed; value hidden)",
    "     Secret app-registry: (added)",
    "     Service app:",
    '         + spec.ports[0].port: {"port":81}',
    '         ~ spec.type: "ClusterIP" => "NodePort" (replaces the object)',
    "0 to create, 1 to update, 0 to replace, 0 to delete",
  ]);
});

test("without --diff, one line per changed process; a long value is cut", () => {
  const long = "x".repeat(200);
  const plan = { process: "a", change: "update" as const, fields: { "Deployment a": ["spec.x"] }, values: { "Deployment a": { "spec.x": { kind: "delete" as const, old: long } } } };
  assert.deepEqual(formatPlan([plan], false), ["~  a  update", "0 to create, 1 to update, 0 to replace, 0 to delete"]);
  assert.equal(formatPlan([plan], true)[2], `         - spec.x: "${"x".repeat(118)}…`);
  assert.deepEqual(formatPlan([{ process: "a", change: "same", fields: {} }], true), ["no changes"]);
});

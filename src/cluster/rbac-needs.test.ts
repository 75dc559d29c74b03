import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../toolchain.ts";
import { rbacRules } from "./rbac-needs.ts";

test("deploy/rbac/hpx-rbac.yaml grants exactly what hpx needs, no more", () => {
  const docs = parseAllDocuments(readFileSync(join(repoRoot, "deploy", "rbac", "hpx-rbac.yaml"), "utf8")).map((d) => d.toJS());
  const of = (kind: string) => docs.find((d) => d.kind === kind);
  assert.deepEqual(of("Role").rules, rbacRules(false));
  assert.deepEqual(of("ClusterRole").rules, rbacRules(true));
  assert.deepEqual(of("RoleBinding").roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: of("Role").metadata.name });
  assert.deepEqual(of("ClusterRoleBinding").roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: of("ClusterRole").metadata.name });
  assert.deepEqual(docs.map((d) => d.kind).sort(), ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]);
});

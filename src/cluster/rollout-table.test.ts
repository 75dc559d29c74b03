import assert from "node:assert/strict";
import { test } from "vitest";
import { parseRolloutTable, rowRolledOut } from "./rollout-table.ts";

// Shaped as kube-apiserver 1.34 answers `deployments?includeObject=None` with TABLE_ACCEPT.
const COLUMNS = ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"].map((name) => ({ name, type: "string" }));
const row = (name: string, ready: string, upToDate: number, available: number) => ({
  cells: [name, ready, upToDate, available, "44s", name, "nginxdemos/hello:0.4", `app.kubernetes.io/managed-by=hpx,hydroplane/process-id=${name}`],
  object: null,
});
const table = (...rows: ReturnType<typeof row>[]) => ({ kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: { resourceVersion: "44725" }, columnDefinitions: COLUMNS, rows });

test("a Table's rows are read by column name, each Deployment's replicas as numbers", () => {
  assert.deepEqual(
    parseRolloutTable(table(row("web", "1/1", 1, 1), row("api", "0/1", 1, 0))),
    new Map([
      ["web", { ready: 1, wanted: 1, upToDate: 1, available: 1 }],
      ["api", { ready: 0, wanted: 1, upToDate: 1, available: 0 }],
    ]),
  );
});

test("an answer that is not a Table of those columns is not read: the wait looks the full way", () => {
  assert.equal(parseRolloutTable({ kind: "DeploymentList", items: [] }), undefined);
  assert.equal(parseRolloutTable({ ...table(row("web", "1/1", 1, 1)), columnDefinitions: COLUMNS.filter((c) => c.name !== "Available") }), undefined);
  assert.equal(parseRolloutTable(table(row("web", "1", 1, 1))), undefined);
  assert.equal(parseRolloutTable(undefined), undefined);
});

test("a row is rolled out only when every wanted replica is ready, up to date and available", () => {
  assert.equal(rowRolledOut({ ready: 1, wanted: 1, upToDate: 1, available: 1 }), true);
  // Recreate: the old pod stopped counting as ready, the new one is not yet.
  assert.equal(rowRolledOut({ ready: 0, wanted: 1, upToDate: 1, available: 0 }), false);
  assert.equal(rowRolledOut({ ready: 1, wanted: 1, upToDate: 0, available: 1 }), false);
  assert.equal(rowRolledOut(undefined), false);
});

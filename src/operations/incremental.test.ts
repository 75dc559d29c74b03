import assert from "node:assert/strict";
import { test } from "vitest";
import type { Drift } from "./drift.ts";
import { targetedRun, withOrphans, withStale } from "./incremental.ts";
import { processUrn } from "../automation/targets.ts";

const digests = (names: string[]) => Object.fromEntries(names.map((n) => [n, { [`Deployment/${n}`]: "d", [`Service/${n}`]: "s" }]));

test("one run: the changed processes registered, the removed ones targeted for deletion, the stale ones forgotten first", () => {
  const changed = ["a", "b"];
  const drift: Drift = { changed, removed: ["old"], stale: ["Deployment/b"], orphans: [] };
  const run = targetedRun("s", drift, digests(changed), digests(["b", "old"]));
  assert.deepEqual([...run.only], ["a", "b"]);
  assert.equal(run.target.length, 9);
  assert.ok(run.target.includes(processUrn("s", "old")));
  assert.ok(run.target.includes("urn:pulumi:s::hpx::hpx:index:HydroProcess$kubernetes:core/v1:Service::old"));
  assert.deepEqual([...run.forget], [processUrn("s", "b")]);
});

test("only removals: a run that registers nothing", () => {
  const run = targetedRun("s", { changed: [], removed: ["old"], stale: [], orphans: [] }, {}, digests(["old"]));
  assert.equal(run.only.size, 0);
  assert.deepEqual(run.target, [
    processUrn("s", "old"),
    "urn:pulumi:s::hpx::hpx:index:HydroProcess$kubernetes:apps/v1:Deployment::old",
    "urn:pulumi:s::hpx::hpx:index:HydroProcess$kubernetes:core/v1:Service::old",
  ]);
});

test("a preview names the processes whose objects are not as recorded, found by the record", () => {
  const spec = (n: string) => ({ process_name: n, has_public_ip: false, container: { image_uri: "x", ports: [], env: [] } });
  const plans = withStale([], { changed: ["web"], removed: [], stale: ["Service/web"], orphans: [] }, [spec("web"), spec("web-api")], digests(["web", "web-api"]));
  assert.deepEqual(plans, [
    { process: "web", change: "update", fields: { "Service web": ["(not as the state recorded it: applied again)"] } },
    { process: "web-api", change: "same", fields: {} },
  ]);
});

test("objects of the stack nobody knows: their process is deleted, or updated when the file keeps it", () => {
  const o = (kind: "Deployment" | "Service" | "Secret", name: string, process: string) => ({ kind, name, uid: "u", partOf: "a", stack: "s", applied: undefined, process });
  const plans = withOrphans(
    [
      { process: "web", change: "same" as const, fields: {} },
      { process: "gone", change: "delete" as const, fields: {} },
    ],
    [o("Deployment", "s001", "s001"), o("Service", "s001", "s001"), o("Secret", "web-env", "web"), o("Service", "gone", "gone")],
  );
  assert.deepEqual(plans, [
    { process: "gone", change: "delete", fields: {} },
    { process: "s001", change: "delete", fields: {} },
    { process: "web", change: "update", fields: { "Secret web-env": ["(not in the state: deleted)"] } },
  ]);
});

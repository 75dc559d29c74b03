import assert from "node:assert/strict";
import { test } from "vitest";
import type { Drift } from "./drift.ts";
import { targetedRuns, withStale } from "./incremental.ts";
import { processUrn } from "./targets.ts";

const digests = (names: string[]) => Object.fromEntries(names.map((n) => [n, { [`Deployment/${n}`]: "d", [`Service/${n}`]: "s" }]));

test("a large change goes in batches; removals and forgetting go with the first", () => {
  const changed = Array.from({ length: 450 }, (_, i) => `p${String(i).padStart(3, "0")}`);
  const drift: Drift = { changed, removed: ["old"], stale: ["Deployment/p001"], orphans: [] };
  const runs = targetedRuns("s", drift, digests(changed), digests(["p001", "old"]), 200);
  assert.deepEqual(runs.map((r) => r.only.size), [200, 200, 50]);
  assert.deepEqual(runs.map((r) => r.target.length), [201 * 3, 200 * 3, 50 * 3]);
  assert.ok(runs[0]!.target.includes(processUrn("s", "old")));
  assert.ok(runs[0]!.target.includes("urn:pulumi:s::hpx::hpx:index:HydroProcess$kubernetes:core/v1:Service::old"));
  assert.deepEqual([...runs[0]!.forget], [processUrn("s", "p001")]);
  assert.deepEqual(runs.slice(1).map((r) => r.forget.size), [0, 0]);
});

test("only removals: one run that applies nothing", () => {
  const runs = targetedRuns("s", { changed: [], removed: ["old"], stale: [], orphans: [] }, {}, digests(["old"]));
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.only.size, 0);
  assert.deepEqual(runs[0]!.target, [
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

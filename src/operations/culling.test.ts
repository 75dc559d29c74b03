import assert from "node:assert/strict";
import { test } from "vitest";
import { expiredProcesses } from "./culling.ts";

const spec = (name: string) => ({ process_name: name, has_public_ip: false, container: { image_uri: "x", ports: [], env: [] } });

test("older than the limit, strictly, by the recorded time; unknown ages are kept", () => {
  const desired = { processes: [spec("old"), spec("edge"), spec("young"), spec("unknown")] };
  const now = Date.parse("2026-11-26T12:00:00Z");
  const created = { old: "2026-11-26T09:00:00Z", edge: "2026-11-26T10:00:00Z", young: "2026-11-26T11:30:00Z" };
  assert.deepEqual(expiredProcesses(desired, created, now, 2 * 3600_000), ["old"]);
  assert.deepEqual(expiredProcesses(desired, created, now, 1000), ["old", "edge", "young"]);
});

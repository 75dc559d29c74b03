import assert from "node:assert/strict";
import { test } from "vitest";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { EMPTY_STATE, withProcess, withoutGroup, withoutProcess } from "./desired-state.ts";

const spec = (name: string, group?: string, image = "nginxdemos/hello"): ProcessSpec => ({
  process_name: name,
  group,
  has_public_ip: false,
  container: { image_uri: image, ports: [], env: [] },
});

test("withProcess adds, keeps names sorted, and replaces a process of the same name", () => {
  const s1 = withProcess(withProcess(EMPTY_STATE, spec("web")), spec("api"));
  assert.deepEqual(s1.processes.map((p) => p.process_name), ["api", "web"]);
  const s2 = withProcess(s1, spec("web", undefined, "nginx:2"));
  assert.deepEqual(s2.processes.map((p) => [p.process_name, p.container.image_uri]), [["api", "nginxdemos/hello"], ["web", "nginx:2"]]);
});

test("withoutProcess removes exactly that process; an unknown name is a usage error", () => {
  const state = { processes: [spec("api"), spec("web")] };
  assert.deepEqual(withoutProcess(state, "web", "local").processes.map((p) => p.process_name), ["api"]);
  assert.throws(() => withoutProcess(state, "db", "local"), { message: "stack local has no process named db", exitCode: 2 });
});

test("withoutGroup removes exactly that group; an empty group is a usage error", () => {
  const state = { processes: [spec("a", "demo"), spec("b"), spec("c", "demo"), spec("d", "other")] };
  assert.deepEqual(withoutGroup(state, "demo", "local").processes.map((p) => p.process_name), ["b", "d"]);
  assert.throws(() => withoutGroup(state, "nope", "local"), { message: "stack local has no process in group nope" });
});

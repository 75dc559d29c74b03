import assert from "node:assert/strict";
import { test } from "vitest";
import { StackLockedError, StopRequest } from "../errors.ts";
import type { EditDeps } from "../operations/edit-stack.ts";
import { digestsOf, fakePorts, liveOf, target } from "../operations/fakes.test-support.ts";
import { stackTarget } from "../operations/stack-target.ts";
import { parseProcessSource } from "../spec/load-process-file.ts";
import { defaultLocalStackSettings } from "../spec/stack-settings.ts";
import { buildServer } from "./app.ts";
import { StackService } from "./stack-service.ts";

const ctx = { name: "dev", file: undefined, settings: { ...defaultLocalStackSettings(), secret_store: { secret_store_type: "env" as const } } };
const nginx = (name: string, env: unknown[] = []) => JSON.stringify({ process_name: name, container: { image_uri: "nginx", env } });

/** hpx serve over fake collaborators; the real secret resolution (stack-target.ts) locates problems in the request body. */
function served(signal = new AbortController().signal) {
  const ports = fakePorts();
  const log: string[] = [];
  const deps = (source: Parameters<typeof stackTarget>[2]["source"]): EditDeps => ({
    engine: ports.engine,
    target: async (desired) => {
      await stackTarget(ctx, { processes: desired.processes.filter((p) => p.container.env.length > 0) }, { interactive: false, source });
      return { target: target(), ports };
    },
  });
  const service = new StackService(ctx, { lockWaitMs: 60_000, signal, log: (l) => log.push(l), deps });
  return { ports, log, service };
}

test("POST /process with a secret the store lacks: 422, located in the request body, nothing applied", async () => {
  const { ports, service } = served();
  const app = await buildServer(service);
  const payload = nginx("web", [{ name: "T", value: { secret_name: "hpx-unit-absent" } }]);
  const res = await app.inject({ method: "POST", url: "/process", payload, headers: { "content-type": "application/json" } });
  const col = payload.indexOf('{"secret_name"') + 1;
  assert.equal(res.statusCode, 422);
  assert.deepEqual(res.json(), {
    error: 422,
    details: `request body:1:${col}: container.env.0.value: secret hpx-unit-absent is not set: export HPX_SECRET_HPX_UNIT_ABSENT`,
    issues: [{ line: 1, col, path: "container.env.0.value", message: "secret hpx-unit-absent is not set: export HPX_SECRET_HPX_UNIT_ABSENT" }],
  });
  assert.deepEqual(ports.engine.stack.calls, []);
  await app.close();
});

test("a change finding the stack locked waits for the lock (serve queues), then applies", async () => {
  const { ports, log, service } = served();
  ports.engine.stack.failUps = [new StackLockedError("dev", [])];
  ports.engine.stack.applies = (program) => (ports.cluster.live = program.kind === "processes" ? liveOf(digestsOf(program.input.processes)) : []);
  await service.start(parseProcessSource(nginx("web"), "request body"));
  assert.deepEqual(ports.engine.stack.calls.map((c) => c.verb), ["up"]);
  assert.deepEqual(ports.clock.sleeps, [2000]);
  assert.deepEqual(log, ["stack dev is locked (wait for it to finish; if its holder died, clear it with hpx cancel -s dev); waiting for it"]);
});

test("Hydroplane's codes for unknown and existing names; once shutting down, changes get 503", async () => {
  const stop = new AbortController();
  const { service } = served(stop.signal);
  const app = await buildServer(service);
  const res = await app.inject({ method: "DELETE", url: "/process/nope" });
  assert.deepEqual([res.statusCode, res.json()], [404, { error: 404, details: "Process 'nope' not found" }]);
  stop.abort(new StopRequest("SIGTERM"));
  const late = await app.inject({ method: "DELETE", url: "/group/blue" });
  assert.deepEqual([late.statusCode, late.json()], [503, { error: 503, details: "hpx serve is shutting down" }]);
  await app.close();
});

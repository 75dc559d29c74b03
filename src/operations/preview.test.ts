import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { digestsOf, inSyncPorts, liveOf, spec, target } from "./fakes.test-support.ts";
import { preview } from "./preview.ts";

const web = spec("web");

test("a preview of the local cluster started afresh since the last up is refused: its objects went with the old one", async () => {
  const ports = inSyncPorts([web]);
  ports.engine.stack.outputs.cluster = { uid: "uid-0", server: "https://127.0.0.1:6443" } as never;
  await assert.rejects(preview(ports, target({ simulated: true }), { processes: [web] }), {
    message: "the local simulated cluster was started afresh since stack dev's last up: its objects went with the old one",
  });
  assert.deepEqual(ports.engine.stack.calls, []);
});

test("in sync: no engine run, every process unchanged", async () => {
  const ports = inSyncPorts([web, spec("api")]);
  const plans = await preview(ports, target(), { processes: [web, spec("api")] });
  assert.deepEqual(plans.map((p) => [p.process, p.change]), [["api", "same"], ["web", "same"]]);
  assert.deepEqual(ports.engine.stack.calls, []);
});

test("an object the cluster holds not as recorded shows its process as updated, applied again", async () => {
  const ports = inSyncPorts([web]);
  ports.cluster.live = liveOf(digestsOf([spec("web", "nginx:1.26")]));
  const plans = await preview(ports, target(), { processes: [web] });
  assert.deepEqual(plans, [{ process: "web", change: "update", fields: { "Deployment web": ["(not as the state recorded it: applied again)"] } }]);
  assert.deepEqual(ports.engine.stack.calls.map((c) => [c.verb, c.only]), [["preview", ["web"]]]);
});

test("objects of the stack nobody records show as deleted, and a preview deletes nothing", async () => {
  const ports = inSyncPorts([web]);
  ports.cluster.live.push(...liveOf(digestsOf([spec("ghost")])));
  const plans = await preview(ports, target(), { processes: [web] });
  assert.deepEqual(plans.map((p) => [p.process, p.change]), [["ghost", "delete"]]);
  assert.deepEqual(ports.cluster.changes, []);
});

test("--save-plan writes the engine's plan with the state's fingerprint and the creation times, 0600", async () => {
  const ports = inSyncPorts([]);
  const file = join(mkdtempSync(join(tmpdir(), "hpx-preview-")), "plan.json");
  await preview(ports, target(), { processes: [web] }, { savePlan: file });
  const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  assert.deepEqual(
    { stack: saved.stack, state: saved.state, created: saved.created, process_created: saved.process_created, pulumi_plan: saved.pulumi_plan },
    { stack: "dev", state: "sha256:state", created: "2026-11-30T12:00:00.000Z", process_created: { web: "2026-11-30T12:00:00.000Z" }, pulumi_plan: { engine: "plan" } },
  );
  assert.deepEqual(ports.engine.stack.calls.map((c) => c.verb), ["previewPlan"]);
});

test("the namespace is listed while the state is read, not after it", async () => {
  const ports = inSyncPorts([web]);
  const order: string[] = [];
  const readState = ports.engine.stack.readState.bind(ports.engine.stack);
  ports.engine.stack.readState = async () => {
    order.push("state asked");
    await new Promise((r) => setTimeout(r, 20));
    order.push("state read");
    return readState();
  };
  const liveObjects = ports.cluster.liveObjects.bind(ports.cluster);
  ports.cluster.liveObjects = async () => (order.push("namespace listed"), liveObjects());
  await preview(ports, target(), { processes: [web] });
  assert.deepEqual(order, ["namespace listed", "state asked", "state read"]);
});

test("a namespace the API server will not list fails the preview, after the state is read, with the listing's error", async () => {
  const ports = inSyncPorts([web]);
  ports.cluster.liveObjects = async () => {
    throw new Error("HTTP 403: deployments is forbidden");
  };
  await assert.rejects(preview(ports, target(), { processes: [web] }), { message: "HTTP 403: deployments is forbidden" });
  assert.deepEqual(ports.engine.stack.calls, []);
});

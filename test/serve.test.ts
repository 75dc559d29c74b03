import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { resolveBackend } from "../src/automation/backend-url.ts";
import { DEFAULT_LOG } from "../src/cluster/simulated-logs.ts";
import { repoRoot } from "../src/toolchain.ts";
import { hpx } from "./harness/cli.ts";
import { harnessEnv } from "./harness/env.ts";
import { hpctlList, hpctlStart, hpctlStop, hpctlStopGroup, postRaw } from "./harness/hpctl.ts";
import { freePort, waitFor } from "./harness/ports.ts";
import { project, type Project } from "./harness/project.ts";

// hpctl sessions against `hpx serve`: the requests hpctl sends (test/harness/hpctl.ts),
// Hydroplane's answers.
let p: Project;
const servers: ChildProcess[] = [];
const logs = new Map<string, () => string>();

async function serve(args: string[], env: Record<string, string> = {}): Promise<string> {
  const port = await freePort();
  const child = spawn(join(repoRoot, "bin", "hpx"), ["serve", "-s", p.stack, "--port", String(port), ...args], {
    cwd: p.dir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  servers.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  logs.set(url, () => stderr);
  await waitFor("hpx serve", async () => (await fetch(`${url}/openapi.json`, { headers: env.HPX_SERVE_TOKEN ? { authorization: `Bearer ${env.HPX_SERVE_TOKEN}` } : {} })).status === 200);
  return url;
}

const spec = (name: string, group?: string, extra: Record<string, unknown> = {}) => ({
  process_name: name,
  ...(group ? { group } : {}),
  container: { image_uri: "nginxdemos/hello", ports: [{ container_port: 80 }], ...extra },
});
type Info = { process_name: string; status: string; socket_addresses: unknown[]; created: string; reason?: string };
const names = (list: unknown) => (list as Info[]).map((x) => x.process_name);
/** Until the stack's stored state (what serve applied) lists exactly `expected`. */
const applied = (expected: string[]) =>
  waitFor(`serve to apply ${expected.join(", ") || "nothing"}`, async () => {
    const ls = await hpx(["ls", "-s", p.stack, "-o", "json"], {}, p.dir);
    return JSON.stringify(names(JSON.parse(ls.stdout))) === JSON.stringify(expected);
  }, 90_000);

beforeAll(async () => {
  p = await project("serve");
});
afterAll(() => {
  for (const s of servers) s.kill("SIGTERM");
});

test("hpctl start, list, list -g, stop, stop -g against hpx serve: Hydroplane's codes and bodies", async () => {
  const url = await serve([]);
  // hpctl start examples/nginx.json: the Hydroplane spec file as hpctl re-encodes it.
  const nginx = JSON.parse(readFileSync(join(repoRoot, "examples", "nginx.json"), "utf8"));
  assert.deepEqual((({ status, json }) => ({ status, json }))(await hpctlStart(url, nginx)), { status: 201, json: null });
  assert.deepEqual((({ status, json }) => ({ status, json }))(await hpctlStart(url, spec("nginx"))), { status: 409, json: { error: 409, details: 'A deployment named "nginx" already exists' } });
  const bad = await postRaw(url, '{"process_name": "Bad_Name", "container": {}}');
  assert.deepEqual([bad.status, bad.json], [
    422,
    {
      error: 422,
      details:
        "request body:1:18: process_name: must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, got string \"Bad_Name\"\nrequest body:1:43: container.image_uri: is required",
      issues: [
        { line: 1, col: 18, path: "process_name", message: "must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, got string \"Bad_Name\"" },
        { line: 1, col: 43, path: "container.image_uri", message: "is required" },
      ],
      detail: [
        { loc: ["body", "process_name"], msg: "must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, got string \"Bad_Name\"", type: "value_error" },
        { loc: ["body", "container", "image_uri"], msg: "field required", type: "value_error.missing" },
      ],
    },
  ]);
  // Two starts at once: both accepted, neither lost.
  const both = await Promise.all([hpctlStart(url, spec("a1", "g1")), hpctlStart(url, spec("a2", "g1"))]);
  assert.deepEqual(both.map((r) => r.status), [201, 201]);

  const all = await hpctlList(url);
  assert.equal(all.status, 200);
  assert.deepEqual(names(all.json), ["a1", "a2", "nginx"]);
  for (const info of all.json as Record<string, unknown>[]) {
    assert.deepEqual(Object.keys(info).filter((k) => !["reason", "node"].includes(k)).sort(), ["created", "group", "process_name", "socket_addresses", "status"]);
  }
  const group = await hpctlList(url, "g1");
  assert.deepEqual([group.status, names(group.json)], [200, ["a1", "a2"]]);
  assert.deepEqual((await hpctlList(url, "none")).json, []);
  await applied(["a1", "a2", "nginx"]);
  // What a process printed (the local cluster's simulated log), as hpx logs a1 --tail 2.
  await waitFor("a1 to run", async () => ((await hpctlList(url)).json as Info[]).find((x) => x.process_name === "a1")?.status === "RUNNING", 60_000);
  const log = await fetch(`${url}/process/a1/logs?tail=2`);
  assert.deepEqual([log.status, log.headers.get("content-type"), await log.text()], [200, "text/plain; charset=utf-8", `${DEFAULT_LOG.slice(-2).join("\n")}\n`]);
  assert.equal((await fetch(`${url}/process/nope/logs`)).status, 404);

  assert.deepEqual([(await hpctlStop(url, "nginx")).status, (await hpctlStop(url, "nginx")).json], [200, { error: 404, details: "Process 'nginx' not found" }]);
  assert.equal((await hpctlStopGroup(url, "g1")).status, 200);
  assert.equal((await hpctlStopGroup(url, "g1")).status, 200);
  // Accepted stops are gone from the answers at once, as Hydroplane's deletes make them.
  assert.deepEqual((await hpctlList(url)).json, []);
  await applied([]);
  assert.deepEqual(((await fetch(`${url}/nope`)).status), 404);

  const openapi = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  assert.match(openapi.openapi, /^3\./);
  assert.deepEqual(
    Object.entries(openapi.paths).map(([path, ops]) => `${Object.keys(ops).sort().join(",")} ${path}`).sort(),
    ["delete /process/{name}", "delete,get /group/{group}", "get /process/{name}/logs", "get,post /process"],
  );
});

test("Hydroplane's answers: a spec with a key its model ignores is accepted with a Warning; a name another owner has is 409; no address until RUNNING; created is the Service's", async () => {
  const url = await serve([]);
  // A spec written for Hydroplane with node_selector at the top level (Hydroplane ignores it there).
  const misplaced = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "hydroplane", "top-level-node-selector.json"), "utf8"));
  const started = await hpctlStart(url, { ...misplaced, process_name: "advanced" });
  assert.equal(started.status, 201);
  assert.equal(started.headers.get("warning"), '199 hpx "node_selector: unknown key, ignored: did you mean container.node_selector?"');
  assert.match(logs.get(url)!(), /^hpx serve: POST \/process advanced: node_selector: unknown key, ignored: did you mean container\.node_selector\?$/m);
  // `hpx start` stays strict about the same file.
  p.write("advanced.json", JSON.stringify(misplaced));
  assert.equal((await p.hpx(["start", "advanced.json"])).code, 2);

  await p.apps.createNamespacedDeployment({
    namespace: p.namespace,
    body: { metadata: { name: "taken" }, spec: { selector: { matchLabels: { app: "taken" } }, template: { metadata: { labels: { app: "taken" } }, spec: { containers: [{ name: "c", image: "nginx" }] } } } },
  });
  assert.deepEqual(((r) => [r.status, r.json])(await hpctlStart(url, spec("taken"))), [409, { error: 409, details: 'A deployment named "taken" already exists' }]);

  // A pod that cannot be scheduled stays STARTING: no address through serve, the ClusterIP through hpx ls.
  assert.equal((await hpctlStart(url, spec("pending", undefined, { node_selector: { "hpx.dev/no-such-node": "x" } }))).status, 201);
  await applied(["advanced", "pending"]);
  const listed = (await hpctlList(url)).json as Info[];
  const pending = listed.find((i) => i.process_name === "pending")!;
  assert.deepEqual([pending.status, pending.socket_addresses], ["STARTING", []]);
  const ls = JSON.parse((await p.hpx(["ls", "-o", "json"])).stdout) as Info[];
  assert.equal(ls.find((i) => i.process_name === "pending")!.socket_addresses.length, 1);
  const svc = await p.core.readNamespacedService({ name: "pending", namespace: p.namespace });
  assert.equal(pending.created, new Date(svc.metadata!.creationTimestamp!).toISOString().replace(/\.\d{3}Z$/, "+00:00"));
  await waitFor("advanced to run", async () => ((await hpctlList(url)).json as Info[]).find((i) => i.process_name === "advanced")?.status === "RUNNING", 60_000);
  const running = ((await hpctlList(url)).json as Info[]).find((i) => i.process_name === "advanced")!;
  assert.equal(running.socket_addresses.length, 1);
  assert.equal((await hpctlStop(url, "advanced")).status, 200);
  assert.equal((await hpctlStop(url, "pending")).status, 200);
  await applied([]);
});

test("a change that fails after it was accepted is tried three times, then listed FAILED with the reason and logged", async () => {
  const url = await serve(["--lock-wait", "1s"]);
  // Another run's lock, held by a live process (this one), for longer than serve waits.
  const dir = join(resolveBackend(harnessEnv().backendUrl).slice("file://".length), ".pulumi", "locks", "organization", "hpx", p.stack);
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, "held-by-test.json");
  writeFileSync(lock, JSON.stringify({ pid: process.pid, username: "test", hostname: "here", timestamp: new Date().toISOString() }));
  try {
    assert.equal((await hpctlStart(url, spec("doomed"))).status, 201);
    await waitFor("the change to be dropped", async () => ((await hpctlList(url)).json as Info[]).some((i) => i.status === "FAILED"), 90_000);
    const [failed] = (await hpctlList(url)).json as Info[];
    assert.deepEqual([failed!.process_name, failed!.status, failed!.socket_addresses], ["doomed", "FAILED", []]);
    assert.match(failed!.reason!, /^stack serve is locked by another update/);
    assert.match(logs.get(url)!(), /^hpx serve: dropped start doomed: stack serve is locked by another update/m);
  } finally {
    rmSync(lock);
  }
  // Stopping a failed start forgets it; starting it again applies it.
  assert.equal((await hpctlStop(url, "doomed")).status, 200);
  assert.deepEqual((await hpctlList(url)).json, []);
  assert.equal((await hpctlStart(url, spec("doomed"))).status, 201);
  await applied(["doomed"]);
  assert.equal((await hpctlStop(url, "doomed")).status, 200);
  await applied([]);
});

test("beyond loopback a bearer token is required; without one hpx serve refuses to start", async () => {
  const refused = await hpx(["serve", "-s", p.stack, "--host", "0.0.0.0", "--port", String(await freePort())], { HPX_SERVE_TOKEN: "" }, p.dir);
  assert.equal(refused.code, 2);
  assert.equal(refused.stderr, "hpx: --host 0.0.0.0 reaches beyond this machine: set HPX_SERVE_TOKEN (or --token-secret NAME) to the bearer token clients must send\n");
  const url = await serve(["--host", "0.0.0.0"], { HPX_SERVE_TOKEN: "serve-token-7Hq" });
  const denied = await hpctlList(url);
  assert.deepEqual([denied.status, denied.json], [401, { error: 401, details: "a bearer token is required: Authorization: Bearer <token>" }]);
  const ok = await fetch(`${url}/process`, { headers: { authorization: "Bearer serve-token-7Hq" } });
  assert.equal(ok.status, 200);
});

test("the culler stops processes older than the stack's limit on its timer", async () => {
  const url = await serve(["--cull-max-age", "3s", "--cull-interval", "1s"]);
  assert.equal((await hpctlStart(url, spec("ephemeral"))).status, 201);
  await applied(["ephemeral"]);
  await waitFor("the culler", async () => names((await hpctlList(url)).json).length === 0, 60_000);
  await applied([]);
  const stored = await hpx(["preview", "-s", p.stack, "--json"], {}, p.dir);
  assert.deepEqual(JSON.parse(stored.stdout).changes, [], "the stack's desired state no longer has it");
});

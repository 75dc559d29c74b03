import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { repoRoot } from "../src/toolchain.ts";
import { hpx } from "./harness/cli.ts";
import { freePort, waitFor } from "./harness/ports.ts";
import { project, type Project } from "./harness/project.ts";

// An hpctl-style session against `hpx serve`: the requests hpctl sends (start = POST
// /process with the spec file's JSON, stop = DELETE, list = GET), exact answers.
let p: Project;
const servers: ChildProcess[] = [];

async function serve(args: string[], env: Record<string, string> = {}): Promise<string> {
  const port = await freePort();
  const child = spawn(join(repoRoot, "bin", "hpx"), ["serve", "-s", p.stack, "--port", String(port), ...args], {
    cwd: p.dir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  servers.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor("hpx serve", async () => (await fetch(`${url}/openapi.json`, { headers: env.HPX_SERVE_TOKEN ? { authorization: `Bearer ${env.HPX_SERVE_TOKEN}` } : {} })).status === 200);
  return url;
}

async function call(url: string, method: string, path: string, body?: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}${path}`, { method, ...(body !== undefined ? { body, headers: { "content-type": "application/json" } } : {}) });
  const text = await res.text();
  return { status: res.status, json: text === "" ? undefined : JSON.parse(text) };
}

const spec = (name: string, group?: string) => JSON.stringify({ process_name: name, ...(group ? { group } : {}), container: { image_uri: "nginxdemos/hello", ports: [{ container_port: 80 }] } });
const names = (list: unknown) => (list as { process_name: string }[]).map((x) => x.process_name);

beforeAll(async () => {
  p = await project("serve");
});
afterAll(() => {
  for (const s of servers) s.kill("SIGTERM");
});

test("hpctl start, list, list -g, stop, stop -g against hpx serve: Hydroplane's codes and bodies", async () => {
  const url = await serve([]);
  // hpctl start examples/nginx.json: the Hydroplane spec file as it is.
  assert.deepEqual(await call(url, "POST", "/process", readFileSync(join(repoRoot, "examples", "nginx.json"), "utf8")), { status: 201, json: null });
  assert.deepEqual(await call(url, "POST", "/process", spec("nginx")), { status: 409, json: { error: 409, details: 'A process named "nginx" already exists' } });
  const bad = await call(url, "POST", "/process", '{"process_name": "Bad_Name", "container": {}}');
  assert.deepEqual(bad, {
    status: 422,
    json: {
      error: 422,
      details:
        "request body:1:18: process_name: must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, got string \"Bad_Name\"\nrequest body:1:43: container.image_uri: is required",
      issues: [
        { line: 1, col: 18, path: "process_name", message: "must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, got string \"Bad_Name\"" },
        { line: 1, col: 43, path: "container.image_uri", message: "is required" },
      ],
    },
  });
  // Two starts at once are queued, never interleaved: both land.
  const both = await Promise.all([call(url, "POST", "/process", spec("a1", "g1")), call(url, "POST", "/process", spec("a2", "g1"))]);
  assert.deepEqual(both.map((r) => r.status), [201, 201]);

  const all = await call(url, "GET", "/process");
  assert.equal(all.status, 200);
  assert.deepEqual(names(all.json), ["a1", "a2", "nginx"]);
  for (const info of all.json as Record<string, unknown>[]) {
    assert.deepEqual(Object.keys(info).filter((k) => !["reason", "node"].includes(k)).sort(), ["created", "group", "process_name", "socket_addresses", "status"]);
  }
  const group = await call(url, "GET", "/group/g1");
  assert.deepEqual([group.status, names(group.json)], [200, ["a1", "a2"]]);
  assert.deepEqual(await call(url, "GET", "/group/none"), { status: 200, json: [] });

  assert.deepEqual(await call(url, "DELETE", "/process/nginx"), { status: 200, json: null });
  assert.deepEqual(await call(url, "DELETE", "/process/nginx"), { status: 404, json: { error: 404, details: "Process 'nginx' not found" } });
  assert.deepEqual(await call(url, "DELETE", "/group/g1"), { status: 200, json: null });
  assert.deepEqual(await call(url, "DELETE", "/group/g1"), { status: 200, json: null });
  assert.deepEqual(await call(url, "GET", "/process"), { status: 200, json: [] });
  assert.deepEqual(await call(url, "GET", "/nope"), { status: 404, json: { error: 404, details: "Not Found" } });

  // The same stack as the CLI: its stored state is what the server left.
  const ls = await hpx(["ls", "-s", p.stack, "-o", "json"], {}, p.dir);
  assert.deepEqual(JSON.parse(ls.stdout), []);

  const openapi = (await call(url, "GET", "/openapi.json")).json as { openapi: string; paths: Record<string, Record<string, unknown>> };
  assert.match(openapi.openapi, /^3\./);
  assert.deepEqual(
    Object.entries(openapi.paths).map(([path, ops]) => `${Object.keys(ops).sort().join(",")} ${path}`).sort(),
    ["delete /process/{name}", "delete,get /group/{group}", "get,post /process"],
  );
});

test("beyond loopback a bearer token is required; without one hpx serve refuses to start", async () => {
  const refused = await hpx(["serve", "-s", p.stack, "--host", "0.0.0.0", "--port", String(await freePort())], { HPX_SERVE_TOKEN: "" }, p.dir);
  assert.equal(refused.code, 2);
  assert.equal(refused.stderr, "hpx: --host 0.0.0.0 reaches beyond this machine: set HPX_SERVE_TOKEN (or --token-secret NAME) to the bearer token clients must send\n");
  const url = await serve(["--host", "0.0.0.0"], { HPX_SERVE_TOKEN: "serve-token-7Hq" });
  assert.deepEqual(await call(url, "GET", "/process"), { status: 401, json: { error: 401, details: "a bearer token is required: Authorization: Bearer <token>" } });
  const ok = await fetch(`${url}/process`, { headers: { authorization: "Bearer serve-token-7Hq" } });
  assert.equal(ok.status, 200);
});

test("the culler stops processes older than the stack's limit on its timer", async () => {
  const url = await serve(["--cull-max-age", "3s", "--cull-interval", "1s"]);
  assert.equal((await call(url, "POST", "/process", spec("ephemeral"))).status, 201);
  await waitFor("the culler", async () => names((await call(url, "GET", "/process")).json).length === 0, 60_000);
  const stored = await hpx(["preview", "-s", p.stack, "--json"], {}, p.dir);
  assert.deepEqual(JSON.parse(stored.stdout).changes, [], "the stack's desired state no longer has it");
});

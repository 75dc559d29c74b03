import assert from "node:assert/strict";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { NoLogsYetError, ProcessExistsError, UnknownProcessError } from "../errors.ts";
import { buildServer } from "./app.ts";
import type { StackApi } from "./stack-service.ts";

/** The HTTP layer alone: a service that accepts every valid spec (the real one is tested in test/serve.test.ts). */
const accepting = { start: async () => {}, list: async () => [], stopProcess: async () => {}, stopGroup: async () => {} } as unknown as StackApi;

test("malformed bodies to POST /process get 4xx with Hydroplane's error shape, never 500", async () => {
  const app = await buildServer(accepting);
  const post = (payload: string, contentType = "application/json") =>
    app.inject({ method: "POST", url: "/process", payload, headers: { "content-type": contentType } });
  const fixed = ["", "{", "null", "[]", "[1,2]", '{"process_name": 1}', "\u0000\u0001", "{{{{", '"just a string"', "process_name: a", "a: &a [*a]"];
  for (const body of fixed) {
    const res = await post(body);
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${JSON.stringify(body)} -> ${res.statusCode} ${res.body}`);
    const json = res.json() as { error: number; details: string };
    assert.equal(json.error, res.statusCode);
    assert.equal(typeof json.details, "string");
  }
  assert.equal((await post("<p/>", "application/xml")).statusCode, 415);
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v))), async (body) => {
      const res = await post(body);
      assert.ok(res.statusCode < 500, `${JSON.stringify(body)} -> ${res.statusCode} ${res.body}`);
    }),
    { numRuns: 300, seed: 3 },
  );
  await app.close();
});

/** The request hpctl sends for `hpctl start FILE`: requests' `json=` body (json.dumps: ", " and ": "), its headers. */
function hpctlStart(spec: unknown) {
  const payload = JSON.stringify(spec).replace(/":/g, '": ').replace(/,"/g, ', "');
  return { method: "POST" as const, url: "/process", payload, headers: { "content-type": "application/json", "user-agent": "python-requests/2.28.2", accept: "*/*", "accept-encoding": "gzip, deflate", connection: "keep-alive" } };
}

test("a key Hydroplane's model would ignore is ignored here too, with a Warning header and a log line naming it and the hint", async () => {
  const started: string[] = [];
  const log: string[] = [];
  const api = { ...accepting, start: async (s: { processes: { process_name: string; container: { node_selector?: unknown } }[] }) => void started.push(JSON.stringify(s.processes[0]!.container.node_selector ?? null)) } as unknown as StackApi;
  const app = await buildServer(api, { log: (l) => log.push(l) });
  const spec = JSON.parse(readFileSync(join(import.meta.dirname, "../../test/fixtures/hydroplane/top-level-node-selector.json"), "utf8"));
  const res = await app.inject(hpctlStart(spec));
  assert.equal(res.statusCode, 201);
  assert.equal(res.headers.warning, '199 hpx "node_selector: unknown key, ignored: did you mean container.node_selector?"');
  assert.deepEqual(log, ["POST /process nginx: node_selector: unknown key, ignored: did you mean container.node_selector?"]);
  assert.deepEqual(started, ["null"], "the misplaced key is not applied");
  await app.close();
});

test("a bad spec is 422 with hpx's located issues and FastAPI's detail list", async () => {
  const app = await buildServer(accepting);
  const res = await app.inject(hpctlStart({ process_name: "Bad_Name", container: {} }));
  assert.equal(res.statusCode, 422);
  assert.deepEqual((res.json() as { detail: unknown }).detail, [
    { loc: ["body", "process_name"], msg: "must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, got string \"Bad_Name\"", type: "value_error" },
    { loc: ["body", "container", "image_uri"], msg: "field required", type: "value_error.missing" },
  ]);
  await app.close();
});

test("a taken name is 409 in Hydroplane's words, whoever has it", async () => {
  const taken = { ...accepting, start: async () => { throw new ProcessExistsError("dev", "web", "stack dev would take over Deployment/web, which it did not create"); } } as unknown as StackApi;
  const app = await buildServer(taken);
  const res = await app.inject(hpctlStart({ process_name: "web", container: { image_uri: "nginx" } }));
  assert.deepEqual([res.statusCode, res.json()], [409, { error: 409, details: 'A deployment named "web" already exists' }]);
  await app.close();
});

test("GET /process/{name}/logs: the lines as text, ?tail=N passed on; an unknown name 404, no log yet 409, a bad tail 400", async () => {
  const asked: [string, number | undefined][] = [];
  const api = {
    ...accepting,
    logs: async (name: string, tail: number | undefined) => {
      asked.push([name, tail]);
      if (name === "nope") throw new UnknownProcessError("local", "nope");
      if (name === "lonely") throw new NoLogsYetError("process lonely has no log yet: it has no pod yet");
      return ["one", "two"];
    },
  } as unknown as StackApi;
  const app = await buildServer(api);
  const get = (url: string) => app.inject({ method: "GET", url });
  const ok = await get("/process/web/logs?tail=2");
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.headers["content-type"], "text/plain; charset=utf-8");
  assert.equal(ok.body, "one\ntwo\n");
  assert.equal((await get("/process/web/logs")).statusCode, 200);
  assert.deepEqual((await get("/process/nope/logs")).json(), { error: 404, details: "Process 'nope' not found" });
  assert.deepEqual((await get("/process/lonely/logs")).json(), { error: 409, details: "process lonely has no log yet: it has no pod yet" });
  assert.deepEqual((await get("/process/web/logs?tail=-1")).json(), { error: 400, details: 'tail: expected a number of lines (0 or more), got "-1"' });
  assert.deepEqual(asked, [["web", 2], ["web", undefined], ["nope", undefined], ["lonely", undefined]]);
  await app.close();
});

import assert from "node:assert/strict";
import fc from "fast-check";
import { test } from "vitest";
import { buildServer } from "./app.ts";
import type { StackService } from "./stack-service.ts";

/** The HTTP layer alone: a service that accepts every valid spec (the real one is tested in test/serve.test.ts). */
const accepting = { start: async () => {}, list: async () => [], stopProcess: async () => {}, stopGroup: async () => {} } as unknown as StackService;

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

import assert from "node:assert/strict";
import { test } from "vitest";
import { processFileJsonSchema } from "./json-schema.ts";

test("the JSON Schema accepts the three shapes and carries the spec's rules", () => {
  const schema = processFileJsonSchema() as { $schema: string; title: string; anyOf: unknown[] };
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.equal(schema.title, "hpx processes file");
  assert.equal(schema.anyOf.length, 3);
  const text = JSON.stringify(schema);
  const every = ["process_name", "group", "has_public_ip", "container", "image_uri", "command", "ports", "container_port", "host_port", "protocol", "name"];
  every.push("env", "value", "resource_request", "resource_limit", "cpu_vcpu", "memory_mib", "node_selector", "username", "password", "secret_name", "key");
  for (const field of every) {
    assert.ok(text.includes(`"${field}"`), field);
  }
  assert.ok(text.includes('"enum":["tcp","udp"]'));
  assert.ok(text.includes('"additionalProperties":false'), "strict: unknown keys are invalid");
});

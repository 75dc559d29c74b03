import assert from "node:assert/strict";
import fc from "fast-check";
import { test } from "vitest";
import { SpecError } from "../errors.ts";
import { parseProcessText } from "./load-process-file.ts";

/** Whatever the text, the loader returns specs or a SpecError whose every issue is located; nothing else escapes. */
function checkOutcome(text: string): void {
  const lines = text.split("\n").length;
  try {
    parseProcessText(text, "fuzz.yml");
  } catch (err) {
    assert.ok(err instanceof SpecError, `not a SpecError: ${String(err)}`);
    assert.equal(err.exitCode, 2);
    assert.ok(err.issues.length > 0);
    for (const i of err.issues) {
      assert.equal(i.file, "fuzz.yml");
      assert.ok(Number.isInteger(i.line) && i.line >= 1 && i.line <= lines + 1, `line ${i.line} of ${lines}`);
      assert.ok(Number.isInteger(i.col) && i.col >= 1, `col ${i.col}`);
      assert.ok(!/undefined/.test(i.message), i.message);
    }
  }
}

const valid = { process_name: "web", group: "g", has_public_ip: true, container: { image_uri: "x", ports: [{ container_port: 80 }], env: [{ name: "A", value: "b" }] } };

/** A valid spec with one field anywhere in it replaced by an arbitrary JSON value. */
const mutated = fc
  .tuple(
    fc.constantFrom(
      ["process_name"],
      ["group"],
      ["has_public_ip"],
      ["container"],
      ["container", "image_uri"],
      ["container", "ports"],
      ["container", "ports", 0, "container_port"],
      ["container", "ports", 0, "protocol"],
      ["container", "env", 0, "value"],
      ["container", "resource_limit"],
      ["container", "node_selector"],
      ["container", "password"],
      ["extra_key"],
    ),
    fc.jsonValue(),
  )
  .map(([path, value]) => {
    const spec = structuredClone(valid) as Record<string, unknown>;
    let at: Record<string | number, unknown> = spec;
    for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
    at[path.at(-1)!] = value;
    return spec;
  });

test("fuzz: a valid spec with one field replaced by any JSON value, as JSON or YAML", () => {
  fc.assert(
    fc.property(mutated, fc.boolean(), (spec, asJson) => {
      checkOutcome(asJson ? JSON.stringify(spec, null, 2) : JSON.stringify(spec).replace(/,"/g, ', "'));
    }),
    { numRuns: 500, seed: 20261126 },
  );
});

test("fuzz: arbitrary text and arbitrary JSON documents", () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), checkOutcome), { numRuns: 500, seed: 7 });
  fc.assert(fc.property(fc.jsonValue(), (v) => checkOutcome(JSON.stringify(v))), { numRuns: 300, seed: 11 });
});

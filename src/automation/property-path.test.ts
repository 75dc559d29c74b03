import assert from "node:assert/strict";
import { test } from "vitest";
import { parsePropertyPath, walk } from "./property-path.ts";

test("paths the engine writes: dotted names, indexes, quoted keys with dots and quotes", () => {
  assert.deepEqual(parsePropertyPath("spec.template.spec.containers[0].image"), ["spec", "template", "spec", "containers", 0, "image"]);
  assert.deepEqual(parsePropertyPath('metadata.annotations["hpx.dev/applied"]'), ["metadata", "annotations", "hpx.dev/applied"]);
  assert.deepEqual(parsePropertyPath('data["a\\"b]"].x'), ["data", 'a"b]', "x"]);
  assert.deepEqual(parsePropertyPath("data.TOKEN"), ["data", "TOKEN"]);
  assert.deepEqual(parsePropertyPath('["top"][2]'), ["top", 2]);
});

test("a path the engine would not write is refused", () => {
  for (const bad of ["a..b", "a[x]", 'a["b]', "a[1", "."]) assert.throws(() => parsePropertyPath(bad), { message: `not a property path: ${bad}` });
});

test("walk finds a value and the values it passed through; a missing step says so", () => {
  const obj = { spec: { ports: [{ port: 80 }] } };
  assert.deepEqual(walk(obj, ["spec", "ports", 0, "port"]), { found: true, value: 80, passed: [obj, obj.spec, obj.spec.ports, obj.spec.ports[0]] });
  assert.deepEqual(walk(obj, ["spec", "ports", 1, "port"]), { found: false, value: undefined, passed: [obj, obj.spec, obj.spec.ports] });
  assert.deepEqual(walk(obj, ["spec", "ports", 0, "port", "x"]).found, false);
});

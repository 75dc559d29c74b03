import assert from "node:assert/strict";
import { test } from "vitest";
import { UsageError } from "../errors.ts";
import { parseTail } from "./logs.ts";

test("parseTail: a whole number of lines, 0 or more; anything else is a usage error", () => {
  assert.equal(parseTail("0"), 0);
  assert.equal(parseTail("25"), 25);
  for (const bad of ["-1", "1.5", "ten", ""]) assert.throws(() => parseTail(bad), new UsageError(`--tail: expected a number of lines (0 or more), got ${JSON.stringify(bad)}`));
});

import assert from "node:assert/strict";
import { test } from "vitest";
import { parseDuration } from "./duration.ts";

test("units, combinations and bare seconds", () => {
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("5m"), 300_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("1.5m"), 90_000);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("45"), 45_000);
});

test("anything else is a usage error naming the flag", () => {
  for (const bad of ["", "5 minutes", "m5", "5x", "-5s"]) {
    assert.throws(() => parseDuration(bad), {
      message: `--timeout: expected a duration such as 90s, 5m or 1h30m (a bare number is seconds), got ${JSON.stringify(bad)}`,
      exitCode: 2,
    });
  }
  assert.throws(() => parseDuration("0s"), { message: '--timeout: expected a duration above zero, got "0s"' });
});

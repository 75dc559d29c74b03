import assert from "node:assert/strict";
import { test } from "vitest";
import { hpx } from "./harness/cli.ts";

test("an unknown command is a usage error: exit 2", async () => {
  const res = await hpx(["local", "bogus"]);
  assert.equal(res.code, 2);
  assert.match(res.stderr, /^error: unknown command 'bogus'$/m);
});

test("a bad option value is a usage error: exit 2 with the reason", async () => {
  const res = await hpx(["local", "up", "--nodes", "0"]);
  assert.equal(res.code, 2);
  assert.equal(res.stderr, "hpx: --nodes must be an integer from 1 to 200, got 0\n");
});

test("--help exits 0", async () => {
  const res = await hpx(["--help"]);
  assert.equal(res.code, 0);
  assert.match(res.stdout, /^Usage: hpx \[options\] \[command\]$/m);
});

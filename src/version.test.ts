import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { repoRoot } from "./toolchain.ts";
import { HPX_VERSION } from "./version.ts";

test("hpx's version is package.json's", () => {
  assert.equal(HPX_VERSION, JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
});

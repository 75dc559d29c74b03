import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseVersionsEnv, readVersions, repoRoot } from "./toolchain.ts";

test("parseVersionsEnv reads KEY=VALUE lines and skips comments and blanks", () => {
  assert.deepEqual(parseVersionsEnv("# c\nA=1\n\n  B=x.y  \n"), { A: "1", B: "x.y" });
});

test("parseVersionsEnv rejects a line that is not KEY=VALUE", () => {
  assert.throws(() => parseVersionsEnv("A=1\nnonsense\n"), { message: "versions.env: not KEY=VALUE: nonsense" });
});

test("versions.env pins the same Pulumi SDK and kubernetes plugin versions as package.json", () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  const v = readVersions();
  assert.equal(pkg.dependencies["@pulumi/pulumi"], v.pulumi);
  assert.equal(pkg.dependencies["@pulumi/kubernetes"], v.pulumiKubernetes);
});

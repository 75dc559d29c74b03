import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "vitest";
import { parseVersionsEnv, readVersions, repoRoot } from "./toolchain.ts";

test("parseVersionsEnv reads KEY=VALUE lines and skips comments and blanks", () => {
  assert.deepEqual(parseVersionsEnv("# c\nA=1\n\n  B=x.y  \n"), { A: "1", B: "x.y" });
});

test("parseVersionsEnv rejects a line that is not KEY=VALUE", () => {
  assert.throws(() => parseVersionsEnv("A=1\nnonsense\n"), { message: "versions.env: not KEY=VALUE: nonsense" });
});

test("the kubernetes plugin is stamped as the installed SDK; the Pulumi SDK is not newer than the CLI", () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  const v = readVersions();
  assert.equal(pkg.dependencies["@pulumi/kubernetes"], v.pulumiKubernetes);
  const installed = JSON.parse(readFileSync(join(repoRoot, "node_modules", "@pulumi", "kubernetes", "package.json"), "utf8"));
  assert.equal(installed.version, v.pulumiKubernetes);
  const num = (s: string) => s.split(".").map(Number) as [number, number, number];
  const [sdk, cli] = [num(pkg.dependencies["@pulumi/pulumi"]), num(v.pulumi)];
  assert.ok(sdk[0] === cli[0] && (sdk[1] < cli[1] || (sdk[1] === cli[1] && sdk[2] <= cli[2])), `@pulumi/pulumi ${sdk.join(".")} is newer than the CLI ${cli.join(".")}`);
});

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "vitest";

// In a process of its own: the test runner's module cache may hold the SDK already.
test("the Pulumi SDK loads without @npmcli/arborist and pacote, which load on their first use", () => {
  const script = join(mkdtempSync(join(tmpdir(), "hpx-sdk-")), "check.mjs");
  writeFileSync(
    script,
    `import { createRequire } from "node:module";
const { pulumiSdk } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, "pulumi-sdk.ts")).href)});
const sdk = await pulumiSdk();
const req = createRequire(${JSON.stringify(pathToFileURL(join(import.meta.dirname, "..", "..", "node_modules", "@pulumi", "pulumi", "package.json")).href)});
const pacote = () => Object.keys(req.cache).filter((k) => k.includes("/node_modules/pacote/")).length;
const before = pacote();
const arborist = req("@npmcli/arborist");
console.log(JSON.stringify({ workspace: typeof sdk.automation.LocalWorkspace, before, esModule: arborist.__esModule, Arborist: typeof arborist.Arborist, after: pacote() > 0 }));
`,
  );
  const out = JSON.parse(execFileSync(process.execPath, [script], { encoding: "utf8" })) as Record<string, unknown>;
  assert.deepEqual(out, { workspace: "function", before: 0, esModule: true, Arborist: "function", after: true });
});

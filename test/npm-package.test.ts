import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "vitest";
import { harnessEnv, testDir } from "./harness/env.ts";
import { packAndInstall } from "./harness/packed.ts";
import { adminConfig } from "./harness/project.ts";
import { CoreV1Api } from "@kubernetes/client-node";

test("npm pack gives a tarball that installs into an empty directory, where npx hpx --version, schema and preview work", async () => {
  const out = testDir("pack");
  const { tarball, app: empty } = packAndInstall(out);
  assert.match(basename(tarball), /^hpx-\d+\.\d+\.\d+\.tgz$/);
  const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
  assert.ok(listing.includes("package/dist/main.js") && listing.includes("package/bin/hpx"), "ships the compiled JavaScript and its launcher");
  assert.ok(!listing.some((f) => f.startsWith("package/src/") || f.startsWith("package/test/")), "no sources or tests");

  const npx = (...args: string[]) => spawnSync("npx", ["--no-install", "hpx", ...args], { cwd: empty, encoding: "utf8", env: { ...process.env, CI: "true" } });

  const version = npx("--version");
  assert.deepEqual([version.status, version.stdout], [0, "0.1.0\n"], version.stderr);
  const schema = npx("schema");
  assert.equal(schema.status, 0, schema.stderr);
  assert.equal(JSON.parse(schema.stdout).title, "hpx processes file");

  await adminConfig().makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "packaged" } } });
  mkdirSync(join(empty, "stacks"));
  writeFileSync(join(empty, "stacks", "packaged.yml"), `backend: ${harnessEnv().backendUrl}\nruntime: {runtime_type: local, namespace: packaged}\n`);
  writeFileSync(join(empty, "web.yml"), "process_name: web\ncontainer: {image_uri: nginxdemos/hello}\n");
  const preview = npx("preview", "web.yml", "-s", "packaged");
  assert.equal(preview.status, 0, preview.stderr);
  assert.equal(preview.stdout, "+  web  create\n1 to create, 0 to update, 0 to replace, 0 to delete\n");
});

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { createFileStack } from "./file-stack-create.ts";

const SHARD = "ci.hpx-shard-3";
const SECRETS = { type: "passphrase", state: { salt: "v1:AAAA:v1:BBBB:CCCC" } };

/** A file backend whose `.pulumi/meta.yaml` says `meta` (none: undefined). */
function backend(meta: string | undefined): { url: string; stacks: string } {
  const dir = mkdtempSync(join(tmpdir(), "hpx-stack-create-"));
  mkdirSync(join(dir, ".pulumi"), { recursive: true });
  if (meta !== undefined) writeFileSync(join(dir, ".pulumi", "meta.yaml"), meta);
  return { url: `file://${dir}`, stacks: join(dir, ".pulumi", "stacks", "hpx") };
}

test("writes the checkpoint `pulumi stack init` writes, with the root's secrets provider, and nothing else", () => {
  const b = backend("version: 1\n");
  assert.equal(createFileStack(b.url, SHARD, SECRETS, {}), true);
  assert.deepEqual(readdirSync(b.stacks), [`${SHARD}.json`]);
  assert.deepEqual(JSON.parse(readFileSync(join(b.stacks, `${SHARD}.json`), "utf8")), {
    version: 3,
    checkpoint: { stack: `organization/hpx/${SHARD}`, latest: { secrets_providers: SECRETS, metadata: {} } },
  });
  assert.equal(statSync(join(b.stacks, `${SHARD}.json`)).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(join(b.stacks, "..", "..")).sort(), ["meta.yaml", "stacks"]);
});

test("keeps a stack that exists as it is", () => {
  const b = backend("version: 1\n");
  mkdirSync(b.stacks, { recursive: true });
  writeFileSync(join(b.stacks, `${SHARD}.json`), "the stack's own checkpoint");
  assert.equal(createFileStack(b.url, SHARD, SECRETS, {}), true);
  assert.equal(readFileSync(join(b.stacks, `${SHARD}.json`), "utf8"), "the stack's own checkpoint");
  assert.deepEqual(readdirSync(b.stacks), [`${SHARD}.json`]);
});

test("leaves to `pulumi stack init` a backend without the project layout, a gzipped one, and a root without secrets", () => {
  const legacy = backend(undefined);
  assert.equal(createFileStack(legacy.url, SHARD, SECRETS, {}), false);
  const old = backend("version: 0\n");
  assert.equal(createFileStack(old.url, SHARD, SECRETS, {}), false);
  const gz = backend("version: 1\n");
  assert.equal(createFileStack(gz.url, SHARD, SECRETS, { PULUMI_DIY_BACKEND_GZIP: "true" }), false);
  assert.equal(createFileStack(gz.url, SHARD, undefined, {}), false);
  assert.equal(createFileStack("s3://bucket/state?region=us-east-1", SHARD, SECRETS, {}), false);
  for (const b of [legacy, old, gz]) assert.deepEqual(readdirSync(join(b.stacks, "..", "..")).filter((n) => n !== "meta.yaml"), []);
});

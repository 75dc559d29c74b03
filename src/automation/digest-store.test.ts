import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { digestStore } from "./digest-store.ts";

test("a stack's digests are kept in a file of their own, 0600, and read back; another stack's store is apart", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "hpx-digests-")), "digests");
  const store = digestStore(dir, "file:///state", "prod");
  assert.deepEqual(store.load(), {});
  store.save({ k1: { "Deployment/web": "hmac-sha256:aa" } });
  assert.deepEqual(store.load(), { k1: { "Deployment/web": "hmac-sha256:aa" } });
  const [file, ...more] = readdirSync(dir);
  assert.deepEqual(more, []);
  assert.equal(statSync(join(dir, file!)).mode & 0o777, 0o600);
  assert.deepEqual(digestStore(dir, "file:///state", "dev").load(), {});
  assert.deepEqual(digestStore(dir, "s3://bucket", "prod").load(), {});
  // A damaged file is as none: everything is digested again.
  writeFileSync(join(dir, file!), "{");
  assert.deepEqual(store.load(), {});
});

import assert from "node:assert/strict";
import { test } from "vitest";
import { tempFileBackend } from "./file-backend.test-support.ts";
import { stateStamp } from "./state-stamp.ts";

const backend = tempFileBackend();

test("the stamp covers the root and every shard: a shard's checkpoint written again changes it, a read does not", () => {
  backend.writeCheckpoint("s", { shards: 2 });
  backend.writeCheckpoint("s.hpx-shard-0");
  backend.writeCheckpoint("s.hpx-shard-1");
  const before = stateStamp(backend.url(), "s");
  assert.deepEqual(before?.split("\n").map((l) => l.slice(0, l.indexOf("="))), ["s", "s.hpx-shard-0", "s.hpx-shard-1"]);
  assert.equal(stateStamp(backend.url(), "s"), before);
  backend.writeCheckpoint("s.hpx-shard-1");
  assert.notEqual(stateStamp(backend.url(), "s"), before);
});

test("a stack with no state yet has a stamp that its first checkpoint changes", () => {
  const none = stateStamp(backend.url(), "s");
  assert.equal(none, "s=none");
  backend.writeCheckpoint("s");
  assert.notEqual(stateStamp(backend.url(), "s"), none);
});

test("a backend that is not a file gives no stamp", () => {
  assert.equal(stateStamp("s3://bucket/prefix?region=us-east-1", "s"), undefined);
});

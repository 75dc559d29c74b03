import assert from "node:assert/strict";
import { test } from "vitest";
import { tempFileBackend } from "./file-backend.test-support.ts";
import { readCheckpointView } from "./state-files.ts";

const backend = tempFileBackend();

test("a checkpoint not written since it was last read is not read again; one written since is", () => {
  backend.writeCheckpoint("s", { shards: 3 });
  const first = readCheckpointView(backend.url(), "s");
  assert.deepEqual(first?.resources?.[0]?.outputs, { shards: 3 });
  assert.equal(readCheckpointView(backend.url(), "s"), first);
  // The same size: only the file's inode and times say it was written again.
  backend.writeCheckpoint("s", { shards: 4 });
  const second = readCheckpointView(backend.url(), "s");
  assert.notEqual(second, first);
  assert.deepEqual(second?.resources?.[0]?.outputs, { shards: 4 });
});

test("a stack without a checkpoint has no view", () => {
  assert.equal(readCheckpointView(backend.url(), "none"), undefined);
});

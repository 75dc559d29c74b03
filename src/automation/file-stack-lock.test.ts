import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { StackLockedError } from "../errors.ts";
import { lockFileStack } from "./file-stack-lock.ts";
import { parseLockHolders, readLocks } from "./locks.ts";

const backend = () => `file://${mkdtempSync(join(tmpdir(), "hpx-stack-lock-"))}`;
const dirOf = (url: string, stack: string) => join(url.slice("file://".length), ".pulumi", "locks", "organization", "hpx", stack);

test("a lock taken by hpx is a DIY lock file naming this process, gone once released", () => {
  const url = backend();
  const release = lockFileStack(url, "ci");
  const [lock, ...more] = readLocks(url, "ci");
  assert.deepEqual(more, []);
  assert.equal(lock!.pid, process.pid);
  assert.equal(lock!.hostname, hostname());
  assert.ok(Math.abs(Date.parse(lock!.timestamp) - Date.now()) < 60_000);
  assert.deepEqual(readLocks(url, "other"), []);
  // Nothing but the lock itself in the lock folder, nor left beside it.
  assert.deepEqual(readdirSync(dirOf(url, "ci")).map((n) => n.replace(/^[0-9a-f-]{36}/, "UUID")), ["UUID.json"]);
  assert.deepEqual(readdirSync(join(url.slice("file://".length), ".pulumi")), ["locks"]);
  release();
  assert.deepEqual(readdirSync(dirOf(url, "ci")), []);
  // Removed meanwhile by hpx cancel: releasing is still fine.
  const again = lockFileStack(url, "ci");
  rmSync(dirOf(url, "ci"), { recursive: true });
  again();
});

test("a stack locked by another run is refused, the holder named as the engine names it, and nothing of this run is left", () => {
  const url = backend();
  mkdirSync(dirOf(url, "ci"), { recursive: true });
  const theirs = join(dirOf(url, "ci"), "4c1b.json");
  writeFileSync(theirs, JSON.stringify({ pid: 4242, username: "ci", hostname: "runner-1", timestamp: "2026-11-26T10:00:00Z" }));
  assert.throws(
    () => lockFileStack(url, "ci"),
    (err: unknown) => {
      assert.ok(err instanceof StackLockedError);
      assert.equal(err.message, "stack ci is locked by another update");
      assert.deepEqual(err.hints, ["wait for it to finish; if it died, remove the lock: hpx cancel -s ci"]);
      assert.deepEqual(parseLockHolders(err.detail), [{ file: theirs, username: "ci", hostname: "runner-1", pid: 4242, timestamp: "2026-11-26T10:00:00Z" }]);
      return true;
    },
  );
  assert.deepEqual(readdirSync(dirOf(url, "ci")), ["4c1b.json"]);
});

test("a lock file still being written counts as held", () => {
  const url = backend();
  mkdirSync(dirOf(url, "ci"), { recursive: true });
  writeFileSync(join(dirOf(url, "ci"), "half.json"), "{");
  assert.throws(() => lockFileStack(url, "ci"), StackLockedError);
  assert.ok(existsSync(join(dirOf(url, "ci"), "half.json")));
  assert.equal(readdirSync(dirOf(url, "ci")).length, 1);
});

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { describeLock, holderAlive, readLocks } from "./locks.ts";

test("readLocks reads the DIY backend's lock files of one stack", () => {
  const dir = mkdtempSync(join(tmpdir(), "hpx-locks-"));
  const locks = join(dir, ".pulumi", "locks", "organization", "hpx", "local");
  mkdirSync(locks, { recursive: true });
  writeFileSync(join(locks, "a.json"), JSON.stringify({ pid: 4242, username: "ci", hostname: "runner-1", timestamp: "2026-11-26T10:00:00Z" }));
  writeFileSync(join(locks, "partial.json"), "{");
  assert.deepEqual(readLocks(`file://${dir}`, "local"), [
    { file: join(locks, "a.json"), pid: 4242, username: "ci", hostname: "runner-1", timestamp: "2026-11-26T10:00:00Z" },
  ]);
  assert.deepEqual(readLocks(`file://${dir}`, "other"), []);
  assert.deepEqual(readLocks("s3://bucket/prefix", "local"), []);
});

test("a holder on this host is checked by pid; elsewhere it cannot be", () => {
  const here = { file: "f", pid: 1, username: "me", hostname: hostname(), timestamp: "t" };
  assert.equal(holderAlive(here, () => false), false);
  assert.equal(holderAlive(here, () => true), true);
  assert.equal(holderAlive({ ...here, hostname: "elsewhere.invalid" }, () => true), undefined);
  assert.equal(describeLock(here, false), `held by me@${hostname()} (pid 1, no longer running) since t`);
  assert.equal(describeLock(here, undefined), `held by me@${hostname()} (pid 1, on another host) since t`);
});

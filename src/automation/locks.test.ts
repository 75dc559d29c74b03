import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { processState } from "../process-alive.ts";
import { describeLock, holderAlive, parseLockHolders, readLocks } from "./locks.ts";

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

test("the engine's lock error names each holder, for file and S3 backends alike", () => {
  const message = [
    "error: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
    "  file:///tmp/state/.pulumi/locks/organization/hpx/ci/4c1b.json: created by root@runner-1 (pid 4242) at 2026-11-26T10:00:00Z",
    "  s3://bucket/.pulumi/locks/organization/hpx/ci/9f2e.json: created by ci@runner-2 (pid 7) at 2026-11-26T10:01:00Z",
    "stderr: error: ... s3://bucket/.pulumi/locks/organization/hpx/ci/9f2e.json: created by ci@runner-2 (pid 7) at 2026-11-26T10:01:00Z",
  ].join("\n");
  assert.deepEqual(parseLockHolders(message), [
    { file: "file:///tmp/state/.pulumi/locks/organization/hpx/ci/4c1b.json", username: "root", hostname: "runner-1", pid: 4242, timestamp: "2026-11-26T10:00:00Z" },
    { file: "s3://bucket/.pulumi/locks/organization/hpx/ci/9f2e.json", username: "ci", hostname: "runner-2", pid: 7, timestamp: "2026-11-26T10:01:00Z" },
  ]);
  assert.deepEqual(parseLockHolders("something else"), []);
});

test("processState reads this process's state from /proc", () => {
  assert.match(processState(process.pid) ?? "", /^[RS]$/);
  assert.equal(processState(2 ** 22 + 12345), undefined);
});

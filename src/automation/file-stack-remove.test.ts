import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { test } from "vitest";
import { StackLockedError } from "../errors.ts";
import { removeFileStack } from "./file-stack-remove.ts";

/** A file backend holding `files` (paths under `.pulumi/`, with their contents). */
function backend(files: Record<string, string>): { url: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "hpx-stack-remove-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, ".pulumi", path)), { recursive: true });
    writeFileSync(join(dir, ".pulumi", path), content);
  }
  return { url: `file://${dir}`, dir };
}

/** Every file under `.pulumi/`, with its contents, and every empty folder (as "<dir>/"). */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    const entries = readdirSync(d, { withFileTypes: true });
    if (entries.length === 0) out[`${relative(join(dir, ".pulumi"), d)}/`] = "";
    for (const e of entries) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out[relative(join(dir, ".pulumi"), join(d, e.name))] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(join(dir, ".pulumi"));
  return out;
}

const SHARD = "ci.hpx-shard-1";
const OTHER = "ci.hpx-shard-2";
const layout = {
  "meta.yaml": "version: 1\n",
  [`stacks/hpx/${SHARD}.json`]: "checkpoint 1",
  [`stacks/hpx/${SHARD}.json.attrs`]: '{"md5":"one"}',
  [`stacks/hpx/${SHARD}.json.bak`]: "checkpoint 0",
  [`stacks/hpx/${SHARD}.json.bak.attrs`]: '{"md5":"zero"}',
  [`history/hpx/${SHARD}/${SHARD}-1.checkpoint.json`]: "history 1",
  [`history/hpx/${SHARD}/${SHARD}-1.history.json`]: "update 1",
  [`backups/hpx/${SHARD}/${SHARD}.1.json`]: "backup 1",
  [`stacks/hpx/${OTHER}.json`]: "other",
  [`stacks/hpx/${OTHER}.json.attrs`]: '{"md5":"other"}',
  [`history/hpx/${OTHER}/${OTHER}-1.history.json`]: "other update",
};

test("a stack is removed as `pulumi stack rm --force` removes it: checkpoint to .bak with its attributes, history gone, backups and other stacks kept, no lock left", () => {
  const { url, dir } = backend(layout);
  removeFileStack(url, SHARD);
  assert.deepEqual(contents(dir), {
    "meta.yaml": "version: 1\n",
    [`stacks/hpx/${SHARD}.json.bak`]: "checkpoint 1",
    [`stacks/hpx/${SHARD}.json.bak.attrs`]: '{"md5":"one"}',
    [`backups/hpx/${SHARD}/${SHARD}.1.json`]: "backup 1",
    [`stacks/hpx/${OTHER}.json`]: "other",
    [`stacks/hpx/${OTHER}.json.attrs`]: '{"md5":"other"}',
    [`history/hpx/${OTHER}/${OTHER}-1.history.json`]: "other update",
    [`locks/organization/hpx/${SHARD}/`]: "",
  });
});

test("a gzipped checkpoint goes to .json.gz.bak; a checkpoint without attributes leaves no stale ones beside its backup", () => {
  const { url, dir } = backend({ [`stacks/hpx/${SHARD}.json.gz`]: "gz 1", [`stacks/hpx/${SHARD}.json.gz.bak`]: "gz 0", [`stacks/hpx/${SHARD}.json.gz.bak.attrs`]: '{"md5":"zero"}' });
  removeFileStack(url, SHARD);
  assert.deepEqual(contents(dir), { [`stacks/hpx/${SHARD}.json.gz.bak`]: "gz 1", [`locks/organization/hpx/${SHARD}/`]: "" });
});

test("a stack with no checkpoint is already gone: nothing but the emptied lock folder changes", () => {
  const { url, dir } = backend({ [`stacks/hpx/${OTHER}.json`]: "other" });
  removeFileStack(url, SHARD);
  assert.deepEqual(contents(dir), { [`stacks/hpx/${OTHER}.json`]: "other", [`locks/organization/hpx/${SHARD}/`]: "" });
});

test("a stack another run holds is refused with the CLI's lock error, and nothing is removed", () => {
  const lock = JSON.stringify({ pid: 4242, username: "ci", hostname: "runner-1", timestamp: "2026-12-04T03:00:00Z" });
  const { url, dir } = backend({ ...layout, [`locks/organization/hpx/${SHARD}/4c1b.json`]: lock });
  const before = contents(dir);
  assert.throws(
    () => removeFileStack(url, SHARD),
    (err: unknown) => {
      assert.ok(err instanceof StackLockedError);
      assert.equal(err.stackName, SHARD);
      assert.equal(err.detail, `the stack is currently locked by 1 lock(s)\n  ${join(dir, ".pulumi", "locks", "organization", "hpx", SHARD, "4c1b.json")}: created by ci@runner-1 (pid 4242) at 2026-12-04T03:00:00Z`);
      return true;
    },
  );
  assert.deepEqual(contents(dir), before);
});

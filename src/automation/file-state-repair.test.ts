import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { repairBlobAttributes } from "./file-state-repair.ts";

const GOOD = '{"user.content_type":"text/plain; charset=utf-8","md5":"9VgZxaHzmzP0V38oY3MJkw=="}';

test("removes empty and cut-short attribute sidecars of stacks and locks, and nothing else", () => {
  const dir = mkdtempSync(join(tmpdir(), "hpx-repair-"));
  const stacks = join(dir, ".pulumi", "stacks", "hpx");
  const locks = join(dir, ".pulumi", "locks", "hpx", "kills");
  const backups = join(dir, ".pulumi", "backups", "hpx", "kills");
  for (const d of [stacks, locks, backups]) mkdirSync(d, { recursive: true });
  writeFileSync(join(stacks, "kills.json"), "{}");
  writeFileSync(join(stacks, "kills.json.attrs"), "");
  writeFileSync(join(stacks, "kills.json.bak"), "{}");
  writeFileSync(join(stacks, "kills.json.bak.attrs"), GOOD.slice(0, 20));
  writeFileSync(join(stacks, "other.json.attrs"), GOOD);
  writeFileSync(join(locks, "a.json.attrs"), "");
  writeFileSync(join(backups, "kills.1.json.attrs"), "");
  writeFileSync(join(dir, ".pulumi", "meta.yaml.attrs"), GOOD);

  expect(repairBlobAttributes(dir).sort()).toEqual(
    [join(locks, "a.json.attrs"), join(stacks, "kills.json.attrs"), join(stacks, "kills.json.bak.attrs")].sort(),
  );
  expect(readdirSync(stacks).sort()).toEqual(["kills.json", "kills.json.bak", "other.json.attrs"]);
  expect(readdirSync(backups)).toEqual(["kills.1.json.attrs"]);
  expect(repairBlobAttributes(dir)).toEqual([]);
});

test("a backend that was never written to needs nothing", () => {
  expect(repairBlobAttributes(mkdtempSync(join(tmpdir(), "hpx-repair-")))).toEqual([]);
});

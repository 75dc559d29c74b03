import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, test } from "vitest";
import { rememberedVersion } from "./pulumi-version-cache.ts";

const dir = mkdtempSync(join(tmpdir(), "hpx-versions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a version is kept per CLI file (0700 directory); a failed or garbled answer is asked again", () => {
  const bin = join(dir, "pulumi");
  writeFileSync(bin, "a CLI");
  const kept = join(dir, "kept");
  const asked: string[] = [];
  const ask = (answer: string | undefined) => (b: string) => (asked.push(b), answer);
  assert.equal(rememberedVersion(bin, kept, ask(undefined)), undefined);
  assert.equal(rememberedVersion(bin, kept, ask("warning: something")), "warning: something");
  assert.equal(rememberedVersion(bin, kept, ask("v3.274.1")), "v3.274.1");
  assert.equal(rememberedVersion(bin, kept, ask("v9.9.9")), "v3.274.1");
  assert.equal(asked.length, 3);
  assert.equal(statSync(kept).mode & 0o777, 0o700);
  assert.equal(readdirSync(kept).length, 1);
  // Another file (a CLI upgraded in place has another size or time) is asked on its own.
  writeFileSync(bin, "another CLI, longer");
  assert.equal(rememberedVersion(bin, kept, ask("v3.275.0")), "v3.275.0");
  assert.equal(asked.length, 4);
});

test("a CLI that is not there is asked each time, and nothing is kept", () => {
  const kept = join(dir, "none");
  assert.equal(rememberedVersion(join(dir, "missing"), kept, () => undefined), undefined);
  assert.throws(() => readdirSync(kept));
});

import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { stackPassphrase } from "./passphrase.ts";

test("PULUMI_CONFIG_PASSPHRASE wins and nothing is written", () => {
  const home = mkdtempSync(join(tmpdir(), "hpx-pp-"));
  assert.equal(stackPassphrase(home, { PULUMI_CONFIG_PASSPHRASE: "given" }), "given");
  assert.throws(() => statSync(join(home, "passphrase")));
});

test("a generated passphrase is kept 0600 and reused", () => {
  const home = mkdtempSync(join(tmpdir(), "hpx-pp-"));
  const first = stackPassphrase(home, {});
  assert.equal(first.length, 43);
  assert.equal(statSync(join(home, "passphrase")).mode & 0o777, 0o600);
  assert.equal(readFileSync(join(home, "passphrase"), "utf8"), `${first}\n`);
  assert.equal(stackPassphrase(home, {}), first);
});

test("a passphrase file readable by others is refused with the fix", () => {
  const home = mkdtempSync(join(tmpdir(), "hpx-pp-"));
  stackPassphrase(home, {});
  chmodSync(join(home, "passphrase"), 0o644);
  assert.throws(() => stackPassphrase(home, {}), {
    message: `${join(home, "passphrase")} is readable by others (mode 644)`,
  });
});

import assert from "node:assert/strict";
import { test } from "vitest";
import { secretsDigest } from "./secrets-digest.ts";

const secret = (name: string, data: Record<string, string>) => ({ metadata: { name }, stringData: data });

test("the digest follows every value, not the order, and shows none of them", () => {
  const a = secretsDigest([secret("web-env", { TOKEN: "one", MODE: "x" })], "k")!;
  assert.match(a, /^hmac-sha256:[0-9a-f]{32}$/);
  assert.equal(secretsDigest([secret("web-env", { MODE: "x", TOKEN: "one" })], "k"), a);
  assert.notEqual(secretsDigest([secret("web-env", { TOKEN: "two", MODE: "x" })], "k"), a);
  assert.notEqual(secretsDigest([secret("web-env", { TOKEN: "one", MODE: "x" })], "other key"), a);
  assert.ok(!a.includes("one"));
  assert.equal(secretsDigest([], "k"), undefined);
});

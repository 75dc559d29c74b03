import assert from "node:assert/strict";
import { test } from "vitest";
import { TOKEN_LIFETIME_MS, eksToken, tokenLifetimeMs } from "./eks-token.ts";

test("the reported lifetime is 14 minutes unless HPX_EKS_TOKEN_LIFETIME_SECONDS shortens it", async () => {
  assert.equal(tokenLifetimeMs({}), TOKEN_LIFETIME_MS);
  assert.equal(tokenLifetimeMs({ HPX_EKS_TOKEN_LIFETIME_SECONDS: "3" }), 3000);
  for (const bad of ["0", "-1", "abc", "841"]) {
    assert.throws(() => tokenLifetimeMs({ HPX_EKS_TOKEN_LIFETIME_SECONDS: bad }), {
      message: `HPX_EKS_TOKEN_LIFETIME_SECONDS must be a number of seconds from 1 to 840, got ${JSON.stringify(bad)}`,
    });
  }
  const now = new Date("2026-11-26T12:00:00Z");
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
  const token = await eksToken({ cluster: "c", region: "us-west-2", credentials, now, lifetimeMs: 3000 });
  assert.equal(token.expiresAt.toISOString(), "2026-11-26T12:00:03.000Z");
});

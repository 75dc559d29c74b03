import assert from "node:assert/strict";
import { test } from "vitest";
import { bearerMatches, isLoopback } from "./auth.ts";

test("loopback hosts", () => {
  for (const h of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) assert.equal(isLoopback(h), true, h);
  for (const h of ["0.0.0.0", "192.0.2.1", "::", "example.invalid"]) assert.equal(isLoopback(h), false, h);
});

test("bearer tokens: exact match only", () => {
  assert.equal(bearerMatches("Bearer s3cret", "s3cret"), true);
  for (const h of [undefined, "", "Bearer", "Bearer s3cre", "bearer s3cret", "Basic s3cret", "Bearer s3cret2"]) assert.equal(bearerMatches(h, "s3cret"), false, String(h));
});

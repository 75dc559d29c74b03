import assert from "node:assert/strict";
import { test } from "vitest";
import { EnvSecretStore, envVarFor } from "./env-store.ts";
import { NoneSecretStore } from "./none-store.ts";
import { resolveRef } from "./secret-store.ts";

const store = new EnvSecretStore({ HPX_SECRET_AWS_CREDS: '{"AccessKeyId":"AKIA","SecretAccessKey":"s3cr3t"}', HPX_SECRET_API: "tok" });

test("env store: names map to HPX_SECRET_ variables", () => {
  assert.equal(envVarFor("aws-creds"), "HPX_SECRET_AWS_CREDS");
  assert.equal(envVarFor("db.pass"), "HPX_SECRET_DB_PASS");
});

test("a ref without key is the whole secret; with key, that key of a JSON secret", async () => {
  assert.equal(await resolveRef(store, { secret_name: "api" }), "tok");
  assert.equal(await resolveRef(store, { secret_name: "aws-creds", key: "SecretAccessKey" }), "s3cr3t");
});

test("missing secrets and keys are errors that show no value", async () => {
  await assert.rejects(resolveRef(store, { secret_name: "nope" }), { message: "secret nope is not set: export HPX_SECRET_NOPE" });
  await assert.rejects(resolveRef(store, { secret_name: "aws-creds", key: "Token" }), { message: "secret aws-creds has no key Token" });
  await assert.rejects(resolveRef(store, { secret_name: "api", key: "x" }), { message: "secret api is not a JSON object, so it has no key x" });
});

test("the none store refuses every reference", async () => {
  await assert.rejects(resolveRef(new NoneSecretStore(), { secret_name: "api" }), {
    message: 'secret api is referenced but the stack\'s secret store is "none"',
  });
});

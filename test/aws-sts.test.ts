import assert from "node:assert/strict";
import { test } from "vitest";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { harnessEnv } from "./harness/env.ts";

const root = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };

test("assume a role in moto through @aws-sdk/client-sts and use the returned credentials", async () => {
  const { motoUrl } = harnessEnv();
  const sts = new STSClient({ region: "us-west-2", endpoint: motoUrl, credentials: root });
  const before = Date.now();
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: "arn:aws:iam::123456789012:role/EKSAdmin",
      RoleSessionName: "hpx-test",
      DurationSeconds: 900,
    }),
  );
  const creds = out.Credentials;
  assert.ok(creds?.AccessKeyId && creds.SecretAccessKey && creds.SessionToken && creds.Expiration);
  assert.match(creds.AccessKeyId, /^ASIA[A-Z0-9]{16}$/);
  assert.equal(creds.SecretAccessKey.length, 40);
  assert.equal(out.AssumedRoleUser?.Arn, "arn:aws:sts::123456789012:assumed-role/EKSAdmin/hpx-test");
  const lifetime = creds.Expiration.getTime() - before;
  assert.ok(lifetime > 890_000 && lifetime <= 901_000, `expiration ${lifetime} ms after the call, want ~900 s`);

  // The temporary credentials are accepted and identify the assumed role.
  const assumed = new STSClient({
    region: "us-west-2",
    endpoint: motoUrl,
    credentials: { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken },
  });
  const who = await assumed.send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, "arn:aws:sts::123456789012:assumed-role/EKSAdmin/hpx-test");
  assert.equal(who.Account, "123456789012");
});

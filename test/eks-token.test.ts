import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "vitest";
import { promisify } from "node:util";
import { eksToken, tokenUrl } from "../src/aws/eks-token.ts";
import { requireTool, toolchain } from "../src/toolchain.ts";
import { hpx } from "./harness/cli.ts";
import { harnessEnv } from "./harness/env.ts";
import { replayToMoto } from "./harness/sts-replay.ts";

const run = promisify(execFile);

const creds = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const isolated = { AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", AWS_EC2_METADATA_DISABLED: "true" };

async function awsGetToken(cluster: string, region: string): Promise<{ kind: string; apiVersion: string; spec: object; status: { expirationTimestamp: string; token: string } }> {
  const python = requireTool(toolchain().awscliPython, "awscli");
  const { stdout } = await run(python, ["-m", "awscli", "eks", "get-token", "--cluster-name", cluster, "--region", region], {
    env: { PATH: process.env.PATH, ...creds, ...isolated },
  });
  return JSON.parse(stdout);
}

test("the token equals aws eks get-token's field by field, signature included, for the same credentials and second", async () => {
  const theirs = await awsGetToken("my-cluster", "us-west-2");
  const theirUrl = tokenUrl(theirs.status.token);
  const date = theirUrl.searchParams.get("X-Amz-Date")!;
  const at = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
  const ours = await eksToken({
    cluster: "my-cluster",
    region: "us-west-2",
    credentials: { accessKeyId: creds.AWS_ACCESS_KEY_ID, secretAccessKey: creds.AWS_SECRET_ACCESS_KEY },
    now: at,
  });
  const ourUrl = tokenUrl(ours.token);
  assert.equal(ourUrl.origin + ourUrl.pathname, "https://sts.us-west-2.amazonaws.com/");
  assert.deepEqual([...ourUrl.searchParams.entries()], [...theirUrl.searchParams.entries()]);
  assert.equal(ourUrl.searchParams.get("X-Amz-SignedHeaders"), "host;x-k8s-aws-id");
  assert.equal(ourUrl.searchParams.get("X-Amz-Expires"), "60");
  assert.equal(ours.token, theirs.status.token);
  assert.equal(ours.expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z"), theirs.status.expirationTimestamp);
  assert.doesNotMatch(ours.token, /=/, "unpadded base64url");
});

test("hpx token prints an ExecCredential like aws-cli's, apiVersion from KUBERNETES_EXEC_INFO", async () => {
  const theirs = await awsGetToken("c1", "eu-central-1");
  const ours = await hpx(["token", "--cluster", "c1", "--region", "eu-central-1"], { ...creds, ...isolated });
  assert.equal(ours.code, 0, ours.stderr);
  const cred = JSON.parse(ours.stdout);
  assert.deepEqual(Object.keys(cred), Object.keys(theirs));
  assert.deepEqual([cred.kind, cred.apiVersion, cred.spec], [theirs.kind, theirs.apiVersion, theirs.spec]);
  assert.deepEqual([...tokenUrl(cred.status.token).searchParams.keys()], [...tokenUrl(theirs.status.token).searchParams.keys()]);
  const signedAt = tokenUrl(cred.status.token).searchParams.get("X-Amz-Date")!;
  const expiry = new Date(cred.status.expirationTimestamp).getTime();
  const signed = Date.parse(`${signedAt.slice(0, 4)}-${signedAt.slice(4, 6)}-${signedAt.slice(6, 8)}T${signedAt.slice(9, 11)}:${signedAt.slice(11, 13)}:${signedAt.slice(13)}`);
  assert.equal(expiry - signed, 14 * 60 * 1000);

  const v1 = await hpx(["token", "--cluster", "c1", "--region", "eu-central-1"], {
    ...creds,
    ...isolated,
    KUBERNETES_EXEC_INFO: JSON.stringify({ kind: "ExecCredential", apiVersion: "client.authentication.k8s.io/v1", spec: { interactive: false } }),
  });
  assert.equal(JSON.parse(v1.stdout).apiVersion, "client.authentication.k8s.io/v1");
});

test("with --role-arn the token is signed by the assumed role (moto), and STS identifies it", async () => {
  const { motoUrl } = harnessEnv();
  const res = await hpx(["token", "--cluster", "c1", "--region", "us-west-2", "--role-arn", "arn:aws:iam::123456789012:role/EKSAdmin", "--session-name", "hpx-ci"], {
    ...creds,
    ...isolated,
    AWS_ENDPOINT_URL: motoUrl,
  });
  assert.equal(res.code, 0, res.stderr);
  const url = tokenUrl(JSON.parse(res.stdout).status.token);
  assert.match(url.searchParams.get("X-Amz-Credential")!, /^ASIA[A-Z0-9]{16}\/\d{8}\/us-west-2\/sts\/aws4_request$/);
  assert.ok(url.searchParams.get("X-Amz-Security-Token"), "session token carried");
  // What the authenticator does: replay the presigned request to STS (here moto).
  const { status, body, arn } = await replayToMoto(motoUrl, url, "c1");
  assert.equal(status, 200, body);
  assert.equal(arn, "arn:aws:sts::123456789012:assumed-role/EKSAdmin/hpx-ci");
});

test("hpx token rejects a session duration outside 900..43200 as a usage error", async () => {
  const res = await hpx(["token", "--cluster", "c", "--region", "us-west-2", "--role-arn", "arn:aws:iam::1:role/x", "--duration-seconds", "60"]);
  assert.equal(res.code, 2);
  assert.equal(res.stderr, "hpx: --duration-seconds must be an integer from 900 to 43200, got 60\n");
});

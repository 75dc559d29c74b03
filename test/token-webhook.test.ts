import assert from "node:assert/strict";
import { test } from "vitest";
import { eksToken } from "../src/aws/eks-token.ts";
import { canonicalArn, checkToken } from "./harness/token-webhook.ts";

const creds = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" };
const tokenOf = (url: string) => `k8s-aws-v1.${Buffer.from(url).toString("base64url")}`;
const good = "https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Date=20261122T160000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id";
const at = Date.parse("2026-11-22T16:05:00Z");

test("the webhook accepts hpx's own token", async () => {
  const { token } = await eksToken({ cluster: "c", region: "us-west-2", credentials: creds });
  assert.ok("url" in checkToken(token));
});

test("the webhook applies aws-iam-authenticator's checks", () => {
  const refuse = (token: string, now = at) => {
    const r = checkToken(token, now);
    return "error" in r ? r.error : "accepted";
  };
  assert.equal(refuse(tokenOf(good)), "accepted");
  assert.equal(refuse("Bearer abc"), "token is not of type k8s-aws-v1");
  assert.equal(refuse(tokenOf(good.replace("https:", "http:"))), "unexpected scheme http:");
  assert.equal(refuse(tokenOf(good.replace("sts.us-west-2.amazonaws.com", "sts.evil.example"))), "unexpected hostname sts.evil.example");
  assert.equal(refuse(tokenOf(good.replace(".com/?", ".com/x?"))), "unexpected path");
  assert.equal(refuse(tokenOf(`${good}&X-Amz-Extra=1`)), "non-whitelisted query parameter X-Amz-Extra");
  assert.equal(refuse(tokenOf(good.replace("GetCallerIdentity", "AssumeRole"))), "unexpected action");
  assert.equal(refuse(tokenOf(good.replace("host%3Bx-k8s-aws-id", "host"))), "x-k8s-aws-id is not a signed header");
  assert.equal(refuse(tokenOf(good.replace("X-Amz-Expires=60", "X-Amz-Expires=901"))), "X-Amz-Expires out of range");
  assert.equal(refuse(tokenOf(good), Date.parse("2026-11-22T16:15:01Z")), "token is expired");
  assert.equal(refuse(`k8s-aws-v1.${"A".repeat(4100)}`), "token is too large");
});

test("assumed-role ARNs map through their role, as in aws-auth", () => {
  assert.deepEqual(canonicalArn("arn:aws:sts::123456789012:assumed-role/EKSAdmin/hpx-ci"), { arn: "arn:aws:iam::123456789012:role/EKSAdmin", session: "hpx-ci" });
  assert.deepEqual(canonicalArn("arn:aws:iam::123456789012:user/alice"), { arn: "arn:aws:iam::123456789012:user/alice" });
});

import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

export const TOKEN_PREFIX = "k8s-aws-v1.";
/** The authenticator accepts a token for 15 minutes; report expiry after 14, as aws-cli does. */
export const TOKEN_LIFETIME_MS = 14 * 60 * 1000;
export const CLUSTER_ID_HEADER = "x-k8s-aws-id";

/** The regional STS host of a region's partition (the authenticator accepts only real STS hosts). */
export function stsHost(region: string): string {
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `sts.${region}.${suffix}`;
}

export interface EksToken {
  token: string;
  expiresAt: Date;
}

/**
 * An EKS bearer token: `k8s-aws-v1.` + unpadded base64url of a presigned STS
 * GetCallerIdentity URL whose signed headers include `x-k8s-aws-id: <cluster>`.
 * Signed by the AWS SDK's SigV4 presigner; X-Amz-Expires=60 as the authenticator expects.
 */
export async function eksToken(opts: {
  cluster: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  now?: Date;
  /** When to report it expired, from signing (default {@link TOKEN_LIFETIME_MS}). */
  lifetimeMs?: number;
}): Promise<EksToken> {
  const now = opts.now ?? new Date();
  const hostname = stsHost(opts.region);
  const signer = new SignatureV4({ service: "sts", region: opts.region, credentials: opts.credentials, sha256: Hash.bind(null, "sha256") });
  const request = new HttpRequest({
    method: "GET",
    protocol: "https:",
    hostname,
    path: "/",
    query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
    headers: { host: hostname, [CLUSTER_ID_HEADER]: opts.cluster },
  });
  // The cluster header must stay a signed header, not be hoisted into the query.
  const signed = await signer.presign(request, { expiresIn: 60, signingDate: now, unhoistableHeaders: new Set([CLUSTER_ID_HEADER]) });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(signed.query ?? {})) query.append(key, String(value));
  const url = `https://${hostname}/?${query.toString()}`;
  return { token: TOKEN_PREFIX + Buffer.from(url).toString("base64url"), expiresAt: new Date(now.getTime() + (opts.lifetimeMs ?? TOKEN_LIFETIME_MS)) };
}

/**
 * The lifetime `hpx token` reports: 14 minutes, or HPX_EKS_TOKEN_LIFETIME_SECONDS for an
 * authenticator that accepts tokens for less (the test harness shortens it to make
 * tokens expire in the middle of a run).
 */
export function tokenLifetimeMs(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.HPX_EKS_TOKEN_LIFETIME_SECONDS;
  if (given === undefined || given === "") return TOKEN_LIFETIME_MS;
  const seconds = Number(given);
  if (!(Number.isFinite(seconds) && seconds > 0 && seconds * 1000 <= TOKEN_LIFETIME_MS)) {
    throw new Error(`HPX_EKS_TOKEN_LIFETIME_SECONDS must be a number of seconds from 1 to 840, got ${JSON.stringify(given)}`);
  }
  return seconds * 1000;
}

/** The presigned URL inside a token (for checks and tests). */
export function tokenUrl(token: string): URL {
  if (!token.startsWith(TOKEN_PREFIX)) throw new Error(`token does not start with ${TOKEN_PREFIX}`);
  return new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString("utf8"));
}

/** A client.authentication.k8s.io ExecCredential, as `aws eks get-token` prints it. */
export function execCredential(token: EksToken, execInfo = process.env.KUBERNETES_EXEC_INFO): Record<string, unknown> {
  let apiVersion = "client.authentication.k8s.io/v1beta1";
  if (execInfo) {
    const given = (JSON.parse(execInfo) as { apiVersion?: string }).apiVersion;
    if (given) apiVersion = given;
  }
  return {
    kind: "ExecCredential",
    apiVersion,
    spec: {},
    status: { expirationTimestamp: token.expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z"), token: token.token },
  };
}

/**
 * A TokenReview webhook for the local kube-apiserver that gives it EKS authentication:
 * it applies aws-iam-authenticator's checks to the presented token, replays the
 * presigned request to moto (playing STS), and maps the returned ARN to a Kubernetes
 * user and groups through the `aws-auth` ConfigMap in kube-system, as EKS does.
 */
import { createServer, type Server } from "node:http";
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { parse } from "yaml";
import { replayToMoto } from "./sts-replay.ts";

const PREFIX = "k8s-aws-v1.";
const MAX_TOKEN_BYTES = 4096;
const MAX_AGE_MS = 15 * 60 * 1000;
/** The query parameters aws-iam-authenticator lets through (lower-cased). */
const ALLOWED_PARAMS = new Set([
  "action",
  "version",
  "x-amz-algorithm",
  "x-amz-credential",
  "x-amz-date",
  "x-amz-expires",
  "x-amz-security-token",
  "x-amz-signature",
  "x-amz-signedheaders",
]);
const STS_HOST = /^sts(\.[a-z]{2}(-gov)?-[a-z]+-\d)?\.amazonaws\.com(\.cn)?$/;

/** Why a token is refused, or the presigned URL inside it. Pure: the checks only. */
export function checkToken(token: string, now = Date.now(), maxAgeMs = MAX_AGE_MS): { url: URL } | { error: string } {
  if (!token.startsWith(PREFIX)) return { error: "token is not of type k8s-aws-v1" };
  if (token.length > MAX_TOKEN_BYTES) return { error: "token is too large" };
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice(PREFIX.length), "base64url").toString("utf8"));
  } catch {
    return { error: "token is not a base64url-encoded URL" };
  }
  if (url.protocol !== "https:") return { error: `unexpected scheme ${url.protocol}` };
  if (!STS_HOST.test(url.host)) return { error: `unexpected hostname ${url.host}` };
  if (url.pathname !== "/") return { error: "unexpected path" };
  for (const key of url.searchParams.keys()) {
    if (!ALLOWED_PARAMS.has(key.toLowerCase())) return { error: `non-whitelisted query parameter ${key}` };
  }
  if (url.searchParams.get("Action") !== "GetCallerIdentity") return { error: "unexpected action" };
  const signed = (url.searchParams.get("X-Amz-SignedHeaders") ?? "").split(";");
  if (!signed.includes("x-k8s-aws-id")) return { error: "x-k8s-aws-id is not a signed header" };
  const expires = Number(url.searchParams.get("X-Amz-Expires"));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900) return { error: "X-Amz-Expires out of range" };
  const d = url.searchParams.get("X-Amz-Date") ?? "";
  const signedAt = Date.parse(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`);
  if (Number.isNaN(signedAt)) return { error: "malformed X-Amz-Date" };
  if (now > signedAt + maxAgeMs) return { error: "token is expired" };
  return { url };
}

/** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION -> arn:aws:iam::ACCOUNT:role/ROLE, as the authenticator canonicalises. */
export function canonicalArn(arn: string): { arn: string; session?: string } {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  return m ? { arn: `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`, session: m[4] } : { arn };
}

interface Mapping {
  rolearn?: string;
  userarn?: string;
  username: string;
  groups?: string[];
}

async function awsAuth(kc: KubeConfig): Promise<Mapping[]> {
  try {
    const cm = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: "aws-auth", namespace: "kube-system" });
    return [...((parse(cm.data?.mapRoles ?? "[]") as Mapping[]) ?? []), ...((parse(cm.data?.mapUsers ?? "[]") as Mapping[]) ?? [])];
  } catch {
    return [];
  }
}

export interface TokenWebhook {
  url: string;
  /** Refusals with reasons, newest last (for tests that check why). */
  refusals: string[];
  close(): Promise<void>;
}

/** Starts the webhook; `cluster` is the EKS cluster name it authenticates for. */
export async function startTokenWebhook(opts: { motoUrl: string; cluster: string; admin: () => KubeConfig }): Promise<TokenWebhook> {
  const refusals: string[] = [];
  // Tests shorten the lifetime at run time (POST /settings) to make tokens expire mid-run.
  let maxAgeMs = MAX_AGE_MS;
  const accepted = new Set<string>();
  const review = async (token: string) => {
    const checked = checkToken(token, Date.now(), maxAgeMs);
    if ("error" in checked) return { authenticated: false, error: checked.error };
    const sts = await replayToMoto(opts.motoUrl, checked.url, opts.cluster);
    if (sts.status !== 200 || !sts.arn) return { authenticated: false, error: `STS answered ${sts.status}` };
    const { arn, session } = canonicalArn(sts.arn);
    const mapping = (await awsAuth(opts.admin())).find((m) => m.rolearn === arn || m.userarn === arn);
    if (!mapping) return { authenticated: false, error: `ARN is not mapped: ${sts.arn}` };
    accepted.add(token);
    const username = mapping.username.replace("{{SessionName}}", session ?? "").replace("{{AccountID}}", arn.split(":")[4] ?? "");
    return { authenticated: true, user: { username, uid: `aws-iam-authenticator:${sts.arn}`, groups: mapping.groups ?? [], extra: { arn: [sts.arn] } } };
  };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", async () => {
      if (req.url === "/settings") {
        // Loopback-only test control: {maxAgeMs} sets the accepted token age; the answer counts distinct accepted tokens.
        const settings = JSON.parse(body || "{}") as { maxAgeMs?: number; reset?: boolean };
        if (settings.maxAgeMs !== undefined) maxAgeMs = settings.maxAgeMs;
        if (settings.reset) accepted.clear();
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ maxAgeMs, acceptedTokens: accepted.size, refusals }));
        return;
      }
      const input = JSON.parse(body || "{}") as { apiVersion?: string; spec?: { token?: string } };
      const status = await review(input.spec?.token ?? "").catch((err: Error) => ({ authenticated: false, error: err.message }));
      if (!status.authenticated) refusals.push(status.error ?? "refused");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ apiVersion: input.apiVersion ?? "authentication.k8s.io/v1", kind: "TokenReview", status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/authenticate`,
    refusals,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The kubeconfig kube-apiserver reads to reach the webhook. */
export function webhookKubeconfig(url: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    `clusters: [{name: aws-iam-authenticator, cluster: {server: "${url}"}}]`,
    "users: [{name: apiserver, user: {}}]",
    "contexts: [{name: webhook, context: {cluster: aws-iam-authenticator, user: apiserver}}]",
    "current-context: webhook",
    "",
  ].join("\n");
}

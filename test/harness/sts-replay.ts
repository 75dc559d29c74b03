import { request } from "node:http";

/**
 * Replays a presigned STS GetCallerIdentity URL to moto, as aws-iam-authenticator
 * replays it to STS. moto routes by the Authorization header and reads the caller's
 * access key from it (not from a presigned query), so the same credential, date,
 * session token and signature travel as headers; the query keeps Action and Version.
 */
export function replayToMoto(motoUrl: string, presigned: URL, cluster: string): Promise<{ status: number; body: string; arn?: string }> {
  const moto = new URL(motoUrl);
  const q = presigned.searchParams;
  const headers: Record<string, string> = {
    authorization: `AWS4-HMAC-SHA256 Credential=${q.get("X-Amz-Credential")}, SignedHeaders=${q.get("X-Amz-SignedHeaders")}, Signature=${q.get("X-Amz-Signature")}`,
    "x-amz-date": q.get("X-Amz-Date") ?? "",
    "x-k8s-aws-id": cluster,
  };
  const sessionToken = q.get("X-Amz-Security-Token");
  if (sessionToken) headers["x-amz-security-token"] = sessionToken;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: moto.hostname, port: moto.port, path: `/?Action=${q.get("Action")}&Version=${q.get("Version")}`, method: "GET", headers, timeout: 10_000 },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, arn: /<Arn>([^<]+)<\/Arn>/.exec(body)?.[1] }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test, vi } from "vitest";
import { stringify } from "yaml";
import { directGet } from "./kube-direct.ts";
import { KubeGetError } from "./kube-get.ts";

const kubeconfig = (cluster: Record<string, unknown>, user: Record<string, unknown>) =>
  stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": "x",
    contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
    clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:6443", ...cluster } }],
    users: [{ name: "u", user }],
  });

afterEach(() => vi.unstubAllEnvs());

test.each([
  ["an exec plugin (EKS)", {}, { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "hpx", args: ["token"] } }],
  ["an auth provider", {}, { "auth-provider": { name: "oidc", config: {} } }],
  ["a user name and password", {}, { username: "u", password: "p" }],
  ["impersonation", {}, { token: "t", as: "admin" }],
  ["a proxy", { "proxy-url": "http://proxy:3128" }, { token: "t" }],
  ["a TLS server name", { "tls-server-name": "api" }, { token: "t" }],
])("leaves %s to client-node", (_name, cluster, user) => {
  expect(directGet(kubeconfig(cluster, user))).toBeUndefined();
});

test("leaves a proxy set in the environment to client-node", () => {
  vi.stubEnv("HTTPS_PROXY", "http://proxy:3128");
  expect(directGet(kubeconfig({}, { token: "t" }))).toBeUndefined();
});

test("reads with certificates or a token, and nothing else", () => {
  expect(directGet(kubeconfig({ "certificate-authority": "/ca.crt" }, { "client-certificate": "/c.crt", "client-key": "/c.key" }))).toBeTypeOf("function");
  expect(directGet(kubeconfig({ "insecure-skip-tls-verify": true }, { token: "t" }))).toBeTypeOf("function");
});

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

test("GETs under the server's path with the token file's token, read per request, and the Accept asked for", async () => {
  const asked: { url?: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    asked.push({ url: req.url, headers: req.headers });
    if (req.url?.endsWith("/missing")) res.writeHead(404).end('{"reason":"NotFound"}');
    else res.writeHead(200, { "content-type": "application/json" }).end('{"metadata":{"uid":"u1"}}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  dir = mkdtempSync(join(tmpdir(), "hpx-direct-"));
  const tokenFile = join(dir, "token");
  writeFileSync(tokenFile, "first\n");
  try {
    const get = directGet(kubeconfig({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix` }, { tokenFile }))!;
    expect(await get("/api/v1/namespaces/kube-system")).toEqual({ metadata: { uid: "u1" } });
    writeFileSync(tokenFile, "second\n");
    await get("/api/v1/secrets", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
    await expect(get("/missing")).rejects.toEqual(new KubeGetError(404, '{"reason":"NotFound"}'));
    expect(asked.map((a) => [a.url, a.headers.authorization, a.headers.accept])).toEqual([
      ["/prefix/api/v1/namespaces/kube-system", "Bearer first", "application/json"],
      ["/prefix/api/v1/secrets", "Bearer second", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"],
      ["/prefix/missing", "Bearer second", "application/json"],
    ]);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

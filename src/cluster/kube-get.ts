/**
 * GET requests to the Kubernetes API with nothing but node:https and the kubeconfig.
 * `hpx ls` uses it whole: @kubernetes/client-node takes about 260 ms to import (it loads
 * every generated API), which is twice what `kubectl get` takes in all, and ls needs
 * three list requests. Its GET (`getJson`) also serves kube-list.ts, which reads lists as
 * plain JSON with client-node's credentials.
 */
import { readFileSync } from "node:fs";
import type { Agent, RequestOptions } from "node:https";
import { promisify } from "node:util";
import { parse } from "yaml";

/** The content type of the API server's protobuf answers (decoded by kube-protobuf.ts, loaded only when one comes: `hpx ls` asks for JSON). */
export const PROTOBUF = "application/vnd.kubernetes.protobuf";

// node:http and node:https through process.getBuiltinModule, not `import`: an import of
// node:http reads every one of its exports, the lazy WebSocket and EventSource too, which
// load undici and node:http2 (about 0.1 s of CPU in an `hpx ls` of 0.9 s). child_process
// is asked for only when a kubeconfig runs a credential plugin.
const http = process.getBuiltinModule("node:http");
const https = process.getBuiltinModule("node:https");
const run = (command: string, args: string[], opts: { env: NodeJS.ProcessEnv }) => promisify(process.getBuiltinModule("node:child_process").execFile)(command, args, opts);

interface Named<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}
/** A kubeconfig's cluster entry, the fields hpx reads itself. */
export interface ClusterEntry {
  server: string;
  "certificate-authority-data"?: string;
  "certificate-authority"?: string;
  "insecure-skip-tls-verify"?: boolean;
}
/** A kubeconfig's user entry, the fields hpx reads itself. */
export interface UserEntry {
  "client-certificate-data"?: string;
  "client-key-data"?: string;
  "client-certificate"?: string;
  "client-key"?: string;
  token?: string;
  tokenFile?: string;
  exec?: { command: string; args?: string[]; env?: { name: string; value: string }[] };
}
interface KubeconfigFile {
  "current-context"?: string;
  contexts?: Named<{ cluster: string; user: string }>[];
  clusters?: Named<ClusterEntry>[];
  users?: Named<UserEntry>[];
}

/** One GET of JSON at a path of the API server, with an Accept header of its own if given. */
export type JsonGet = (path: string, accept?: string) => Promise<unknown>;

/** An error shaped as client-node's, so explainKubeError reads both the same way. */
export class KubeGetError extends Error {
  readonly code: number;
  readonly body: string;
  constructor(code: number, body: string) {
    super(`HTTP ${code}: ${body.slice(0, 200)}`);
    this.code = code;
    this.body = body;
  }
}

const pem = (data: string | undefined, file: string | undefined): Buffer | undefined =>
  data !== undefined ? Buffer.from(data, "base64") : file !== undefined ? readFileSync(file) : undefined;

/** GETs through one kept-alive connection pool; `close` lets the process exit. */
export interface KubeGetter {
  get(path: string): Promise<unknown>;
  close(): void;
}

/** The kubeconfig's context (the current one unless named): its cluster and user entries. */
export function kubeconfigEntry(kubeconfig: string, contextName?: string): { cluster: ClusterEntry; user: UserEntry } {
  const config = parse(kubeconfig) as KubeconfigFile;
  const ctxName = contextName ?? config["current-context"];
  const context = config.contexts?.find((c) => c.name === ctxName)?.context;
  const cluster = config.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const user = config.users?.find((u) => u.name === context?.user)?.user ?? {};
  if (!context || !cluster) throw new Error(`kubeconfig: no context ${ctxName ?? "(current)"} with a cluster`);
  return { cluster, user };
}

/** A getter for the kubeconfig's context (the current one unless named). */
export async function kubeGetter(kubeconfig: string, contextName?: string): Promise<KubeGetter> {
  const { cluster, user } = kubeconfigEntry(kubeconfig, contextName);
  let token = staticToken(user);
  if (user.exec) {
    // An exec credential plugin (EKS: `hpx token`), run as kubectl runs it.
    const env = { ...process.env, ...Object.fromEntries((user.exec.env ?? []).map((e) => [e.name, e.value])) };
    const { stdout } = await run(user.exec.command, user.exec.args ?? [], { env });
    token = (JSON.parse(stdout) as { status?: { token?: string } }).status?.token;
  }
  const agent = entryAgent(cluster, user, true);
  const get = bearerGet(cluster, () => agent, () => token);
  return { get: (path) => get(path), close: () => agent?.destroy() };
}

/** The user's token as written, or read from its token file (which a projected service account token rotates). */
export function staticToken(user: UserEntry): string | undefined {
  return user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, "utf8").trim() : undefined);
}

/**
 * How long a kept-alive connection may sit idle before it is closed (Node's agent destroys
 * a free socket at its timeout; undici's default, which client-node's requests use, is 4 s).
 * `hpx serve` makes a cluster per request: its idle connections must not pile up.
 */
export const IDLE_SOCKET_MS = 5_000;

/** The agent holding the entries' TLS settings; none for a plain-HTTP server. */
export function entryAgent(cluster: ClusterEntry, user: UserEntry, keepAlive: boolean): Agent | undefined {
  if (new URL(cluster.server).protocol !== "https:") return undefined;
  return new https.Agent({
    keepAlive,
    ...(keepAlive ? { timeout: IDLE_SOCKET_MS } : {}),
    ca: pem(cluster["certificate-authority-data"], cluster["certificate-authority"]),
    cert: pem(user["client-certificate-data"], user["client-certificate"]),
    key: pem(user["client-key-data"], user["client-key"]),
    rejectUnauthorized: cluster["insecure-skip-tls-verify"] !== true,
  });
}

/** GETs at the cluster's server through `agent()`, with `token()`'s bearer token, both asked for at each request. */
export function bearerGet(cluster: ClusterEntry, agent: () => Agent | undefined, token: () => string | undefined): JsonGet {
  const base = new URL(cluster.server);
  return async (path, accept = "application/json") => {
    const a = agent();
    const t = token();
    return getJson(apiUrl(base, path), { ...(a ? { agent: a } : {}), headers: { Accept: accept, ...(t ? { Authorization: `Bearer ${t}` } : {}) } });
  };
}

/** `path` under the API server's URL (which may carry a path prefix of its own). */
export const apiUrl = (server: URL, path: string): URL => new URL(server.pathname.replace(/\/$/, "") + path, server);

/**
 * One GET, its JSON body parsed; an answer other than 200 rejects with a KubeGetError. A
 * protobuf answer (asked for in the Accept header, kube-protobuf.ts) resolves with its
 * bytes; a protobuf refusal is turned into its JSON Status, which the errors read.
 */
export function getJson(url: URL, opts: RequestOptions): Promise<unknown> {
  const request = url.protocol === "http:" ? http.request : https.request;
  return new Promise<unknown>((resolve, reject) => {
    const req = request(url, { ...opts, method: "GET" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const bytes = Buffer.concat(chunks);
        const protobuf = res.headers["content-type"]?.startsWith(PROTOBUF) === true;
        if (res.statusCode === 200) {
          try {
            resolve(protobuf ? bytes : JSON.parse(bytes.toString("utf8")));
          } catch (err) {
            reject(err);
          }
        } else if (protobuf) {
          import("./kube-protobuf.ts").then((m) => reject(new KubeGetError(res.statusCode ?? 0, m.statusAsJson(bytes))), reject);
        } else {
          reject(new KubeGetError(res.statusCode ?? 0, bytes.toString("utf8")));
        }
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * hpx's connections to the API server through @kubernetes/client-node, reused: its API
 * calls (shareDispatchers) and the plain GETs made with its credentials (keptAliveAgent).
 * As client-node 2.0.1 comes, neither keeps a connection between two requests.
 */
import { createHash } from "node:crypto";
import type { Agent, RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { IDLE_SOCKET_MS } from "./kube-get.ts";

/** What client-node 2.0.1's KubeConfig does, privately, to make each request's undici dispatcher. */
interface DispatcherMaker {
  createDispatcher?: (cluster: unknown, agentOptions: unknown) => unknown;
}

/**
 * Makes `kc` reuse one undici Agent per TLS identity, so that its requests share
 * keep-alive connections. client-node 2.0.1 makes a new Agent for every API call
 * (`applySecurityAuthentication` calls `createDispatcher` each time), so every request
 * opened a new TLS connection: a destroy of 1,000 processes shook hands 2,000 times, and
 * hpx spent ~8 ms of CPU per request on it (the API server paid its side too).
 *
 * The key is what the Agent's connections are made with (client-node's public
 * `createDispatcherOptions`: the CA, client certificate and key, server name, proxy). A
 * bearer token (EKS's, renewed) goes in each request's headers, not here, so a renewed
 * token reuses the connections. Idle sockets do not keep the process alive (undici unrefs
 * them). If a later client-node no longer has the method, requests go as before
 * (shared-dispatchers.test.ts fails first).
 */
export function shareDispatchers(kc: KubeConfig): void {
  const maker = kc as unknown as DispatcherMaker;
  const make = maker.createDispatcher?.bind(kc);
  if (!make) return;
  const shared = new Map<string, unknown>();
  maker.createDispatcher = (cluster, agentOptions) => {
    const key = identityKey(kc.createDispatcherOptions(cluster as Parameters<KubeConfig["createDispatcherOptions"]>[0], agentOptions as Parameters<KubeConfig["createDispatcherOptions"]>[1]));
    if (!shared.has(key)) shared.set(key, make(cluster, agentOptions));
    return shared.get(key);
  };
}

/** The kept-alive agents of each KubeConfig's plain GETs, by TLS identity. */
const httpsAgents = new WeakMap<KubeConfig, Map<string, Agent>>();

/**
 * A kept-alive agent for a plain GET made with the HTTPS options client-node applied
 * (`applyToHTTPSOptions`: kube-list.ts's clientNodeGet, the path of exec plugins such as
 * EKS's). client-node's agent for them is made without keep-alive, so each GET opened a
 * connection: on EKS, a TCP and a TLS handshake with a remote endpoint per request. A
 * proxied cluster or a plain-HTTP one keeps client-node's agent.
 */
export function keptAliveAgent(kc: KubeConfig, opts: RequestOptions): Agent | undefined {
  const cluster = kc.getCurrentCluster();
  if (!cluster || cluster.proxyUrl || !cluster.server.startsWith("https:")) return opts.agent as Agent | undefined;
  const tls = { ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername };
  const key = identityKey(tls);
  const agents = httpsAgents.get(kc) ?? httpsAgents.set(kc, new Map()).get(kc)!;
  let agent = agents.get(key);
  if (!agent) {
    // node:https through getBuiltinModule, as kube-get.ts: an import would read node:http's lazy exports.
    agent = new (process.getBuiltinModule("node:https").Agent)({ ...tls, keepAlive: true, timeout: IDLE_SOCKET_MS });
    agents.set(key, agent);
  }
  return agent;
}

/** A digest of a dispatcher's options: certificates and keys hashed as bytes, not kept or printed. */
function identityKey(options: object): string {
  const hash = createHash("sha256");
  const walk = (value: unknown, path: string): void => {
    if (value === undefined) return;
    if (Buffer.isBuffer(value) || typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) {
      hash.update(`${path}=${typeof value}:`).update(Buffer.isBuffer(value) ? value : String(value)).update("\0");
      return;
    }
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`));
    for (const k of Object.keys(value as object).sort()) walk((value as Record<string, unknown>)[k], `${path}.${k}`);
  };
  walk(options, "");
  return hash.digest("hex");
}

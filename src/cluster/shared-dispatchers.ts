import { createHash } from "node:crypto";
import type { KubeConfig } from "@kubernetes/client-node";

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

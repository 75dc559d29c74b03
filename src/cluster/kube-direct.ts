/**
 * The guards' reads (the cluster's identity, the namespace's metadata) without
 * @kubernetes/client-node, whose import takes ~0.8 s (it loads every generated API) of
 * every command that reads the cluster. Only for a kubeconfig whose user signs in
 * with what needs none of client-node's code: client certificates, a token, a token file
 * (the local cluster's, a service account's). Anything else (an exec plugin such as EKS's,
 * an auth provider, a proxy) goes through client-node, which knows it.
 */
import { bearerGet, entryAgent, kubeconfigEntry, staticToken, type JsonGet } from "./kube-get.ts";

const PLAIN_CLUSTER = new Set(["server", "certificate-authority", "certificate-authority-data", "insecure-skip-tls-verify", "extensions"]);
const PLAIN_USER = new Set(["client-certificate", "client-certificate-data", "client-key", "client-key-data", "token", "tokenFile", "extensions"]);
const PROXY_ENV = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

/** A GET with the kubeconfig's credentials, or undefined when they need client-node. */
export function directGet(kubeconfig: string, contextName?: string): JsonGet | undefined {
  if (PROXY_ENV.some((name) => process.env[name])) return undefined;
  let entry: ReturnType<typeof kubeconfigEntry>;
  try {
    entry = kubeconfigEntry(kubeconfig, contextName);
  } catch {
    return undefined; // client-node says what is wrong with it
  }
  const { cluster, user } = entry;
  if (!Object.keys(cluster).every((k) => PLAIN_CLUSTER.has(k)) || !Object.keys(user).every((k) => PLAIN_USER.has(k))) return undefined;
  // Made at the first request (it reads the certificate files). Kept alive: a command's
  // GETs (the cluster's identity, the namespace's metadata by kind, the wait's lists) would
  // otherwise each open a TLS connection of their own. Node's agent unrefs an idle
  // socket, so a command still ends when its work does.
  let agent: ReturnType<typeof entryAgent>;
  return bearerGet(cluster, () => (agent ??= entryAgent(cluster, user, true)), () => staticToken(user));
}

import { ClusterError, StackError } from "../errors.ts";
import type { JsonGet } from "./kube-get.ts";
import { explainKubeError, type EksIdentity } from "./kube-errors.ts";

/**
 * Which cluster a stack's objects live in. The `kube-system` namespace's UID is fixed for
 * a cluster's lifetime and differs between clusters, whatever their address or name.
 */
export interface ClusterIdentity {
  /** UID of the kube-system namespace. */
  uid: string;
  /** API server URL, for messages only (it may change: a new port, a load balancer). */
  server: string;
}

/** How long hpx waits for the API server's first answer before calling it unreachable. */
export const REACH_TIMEOUT_MS = 15_000;

/** Rejects after `ms` with the error `make()` builds, unless `work` settles first. */
export async function withTimeout<T>(work: Promise<T>, ms: number, make: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(make()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The network-level cause of a failed request (ECONNREFUSED, ENOTFOUND, ...), if it was one. */
export function networkCause(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+/.test(code)) return code;
  }
  return undefined;
}

/** Reads the cluster's identity; an unreachable API server fails in seconds with a clear message. */
export async function clusterIdentity(get: JsonGet, server: string, eks?: EksIdentity, timeoutMs = REACH_TIMEOUT_MS): Promise<ClusterIdentity> {
  const unreachable = (why: string) =>
    new ClusterError(`cannot reach the cluster at ${server}: ${why}`, undefined, [
      "nothing was changed; check that the cluster runs and that the kubeconfig points at it",
    ]);
  try {
    const ns = (await withTimeout(get("/api/v1/namespaces/kube-system"), timeoutMs, () => unreachable(`no answer within ${timeoutMs / 1000} s`))) as { metadata?: { uid?: string } };
    return { uid: ns.metadata?.uid ?? "", server };
  } catch (err) {
    if (err instanceof ClusterError) throw err;
    const cause = networkCause(err);
    if (cause) throw unreachable(cause);
    return explainKubeError(err, eks);
  }
}

/**
 * Refuses to run a stack against another cluster than the one its state records: its
 * objects are elsewhere, and same-named objects here are not its own.
 */
export function checkSameCluster(stack: string, recorded: ClusterIdentity | undefined, live: ClusterIdentity): void {
  if (!recorded || recorded.uid === live.uid) return;
  throw new StackError(
    `stack ${stack} belongs to the cluster whose kube-system UID is ${recorded.uid} (${recorded.server}), ` +
      `but this cluster's is ${live.uid} (${live.server})`,
    undefined,
    [
      "nothing was changed; point the stack's runtime at its own cluster again,",
      `or, if that cluster is gone for good, move the stack here: hpx up --accept-cluster -s ${stack} (its objects there are left alone)`,
    ],
  );
}

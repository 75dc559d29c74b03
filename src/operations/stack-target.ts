import { kubeconfigAccess, localAccess, type ClusterAccess } from "../cluster/cluster-access.ts";
import { SpecError } from "../errors.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import type { ProcessSource } from "../spec/load-process-file.ts";
import type { ProcessSpec, SecretRef } from "../spec/process-spec.ts";
import type { SecretStore } from "../secrets/secret-store.ts";
import { MissingSecretError, resolveSecrets } from "./resolve-secrets.ts";
import { secretStore, type StackContext } from "./stack-context.ts";
import type { StackTarget } from "./types.ts";

/** Reaches the stack's cluster; the local simulated cluster is started when it is not running. */
export async function clusterAccess(
  ctx: StackContext,
  opts: { startLocal: boolean; onProgress?: (message: string) => void; interactive?: boolean },
): Promise<ClusterAccess> {
  const runtime = ctx.settings.runtime;
  switch (runtime.runtime_type) {
    case "local": {
      // Imported when needed, as the AWS SDK below: `hpx ls` loads neither.
      if (opts.startLocal) await new (await import("../cluster/local-cluster.ts")).LocalCluster().up({ onProgress: opts.onProgress && ((m) => opts.onProgress!(`local cluster: ${m}`)) });
      return localAccess(runtime.namespace);
    }
    case "kubeconfig":
      return kubeconfigAccess(runtime.kubeconfig, runtime.context, runtime.namespace);
    case "eks":
      return (await import("../aws/eks-access.ts")).eksAccess(runtime, await secretStore(ctx, opts.interactive));
  }
}

/** The processes' secret values, read now; a missing one is a SpecError located in `source` when that holds the process. */
export async function locatedSecrets(processes: readonly ProcessSpec[], store: SecretStore, source: ProcessSource | undefined): Promise<(ref: SecretRef) => string> {
  return resolveSecrets(processes, store).catch((err: unknown) => {
    const at = err instanceof MissingSecretError ? source?.locate(err.site.process, err.site.path) : undefined;
    if (at) throw new SpecError([{ file: source!.file, ...at, message: (err as Error).message }]);
    throw err;
  });
}

/**
 * Everything the operations need to run a stack, resolved before any engine starts:
 * secret values first (a missing one changes nothing), then the cluster. A secret the
 * store lacks is bad input, located in `source` (the processes file or request body the
 * desired state came from, as first parsed) when that holds the process.
 */
export async function stackTarget(
  ctx: StackContext,
  desired: DesiredState,
  opts: { interactive: boolean; onProgress?: (message: string) => void; source?: ProcessSource },
): Promise<StackTarget> {
  const secrets = await locatedSecrets(desired.processes, await secretStore(ctx, opts.interactive), opts.source);
  const access = await clusterAccess(ctx, { startLocal: true, onProgress: opts.onProgress, interactive: opts.interactive });
  return { stack: ctx.name, backend: ctx.settings.backend, access, secrets };
}

import { kubeconfigAccess, localAccess, type ClusterAccess } from "../cluster/cluster-access.ts";
import type { DesiredState } from "./desired-state.ts";
import { resolveSecrets } from "./resolve-secrets.ts";
import { secretStore, type StackContext } from "./stack-context.ts";
import type { StackTarget } from "./stack-operations.ts";

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


/**
 * Everything the operations need to run a stack, resolved before any engine starts:
 * secret values first (a missing one changes nothing), then the cluster.
 */
export async function stackTarget(
  ctx: StackContext,
  desired: DesiredState,
  opts: { interactive: boolean; onProgress?: (message: string) => void },
): Promise<StackTarget> {
  const secrets = await resolveSecrets(desired.processes, await secretStore(ctx, opts.interactive));
  const access = await clusterAccess(ctx, { startLocal: true, onProgress: opts.onProgress, interactive: opts.interactive });
  return { stack: ctx.name, backend: ctx.settings.backend, access, secrets };
}

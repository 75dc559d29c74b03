import { eksAccess } from "../aws/eks-access.ts";
import { kubeconfigAccess, localAccess, type ClusterAccess } from "../cluster/cluster-access.ts";
import { LocalCluster } from "../cluster/local-cluster.ts";
import { progress } from "./output.ts";
import { secretStore, type StackContext } from "./stack-context.ts";

/** Reaches the stack's cluster; the local simulated cluster is started when it is not running. */
export async function clusterAccess(ctx: StackContext, opts: { startLocal: boolean; quiet?: boolean }): Promise<ClusterAccess> {
  const runtime = ctx.settings.runtime;
  switch (runtime.runtime_type) {
    case "local": {
      if (opts.startLocal) await new LocalCluster().up({ onProgress: opts.quiet ? undefined : (m) => progress(`local cluster: ${m}`) });
      return localAccess(runtime.namespace);
    }
    case "kubeconfig":
      return kubeconfigAccess(runtime.kubeconfig, runtime.context, runtime.namespace);
    case "eks":
      return eksAccess(runtime, await secretStore(ctx));
  }
}


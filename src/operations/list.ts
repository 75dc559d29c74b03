import { stackMembers } from "../automation/recorded-identity.ts";
import { explainKubeError } from "../cluster/kube-errors.ts";
import { listProcesses } from "../cluster/list-processes.ts";
import type { ProcessInfo } from "../cluster/process-info.ts";
import type { StackContext } from "./stack-context.ts";
import { clusterAccess } from "./stack-target.ts";

export type { ProcessInfo };

/**
 * `hpx ls` and `GET /process`: the stack's processes and where they can be reached. Reads
 * the stack's identity from its state (without the Pulumi CLI for a file backend) and
 * lists with three requests; never starts the local cluster.
 */
export async function listStack(ctx: StackContext, opts: { group?: string; interactive?: boolean; hydroplane?: boolean } = {}): Promise<{ processes: ProcessInfo[]; simulated: boolean }> {
  const access = await clusterAccess(ctx, { startLocal: false, interactive: opts.interactive });
  const members = await stackMembers(ctx.name, ctx.settings.backend, access.namespace);
  // Straight to the lister, not through kubeCluster(): its other parts load the whole
  // Kubernetes client (about 0.5 s of the command's start, which `ls` does not need).
  const processes = await listProcesses(access, { namespace: access.namespace, group: opts.group, stack: members, hydroplane: opts.hydroplane }).catch((err: unknown) => explainKubeError(err, access.eks));
  return { processes, simulated: access.simulated };
}

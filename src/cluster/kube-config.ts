import { KubeConfig } from "@kubernetes/client-node";
import type { ClusterAccess } from "./cluster-access.ts";
import { shareDispatchers } from "./shared-dispatchers.ts";

/** A client-node configuration for live queries (up's checks and watch, destroy's deletions, doctor, serve). */
export function kubeConfigFor(access: ClusterAccess): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(access.kubeconfig);
  if (access.context !== undefined) kc.setCurrentContext(access.context);
  shareDispatchers(kc);
  return kc;
}

import { KubeConfig } from "@kubernetes/client-node";
import type { ClusterAccess } from "./cluster-access.ts";

/** A client-node configuration for live queries (up's checks and watch, doctor, serve). */
export function kubeConfigFor(access: ClusterAccess): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(access.kubeconfig);
  if (access.context !== undefined) kc.setCurrentContext(access.context);
  return kc;
}

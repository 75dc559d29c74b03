/** One permission hpx needs: what `hpx doctor` checks and what a minimal Role grants. */
export interface Permission {
  apiGroup: string;
  /** A subresource as RBAC names it: `pods/log`. */
  resource: string;
  verbs: readonly string[];
  /** Cluster-scoped resources need a ClusterRole. */
  clusterScoped?: boolean;
  /** Only these objects (RBAC resourceNames). */
  names?: readonly string[];
}

const WRITE = ["get", "list", "watch", "create", "update", "patch", "delete"] as const;
const READ = ["get", "list", "watch"] as const;

/**
 * Exactly what hpx does. The provider applies, reads and deletes Deployments, Services
 * and Secrets (hpx lists them too, to refuse taking over objects it did not create).
 * The provider's own readiness awaits are off (they read ReplicaSets and Endpoints):
 * hpx watches Deployments and pods instead. `hpx ls` lists pods, Services and nodes;
 * the kube-system namespace's UID tells which cluster a stack belongs to. Each stack's
 * ApplySet parent is a ConfigMap hpx creates, reads (to name a foreign object's owner)
 * and deletes with the stack's last object. `hpx logs` reads a pod's log (the pods/log
 * subresource, which RBAC names `pods/log`).
 */
export const HPX_PERMISSIONS: readonly Permission[] = [
  { apiGroup: "apps", resource: "deployments", verbs: WRITE },
  { apiGroup: "", resource: "services", verbs: WRITE },
  { apiGroup: "", resource: "secrets", verbs: WRITE },
  { apiGroup: "", resource: "configmaps", verbs: ["get", "list", "create", "delete"] },
  { apiGroup: "", resource: "pods", verbs: READ },
  { apiGroup: "", resource: "pods/log", verbs: ["get"] },
  { apiGroup: "", resource: "nodes", verbs: ["list"], clusterScoped: true },
  { apiGroup: "", resource: "namespaces", verbs: ["get"], clusterScoped: true, names: ["kube-system"] },
];

/** RBAC rules for a Role (namespaced) or a ClusterRole (cluster-scoped) granting them. */
export function rbacRules(clusterScoped: boolean): { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[] {
  return HPX_PERMISSIONS.filter((p) => Boolean(p.clusterScoped) === clusterScoped).map((p) => ({
    apiGroups: [p.apiGroup],
    resources: [p.resource],
    verbs: [...p.verbs],
    ...(p.names ? { resourceNames: [...p.names] } : {}),
  }));
}

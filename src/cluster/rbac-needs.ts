/** One permission hpx needs: what `hpx doctor` checks and what a minimal Role grants. */
export interface Permission {
  apiGroup: string;
  resource: string;
  verbs: readonly string[];
  /** Cluster-scoped resources need a ClusterRole. */
  clusterScoped?: boolean;
}

const WRITE = ["get", "list", "watch", "create", "update", "patch", "delete"] as const;
const READ = ["get", "list", "watch"] as const;

/**
 * Exactly what hpx does: the provider manages Deployments, Services and Secrets and
 * watches pods, endpoints and events while it awaits readiness; `hpx ls` lists nodes.
 */
export const HPX_PERMISSIONS: readonly Permission[] = [
  { apiGroup: "apps", resource: "deployments", verbs: WRITE },
  { apiGroup: "", resource: "services", verbs: WRITE },
  { apiGroup: "", resource: "secrets", verbs: WRITE },
  { apiGroup: "", resource: "pods", verbs: READ },
  { apiGroup: "", resource: "events", verbs: READ },
  { apiGroup: "discovery.k8s.io", resource: "endpointslices", verbs: READ },
  { apiGroup: "", resource: "nodes", verbs: ["list"], clusterScoped: true },
];

/** RBAC rules for a Role (namespaced) or a ClusterRole (cluster-scoped) granting them. */
export function rbacRules(clusterScoped: boolean): { apiGroups: string[]; resources: string[]; verbs: string[] }[] {
  return HPX_PERMISSIONS.filter((p) => Boolean(p.clusterScoped) === clusterScoped).map((p) => ({
    apiGroups: [p.apiGroup],
    resources: [p.resource],
    verbs: [...p.verbs],
  }));
}

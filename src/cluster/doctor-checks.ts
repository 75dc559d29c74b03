import { AuthenticationV1Api, AuthorizationV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { HPX_PERMISSIONS } from "./rbac-needs.ts";

/** One line of `hpx doctor`: what was checked, how it went, and the fix when it failed. */
export interface CheckResult {
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

function failure(err: unknown): string {
  const e = err as { code?: number; body?: unknown; message?: string };
  if (e.code === 401) return "401 Unauthorized";
  if (e.code === 403) return "403 Forbidden";
  return e.message?.split("\n")[0] ?? String(err);
}

/** Checks the cluster side: token accepted, every verb hpx needs, namespace, external IPs. */
export async function clusterChecks(kc: KubeConfig, namespace: string, unauthorizedFix: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  try {
    const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" } });
    const user = review.status?.userInfo;
    results.push({ check: "token accepted", ok: true, detail: `as ${user?.username} (groups: ${(user?.groups ?? []).join(", ")})` });
  } catch (err) {
    results.push({ check: "token accepted", ok: false, detail: failure(err), fix: unauthorizedFix });
    return results; // nothing else can be asked without an identity
  }
  const authz = kc.makeApiClient(AuthorizationV1Api);
  for (const p of HPX_PERMISSIONS) {
    const denied: string[] = [];
    for (const verb of p.verbs) {
      const r = await authz.createSelfSubjectAccessReview({
        body: {
          spec: { resourceAttributes: { group: p.apiGroup, ...resourceAndSubresource(p.resource), verb, ...(p.clusterScoped ? {} : { namespace }), ...(p.names ? { name: p.names[0] } : {}) } },
        },
      });
      if (!r.status?.allowed) denied.push(verb);
    }
    const what = `${p.resource}${p.apiGroup ? `.${p.apiGroup}` : ""}${p.names ? `/${p.names.join(",")}` : ""}${p.clusterScoped ? "" : ` in ${namespace}`}`;
    results.push(
      denied.length === 0
        ? { check: `RBAC ${what}`, ok: true, detail: p.verbs.join(", ") }
        : {
            check: `RBAC ${what}`,
            ok: false,
            detail: `denied: ${denied.join(", ")}`,
            fix: `grant ${denied.join(", ")} on ${p.resource} to hpx's group (${p.clusterScoped ? "ClusterRole + ClusterRoleBinding" : "Role + RoleBinding"})`,
          },
    );
  }
  const core = kc.makeApiClient(CoreV1Api);
  try {
    await core.readNamespace({ name: namespace });
    results.push({ check: `namespace ${namespace}`, ok: true, detail: "exists" });
  } catch (err) {
    const code = (err as { code?: number }).code;
    results.push(
      code === 404
        ? { check: `namespace ${namespace}`, ok: false, detail: "does not exist", fix: `kubectl create namespace ${namespace}, or set runtime.namespace` }
        : { check: `namespace ${namespace}`, ok: true, detail: `not readable (${failure(err)}); hpx does not need to read it` },
    );
  }
  try {
    const nodes = (await core.listNode({})).items;
    const external = nodes.filter((n) => n.status?.addresses?.some((a) => a.type === "ExternalIP"));
    results.push(
      external.length > 0
        ? { check: "nodes with an external IP", ok: true, detail: `${external.length} of ${nodes.length}` }
        : {
            check: "nodes with an external IP",
            ok: false,
            detail: `0 of ${nodes.length}`,
            fix: "public processes (has_public_ip) would not be reachable: run them on nodes in public subnets (not Fargate), or keep them private",
          },
    );
  } catch (err) {
    results.push({ check: "nodes with an external IP", ok: false, detail: failure(err), fix: "grant list on nodes (ClusterRole) to hpx's group" });
  }
  return results;
}

/** An access review names a subresource apart: RBAC's `pods/log` is resource `pods`, subresource `log`. */
export function resourceAndSubresource(resource: string): { resource: string; subresource?: string } {
  const [main, sub] = resource.split("/");
  return sub === undefined ? { resource: main! } : { resource: main!, subresource: sub };
}

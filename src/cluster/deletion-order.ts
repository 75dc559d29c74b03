import type { LiveObject } from "./ownership.ts";

/** Within a process: its Service first, then its Deployment, then its Secret. */
const RANK: Record<LiveObject["kind"], number> = { Service: 0, Deployment: 1, Secret: 2 };

/**
 * The order hpx deletes objects in: process by process, each process's Service just
 * before its Deployment. A Service outliving its Deployment makes the EndpointSlice
 * controller rewrite its slice for every pod that terminates, work the controller
 * manager, the API server and etcd do while the pods' garbage collection needs the same
 * CPU (at 1,000 processes the controller manager spent 16 s of CPU on a destroy that
 * deleted every Deployment before any Service, 9 s with this order: docs/performance.md).
 * Helm's uninstall, too, deletes Services before Deployments (its order of kinds).
 * Objects without a process label keep their name as their group. Does not change
 * `objects`.
 */
export function deletionOrder(objects: readonly LiveObject[]): LiveObject[] {
  const group = (o: LiveObject) => o.process ?? o.name;
  return [...objects].sort((a, b) => {
    const ga = group(a);
    const gb = group(b);
    if (ga !== gb) return ga < gb ? -1 : 1;
    return RANK[a.kind] - RANK[b.kind];
  });
}

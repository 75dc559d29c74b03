import { STACK_ANNOTATION } from "./stack-mark.ts";

/** The field manager hpx applies as, for every object (instead of one random name per object). */
export const FIELD_MANAGER = "hpx";

/**
 * What every object hpx applies carries besides its labels:
 * - its stack's name, for people (ownership is decided by the ApplySet label, stack-mark.ts);
 * - `patchForce` and `patchFieldManager`, so server-side apply takes back fields another
 *   manager changed (drift shows in `preview --refresh` and `up --refresh` repairs it) and
 *   all of hpx's fields belong to one named manager;
 * - `skipAwait`, because hpx observes readiness itself (src/cluster/process-watch.ts): one
 *   watch for every process, a reason per process, one deadline, and no need for the
 *   ReplicaSet and Endpoints reads the provider's own await makes;
 * - on Deployments, foreground deletion, so a deleted Deployment disappears only after
 *   its pods, and hpx's wait for "gone" covers them.
 */
export function objectAnnotations(kind: "Deployment" | "Service" | "Secret", stack: string): Record<string, string> {
  return {
    [STACK_ANNOTATION]: stack,
    "pulumi.com/patchForce": "true",
    "pulumi.com/patchFieldManager": FIELD_MANAGER,
    "pulumi.com/skipAwait": "true",
    ...(kind === "Deployment" ? { "pulumi.com/deletionPropagationPolicy": "foreground" } : {}),
  };
}

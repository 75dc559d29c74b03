import type { V1Deployment, V1Pod } from "@kubernetes/client-node";

/**
 * Drops from a watched Deployment or pod what a wait never reads (rollout.ts and
 * process-info.ts read the labels, names, timestamps, generation, `spec.replicas` and
 * `status`), in place: the watch's cache keeps the object it was given, and a cold up of
 * thousands of processes keeps one Deployment and one pod per process for the whole wait.
 * managedFields alone is about a third of a pod as the API server sends it, the pod
 * template and the pod's spec most of the rest.
 */
export function slimForWait<T extends V1Deployment | V1Pod>(obj: T): T {
  const meta = obj.metadata;
  if (meta) {
    delete meta.managedFields;
    delete meta.annotations;
    delete meta.ownerReferences;
  }
  if (obj.kind === "Pod" || isPod(obj)) {
    delete (obj as V1Pod).spec;
  } else if (obj.spec) {
    (obj as V1Deployment).spec = { replicas: (obj as V1Deployment).spec!.replicas } as V1Deployment["spec"];
  }
  return obj;
}

/** A list's items carry no kind; a pod's spec has containers where a Deployment's has a template. */
function isPod(obj: V1Deployment | V1Pod): obj is V1Pod {
  return obj.spec !== undefined && "containers" in obj.spec;
}

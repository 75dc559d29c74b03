import type { ProcessSpec } from "../spec/process-spec.ts";

/** The process name, under Hydroplane's own key, so its tooling and hpx's find the same objects. */
export const PROCESS_ID = "hydroplane/process-id";
/** The process group, under Hydroplane's own key; set only when the spec has a group. */
export const GROUP_ID = "hydroplane/group-id";
/** Kubernetes' recommended name label; the process name. */
export const APP_NAME = "app.kubernetes.io/name";
/** Kubernetes' recommended manager label; always {@link MANAGER}. */
export const MANAGED_BY = "app.kubernetes.io/managed-by";
/** Value of {@link MANAGED_BY} on everything hpx creates. */
export const MANAGER = "hpx";

/** Labels on every object of a process (and its pods); the group label only when a group is set. */
export function processLabels(spec: ProcessSpec): Record<string, string> {
  return {
    [PROCESS_ID]: spec.process_name,
    ...(spec.group ? { [GROUP_ID]: spec.group } : {}),
    [APP_NAME]: spec.process_name,
    [MANAGED_BY]: MANAGER,
  };
}

/**
 * Pod selector of the Deployment and the Service: only what never changes for a process.
 * A Deployment's selector is immutable, so a group change must not touch it.
 */
export function selectorLabels(spec: ProcessSpec): Record<string, string> {
  return { [PROCESS_ID]: spec.process_name, [MANAGED_BY]: MANAGER };
}

import type { ProcessSpec } from "../spec/process-spec.ts";

/** Hydroplane's own label keys, so its tooling and hpx's read the same objects. */
export const PROCESS_ID = "hydroplane/process-id";
export const GROUP_ID = "hydroplane/group-id";
export const APP_NAME = "app.kubernetes.io/name";
export const MANAGED_BY = "app.kubernetes.io/managed-by";
export const MANAGER = "hpx";

/** Labels on every object of a process. */
export function processLabels(spec: ProcessSpec): Record<string, string> {
  return {
    [PROCESS_ID]: spec.process_name,
    ...(spec.group ? { [GROUP_ID]: spec.group } : {}),
    [APP_NAME]: spec.process_name,
    [MANAGED_BY]: MANAGER,
  };
}

/**
 * Pod selector: only what never changes for a process. A Deployment's selector is
 * immutable, so a group change must not touch it.
 */
export function selectorLabels(spec: ProcessSpec): Record<string, string> {
  return { [PROCESS_ID]: spec.process_name, [MANAGED_BY]: MANAGER };
}

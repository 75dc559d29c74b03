/**
 * The mark that makes an object a stack's own, following Kubernetes' ApplySet convention
 * (KEP-3659): every object a stack applies carries `applyset.kubernetes.io/part-of: <id>`,
 * and one parent ConfigMap per stack and namespace carries `applyset.kubernetes.io/id: <id>`.
 * The id is derived from the parent's name, which holds the stack's random 128-bit
 * identity (recorded in its state when the stack is created), so no other stack can
 * carry it by accident: not one with the same name on another backend, nor this name's
 * stack deleted and created again. kubectl sees which objects belong together:
 * `kubectl get deploy,svc,secret -l applyset.kubernetes.io/part-of=<id>`.
 */
import { createHash, randomBytes } from "node:crypto";
import type { V1ConfigMap } from "@kubernetes/client-node";
import { MANAGED_BY, MANAGER } from "./labels.ts";

/** Label on every member object: the ApplySet id of its stack. */
export const PART_OF_LABEL = "applyset.kubernetes.io/part-of";
/** Label on the parent: the ApplySet id it stands for. */
export const APPLYSET_ID_LABEL = "applyset.kubernetes.io/id";
/** Parent annotation: the tool that manages the set (kubectl refuses to prune another tool's set). */
export const TOOLING_ANNOTATION = "applyset.kubernetes.io/tooling";
/** Parent annotation: the kinds members may have, so a reader knows what to list. */
export const CONTAINS_ANNOTATION = "applyset.kubernetes.io/contains-group-kinds";
/** The hpx stack's name: on the parent and on every member, for people (ownership does not read it). */
export const STACK_ANNOTATION = "hpx.dev/stack";
/** Parent annotation: where the stack's state lives (backend URL without query or credentials). */
export const STATE_ANNOTATION = "hpx.dev/state";

/** Which stack an object belongs to, as far as its marks say. */
export interface StackMark {
  /** The hpx stack's name. */
  stack: string;
  /** The stack's random identity (32 hex digits), kept in its state. */
  stackId: string;
  /** The ApplySet id every member carries, derived from the parent's name and namespace. */
  applySetId: string;
  /** The parent ConfigMap's name. */
  parent: string;
}

/** A new stack identity: 128 random bits. */
export function newStackId(): string {
  return randomBytes(16).toString("hex");
}

/** The parent ConfigMap's name: the stack's name (for people, made a DNS label) and its identity. */
export function parentName(stack: string, stackId: string): string {
  const readable = stack.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 180).replace(/-+$/, "");
  return `hpx-${readable}-${stackId}`;
}

/** KEP-3659's id: `applyset-` + base64url(sha256(name.namespace.kind.group)) + `-v1` (ConfigMap: core group, empty). */
export function applySetId(parent: string, namespace: string): string {
  const digest = createHash("sha256").update(`${parent}.${namespace}.ConfigMap.`).digest("base64url");
  return `applyset-${digest}-v1`;
}

/** The mark of stack `stack` with identity `stackId` in `namespace`. */
export function stackMark(stack: string, stackId: string, namespace: string): StackMark {
  const parent = parentName(stack, stackId);
  return { stack, stackId, parent, applySetId: applySetId(parent, namespace) };
}

/** A backend URL as the parent may show it: no query (endpoints, options) and no credentials. */
export function publicStateLocation(backend: string): string {
  try {
    const url = new URL(backend);
    url.username = "";
    url.password = "";
    url.search = "";
    return url.toString();
  } catch {
    return backend.split("?")[0]!;
  }
}

/** The parent ConfigMap of a stack's ApplySet in `namespace`; pure. */
export function applySetParent(mark: StackMark, namespace: string, backend: string, version: string): V1ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: mark.parent,
      namespace,
      labels: { [APPLYSET_ID_LABEL]: mark.applySetId, [MANAGED_BY]: MANAGER },
      annotations: {
        [TOOLING_ANNOTATION]: `hpx/v${version}`,
        [CONTAINS_ANNOTATION]: "Deployment.apps,Secret,Service",
        [STACK_ANNOTATION]: mark.stack,
        [STATE_ANNOTATION]: publicStateLocation(backend),
      },
    },
  };
}

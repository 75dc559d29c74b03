import { HYDRO_PROCESS_TOKEN } from "../components/hydro-process-token.ts";
import { PROJECT } from "./backend-url.ts";

/** Pulumi type tokens of the objects a process is made of, by Kubernetes kind (state-record.ts reads it reversed). */
export const KIND_TOKEN: Record<string, string> = {
  Deployment: "kubernetes:apps/v1:Deployment",
  Service: "kubernetes:core/v1:Service",
  Secret: "kubernetes:core/v1:Secret",
};

/** The URN of a process's component. */
export function processUrn(stack: string, process: string): string {
  return `urn:pulumi:${stack}::${PROJECT}::${HYDRO_PROCESS_TOKEN}::${process}`;
}

/** The URN of one of a process's objects (`Deployment/web`): a child of the process's component. */
export function objectUrn(stack: string, key: string): string {
  const [kind, name] = key.split("/") as [string, string];
  const token = KIND_TOKEN[kind];
  if (!token) throw new Error(`no Pulumi type for kind ${kind}`);
  return `urn:pulumi:${stack}::${PROJECT}::${HYDRO_PROCESS_TOKEN}$${token}::${name}`;
}

/**
 * What an update targeted at some processes names: each one's component and objects,
 * those it has now and those the record says it had (so a dropped Secret is deleted).
 * Not the root stack: the engine takes a target's children with it, and every
 * resource is a child of the stack (its outputs are written anyway).
 */
export function targetUrns(stack: string, processes: readonly string[], objectKeys: (process: string) => string[]): string[] {
  return [
    ...processes.flatMap((p) => [processUrn(stack, p), ...[...new Set(objectKeys(p))].sort().map((k) => objectUrn(stack, k))]),
  ];
}

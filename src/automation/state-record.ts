import { APPLIED_ANNOTATION } from "../components/marked-objects.ts";
import type { Digests } from "../components/marked-objects.ts";
import { KIND_TOKEN, processUrn } from "./targets.ts";

/** The fields of an exported state resource hpx reads. */
export interface StateResource {
  urn: string;
  type: string;
  parent?: string;
  delete?: boolean;
  inputs?: { metadata?: { annotations?: Record<string, string> } };
}

const KIND_OF: Record<string, string> = Object.fromEntries(Object.entries(KIND_TOKEN).map(([kind, token]) => [token, kind]));

/**
 * What the state holds, per process: each object's digest as last applied, read from the
 * resources themselves (their inputs carry `hpx.dev/applied`). Not from the stack's
 * outputs: a failed or interrupted run writes the outputs it meant, while the resources
 * say what was done. An object recorded without a digest (an older hpx) gets "", which
 * matches nothing, so its process is applied again.
 */
export function stateDigests(stack: string, resources: readonly StateResource[]): Digests {
  const record: Digests = {};
  const prefix = processUrn(stack, "");
  for (const r of resources) {
    const kind = KIND_OF[r.type];
    if (!kind || r.delete || !r.parent?.startsWith(prefix)) continue;
    const process = r.parent.slice(prefix.length);
    const name = r.urn.slice(r.urn.lastIndexOf("::") + 2);
    (record[process] ??= {})[`${kind}/${name}`] = r.inputs?.metadata?.annotations?.[APPLIED_ANNOTATION] ?? "";
  }
  // A process whose component is recorded without objects (cut short) is recorded, with none.
  for (const r of resources) {
    if (r.urn.startsWith(prefix) && !r.delete && !r.urn.includes("$")) record[r.urn.slice(prefix.length)] ??= {};
  }
  return record;
}

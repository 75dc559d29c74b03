import type { ProcessSpec, SecretRef } from "../spec/process-spec.ts";
import { resolveRef, type SecretStore } from "../secrets/secret-store.ts";

/** Every secret-store reference the processes make (env values, registry credentials). */
export function secretRefs(processes: readonly ProcessSpec[]): SecretRef[] {
  const refs: SecretRef[] = [];
  for (const p of processes) {
    for (const e of p.container.env) if (typeof e.value !== "string") refs.push(e.value);
    for (const cred of [p.container.username, p.container.password]) if (cred !== undefined && typeof cred !== "string") refs.push(cred);
  }
  return refs;
}

const keyOf = (ref: SecretRef): string => `${ref.secret_name}\u0000${ref.key ?? ""}`;

/**
 * Reads every referenced secret before the engine starts, so a missing secret fails
 * the command before anything changes; the program then looks values up in memory.
 */
export async function resolveSecrets(processes: readonly ProcessSpec[], store: SecretStore): Promise<(ref: SecretRef) => string> {
  const values = new Map<string, string>();
  for (const ref of secretRefs(processes)) {
    if (!values.has(keyOf(ref))) values.set(keyOf(ref), await resolveRef(store, ref));
  }
  return (ref) => {
    const value = values.get(keyOf(ref));
    if (value === undefined) throw new Error(`secret ${ref.secret_name} was not resolved before the program ran`);
    return value;
  };
}

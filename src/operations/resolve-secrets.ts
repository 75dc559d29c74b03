import { ExitCode } from "../errors.ts";
import type { ProcessSpec, SecretRef } from "../spec/process-spec.ts";
import { resolveRef, SecretError, type SecretStore } from "../secrets/secret-store.ts";

/** Where a spec makes a reference: the process's name and the path inside its spec. */
export interface RefSite {
  process: string;
  path: (string | number)[];
}

/** A referenced secret (or key) the store does not have: bad input, with where the spec asks for it. */
export class MissingSecretError extends SecretError {
  readonly site: RefSite;

  constructor(message: string, site: RefSite) {
    super(message, ExitCode.usage);
    this.site = site;
  }
}

/** Each reference with its site, in file order. */
export function secretRefSites(processes: readonly ProcessSpec[]): { ref: SecretRef; site: RefSite }[] {
  const out: { ref: SecretRef; site: RefSite }[] = [];
  processes.forEach((p) => {
    const i = p.process_name;
    p.container.env.forEach((e, j) => {
      if (typeof e.value !== "string") out.push({ ref: e.value, site: { process: i, path: ["container", "env", j, "value"] } });
    });
    for (const field of ["username", "password"] as const) {
      const cred = p.container[field];
      if (cred !== undefined && typeof cred !== "string") out.push({ ref: cred, site: { process: i, path: ["container", field] } });
    }
  });
  return out;
}

const keyOf = (ref: SecretRef): string => `${ref.secret_name}\u0000${ref.key ?? ""}`;

/**
 * Reads every referenced secret before the engine starts, so a missing secret fails
 * the command before anything changes; the program then looks values up in memory.
 */
export async function resolveSecrets(processes: readonly ProcessSpec[], store: SecretStore): Promise<(ref: SecretRef) => string> {
  const values = new Map<string, string>();
  for (const { ref, site } of secretRefSites(processes)) {
    if (values.has(keyOf(ref))) continue;
    try {
      values.set(keyOf(ref), await resolveRef(store, ref));
    } catch (err) {
      // A wrong store password is not the spec's fault; a missing secret or key is.
      if (err instanceof SecretError) throw new MissingSecretError(err.message, site);
      throw err;
    }
  }
  return (ref) => {
    const value = values.get(keyOf(ref));
    if (value === undefined) throw new Error(`secret ${ref.secret_name} was not resolved before the program ran`);
    return value;
  };
}

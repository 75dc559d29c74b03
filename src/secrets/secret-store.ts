import { HpxError } from "../errors.ts";

/** A secret-store reference as the spec writes it (see src/spec/process-spec.ts). */
export interface SecretRefLike {
  secret_name: string;
  key?: string | undefined;
}

/** Reads whole secret values by name; `resolveRef` applies Hydroplane's `key` rule. */
export interface SecretStore {
  /** Human name for messages, e.g. `env` or `local (~/.hydro_secrets)`. */
  readonly description: string;
  read(name: string): Promise<string>;
}

/** A secret the store does not have, or a key missing from a JSON secret. */
export class SecretError extends HpxError {}

/**
 * Resolves one reference: the whole secret, or with `key`, that key of the secret
 * parsed as a JSON object (Hydroplane stores `{"AccessKeyId": ..., ...}` that way).
 * Messages name the secret and key, never a value.
 */
export async function resolveRef(store: SecretStore, ref: SecretRefLike): Promise<string> {
  const value = await store.read(ref.secret_name);
  if (ref.key === undefined) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new SecretError(`secret ${ref.secret_name} is not a JSON object, so it has no key ${ref.key}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SecretError(`secret ${ref.secret_name} is not a JSON object, so it has no key ${ref.key}`);
  }
  const field = (parsed as Record<string, unknown>)[ref.key];
  if (field === undefined) throw new SecretError(`secret ${ref.secret_name} has no key ${ref.key}`);
  return typeof field === "string" ? field : JSON.stringify(field);
}

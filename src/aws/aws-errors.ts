import { AuthError } from "../errors.ts";

/** AWS SDK failures as hpx errors: the SDK's own message, never a credential. */
export function toAuthError(err: unknown): never {
  const e = err as { name?: string; message?: string };
  const hints =
    e.name === "CredentialsProviderError"
      ? ["give the stack credentials (runtime.credentials.access_key) or configure the AWS SDK default chain (env, profile, SSO)"]
      : [];
  throw new AuthError(`AWS: ${e.name ?? "error"}: ${e.message ?? String(err)}`, undefined, hints);
}

import { SecretError, type SecretStore } from "./secret-store.ts";

/** `secret_store_type: none`: a stack that references no secrets. */
export class NoneSecretStore implements SecretStore {
  readonly description = "none";

  async read(name: string): Promise<string> {
    throw new SecretError(`secret ${name} is referenced but the stack's secret store is "none"`, undefined, [
      "set secret_store in the stack file (local or env)",
    ]);
  }
}

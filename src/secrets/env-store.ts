import { SecretError, type SecretStore } from "./secret-store.ts";

/** The environment variable holding secret NAME: `HPX_SECRET_` + NAME upper-cased, other characters as `_`. */
export function envVarFor(name: string): string {
  return `HPX_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** `secret_store_type: env`: secrets from environment variables, for CI systems that inject them. */
export class EnvSecretStore implements SecretStore {
  readonly description = "env";
  readonly env: NodeJS.ProcessEnv;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.env = env;
  }

  async read(name: string): Promise<string> {
    const value = this.env[envVarFor(name)];
    if (value === undefined) throw new SecretError(`secret ${name} is not set: export ${envVarFor(name)}`);
    return value;
  }
}

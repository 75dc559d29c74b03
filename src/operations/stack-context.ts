import { isShardStackName, SHARD_MARK } from "../automation/shard-layout.ts";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.ts";
import { EnvSecretStore } from "../secrets/env-store.ts";
import { NoneSecretStore } from "../secrets/none-store.ts";
import { expandHome } from "../paths.ts";
import { LocalSecretStore } from "../secrets/local-store.ts";
import type { SecretStore } from "../secrets/secret-store.ts";
import { storePassword } from "../secrets/store-password.ts";
import { defaultLocalStackSettings, loadStackSettings, type StackSettings } from "../spec/stack-settings.ts";

export const DEFAULT_STACK = "local";
const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

/** Everything a command needs to know about `-s STACK`. */
export interface StackContext {
  name: string;
  /** stacks/<name>.yml, or undefined for the built-in `local` default. */
  file: string | undefined;
  settings: StackSettings;
}

/** Reads stacks/<stack>.yml from the current directory; `local` needs no file. */
export function stackContext(name: string = DEFAULT_STACK, cwd = process.cwd()): StackContext {
  if (!STACK_NAME.test(name)) throw new UsageError(`invalid stack name ${JSON.stringify(name)}: letters, digits, '.', '_', '-'`);
  if (isShardStackName(name)) throw new UsageError(`invalid stack name ${JSON.stringify(name)}: names ending in ${SHARD_MARK}N are hpx's shards of a stack`);
  const file = resolve(join(cwd, "stacks", `${name}.yml`));
  if (existsSync(file)) return { name, file, settings: loadStackSettings(file) };
  if (name === DEFAULT_STACK) return { name, file: undefined, settings: defaultLocalStackSettings() };
  throw new UsageError(`stack ${name}: ${file} does not exist`, ["create it (see README: stack settings) or use the default stack, local"]);
}

/**
 * The stack's secret store; the local one asks for its password when `interactive` (a
 * person at a terminal), or reads it from the environment.
 */
export async function secretStore(ctx: StackContext, interactive = false): Promise<SecretStore> {
  const store = ctx.settings.secret_store;
  switch (store.secret_store_type) {
    case "none":
      return new NoneSecretStore();
    case "env":
      return new EnvSecretStore();
    case "local": {
      const dir = expandHome(store.store_location ?? "~/.hydro_secrets");
      return new LocalSecretStore(dir, await storePassword({ interactive }));
    }
  }
}

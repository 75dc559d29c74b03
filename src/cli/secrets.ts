import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { expandHome } from "../paths.ts";
import { UsageError } from "../errors.ts";
import { initLocalStore, LocalSecretStore } from "../secrets/local-store.ts";
import { storePassword } from "../secrets/store-password.ts";
import { interactive } from "./interactive.ts";
import { printJson, printLines } from "./output.ts";
import { stackContext } from "../operations/stack-context.ts";
import { jsonOption, stackOption } from "./options.ts";

interface StoreFlags {
  store?: string;
  stack: string;
  passwordFile?: string;
}

/** --store, else the stack's store_location, else Hydroplane's default ~/.hydro_secrets. */
function storeDir(flags: StoreFlags): string {
  if (flags.store) return expandHome(flags.store);
  const s = stackContext(flags.stack).settings.secret_store;
  return expandHome(s.store_location ?? "~/.hydro_secrets");
}

async function openStore(flags: StoreFlags): Promise<LocalSecretStore> {
  const dir = storeDir(flags);
  return new LocalSecretStore(dir, await storePassword({ passwordFile: flags.passwordFile, interactive: interactive() }));
}

/** The value to store: from -f FILE, from stdin when piped, else a prompt that echoes nothing. */
async function readValue(file: string | undefined): Promise<string> {
  if (file !== undefined) return readFileSync(file, "utf8");
  if (!process.stdin.isTTY) return readFileSync(0, "utf8");
  if (!interactive()) throw new UsageError("give the value with -f FILE or on standard input");
  const { default: password } = await import("@inquirer/password");
  return password({ message: "secret value", mask: false });
}

export function registerSecrets(program: Command): void {
  const secrets = program.command("secrets").description("the local secret store (Hydroplane's local-secret-store)");
  const common = (c: Command) =>
    c
      .option("--store <dir>", "store directory (default: the stack's store_location, else ~/.hydro_secrets)")
      .addOption(stackOption("stack whose store_location to use"))
      .option("--password-file <file>", "read the store password from a file");

  common(secrets.command("init").description("create an empty store (password asked twice)")).action(async (flags: StoreFlags) => {
    const dir = storeDir(flags);
    initLocalStore(dir, await storePassword({ passwordFile: flags.passwordFile, confirm: true, interactive: interactive() }));
    printLines(`created secret store ${dir}`);
  });
  common(secrets.command("add <name>").description("add or replace a secret").option("-f, --file <file>", "read the value from FILE")).action(
    async (name: string, flags: StoreFlags & { file?: string }) => {
      const store = await openStore(flags);
      store.add(name, await readValue(flags.file));
      printLines(`stored secret ${name}`);
    },
  );
  common(secrets.command("get <name>").description("print a secret's value")).action(async (name: string, flags: StoreFlags) => {
    process.stdout.write(await (await openStore(flags)).read(name));
  });
  common(secrets.command("rm <name>").description("remove a secret")).action(async (name: string, flags: StoreFlags) => {
    (await openStore(flags)).remove(name);
    printLines(`removed secret ${name}`);
  });
  common(secrets.command("ls").description("list secret names").addOption(jsonOption())).action(
    async (flags: StoreFlags & { json?: boolean }) => {
      const names = (await openStore(flags)).names();
      if (flags.json) printJson(names);
      else if (names.length > 0) printLines(...names);
    },
  );
}

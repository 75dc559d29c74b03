import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { expandHome } from "../paths.ts";
import { UsageError } from "../errors.ts";
import type { LocalSecretStore } from "../secrets/local-store.ts";
import type { storePassword } from "../secrets/store-password.ts";
import { interactive } from "./interactive.ts";
import { printJson, printLines } from "./output.ts";
import { jsonOption, stackOf, stackOption } from "./options.ts";

// The stores (and the password prompt's @inquirer) load when a subcommand runs, not for --help.
const localStore = () => import("../secrets/local-store.ts");
const passwordOf: typeof storePassword = async (opts) => (await import("../secrets/store-password.ts")).storePassword(opts);

interface StoreFlags {
  store?: string;
  stack: string;
  passwordFile?: string;
}

/** --store, else the stack's store_location, else Hydroplane's default ~/.hydro_secrets. */
async function storeDir(flags: StoreFlags): Promise<string> {
  if (flags.store) return expandHome(flags.store);
  const s = (await stackOf(flags.stack)).settings.secret_store;
  return expandHome(s.store_location ?? "~/.hydro_secrets");
}

async function openStore(flags: StoreFlags): Promise<LocalSecretStore> {
  const dir = await storeDir(flags);
  const { LocalSecretStore } = await localStore();
  return new LocalSecretStore(dir, await passwordOf({ passwordFile: flags.passwordFile, interactive: interactive() }));
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
    const dir = await storeDir(flags);
    const { initLocalStore } = await localStore();
    initLocalStore(dir, await passwordOf({ passwordFile: flags.passwordFile, confirm: true, interactive: interactive() }));
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

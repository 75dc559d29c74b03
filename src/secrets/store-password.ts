import { readFileSync } from "node:fs";
import password from "@inquirer/password";
import { UsageError } from "../errors.ts";

/**
 * The local store's password: from --password-file, HPX_SECRET_STORE_PASSWORD, or a
 * prompt that echoes nothing (asked twice when creating a store).
 */
export async function storePassword(opts: { passwordFile?: string; confirm?: boolean; interactive: boolean }): Promise<string> {
  if (opts.passwordFile !== undefined) return readFileSync(opts.passwordFile, "utf8").replace(/\r?\n$/, "");
  const fromEnv = process.env.HPX_SECRET_STORE_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  if (!opts.interactive) {
    throw new UsageError("the secret store needs its password: set HPX_SECRET_STORE_PASSWORD or pass --password-file, or run at a terminal");
  }
  const first = await password({ message: "secret store password", mask: false });
  if (opts.confirm && (await password({ message: "again", mask: false })) !== first) throw new UsageError("the passwords differ");
  return first;
}

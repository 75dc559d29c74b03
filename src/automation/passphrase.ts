import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { StackError } from "../errors.ts";

/**
 * The passphrase that encrypts the stack's secrets in Pulumi state:
 * PULUMI_CONFIG_PASSPHRASE when set (CI, teams), else one generated once and kept
 * 0600 at ~/.hpx/passphrase for the local default.
 */
export function stackPassphrase(home: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = env.PULUMI_CONFIG_PASSPHRASE;
  if (given !== undefined && given !== "") return given;
  const file = join(home, "passphrase");
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      throw new StackError(`${file} is readable by others (mode ${mode.toString(8)})`, undefined, [`fix it: chmod 600 ${file}`]);
    }
    return readFileSync(file, "utf8").trim();
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const passphrase = randomBytes(32).toString("base64url");
  writeFileSync(file, `${passphrase}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600); // a umask cannot widen it, but be explicit
  return passphrase;
}

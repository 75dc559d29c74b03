import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AuthError, UsageError } from "../errors.ts";
import { SecretError, type SecretStore } from "./secret-store.ts";

/**
 * hpx's `local` secret store, with Hydroplane's semantics (init, add, get, rm, ls under
 * one password). The key comes from the password by scrypt (memory-hard: 128 MiB per
 * derivation); every value is sealed with AES-256-GCM. Secret files are named by an
 * HMAC of the secret's name and hold the name inside the ciphertext, so neither names
 * nor values can be read from the directory. Files are 0600, the directory 0700.
 */

const HEADER = "store.json";
const CHECK = "hpx-secret-store-v1";
interface Header {
  version: 1;
  kdf: { name: "scrypt"; N: number; r: number; p: number; salt: string };
  /** CHECK sealed with the key: proves the password before any read or write. */
  check: string;
}

const KDF = { N: 2 ** 17, r: 8, p: 1 };

function deriveKey(password: string, kdf: Header["kdf"]): Buffer {
  return scryptSync(password.normalize("NFC"), Buffer.from(kdf.salt, "base64"), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * 1024 * 1024 });
}

function seal(key: Buffer, plaintext: string, aad: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64");
}

function open(key: Buffer, sealed: string, aad: string): string | undefined {
  const raw = Buffer.from(sealed, "base64");
  if (raw.length < 28) return undefined;
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  try {
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

function writePrivate(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path); // atomic: a crash never leaves half a secret
}

/** Creates an empty store; refuses to overwrite one. */
export function initLocalStore(dir: string, password: string): void {
  if (existsSync(join(dir, HEADER))) throw new UsageError(`a secret store already exists at ${dir}`);
  if (password.length < 8) throw new UsageError("the store password must have at least 8 characters");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const kdf = { name: "scrypt" as const, ...KDF, salt: randomBytes(16).toString("base64") };
  const header: Header = { version: 1, kdf, check: seal(deriveKey(password, kdf), CHECK, "check") };
  writePrivate(join(dir, HEADER), `${JSON.stringify(header, null, 2)}\n`);
}

/**
 * Refuses a store whose directory or files other users can read or write: the values
 * are encrypted, but their number, names' digests and the KDF salt are not for others,
 * and writable files could be swapped. The fix is named.
 */
export function refuseOpenPermissions(dir: string): void {
  const open = [dir, ...readdirSync(dir).map((f) => join(dir, f))].filter((p) => (statSync(p).mode & 0o077) !== 0);
  if (open.length === 0) return;
  throw new SecretError(`the secret store at ${dir} is open to other users: ${open.map((p) => `${p} (mode ${(statSync(p).mode & 0o777).toString(8)})`).join(", ")}`, undefined, [
    `fix it: chmod 700 ${dir} && chmod 600 ${dir}/*`,
  ]);
}

export class LocalSecretStore implements SecretStore {
  readonly description: string;
  readonly dir: string;
  private readonly key: Buffer;

  /** Opens the store, checking the password first. */
  constructor(dir: string, password: string) {
    this.dir = dir;
    this.description = `local (${dir})`;
    const headerPath = join(dir, HEADER);
    if (!existsSync(headerPath)) throw new UsageError(`no secret store at ${dir}`, [`create one: hpx secrets init --store ${dir}`]);
    refuseOpenPermissions(dir);
    const header = JSON.parse(readFileSync(headerPath, "utf8")) as Header;
    this.key = deriveKey(password, header.kdf);
    if (open(this.key, header.check, "check") !== CHECK) throw new AuthError(`wrong password for the secret store at ${dir}`);
  }

  private fileFor(name: string): string {
    return join(this.dir, `${createHmac("sha256", this.key).update(name).digest("hex")}.secret`);
  }

  async read(name: string): Promise<string> {
    const file = this.fileFor(name);
    if (!existsSync(file)) throw new SecretError(`secret ${name} is not in the store at ${this.dir}`);
    const plain = open(this.key, readFileSync(file, "utf8"), "secret");
    const entry = plain === undefined ? undefined : (JSON.parse(plain) as { name: string; value: string });
    // The name inside must match: a file renamed onto another secret's slot is refused.
    if (!entry || entry.name !== name) throw new SecretError(`secret ${name} in ${this.dir} is damaged (it does not decrypt as ${name})`);
    return entry.value;
  }

  add(name: string, value: string): void {
    if (name === "" || name.length > 200) throw new UsageError("a secret name must have 1 to 200 characters");
    writePrivate(this.fileFor(name), seal(this.key, JSON.stringify({ name, value }), "secret"));
  }

  remove(name: string): void {
    const file = this.fileFor(name);
    if (!existsSync(file)) throw new SecretError(`secret ${name} is not in the store at ${this.dir}`);
    rmSync(file);
  }

  names(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(".secret"))
      .map((f) => open(this.key, readFileSync(join(this.dir, f), "utf8"), "secret"))
      .filter((p): p is string => p !== undefined)
      .map((p) => (JSON.parse(p) as { name: string }).name)
      .sort();
  }
}

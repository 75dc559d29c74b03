/**
 * Creates a shard's stack in a `file://` backend as `pulumi stack init` does there
 * (pkg/backend/diy): a checkpoint naming the stack, with no resources, at
 * `.pulumi/stacks/<project>/<stack>.json`. The CLI finds the stack by that file alone.
 *
 * A cold up of 1,000 processes creates 16 shards, and a `pulumi stack init` each cost
 * 0.4–0.6 s, most of it deriving the new stack's secrets key from the passphrase
 * (PBKDF2, a million rounds): about 10 s of a 110 s cold up, on cores the cluster needs.
 * The shard is given its root's secrets provider instead (the same passphrase and salt,
 * so the same key): every run of the shard, here or on another machine, then encrypts
 * and decrypts as the root does, and a saved plan needs no update to record a salt first.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { PROJECT } from "./backend-url.ts";
import { hasCheckpoint } from "./state-files.ts";

/** Pulumi's DIY backend names every stack under this organization. */
const DIY_ORGANIZATION = "organization";

/**
 * Creates `stack` with `secretsProviders` (the root's, from its checkpoint) unless it
 * exists. Returns false, creating nothing, where only the CLI knows the layout: a backend
 * without the project layout (`meta.yaml` version 1, which the root's creation wrote), or
 * one the CLI writes gzipped (PULUMI_DIY_BACKEND_GZIP). The caller then runs `stack init`.
 */
export function createFileStack(url: string, stack: string, secretsProviders: unknown, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!url.startsWith("file://") || secretsProviders === undefined || gzipped(env)) return false;
  const backend = join(url.slice("file://".length), ".pulumi");
  if (!projectLayout(backend)) return false;
  if (hasCheckpoint(url, stack)) return true;
  const dir = join(backend, "stacks", PROJECT);
  mkdirSync(dir, { recursive: true });
  const checkpoint = { version: 3, checkpoint: { stack: `${DIY_ORGANIZATION}/${PROJECT}/${stack}`, latest: { secrets_providers: secretsProviders, metadata: {} } } };
  // Written aside, then linked in: a link fails when the name exists, so a stack made
  // meanwhile is kept as it is, and no reader ever sees half a checkpoint.
  const temp = join(backend, `hpx-stack-${randomUUID()}.tmp`);
  writeFileSync(temp, JSON.stringify(checkpoint), { mode: 0o600 });
  try {
    linkSync(temp, join(dir, `${stack}.json`));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    rmSync(temp, { force: true });
  }
  return true;
}

/** The CLI writes `<stack>.json.gz` then, and a `.json` beside it would be a second state. */
function gzipped(env: NodeJS.ProcessEnv): boolean {
  const v = env.PULUMI_DIY_BACKEND_GZIP;
  return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

/** Whether the backend keeps stacks by project (`meta.yaml`: `version: 1`), as hpx's paths assume. */
function projectLayout(backend: string): boolean {
  const meta = join(backend, "meta.yaml");
  return existsSync(meta) && /^version:\s*1\s*$/m.test(readFileSync(meta, "utf8"));
}

import { createHash } from "node:crypto";
import { join } from "node:path";
import { hpxHome } from "../paths.ts";
import { resolveBackend } from "./backend-url.ts";
import { digestStore } from "./digest-store.ts";
import { ensureKubernetesPlugin } from "./engine.ts";
import { readLocks, type StackLock } from "./locks.ts";
import { stackPassphrase } from "./passphrase.ts";
import { shardStackName } from "./shard-layout.ts";
import { rootRecord } from "./shard-state.ts";
import { ShardedStack } from "./sharded-stack.ts";
import { readCheckpoint } from "./state-files.ts";
import { stateStamp } from "./state-stamp.ts";
import { endStrayEngines, openStack, repairFileBackend } from "./workspace.ts";

/** The Pulumi stacks of an hpx stack: its root and its shards. */
async function pulumiStacks(stack: string, url: string): Promise<string[]> {
  const root = url.startsWith("file://") ? readCheckpoint(url, stack) : ((await (await openStack(stack, url)).exportStack()).deployment as Parameters<typeof rootRecord>[0]);
  return [stack, ...Array.from({ length: rootRecord(root).shards }, (_, k) => shardStackName(stack, k))];
}

/** Pulumi's engine, as the operations use it (their `Engine`, ports.ts). */
export const pulumiEngine = {
  /**
   * A stack whose state is a file that exists is opened in the CLI only when a call needs
   * it (a no-op preview or up reads the files and starts no CLI); a new stack, or one in
   * S3, at once. Either way a dead run's engines are ended first.
   */
  open: async (stack: string, backend: string, log?: (line: string) => void) => {
    const url = resolveBackend(backend);
    repairFileBackend(url, log);
    const opened = url.startsWith("file://") && readCheckpoint(url, stack) !== undefined ? undefined : openStack(stack, backend, log);
    if (!opened) endStrayEngines(url, stack, log);
    const sharded = new ShardedStack(stack, url, () => opened ?? openStack(stack, backend, log), log);
    if (opened) await sharded.root();
    return sharded;
  },
  ensurePlugins: () => ensureKubernetesPlugin(),
  digestKey: (): string => createHash("sha256").update(`hpx secrets digest\u0000${stackPassphrase(hpxHome())}`).digest("hex"),
  digestStore: (stack: string, backend: string) => digestStore(join(hpxHome(), "cache", "digests"), resolveBackend(backend), stack),
  stateUrl: (backend: string): string => resolveBackend(backend),
  stateStamp: (stack: string, backend: string): string | undefined => stateStamp(resolveBackend(backend), stack),
  /** The locks held on the stack's root and on any of its shards. */
  locks: async (stack: string, backend: string): Promise<StackLock[]> => {
    const url = resolveBackend(backend);
    const names = await pulumiStacks(stack, url);
    if (!url.startsWith("s3://")) return names.flatMap((name) => readLocks(url, name));
    const { readS3Locks } = await import("./s3-locks.ts");
    return (await Promise.all(names.map((name) => readS3Locks(url, name)))).flat();
  },
};

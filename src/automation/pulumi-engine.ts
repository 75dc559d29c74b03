import { createHash } from "node:crypto";
import { hpxHome } from "../paths.ts";
import { resolveBackend } from "./backend-url.ts";
import { ensureKubernetesPlugin } from "./engine.ts";
import { readLocks, type StackLock } from "./locks.ts";
import { stackPassphrase } from "./passphrase.ts";
import { shardStackName } from "./shard-layout.ts";
import { rootRecord } from "./shard-state.ts";
import { ShardedStack } from "./sharded-stack.ts";
import { readCheckpoint } from "./state-files.ts";
import { openStack } from "./workspace.ts";

/** The Pulumi stacks of an hpx stack: its root and its shards. */
async function pulumiStacks(stack: string, url: string): Promise<string[]> {
  const root = url.startsWith("file://") ? readCheckpoint(url, stack) : ((await (await openStack(stack, url)).exportStack()).deployment as Parameters<typeof rootRecord>[0]);
  return [stack, ...Array.from({ length: rootRecord(root).shards }, (_, k) => shardStackName(stack, k))];
}

/** Pulumi's engine, as the operations use it (their `Engine`, ports.ts). */
export const pulumiEngine = {
  open: async (stack: string, backend: string, log?: (line: string) => void) => new ShardedStack(stack, resolveBackend(backend), await openStack(stack, backend, log), log),
  ensurePlugins: () => ensureKubernetesPlugin(),
  digestKey: (): string => createHash("sha256").update(`hpx secrets digest\u0000${stackPassphrase(hpxHome())}`).digest("hex"),
  stateUrl: (backend: string): string => resolveBackend(backend),
  /** The locks held on the stack's root and on any of its shards. */
  locks: async (stack: string, backend: string): Promise<StackLock[]> => {
    const url = resolveBackend(backend);
    const names = await pulumiStacks(stack, url);
    if (!url.startsWith("s3://")) return names.flatMap((name) => readLocks(url, name));
    const { readS3Locks } = await import("./s3-locks.ts");
    return (await Promise.all(names.map((name) => readS3Locks(url, name)))).flat();
  },
};

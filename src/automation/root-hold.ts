/**
 * How a sharded stack's update holds its root while its shards run: the root's lock is
 * the hpx stack's lock (runs of one hpx stack never overlap, as with one Pulumi stack),
 * and the root records the stack's identity, cluster and shard count.
 */
import { isDeepStrictEqual } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
import { upStack, type EngineRunOptions } from "./engine-runs.ts";
import { lockFileStack } from "./file-stack-lock.ts";
import { pulumiSdk } from "./pulumi-sdk.ts";
import { rootRecord, type Deployment, type RootRecord } from "./shard-state.ts";

/** What the root's update records. */
export interface RootOutputs extends RootRecord {
  stackId: string;
}

/** The root of one hpx stack, as the holding needs it. */
export interface HeldRoot {
  name: string;
  url: string;
  /** The root's Pulumi stack, opened (starts no engine). */
  stack: () => Promise<pulumi.automation.Stack>;
  /** The root's state now. */
  read: () => Promise<Deployment | undefined>;
  /** Writes the root's record without an engine run (a stack import), for a file backend. */
  write?: (outputs: RootOutputs) => Promise<void>;
}

const plain = (v: unknown) => JSON.parse(JSON.stringify(v ?? null)) as unknown;

/** Whether the root already records `outputs` (JSON-equal: the state keeps no undefined). */
export function recordsAlready(root: Deployment | undefined, outputs: RootOutputs): boolean {
  return isDeepStrictEqual(plain(rootRecord(root)), plain(outputs));
}

/**
 * Whether `outputs` only fills in what the root does not record yet: a new stack's
 * identity and cluster, with the shard count settling has already recorded. Nothing the
 * root records is replaced, so writing it before the shards run changes no answer a
 * reader gets about objects already made.
 */
export function onlyFillsIn(root: Deployment | undefined, outputs: RootOutputs): boolean {
  const now = rootRecord(root);
  return outputs.shards > 0 && now.shards === outputs.shards && (now.stackId === undefined || now.stackId === outputs.stackId) && (now.cluster === undefined || isDeepStrictEqual(plain(now.cluster), plain(outputs.cluster)));
}

/**
 * Runs `work` holding the root. When the root of a `file://` backend records `outputs`
 * already, or only lacks a new stack's identity and cluster (written first, `write`),
 * under a lock hpx takes itself (file-stack-lock.ts): no Pulumi CLI runs for the root.
 * Otherwise (the lock released again) inside an update of the root that records them,
 * as always on S3, whose lock files hpx leaves to the CLI.
 * `work`'s error is passed on as it is, not as the engine words a program's exception.
 */
export async function withRootHeld(root: HeldRoot, outputs: RootOutputs, opts: Omit<EngineRunOptions, "program"> & { log?: (line: string) => void }, work: () => Promise<void>): Promise<void> {
  if (root.url.startsWith("file://")) {
    for (let look = 0; look < 2; look++) {
      let fillIn = false;
      const release = lockFileStack(root.url, root.name);
      try {
        // Read once locked: no other run changes the root from here on.
        const now = await root.read();
        if (recordsAlready(now, outputs)) {
          opts.log?.(`root: ${root.name} locked by hpx, its record unchanged (no engine run for it)`);
          return await work();
        }
        fillIn = look === 0 && root.write !== undefined && onlyFillsIn(now, outputs);
      } finally {
        release();
      }
      if (!fillIn) break;
      // A new stack's first up: recorded before, not after, its shards run, so no Pulumi
      // CLI waits beside them for the whole run only to hold the lock (~100 MB at 10,000).
      await root.write!(outputs);
      opts.log?.(`root: ${root.name} records its stack id and cluster (a stack import, no engine run)`);
    }
  }
  let thrown: unknown;
  await upStack(await root.stack(), {
    ...opts,
    target: undefined,
    onEvent: undefined,
    program: async () => {
      if (!(await pulumiSdk()).runtime.isDryRun()) {
        try {
          await work();
        } catch (err) {
          thrown = err;
          throw err;
        }
      }
      return { ...outputs };
    },
  }).catch((err: unknown) => {
    throw thrown ?? err;
  });
}

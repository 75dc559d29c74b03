/**
 * A stamp of an hpx stack's state on a file backend: its root's and every shard's
 * checkpoint file (device, inode, size and times). Every run that applies anything to the
 * stack writes its state, and the DIY backend renames each new checkpoint in, so the stamp
 * changes with every run that completes, or stops, in between two stamps.
 *
 * A targeted update stamps the state before it lists the namespace, and again once it
 * holds the stack's lock: the same stamp means no run of this stack changed its objects
 * since the listing, and the targets it chose still stand (operations/targeted.ts).
 */
import { shardStackName } from "./shard-layout.ts";
import { rootRecord } from "./shard-state.ts";
import { checkpointStamp, readCheckpointView } from "./state-files.ts";

/** The stamp of stack `stack`'s state; undefined when the backend is not a file (one stat per file there, a CLI per stack elsewhere). */
export function stateStamp(url: string, stack: string): string | undefined {
  if (!url.startsWith("file://")) return undefined;
  const { shards } = rootRecord(readCheckpointView(url, stack));
  return [stack, ...Array.from({ length: shards }, (_, k) => shardStackName(stack, k))].map((name) => `${name}=${checkpointStamp(url, name)}`).join("\n");
}

import { stateDigests } from "../automation/state-record.ts";
import type { LiveObject } from "../cluster/ownership.ts";
import type { StackMark } from "../components/stack-mark.ts";
import type { Cluster, EngineStack } from "./ports.ts";

/**
 * Deletes the stack's members that its state does not record and `keep` (the keys the run
 * applies) does not name: objects a stopped run created before it recorded them.
 *
 * Runs inside the engine's update (the program calls it first), so the stack's lock is
 * held: no other run of this stack can be creating objects now, and the state read here
 * is the last any run wrote. The mark is the stack's unique identity, so nothing of
 * another stack (or of a same-named one) can match.
 */
export async function pruneUnrecorded(stack: EngineStack, cluster: Cluster, mark: StackMark, keep: ReadonlySet<string>): Promise<LiveObject[]> {
  const state = await stack.readState();
  const recorded = new Set(Object.values(stateDigests(stack.name, state.resources)).flatMap((o) => Object.keys(o)));
  const live = await cluster.liveObjects();
  const unrecorded = live.filter((o) => o.partOf === mark.applySetId && !recorded.has(`${o.kind}/${o.name}`) && !keep.has(`${o.kind}/${o.name}`));
  await cluster.deleteObjects(unrecorded);
  return unrecorded;
}

/**
 * Deletes every object of the stack: those its state records (by name, as the engine
 * would) and those with its mark. `hpx destroy` of a sharded stack does this under the
 * root's lock instead of an engine step per object.
 */
export async function deleteStackObjects(stack: EngineStack, cluster: Cluster, mark: StackMark): Promise<LiveObject[]> {
  const state = await stack.readState();
  const recorded = new Set(Object.values(stateDigests(stack.name, state.resources)).flatMap((o) => Object.keys(o)));
  const mine = (await cluster.liveObjects()).filter((o) => o.partOf === mark.applySetId || recorded.has(`${o.kind}/${o.name}`));
  await cluster.deleteObjects(mine, { background: true });
  return mine;
}

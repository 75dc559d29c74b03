import type { LiveObject } from "../cluster/ownership.ts";
import { explainLock } from "./explain-lock.ts";
import { withOrphans } from "./incremental.ts";
import { withLockWait } from "./lock-wait.ts";
import { openRun } from "./open-run.ts";
import type { Ports } from "./ports.ts";
import { deleteStackObjects, pruneUnrecorded } from "./prune.ts";
import { deletedBy, processNames, stopIfAsked, waitForCluster } from "./run-steps.ts";
import type { DestroyResult, ProcessPlan, RolloutState, StackTarget, WaitOptions } from "./types.ts";
import type { DesiredState } from "../spec/desired-state.ts";

/**
 * `hpx destroy`: removes every object that carries the stack's mark, recorded or not
 * (a stopped run's), then waits until they and their pods are gone. The engine deletes
 * what the state records; the rest is deleted directly. Safe because the mark is unique
 * to this stack and the engine's run held its lock.
 */
export async function destroy(ports: Ports, target: StackTarget, opts: WaitOptions): Promise<DestroyResult> {
  return withLockWait(ports.clock, opts.lockWait, opts.signal, () =>
    destroyOnce(ports, target, opts).catch((err) => explainLock(ports.engine, err, target.backend)),
  );
}

async function destroyOnce(ports: Ports, target: StackTarget, opts: WaitOptions): Promise<DestroyResult> {
  const { stack, recorded, mark } = await openRun(ports, target, { processes: [] }, { ...opts, record: true });
  if (opts.confirm && !(await opts.confirm([]))) return { plans: [], notGone: [], applied: false };
  stopIfAsked(opts.signal, `destroy of stack ${target.stack} stopped before anything was changed`);
  // An update to no resource rather than the engine's destroy: the root keeps the stack's
  // identity. Members the state does not record are deleted under the engine's lock.
  let leftover: LiveObject[] = [];
  const beforeApply = async () => {
    leftover = await pruneUnrecorded(stack, ports.cluster, mark, new Set());
    if (leftover.length > 0) opts.log?.(`deleted ${leftover.length} object(s) of this stack its state did not record: ${leftover.map((o) => `${o.kind}/${o.name}`).join(", ")}`);
  };
  let direct: LiveObject[] = [];
  // A sharded stack's update goes on, after these deletions, to remove its shards' stacks
  // (a Pulumi CLI each, 128 at 10,000 processes); the pods take longer to go than that. So
  // the wait for them starts here, beside the removal, and is dropped if the update fails.
  const early = new AbortController();
  let waiting: Promise<RolloutState[]> | undefined;
  const deleteAll = async () => {
    direct = await deleteStackObjects(stack, ports.cluster, mark);
    opts.log?.(`deleted ${direct.length} object(s) of this stack directly; its shards' states are emptied`);
    // The engine deletes nothing in this update: what goes is what the state recorded and what was deleted here.
    const signal = opts.signal ? AbortSignal.any([opts.signal, early.signal]) : early.signal;
    waiting = waitForCluster(ports, [], goneAfter(recorded.desired, withOrphans([], [...leftover, ...direct])), { ...opts, signal });
    waiting.catch(() => undefined); // awaited below, unless the update failed
  };
  let engine: Awaited<ReturnType<typeof stack.up>>;
  try {
    engine = await stack.up({ kind: "empty", stackId: mark.stackId, beforeApply, deleteAll }, { ...opts, verb: "destroy" });
  } catch (err) {
    early.abort();
    throw err;
  }
  const plans = withOrphans(engine.plans, [...leftover, ...direct]);
  stopIfAsked(opts.signal, `destroy of stack ${target.stack} interrupted; the objects its state recorded are deleted`);
  const notGone = await (waiting ?? waitForCluster(ports, [], goneAfter(recorded.desired, plans), opts));
  stopIfAsked(opts.signal, `destroy of stack ${target.stack} stopped while waiting for its objects to be gone; the deletions are requested`);
  if (notGone.length === 0) await ports.cluster.deleteParent(mark);
  return { plans, notGone, applied: true };
}

/** The processes a destroy waits to see gone: those the state recorded, and those its run deleted. */
function goneAfter(recorded: DesiredState | undefined, plans: readonly ProcessPlan[]): string[] {
  return [...new Set([...processNames(recorded), ...deletedBy(plans)])];
}

import type { LiveObject } from "../cluster/ownership.ts";
import { explainLock } from "./explain-lock.ts";
import { withOrphans } from "./incremental.ts";
import { withLockWait } from "./lock-wait.ts";
import { openRun } from "./open-run.ts";
import type { Ports } from "./ports.ts";
import { deleteStackObjects, pruneUnrecorded } from "./prune.ts";
import { deletedBy, processNames, stopIfAsked, waitForCluster } from "./run-steps.ts";
import type { DestroyResult, StackTarget, WaitOptions } from "./types.ts";

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
  const deleteAll = async () => {
    direct = await deleteStackObjects(stack, ports.cluster, mark);
    opts.log?.(`deleted ${direct.length} object(s) of this stack directly; its shards' states are emptied`);
  };
  const engine = await stack.up({ kind: "empty", stackId: mark.stackId, beforeApply, deleteAll }, { ...opts, verb: "destroy" });
  const plans = withOrphans(engine.plans, [...leftover, ...direct]);
  const gone = [...new Set([...processNames(recorded.desired), ...deletedBy(plans)])];
  stopIfAsked(opts.signal, `destroy of stack ${target.stack} interrupted; the objects its state recorded are deleted`);
  const notGone = await waitForCluster(ports, [], gone, opts);
  stopIfAsked(opts.signal, `destroy of stack ${target.stack} stopped while waiting for its objects to be gone; the deletions are requested`);
  if (notGone.length === 0) await ports.cluster.deleteParent(mark);
  return { plans, notGone, applied: true };
}

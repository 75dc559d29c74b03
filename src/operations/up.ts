import type { LiveObject } from "../cluster/ownership.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import { hasChanges } from "../automation/plan-summary.ts";
import { explainLock } from "./explain-lock.ts";
import { expectedPlans, unchangedPlans, withOrphans, withStale } from "./incremental.ts";
import { withLockWait } from "./lock-wait.ts";
import { localRecreated, narrowed, openRun, orphanObjects, type Opened } from "./open-run.ts";
import { checkPlan } from "./plan-file.ts";
import type { OutputMap, Ports } from "./ports.ts";
import { pruneUnrecorded } from "./prune.ts";
import { deletedBy, processNames, stopIfAsked, unchangedBy, waitForCluster } from "./run-steps.ts";
import { targetedPreview, targetedUp } from "./targeted.ts";
import type { ProcessPlan, StackTarget, UpOptions, UpResult } from "./types.ts";

/** `hpx up`: makes the cluster run exactly `desired`, then waits until it does. */
export async function up(ports: Ports, target: StackTarget, desired: DesiredState, opts: UpOptions): Promise<UpResult> {
  return withLockWait(ports.clock, opts.lockWait, opts.signal, () =>
    upOnce(ports, target, desired, opts).catch((err) => explainLock(ports.engine, err, target.backend)),
  );
}

async function upOnce(ports: Ports, target: StackTarget, desired: DesiredState, opts: UpOptions): Promise<UpResult> {
  const opened = await openRun(ports, target, desired, { ...opts, record: true, created: opts.savedPlan?.file.process_created });
  const { stack, recorded, identity, input } = opened;
  const program = { kind: "processes", input } as const;
  const orphans = orphanObjects(opened);
  if (opts.savedPlan) checkPlan(opts.savedPlan.path, opts.savedPlan.file, target.stack, await stack.planState());
  const moving = opts.acceptCluster === true || localRecreated(target, recorded, identity);
  const narrow = narrowed(opened, target.stack, opts.refresh === true || opts.savedPlan !== undefined || moving);
  if (opts.confirm) {
    const plans = opts.savedPlan
      ? opts.savedPlan.file.changes
      : withOrphans(
          narrow?.skip
            ? unchangedPlans(desired.processes)
            : narrow
              ? withStale(await targetedPreview(opened, narrow.run, opts), opened.drift, desired.processes, opened.record)
              : await stack.preview(program, opts),
          orphans,
        );
    if (!hasChanges(plans) || !(await opts.confirm(plans))) return { plans, outputs: {}, notReady: [], applied: false };
  }
  const leftBehind = moving && recorded.cluster && recorded.cluster.uid !== identity.uid ? recorded.cluster : undefined;
  if (!opts.confirm && opts.onPlan) opts.onPlan(await toldPlan(opened, desired, opts, { moving, leftBehind: leftBehind !== undefined }));
  stopIfAsked(opts.signal, `update of stack ${target.stack} stopped before anything was changed`);
  // The ApplySet's parent exists before any member is created (KEP-3659).
  await ports.cluster.ensureParent(opened.mark, ports.engine.stateUrl(target.backend));
  let pruned: LiveObject[] = [];
  if (orphans.length > 0) {
    // Found before the lock was taken: deleted once the engine holds it, from a fresh look (prune.ts).
    const keep = new Set(Object.values(opened.digests).flatMap((o) => Object.keys(o)));
    input.beforeApply = async () => {
      pruned = await pruneUnrecorded(stack, ports.cluster, opened.mark, keep);
      opts.log?.(`deleted ${pruned.length} object(s) of this stack that neither the state nor the file knows: ${pruned.map((o) => `${o.kind}/${o.name}`).join(", ")}`);
    };
  }
  if (leftBehind) await stack.forget();
  let result: { plans: ProcessPlan[]; outputs: OutputMap };
  if (opts.savedPlan) {
    result = await stack.up(program, { ...opts, enginePlan: opts.savedPlan.file.pulumi_plan });
  } else if (narrow?.skip) {
    opts.log?.("the cluster holds the file as the state records it: the engine is not started");
    result = { plans: unchangedPlans(desired.processes), outputs: recorded.all };
  } else if (narrow) {
    result = await targetedUp(ports, opened, narrow.run, opts);
  } else {
    result = await stack.up(program, opts);
  }
  const plans = withOrphans(result.plans, pruned);
  const notReady = await waitForCluster(ports, processNames(desired), deletedBy(plans), opts, unchangedBy(plans));
  stopIfAsked(opts.signal, `update of stack ${target.stack} stopped while waiting for the rollouts; the changes are applied and recorded`);
  return { plans, outputs: result.outputs, notReady, applied: true, ...(leftBehind ? { leftBehind } : {}) };
}

/**
 * The plan `up` tells before it applies (without a prompt): a saved plan's changes; all
 * created on a cluster the stack moves to; else what hpx's digests say. Only a refresh
 * needs the engine (what it finds is not known before), previewed without progress
 * events, which belong to the update that follows.
 */
async function toldPlan(opened: Opened, desired: DesiredState, opts: UpOptions, how: { moving: boolean; leftBehind: boolean }): Promise<ProcessPlan[]> {
  const orphans = orphanObjects(opened);
  if (opts.savedPlan) return opts.savedPlan.file.changes;
  if (how.leftBehind) return expectedPlans({ changed: processNames(desired), removed: [], stale: [], orphans: [] }, desired.processes, {}, []);
  if (opts.refresh || how.moving) return withOrphans(await opened.stack.preview({ kind: "processes", input: opened.input }, { ...opts, onEvent: undefined }), orphans);
  return expectedPlans(opened.drift, desired.processes, opened.record, orphans);
}

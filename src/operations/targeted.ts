import { networkCause } from "../cluster/cluster-identity.ts";
import { ClusterError, HpxError } from "../errors.ts";
import { compareDigests } from "./drift.ts";
import { liveMarks, withStale, type TargetedRun } from "./incremental.ts";
import type { Opened } from "./open-run.ts";
import type { OutputMap, Ports } from "./ports.ts";
import { stopIfAsked } from "./run-steps.ts";
import type { OperationOptions, ProcessPlan } from "./types.ts";

/** A preview of a targeted run. */
export async function targetedPreview(opened: Opened, run: TargetedRun, opts: OperationOptions): Promise<ProcessPlan[]> {
  opened.input.only = run.only;
  return opened.stack.preview({ kind: "processes", input: opened.input }, { ...opts, target: run.target });
}

/**
 * An update of the processes that change only. The targets were chosen from one look at
 * the record and the cluster; another run may have changed either since (the engine's
 * lock serialises runs, not what each saw before it). So the cluster is checked
 * afterwards, and anything not as this file wants it gets a whole update. The check is
 * a second listing of the namespace (~0.5 s at 5,000 processes); it is not needed when
 * the update found the state as stamped before the look once it held the stack's lock:
 * no run of the stack wrote it, so none changed its objects, in between.
 */
export async function targetedUp(ports: Ports, opened: Opened, run: TargetedRun, opts: OperationOptions): Promise<{ plans: ProcessPlan[]; outputs: OutputMap }> {
  const { stack, input } = opened;
  if (run.forget.size > 0) {
    const n = await stack.forget(run.forget);
    opts.log?.(`state: forgot ${n} resource(s) of ${run.forget.size} process(es) the cluster does not hold as recorded; they are applied again`);
  }
  opts.log?.(`engine: ${run.only.size} process(es) to apply, ${run.target.length} URN(s) targeted`);
  input.only = run.only;
  const { plans, outputs, untouched } = await stack.up({ kind: "processes", input }, { ...opts, target: run.target, ...(opened.stamp !== undefined ? { since: opened.stamp } : {}) });
  if (untouched === true) {
    opts.log?.(`state: no other run wrote stack ${stack.name} between the look and the update; the targets stand`);
    return { plans: withStale(plans, undefined, input.processes), outputs };
  }
  const live = await ports.cluster.liveObjects().catch((err: unknown) => {
    // The changes are applied; only this check could not be made (e.g. the API server restarts).
    if (err instanceof HpxError) throw err;
    const cause = networkCause(err) ?? (err instanceof Error ? err.message : String(err));
    throw new ClusterError(`applied, but cannot reach the cluster at ${ports.cluster.server} to check it: ${cause}`, undefined, [
      "the state records what was applied; run hpx up again once the cluster answers",
    ]);
  });
  const after = compareDigests(opened.digests, opened.digests, liveMarks(live, opened.mark, opened.digests));
  // The processes not targeted are unchanged: listed as such, as a whole run would.
  if (after.stale.length === 0) return { plans: withStale(plans, undefined, input.processes), outputs };
  stopIfAsked(opts.signal, `update of stack ${stack.name} interrupted; the targeted changes are applied and recorded`);
  opts.log?.(`after the targeted update ${after.stale.length} object(s) differ from the file (another run?): a whole update follows`);
  input.only = undefined;
  return stack.up({ kind: "processes", input }, opts);
}

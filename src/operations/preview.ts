import { StackError } from "../errors.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import { unchangedPlans, withOrphans, withStale } from "./incremental.ts";
import { localRecreated, narrowed, openRun, orphanObjects } from "./open-run.ts";
import { writePlanFile } from "./plan-file.ts";
import type { Ports } from "./ports.ts";
import { stopIfAsked } from "./run-steps.ts";
import { targetedPreview } from "./targeted.ts";
import type { PreviewOptions, ProcessPlan, StackTarget } from "./types.ts";

/** `hpx preview`: what `up` would change, per process; with `savePlan`, saved for `up --plan`. */
export async function preview(ports: Ports, target: StackTarget, desired: DesiredState, opts: PreviewOptions = {}): Promise<ProcessPlan[]> {
  const opened = await openRun(ports, target, desired, opts);
  const orphans = orphanObjects(opened);
  stopIfAsked(opts.signal, `preview of stack ${target.stack} stopped before the engine started`);
  if (localRecreated(target, opened.recorded, opened.identity)) {
    throw new StackError(`the local simulated cluster was started afresh since stack ${target.stack}'s last up: its objects went with the old one`, undefined, [
      `nothing was changed; hpx up -s ${target.stack} applies the processes to the new cluster`,
    ]);
  }
  const { stack, created, input } = opened;
  const program = { kind: "processes", input } as const;
  if (!opts.savePlan) {
    const narrow = narrowed(opened, target.stack, opts.refresh === true);
    if (!narrow) return withOrphans(await stack.preview(program, opts), orphans);
    if (narrow.skip) {
      opts.log?.("the cluster holds the file as the state records it: the engine is not started");
      return withOrphans(unchangedPlans(desired.processes), orphans);
    }
    return withOrphans(withStale(await targetedPreview(opened, narrow.run, opts), opened.drift, desired.processes, opened.record), orphans);
  }
  const state = await stack.planState();
  const { plans, enginePlan } = await stack.previewPlan(program, opts);
  const changes = withOrphans(plans, orphans);
  writePlanFile(opts.savePlan, {
    hpx_plan: 1,
    stack: target.stack,
    state,
    created: new Date(ports.clock.now()).toISOString(),
    desired,
    process_created: created,
    changes,
    pulumi_plan: enginePlan,
  });
  return changes;
}

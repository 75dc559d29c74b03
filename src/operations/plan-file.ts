import { readFileSync, writeFileSync } from "node:fs";
import { StackError, UsageError } from "../errors.ts";
import type { ProcessPlan } from "../automation/plan-summary.ts";
import type { DesiredState } from "../spec/desired-state.ts";

/**
 * A saved plan (`hpx preview --save-plan`): what `hpx up --plan` applies, exactly.
 * It holds the desired state (secret references, never their values), the per-process
 * changes for people, and Pulumi's own update plan, in which the engine keeps secret
 * values encrypted by the stack's secrets provider.
 */
export interface PlanFile {
  /** Format marker and version. */
  hpx_plan: 1;
  stack: string;
  /** Fingerprint of the stack's state the plan was made against (automation/state-fingerprint.ts). */
  state: string;
  created: string;
  desired: DesiredState;
  /** The creation times the apply records (new processes: when the plan was made). */
  process_created?: Record<string, string>;
  changes: ProcessPlan[];
  /** Pulumi's update plan, given back to the engine, which refuses any other change. */
  pulumi_plan: unknown;
}

/** Writes the plan 0600: it describes the stack's objects, if no secret value. */
export function writePlanFile(path: string, plan: PlanFile): void {
  writeFileSync(path, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
}

/** Reads a plan file; anything that is not one is a usage error naming the file. */
export function readPlanFile(path: string): PlanFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "not JSON";
    throw new UsageError(`plan ${path}: ${why}`, ["make one with hpx preview FILE --save-plan PLAN"]);
  }
  const plan = raw as Partial<PlanFile>;
  if (plan.hpx_plan !== 1 || typeof plan.stack !== "string" || typeof plan.state !== "string" || !Array.isArray(plan.desired?.processes)) {
    throw new UsageError(`plan ${path}: not an hpx plan file (made by hpx preview --save-plan)`);
  }
  return plan as PlanFile;
}

/** Refuses a plan made for another stack, or against a state that has changed since. */
export function checkPlan(path: string, plan: PlanFile, stack: string, currentState: string): void {
  if (plan.stack !== stack) throw new UsageError(`plan ${path} was made for stack ${plan.stack}, not ${stack}`);
  if (plan.state !== currentState) {
    throw new StackError(`plan ${path} was made against another state of stack ${stack}: the stack has changed since ${plan.created}`, undefined, [
      "nothing was changed; make a new plan: hpx preview FILE --save-plan PLAN",
    ]);
  }
}

/** How plans and results read on a terminal. */
import { StackError } from "../errors.ts";
import type { ProcessPlan, RolloutState } from "../operations/types.ts";
import { objectLines } from "./field-diff.ts";
import type { ProgressView } from "./progress-view.ts";

const SIGN: Record<ProcessPlan["change"], string> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };

/** One line per changed process (with `diff`, its changed fields and their values), then the counts. */
export function formatPlan(plans: readonly ProcessPlan[], diff: boolean): string[] {
  const changed = plans.filter((p) => p.change !== "same");
  if (changed.length === 0) return ["no changes"];
  const lines: string[] = [];
  for (const p of changed) {
    lines.push(`${SIGN[p.change].padEnd(2)} ${p.process}  ${p.change}`);
    if (diff) for (const [object, fields] of Object.entries(p.fields).sort(([a], [b]) => a.localeCompare(b))) lines.push(...objectLines(object, fields, p.values?.[object], "     "));
  }
  const count = (c: ProcessPlan["change"]) => changed.filter((p) => p.change === c).length;
  lines.push(`${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete`);
  return lines;
}

/** The closing counts of a plan or a result. */
export function counts(plans: readonly ProcessPlan[], notReady: readonly RolloutState[] = [], waited = false): Parameters<ProgressView["finish"]>[0] {
  const n = (c: ProcessPlan["change"]) => plans.filter((p) => p.change === c).length;
  const live = plans.filter((p) => p.change !== "delete").length;
  return {
    created: n("create"),
    updated: n("update"),
    replaced: n("replace"),
    deleted: n("delete"),
    unchanged: n("same"),
    ...(waited ? { ready: live - notReady.length, "not ready": notReady.length } : {}),
  };
}

export function formatDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}

/** The error for processes that did not get there before the deadline; they stay in the stack. */
export function notReadyError(stack: string, states: readonly RolloutState[], timeoutMs: number, what: string): StackError {
  return new StackError(
    `${states.length} process(es) of stack ${stack} did not ${what} within ${formatDuration(timeoutMs)}`,
    undefined,
    [...states.map((s) => `${s.process}: ${s.reason}`), "they stay in the stack: fix the spec and run hpx up again, or remove them with hpx stop / hpx destroy"],
  );
}

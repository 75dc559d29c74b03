import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import confirm from "@inquirer/confirm";
import { hpxHome } from "../toolchain.ts";
import { completionFile } from "./complete.ts";
import type { DesiredState } from "../automation/desired-state.ts";
import { hasChanges, type ProcessPlan } from "../automation/plan-summary.ts";
import { ProgressView } from "../automation/progress.ts";
import {
  applyProcesses,
  destroyProcesses,
  previewProcesses,
  storedDesiredState,
  type SavedPlan,
  type StackTarget,
} from "../automation/stack-operations.ts";
import { summaryMarkdown, writeSummary } from "./summary-md.ts";
import { withLockWait } from "./lock-wait.ts";
import type { RolloutState } from "../cluster/rollout.ts";
import { ChangesPresentError, SpecError, StackError, UsageError } from "../errors.ts";
import { MissingSecretError } from "../automation/resolve-secrets.ts";
import { locateInProcessFile } from "../spec/load-process-file.ts";
import { interactive } from "./interactive.ts";
import { stopOnSignals } from "./stop-signals.ts";
import { printJson, printLines, progress } from "./output.ts";
import { stackTarget } from "../automation/stack-cluster.ts";
import type { StackContext } from "../automation/stack-context.ts";

export interface ApplyFlags {
  yes?: boolean;
  json?: boolean;
  diff?: boolean;
  refresh?: boolean;
  expectNoChanges?: boolean;
  acceptCluster?: boolean;
  /** `--no-wait` sets it false. */
  wait?: boolean;
  /** How long to wait for rollouts, in ms (parsed from `--timeout`). */
  timeoutMs?: number;
  /** How long to wait for a lock another update holds, in ms (`--lock-wait`); default: fail at once. */
  lockWaitMs?: number;
  /** `--save-plan` (preview). */
  savePlan?: string;
  /** `--plan` (up), read and parsed. */
  savedPlan?: SavedPlan;
  /** `--summary-md`. */
  summaryMd?: string;
  /** Print nothing on stdout (a caller prints its own result: cull, serve). */
  quiet?: boolean;
  /** The processes file the desired state came from, to locate problems found later. */
  sourceFile?: string;
  /** `--verbose`: hpx's steps and the engine's own output on stderr. */
  verbose?: boolean;
}

/** What `--verbose` adds to an operation's options. */
function verbosity(flags: ApplyFlags): { log?: (line: string) => void; onOutput?: (text: string) => void } {
  if (!flags.verbose || flags.json) return {};
  return { log: (line) => progress(`[hpx] ${line}`), onOutput: (text) => process.stderr.write(text) };
}

/** Default of `--timeout`: how long `up` and `destroy` wait for the cluster to get there. */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

const SIGN: Record<ProcessPlan["change"], string> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };

export function formatPlan(plans: ProcessPlan[], diff: boolean): string[] {
  const changed = plans.filter((p) => p.change !== "same");
  if (changed.length === 0) return ["no changes"];
  const lines: string[] = [];
  for (const p of changed) {
    lines.push(`${SIGN[p.change].padEnd(2)} ${p.process}  ${p.change}`);
    if (diff) for (const [object, fields] of Object.entries(p.fields)) lines.push(`     ${object}: ${fields.join(", ")}`);
  }
  const count = (c: ProcessPlan["change"]) => changed.filter((p) => p.change === c).length;
  lines.push(`${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete`);
  return lines;
}

/**
 * The operations' target; the local cluster's start-up is progress for people. A secret
 * the store lacks is bad input: located in the processes file when there is one.
 */
async function targetOf(ctx: StackContext, desired: DesiredState, flags: ApplyFlags): Promise<StackTarget> {
  try {
    return await stackTarget(ctx, desired, { interactive: interactive(), onProgress: flags.json ? undefined : progress });
  } catch (err) {
    if (err instanceof MissingSecretError && flags.sourceFile) {
      const at = locateInProcessFile(flags.sourceFile, err.site.process, err.site.path);
      throw new SpecError([{ file: flags.sourceFile, line: at.line, col: at.col, path: at.path, message: err.message }]);
    }
    throw err;
  }
}

/** Progress for people on stderr (live on a terminal); none with --json, whose stdout is for machines. */
function progressView(json: boolean): ProgressView | undefined {
  return json ? undefined : new ProgressView((t) => process.stderr.write(t), Boolean(process.stderr.isTTY));
}

/** The closing counts of a plan or a result. */
function counts(plans: ProcessPlan[], notReady: RolloutState[] = [], waited = false): Parameters<ProgressView["finish"]>[0] {
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

/** The error for processes that did not get there before the deadline; they stay in the stack. */
function notReadyError(stack: string, states: RolloutState[], timeoutMs: number, what: string): StackError {
  return new StackError(
    `${states.length} process(es) of stack ${stack} did not ${what} within ${formatDuration(timeoutMs)}`,
    undefined,
    [...states.map((s) => `${s.process}: ${s.reason}`), "they stay in the stack: fix the spec and run hpx up again, or remove them with hpx stop / hpx destroy"],
  );
}

/** The process names of the stack's last update, for shell completion (a hint: failures are ignored). */
function rememberNames(stack: string, desired: DesiredState): void {
  try {
    const file = completionFile(hpxHome(), stack);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, desired.processes.map((p) => `${p.process_name}\n`).join(""));
  } catch {
    // completion works without it
  }
}

/** The Markdown summary, to `--summary-md` and $GITHUB_STEP_SUMMARY, when either asks for it. */
function summarise(title: string, plans: ProcessPlan[], notReady: RolloutState[], flags: ApplyFlags): void {
  if (flags.summaryMd || process.env.GITHUB_STEP_SUMMARY) writeSummary(summaryMarkdown(title, plans, notReady), flags.summaryMd);
}

export function formatDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}

/** `hpx preview`: the per-process plan; with --expect-no-changes, exit 3 when there are changes. */
export async function previewDesired(ctx: StackContext, desired: DesiredState, flags: ApplyFlags): Promise<ProcessPlan[]> {
  const target = await targetOf(ctx, desired, flags);
  const run = stopOnSignals(ctx.name);
  const view = progressView(Boolean(flags.json));
  try {
    const plans = await previewProcesses(target, desired, {
      diff: flags.diff,
      refresh: flags.refresh,
      signal: run.signal,
      savePlan: flags.savePlan,
      onEvent: view?.onEvent,
      ...verbosity(flags),
    });
    view?.finish(counts(plans));
    if (flags.json) printJson({ stack: ctx.name, changes: plans, changed: hasChanges(plans), ...(flags.savePlan ? { plan: flags.savePlan } : {}) });
    else printLines(...formatPlan(plans, Boolean(flags.diff)));
    if (flags.savePlan && !flags.json) progress(`plan saved to ${flags.savePlan}: apply exactly it with hpx up --plan ${flags.savePlan} -s ${ctx.name}`);
    summarise(`hpx preview: stack \`${ctx.name}\``, plans, [], flags);
    if (flags.expectNoChanges && hasChanges(plans)) throw new ChangesPresentError(`stack ${ctx.name} has changes`);
    return plans;
  } finally {
    await run.done(verbosity(flags).log);
  }
}

/** `hpx up`: preview and confirm at a terminal (or --yes), apply, wait for the rollouts. */
export async function applyDesired(ctx: StackContext, desired: DesiredState, flags: ApplyFlags): Promise<void> {
  if (!flags.yes && !interactive()) {
    throw new UsageError("not a terminal: pass --yes to apply without a prompt");
  }
  const target = await targetOf(ctx, desired, flags);
  const run = stopOnSignals(ctx.name);
  const view = progressView(Boolean(flags.json));
  const timeoutMs = flags.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const result = await withLockWait(flags.lockWaitMs, () => applyProcesses(target, desired, {
      refresh: flags.refresh,
      acceptCluster: flags.acceptCluster,
      wait: flags.wait,
      timeoutMs,
      signal: run.signal,
      onEvent: view?.onEvent,
      onRollout: view?.onCluster,
      ...verbosity(flags),
      confirm: flags.yes
        ? undefined
        : async (plans) => {
            printLines(...formatPlan(plans, false));
            const yes = await confirm({ message: `apply these changes to stack ${ctx.name}?`, default: false });
            if (!yes) printLines("nothing changed");
            return yes;
          },
      savedPlan: flags.savedPlan,
    }));
    rememberNames(ctx.name, desired);
    if (result.leftBehind) {
      progress(`stack ${ctx.name} moved to this cluster; its objects in the cluster ${result.leftBehind.uid} (${result.leftBehind.server}) were left there`);
    }
    if (!result.applied) {
      if (!hasChanges(result.plans)) printLines("no changes: the cluster already matches");
      return;
    }
    view?.finish(counts(result.plans, result.notReady, flags.wait !== false));
    if (flags.quiet) {
      // the caller reports
    } else if (flags.json) {
      printJson({ stack: ctx.name, changes: result.plans, processes: result.outputs.processes?.value ?? {}, notReady: result.notReady });
    } else {
      printLines(...formatPlan(result.plans, false).map((l) => (l === "no changes" ? "no changes: the cluster already matches" : l)));
    }
    summarise(`hpx up: stack \`${ctx.name}\``, result.plans, result.notReady, flags);
    if (result.notReady.length > 0) throw notReadyError(ctx.name, result.notReady, timeoutMs, "become ready");
  } finally {
    await run.done(verbosity(flags).log);
  }
}

/** `hpx destroy`: removes every process of the stack and waits until they are gone. */
export async function destroyAll(ctx: StackContext, flags: ApplyFlags): Promise<void> {
  if (!flags.yes && !interactive()) throw new UsageError("not a terminal: pass --yes to destroy without a prompt");
  const target = await targetOf(ctx, { processes: [] }, flags);
  const run = stopOnSignals(ctx.name);
  const view = progressView(Boolean(flags.json));
  const timeoutMs = flags.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const { plans, notGone, applied } = await withLockWait(flags.lockWaitMs, () => destroyProcesses(target, {
      timeoutMs,
      wait: flags.wait,
      signal: run.signal,
      onEvent: view?.onEvent,
      onRollout: view?.onCluster,
      ...verbosity(flags),
      confirm: flags.yes ? undefined : () => confirm({ message: `destroy every process of stack ${ctx.name}?`, default: false }),
    }));
    if (!applied) return printLines("nothing changed");
    view?.finish({ deleted: plans.filter((p) => p.change === "delete").length, ...(flags.wait !== false ? { "not gone": notGone.length } : {}) } as Parameters<ProgressView["finish"]>[0]);
    if (flags.json) printJson({ stack: ctx.name, changes: plans, notGone });
    else printLines(`destroyed ${plans.filter((p) => p.change === "delete").length} process(es) of stack ${ctx.name}`);
    summarise(`hpx destroy: stack \`${ctx.name}\``, plans, notGone, flags);
    if (notGone.length > 0) throw notReadyError(ctx.name, notGone, timeoutMs, "disappear");
  } finally {
    await run.done(verbosity(flags).log);
  }
}

/** The stack's stored desired state (for `hpx up` without a file, start and stop). */
export async function storedDesired(ctx: StackContext): Promise<DesiredState | undefined> {
  return storedDesiredState(ctx.name, ctx.settings.backend);
}

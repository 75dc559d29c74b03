/**
 * `hpx preview`, `up` and `destroy` (and the edits that end in an up): each resolves the
 * stack's target, calls its operation with the progress view, prompts and Ctrl-C wired
 * in, and renders the result. Every guard is the operation's.
 */
import confirm from "@inquirer/confirm";
import { ChangesPresentError, UsageError } from "../errors.ts";
import { destroy } from "../operations/destroy.ts";
import { applyEdit, type StackEdit } from "../operations/edit-stack.ts";
import { preview } from "../operations/preview.ts";
import { engine, realPorts } from "../operations/real-ports.ts";
import type { StackContext } from "../operations/stack-context.ts";
import { stackTarget } from "../operations/stack-target.ts";
import { commandWords, stopOnSignals } from "../operations/stop-signals.ts";
import { hasChanges, type LockWait, type ProcessPlan, type SavedPlan, type StackTarget, type UpOptions, type UpResult } from "../operations/types.ts";
import { up } from "../operations/up.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import type { ProcessSource } from "../spec/load-process-file.ts";
import { rememberNames } from "./completion-names.ts";
import { interactive } from "./interactive.ts";
import { printJson, printLines, progress } from "./output.ts";
import { counts, formatPlan, notReadyError } from "./plan-view.ts";
import { ProgressView, type ProgressMode } from "./progress-view.ts";
import { summaryMarkdown, writeSummary } from "./summary-md.ts";

/** Default of `--timeout`: how long `up` and `destroy` wait for the cluster to get there. */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** Flags every engine command has. */
interface CommonFlags {
  json?: boolean;
  /** `--verbose`: hpx's steps and the engine's own output on stderr. */
  verbose?: boolean;
  /** `--summary-md`. */
  summaryMd?: string;
}

export interface PreviewFlags extends CommonFlags {
  diff?: boolean;
  refresh?: boolean;
  expectNoChanges?: boolean;
  savePlan?: string;
}

export interface DestroyFlags extends CommonFlags {
  yes?: boolean;
  /** `--no-wait` sets it false. */
  wait?: boolean;
  /** `--timeout`, parsed. */
  timeoutMs?: number;
  /** `--lock-wait`, parsed; default: fail at once. */
  lockWaitMs?: number;
}

export interface UpFlags extends DestroyFlags {
  refresh?: boolean;
  acceptCluster?: boolean;
  /** `--plan`, read and parsed. */
  savedPlan?: SavedPlan;
}

/** What `--verbose` adds to an operation's options. */
function verbosity(flags: CommonFlags): { log?: (line: string) => void; onOutput?: (text: string) => void } {
  if (!flags.verbose || flags.json) return {};
  return { log: (line) => progress(`[hpx] ${line}`), onOutput: (text) => process.stderr.write(text) };
}

/**
 * Progress for people on stderr (live on a terminal, within its height less two rows for
 * the closing line and the prompt; 24 rows when it reports none); none with --json,
 * whose stdout is for machines.
 */
function progressView(json: boolean | undefined, mode: ProgressMode = "apply"): ProgressView | undefined {
  const tty = Boolean(process.stderr.isTTY);
  return json ? undefined : new ProgressView((t) => process.stderr.write(t), tty, Date.now, mode, tty ? (process.stderr.rows || 24) - 2 : Infinity);
}

const lockWait = (ms: number | undefined): LockWait | undefined => (ms === undefined ? undefined : { waitMs: ms, onWait: progress });

/** The Markdown summary, to `--summary-md` and $GITHUB_STEP_SUMMARY, when either asks for it. */
function summarise(title: string, plans: ProcessPlan[], notReady: Parameters<typeof summaryMarkdown>[2], flags: CommonFlags): void {
  if (flags.summaryMd || process.env.GITHUB_STEP_SUMMARY) writeSummary(summaryMarkdown(title, plans, notReady), flags.summaryMd);
}

/** The operations' target; the local cluster's start-up is progress for people. */
function targetOf(ctx: StackContext, desired: DesiredState, flags: CommonFlags, source?: ProcessSource): Promise<StackTarget> {
  return stackTarget(ctx, desired, { interactive: interactive(), onProgress: flags.json ? undefined : progress, source });
}

/** Runs `work` with Ctrl-C, SIGTERM and SIGHUP stopping it (stop-signals.ts). */
async function stoppable<T>(ctx: StackContext, flags: CommonFlags, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const run = stopOnSignals(commandWords(ctx.name));
  try {
    return await work(run.signal);
  } finally {
    await run.done(verbosity(flags).log);
  }
}

/**
 * Waits for an operation that reports to `view`, then draws the view's last state however
 * the operation ended, so that an error is printed below it and no redraw comes after.
 */
async function reported<T>(view: ProgressView | undefined, operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } finally {
    view?.flush();
  }
}

/** `hpx preview`: the per-process plan; with --expect-no-changes, exit 3 when there are changes. */
export async function previewCommand(ctx: StackContext, desired: DesiredState, flags: PreviewFlags, source?: ProcessSource): Promise<void> {
  const target = await targetOf(ctx, desired, flags, source);
  const view = progressView(flags.json, "preview");
  await stoppable(ctx, flags, async (signal) => {
    const plans = await reported(
      view,
      preview(realPorts(target.access), target, desired, {
        diff: flags.diff,
        refresh: flags.refresh,
        signal,
        savePlan: flags.savePlan,
        onEvent: view?.onEvent,
        ...verbosity(flags),
      }),
    );
    view?.finishPreview();
    if (flags.json) printJson({ stack: ctx.name, changes: plans, changed: hasChanges(plans), ...(flags.savePlan ? { plan: flags.savePlan } : {}) });
    else printLines(...formatPlan(plans, Boolean(flags.diff)));
    if (flags.savePlan && !flags.json) progress(`plan saved to ${flags.savePlan}: apply exactly it with hpx up --plan ${flags.savePlan} -s ${ctx.name}`);
    summarise(`hpx preview: stack \`${ctx.name}\``, plans, [], flags);
    if (flags.expectNoChanges && hasChanges(plans)) throw new ChangesPresentError(`stack ${ctx.name} has changes`);
  });
}

/** The options of `up` for a person (a prompt) or a pipeline (`--yes`), with progress. */
function upOptions(ctx: StackContext, flags: UpFlags, view: ProgressView | undefined, signal: AbortSignal): UpOptions {
  return {
    refresh: flags.refresh,
    acceptCluster: flags.acceptCluster,
    wait: flags.wait,
    timeoutMs: flags.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    lockWait: lockWait(flags.lockWaitMs),
    signal,
    onEvent: view?.onEvent,
    onRollout: view?.onCluster,
    ...verbosity(flags),
    // The plan comes first, then the progress, then the summary (as Pulumi and Terraform show them).
    onPlan: flags.json ? undefined : (plans) => printLines(...planLines(plans)),
    confirm: flags.yes
      ? undefined
      : async (plans) => {
          printLines(...planLines(plans));
          const yes = await confirm({ message: `apply these changes to stack ${ctx.name}?`, default: false });
          if (!yes) printLines("nothing changed");
          return yes;
        },
    savedPlan: flags.savedPlan,
  };
}

/** The plan `up` is about to apply, for people. */
const planLines = (plans: ProcessPlan[]): string[] => formatPlan(plans, false).map((l) => (l === "no changes" ? "no changes: the cluster already matches" : l));

/** What `up` (or an edit) did, for people or machines. */
function renderUp(ctx: StackContext, desired: DesiredState, result: UpResult, flags: UpFlags & { quiet?: boolean }, view: ProgressView | undefined): void {
  rememberNames(ctx.name, desired);
  if (result.leftBehind) {
    progress(`stack ${ctx.name} moved to this cluster; its objects in the cluster ${result.leftBehind.uid} (${result.leftBehind.server}) were left there`);
  }
  if (!result.applied) {
    if (!hasChanges(result.plans)) printLines("no changes: the cluster already matches");
    return;
  }
  view?.finish(counts(result.plans, result.notReady, flags.wait !== false));
  // For people the plan was printed before the changes (onPlan or the prompt); with quiet the caller reports.
  if (flags.json && !flags.quiet) printJson({ stack: ctx.name, changes: result.plans, processes: result.outputs.processes?.value ?? {}, notReady: result.notReady });
  summarise(`hpx up: stack \`${ctx.name}\``, result.plans, result.notReady, flags);
  if (result.notReady.length > 0) throw notReadyError(ctx.name, result.notReady, flags.timeoutMs ?? DEFAULT_TIMEOUT_MS, "become ready");
}

function requireYes(flags: { yes?: boolean }, what: string): void {
  if (!flags.yes && !interactive()) throw new UsageError(`not a terminal: pass --yes to ${what} without a prompt`);
}

/** `hpx up`: preview and confirm at a terminal (or --yes), apply, wait for the rollouts. */
export async function upCommand(ctx: StackContext, desired: DesiredState, flags: UpFlags, source?: ProcessSource): Promise<void> {
  requireYes(flags, "apply");
  const target = await targetOf(ctx, desired, flags, source);
  const view = progressView(flags.json);
  const result = await stoppable(ctx, flags, (signal) => reported(view, up(realPorts(target.access), target, desired, upOptions(ctx, flags, view, signal))));
  renderUp(ctx, desired, result, flags, view);
}

/**
 * `hpx start`, `stop` and `cull`: an edit of the stored desired state, applied as
 * `hpx up --yes` applies; returns whether there was anything to apply. With `quiet`, the
 * caller prints its own result (cull --json).
 */
export async function editCommand(ctx: StackContext, edit: StackEdit, flags: { json?: boolean; quiet?: boolean }, source?: ProcessSource): Promise<boolean> {
  const upFlags: UpFlags = { yes: true, json: flags.json };
  const view = progressView(flags.json);
  const deps = {
    engine,
    target: async (desired: DesiredState) => {
      const target = await targetOf(ctx, desired, flags, source);
      return { target, ports: realPorts(target.access) };
    },
  };
  const done = await stoppable(ctx, upFlags, (signal) => reported(view, applyEdit(deps, { name: ctx.name, backend: ctx.settings.backend }, edit, upOptions(ctx, upFlags, view, signal))));
  if (!done) return false;
  renderUp(ctx, done.desired, done.result, { ...upFlags, quiet: flags.quiet }, view);
  return true;
}

/** `hpx destroy`: removes every process of the stack and waits until they are gone. */
export async function destroyCommand(ctx: StackContext, flags: DestroyFlags): Promise<void> {
  requireYes(flags, "destroy");
  const target = await targetOf(ctx, { processes: [] }, flags);
  const view = progressView(flags.json);
  const timeoutMs = flags.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { plans, notGone, applied } = await stoppable(ctx, flags, (signal) =>
    reported(view, destroy(realPorts(target.access), target, {
      timeoutMs,
      wait: flags.wait,
      lockWait: lockWait(flags.lockWaitMs),
      signal,
      onEvent: view?.onEvent,
      onRollout: view?.onCluster,
      ...verbosity(flags),
      confirm: flags.yes ? undefined : () => confirm({ message: `destroy every process of stack ${ctx.name}?`, default: false }),
    })),
  );
  if (!applied) return printLines("nothing changed");
  view?.finish({ deleted: plans.filter((p) => p.change === "delete").length, ...(flags.wait !== false ? { "not gone": notGone.length } : {}) } as Parameters<ProgressView["finish"]>[0]);
  if (flags.json) printJson({ stack: ctx.name, changes: plans, notGone });
  else printLines(`destroyed ${plans.filter((p) => p.change === "delete").length} process(es) of stack ${ctx.name}`);
  summarise(`hpx destroy: stack \`${ctx.name}\``, plans, notGone, flags);
  if (notGone.length > 0) throw notReadyError(ctx.name, notGone, timeoutMs, "disappear");
}

import confirm from "@inquirer/confirm";
import type * as pulumi from "@pulumi/pulumi";
import { ensureKubernetesPlugin } from "../automation/engine.ts";
import type { DesiredState } from "../automation/desired-state.ts";
import { destroyStack, previewStack, readDesiredState, upStack } from "../automation/operations.ts";
import { hasChanges, type ProcessPlan } from "../automation/plan-summary.ts";
import { processProgram } from "../automation/program.ts";
import { progressReporter } from "../automation/progress.ts";
import { resolveSecrets } from "../automation/resolve-secrets.ts";
import { openStack } from "../automation/workspace.ts";
import { ChangesPresentError, UsageError } from "../errors.ts";
import { printJson, printLines } from "./output.ts";
import { interactive } from "./interactive.ts";
import { clusterAccess } from "./stack-cluster.ts";
import { secretStore, type StackContext } from "./stack-context.ts";

export interface ApplyFlags {
  yes?: boolean;
  json?: boolean;
  diff?: boolean;
  refresh?: boolean;
  expectNoChanges?: boolean;
}

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

/** Ctrl-C cancels the engine cleanly (it finishes the steps under way); a second one exits at once. */
function interruptible(): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write("\ncancelling: the engine stops after the steps under way (Ctrl-C again to quit now)\n");
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  return { signal: controller.signal, done: () => process.off("SIGINT", onSigint) };
}

async function openFor(ctx: StackContext, desired: DesiredState, json: boolean): Promise<pulumi.automation.Stack> {
  // Secrets first: a missing one stops the command before the cluster or state is touched.
  const secrets = await resolveSecrets(desired.processes, await secretStore(ctx));
  await ensureKubernetesPlugin();
  const access = await clusterAccess(ctx, { startLocal: true, quiet: json });
  return openStack(ctx.name, ctx.settings.backend, processProgram({ processes: desired.processes, access, secrets }));
}

/** `hpx preview`: the per-process plan; with --expect-no-changes, exit 3 when there are changes. */
export async function previewDesired(ctx: StackContext, desired: DesiredState, flags: ApplyFlags): Promise<ProcessPlan[]> {
  const stack = await openFor(ctx, desired, Boolean(flags.json));
  const run = interruptible();
  try {
    const plans = await previewStack(stack, { diff: flags.diff, refresh: flags.refresh, signal: run.signal });
    if (flags.json) printJson({ stack: ctx.name, changes: plans, changed: hasChanges(plans) });
    else printLines(...formatPlan(plans, Boolean(flags.diff)));
    if (flags.expectNoChanges && hasChanges(plans)) throw new ChangesPresentError(`stack ${ctx.name} has changes`);
    return plans;
  } finally {
    run.done();
  }
}

/** `hpx up`: preview, confirm at a terminal (or --yes), apply. */
export async function applyDesired(ctx: StackContext, desired: DesiredState, flags: ApplyFlags): Promise<void> {
  if (!flags.yes && !interactive()) {
    throw new UsageError("not a terminal: pass --yes to apply without a prompt");
  }
  const stack = await openFor(ctx, desired, Boolean(flags.json));
  const run = interruptible();
  try {
    if (!flags.yes) {
      const plans = await previewStack(stack, { signal: run.signal, refresh: flags.refresh });
      printLines(...formatPlan(plans, false));
      if (!hasChanges(plans)) return;
      if (!(await confirm({ message: `apply these changes to stack ${ctx.name}?`, default: false }))) {
        printLines("nothing changed");
        return;
      }
    }
    const onEvent = flags.json ? undefined : progressReporter((t) => process.stderr.write(t), Boolean(process.stderr.isTTY));
    const { plans, outputs } = await upStack(stack, { onEvent, signal: run.signal, refresh: flags.refresh });
    if (flags.json) printJson({ stack: ctx.name, changes: plans, processes: outputs.processes?.value ?? {} });
    else printLines(...formatPlan(plans, false).map((l) => (l === "no changes" ? "no changes: the cluster already matches" : l)));
  } finally {
    run.done();
  }
}

/** `hpx destroy`: removes every process of the stack. */
export async function destroyAll(ctx: StackContext, flags: ApplyFlags): Promise<void> {
  if (!flags.yes && !interactive()) throw new UsageError("not a terminal: pass --yes to destroy without a prompt");
  const stack = await openFor(ctx, { processes: [] }, Boolean(flags.json));
  if (!flags.yes && !(await confirm({ message: `destroy every process of stack ${ctx.name}?`, default: false }))) {
    printLines("nothing changed");
    return;
  }
  const run = interruptible();
  try {
    const onEvent = flags.json ? undefined : progressReporter((t) => process.stderr.write(t), Boolean(process.stderr.isTTY));
    const plans = await destroyStack(stack, { onEvent, signal: run.signal });
    if (flags.json) printJson({ stack: ctx.name, changes: plans });
    else printLines(`destroyed ${plans.filter((p) => p.change === "delete").length} process(es) of stack ${ctx.name}`);
  } finally {
    run.done();
  }
}

/** The stack's stored desired state (for `hpx up` without a file, start and stop); reading it runs no program. */
export async function storedDesired(ctx: StackContext): Promise<DesiredState | undefined> {
  const stack = await openStack(ctx.name, ctx.settings.backend, async () => ({}));
  return readDesiredState(stack);
}

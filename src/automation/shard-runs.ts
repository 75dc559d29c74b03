import type * as pulumi from "@pulumi/pulumi";
import { HpxError, InterruptedError, StackError, StackLockedError } from "../errors.ts";
import { settleBounded, shardParallel } from "./bounded-pool.ts";
import { previewStack, upStack } from "./engine-runs.ts";
import type { ProcessPlan } from "./plan-summary.ts";
import { savingPlan, withPlanFile } from "./plan-temp-file.ts";
import type { EngineRunOptions } from "./engine-runs.ts";

/** A shard run's options: one engine run's, without its program and plan file, and `--verbose`'s log. */
export type RunOptions = Omit<EngineRunOptions, "program" | "plan"> & { log?: (line: string) => void };

/** One shard's engine run (k = -1: the root of an older hpx's single stack). */
export interface ShardRun {
  k: number;
  /** The shard's Pulumi stack name. */
  name: string;
  /** Opens (creating) the shard's stack: inside the pool, so that at most `shardParallel` CLIs start at once. */
  open: () => Promise<pulumi.automation.Stack>;
  /** Work on the opened stack before its run (adopting or recording its secrets salt for a saved plan). */
  prepare?: (stack: pulumi.automation.Stack) => Promise<void>;
  program: pulumi.automation.PulumiFn;
  target: string[] | undefined;
  /** The processes the shard holds, for messages. */
  processes?: string[];
}

export interface ShardResults {
  plans: ProcessPlan[];
  /** Each shard's engine plan, by k (a preview that saves them). */
  enginePlans: Record<string, unknown>;
  failed: { run: ShardRun; error: unknown }[];
  ran: number;
}

/**
 * Runs the shards' previews or updates side by side (shardParallel at once). A shard's
 * failure does not stop the others; the caller reports them together.
 */
export async function runShards(runs: readonly ShardRun[], verb: string, opts: RunOptions & { plans?: Record<string, unknown> }, savePlan: boolean): Promise<ShardResults> {
  const limit = shardParallel();
  const started = Date.now();
  const preview = verb === "preview";
  if (runs.length > 0 && runs[0]!.k >= 0) opts.log?.(`shards: ${preview ? "previewing" : "running"} ${runs.length} shard(s) (${runs.map((r) => r.k).join(", ")}), ${limit} at a time`);
  const settled = await settleBounded(
    runs,
    limit,
    async (run) => {
      const t = Date.now();
      const stack = await run.open();
      await run.prepare?.(stack);
      const o = { ...opts, program: run.program, target: run.target, verb, onOutput: prefixed(opts.onOutput, run.k) };
      const out = preview
        ? savePlan
          ? await savingPlan((plan) => previewStack(stack, { ...o, plan })).then((r) => ({ plans: r.value, plan: r.plan }))
          : { plans: await previewStack(stack, o), plan: undefined }
        : await withPlanFile(opts.plans?.[String(run.k)], (plan) => upStack(stack, { ...o, plan })).then((r) => ({ plans: r.plans, plan: undefined }));
      if (run.k >= 0) opts.log?.(`shards: ${run.name} ${preview ? "previewed" : "done"} in ${((Date.now() - t) / 1000).toFixed(1)} s (${out.plans.filter((p) => p.change !== "same").length} process(es) changed)`);
      return out;
    },
    opts.signal,
  );
  const result: ShardResults = { plans: [], enginePlans: {}, failed: [], ran: settled.length };
  for (const { item, result: r } of settled) {
    if (r.status === "rejected") result.failed.push({ run: item, error: r.reason });
    else {
      result.plans.push(...r.value.plans);
      if (r.value.plan !== undefined) result.enginePlans[String(item.k)] = r.value.plan;
    }
  }
  result.plans.sort((a, b) => a.process.localeCompare(b.process));
  if (runs.length > 1) opts.log?.(`shards: ${result.ran - result.failed.length} of ${runs.length} shard(s) finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (preview && result.failed.length > 0) throw shardFailure(runs[0]!.name.replace(/\.hpx-shard-\d+$/, ""), "preview", result, runs.length);
  return result;
}

/** The engine's text of one shard, each line marked with it (`--verbose`). */
function prefixed(onOutput: ((text: string) => void) | undefined, k: number): ((text: string) => void) | undefined {
  if (!onOutput || k < 0) return onOutput;
  return (text) => onOutput(text.replace(/^(?=.)/gm, `[shard ${k}] `));
}

/**
 * The error of shards that failed: a stop signal as the stop it was; a lock (a killed
 * run's) as the hpx stack's lock, which `hpx cancel` clears; else each failed shard with
 * its processes and the engine's first error line.
 */
export function shardFailure(stack: string, verb: string, result: ShardResults, count: number): Error {
  const errors = result.failed.map((f) => f.error);
  const stop = errors.find((e) => e instanceof InterruptedError);
  if (stop) return stop as Error;
  // Not a shard's engine failing but what every shard needs (no Pulumi CLI, credentials):
  // passed on as it is, with its advice.
  const setup = errors.find((e) => e instanceof HpxError && !(e instanceof StackError));
  if (setup) return setup as Error;
  const locked = errors.find((e): e is StackLockedError => e instanceof StackLockedError);
  if (locked) return new StackLockedError(stack, [], locked.detail);
  if (result.failed.length === 1 && result.failed[0]!.run.k < 0) return errors[0] as Error;
  const lines = result.failed.map(({ run, error }) => {
    const names = run.processes ?? [];
    const shown = names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ") || "no process";
    const said = error instanceof Error ? oneLine(error.message.replace(/^\S+ of stack \S+ failed: /, "")) : String(error);
    return `shard ${run.k} (Pulumi stack ${run.name}; processes ${shown}): ${said}`;
  });
  const others = result.ran - result.failed.length;
  return new StackError(`${verb} of stack ${stack} failed in ${result.failed.length} of the ${result.ran} shard(s) it ran; the other ${others} finished (the stack has ${count})`, undefined, lines);
}

/** The provider's error list ("1 error occurred:\n\t* …") as one line per shard. */
function oneLine(message: string): string {
  return message
    .replace(/^\d+ errors? occurred:\s*\n\t\* /, "")
    .replace(/\n\t\* /g, "; ")
    .trim();
}

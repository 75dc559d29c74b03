import type { Command } from "commander";
// Engine modules load inside the actions: `hpx --help` and spec errors stay fast.
const engine = () => import("./apply.ts");
import { UsageError } from "../errors.ts";
import { loadProcessFile } from "../spec/load-process-file.ts";
import { parseDuration } from "./duration.ts";
import type { DesiredState } from "../automation/desired-state.ts";
import { stackContext, type StackContext } from "../automation/stack-context.ts";

/** Without a FILE, `up` and `preview` use the desired state stored with the stack. */
async function storedOrFail(ctx: StackContext): Promise<DesiredState> {
  const stored = await (await engine()).storedDesired(ctx);
  if (!stored) throw new UsageError(`stack ${ctx.name} has no desired state yet: give a processes file, e.g. hpx up processes.yml`);
  return stored;
}

interface UpOpts {
  stack: string;
  yes?: boolean;
  refresh?: boolean;
  json?: boolean;
  timeout: string;
  wait: boolean;
  acceptCluster?: boolean;
  plan?: string;
  summaryMd?: string;
  lockWait?: string;
  verbose?: boolean;
}

interface PreviewOpts {
  stack: string;
  diff?: boolean;
  refresh?: boolean;
  expectNoChanges?: boolean;
  json?: boolean;
  savePlan?: string;
  summaryMd?: string;
  verbose?: boolean;
}

export function registerUp(program: Command): void {
  program
    .command("up [file]")
    .description("make the stack's cluster run exactly the processes in FILE (or re-apply the stored ones)")
    .option("-s, --stack <stack>", "stack", "local")
    .option("-y, --yes", "apply without a prompt (required when not on a terminal)")
    .option("--refresh", "refresh state from the cluster first: repairs drift, recreates what was deleted")
    .option("--timeout <duration>", "how long to wait for the rollouts: 90s, 5m (a bare number is seconds)", "5m")
    .option("--no-wait", "return once the changes are applied, without waiting for the rollouts")
    .option("--accept-cluster", "move the stack to this cluster although its state names another (the old cluster's objects stay there)")
    .option("--plan <plan>", "apply exactly this plan, saved by hpx preview --save-plan (no FILE then)")
    .option("--lock-wait <duration>", "when another update holds the stack, wait this long for it instead of failing at once")
    .option("--summary-md <file>", "write a Markdown summary of the result (also appended to $GITHUB_STEP_SUMMARY when set)")
    .option("-v, --verbose", "also print hpx's steps and the engine's own output (on stderr)")
    .option("--json", "machine-readable output")
    .action(async (file: string | undefined, opts: UpOpts) => {
      // A FILE and the flags are validated before anything else, so invalid ones change nothing.
      const timeoutMs = parseDuration(opts.timeout);
      const lockWaitMs = opts.lockWait === undefined ? undefined : parseDuration(opts.lockWait, "--lock-wait");
      if (opts.plan !== undefined && file !== undefined) throw new UsageError("give a processes FILE or --plan PLAN, not both: a plan carries its processes");
      const { readPlanFile } = await import("../automation/plan-file.ts");
      const savedPlan = opts.plan !== undefined ? { path: opts.plan, file: readPlanFile(opts.plan) } : undefined;
      const desiredFromFile = file !== undefined ? { processes: loadProcessFile(file) } : savedPlan?.file.desired;
      const ctx = stackContext(opts.stack);
      await (await engine()).applyDesired(ctx, desiredFromFile ?? (await storedOrFail(ctx)), { ...opts, timeoutMs, lockWaitMs, savedPlan, sourceFile: file });
    });

  program
    .command("preview [file]")
    .description("show what `hpx up` would change, per process")
    .option("-s, --stack <stack>", "stack", "local")
    .option("--diff", "show the changed fields")
    .option("--refresh", "refresh state from the cluster first (drift detection)")
    .option("--expect-no-changes", "exit 3 when there are changes")
    .option("--save-plan <plan>", "save the plan for hpx up --plan, which applies exactly it")
    .option("--summary-md <file>", "write a Markdown summary of the plan (also appended to $GITHUB_STEP_SUMMARY when set)")
    .option("-v, --verbose", "also print hpx's steps and the engine's own output (on stderr)")
    .option("--json", "machine-readable output")
    .action(async (file: string | undefined, opts: PreviewOpts) => {
      const desiredFromFile = file !== undefined ? { processes: loadProcessFile(file) } : undefined;
      const ctx = stackContext(opts.stack);
      await (await engine()).previewDesired(ctx, desiredFromFile ?? (await storedOrFail(ctx)), { ...opts, sourceFile: file });
    });

  program
    .command("destroy")
    .description("remove every process of the stack")
    .option("-s, --stack <stack>", "stack", "local")
    .option("-y, --yes", "destroy without a prompt (required when not on a terminal)")
    .option("--timeout <duration>", "how long to wait for the objects to be gone", "5m")
    .option("--no-wait", "return once the deletions are requested")
    .option("--lock-wait <duration>", "when another update holds the stack, wait this long for it instead of failing at once")
    .option("--summary-md <file>", "write a Markdown summary of the result (also appended to $GITHUB_STEP_SUMMARY when set)")
    .option("-v, --verbose", "also print hpx's steps and the engine's own output (on stderr)")
    .option("--json", "machine-readable output")
    .action(async (opts: { stack: string; yes?: boolean; json?: boolean; timeout: string; wait: boolean; lockWait?: string; summaryMd?: string; verbose?: boolean }) => {
      const timeoutMs = parseDuration(opts.timeout);
      const lockWaitMs = opts.lockWait === undefined ? undefined : parseDuration(opts.lockWait, "--lock-wait");
      await (await engine()).destroyAll(stackContext(opts.stack), { ...opts, timeoutMs, lockWaitMs });
    });
}

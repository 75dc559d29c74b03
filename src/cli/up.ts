import type { Command } from "commander";
// Engine modules load inside the actions: `hpx --help` and spec errors stay fast.
const commands = () => import("./run-commands.ts");
import { UsageError } from "../errors.ts";
import type { ProcessSource } from "../spec/load-process-file.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import { parseDuration } from "./duration.ts";
import { jsonOption, lockWaitOption, stackOf, stackOption, summaryOption, verboseOption } from "./options.ts";
import type { StackContext } from "../operations/stack-context.ts";

/** FILE, read and checked; the spec modules (zod, yaml) load when a command reads one, not for --help. */
async function readFile(file: string | undefined): Promise<ProcessSource | undefined> {
  return file === undefined ? undefined : (await import("../spec/load-process-file.ts")).readProcessFile(file);
}

/** Without a FILE, `up` and `preview` use the desired state stored with the stack. */
async function stored(ctx: StackContext): Promise<DesiredState> {
  const { storedDesired } = await import("../operations/stored.ts");
  const { engine } = await import("../operations/real-ports.ts");
  return storedDesired(engine, ctx.name, ctx.settings.backend);
}

interface CommonOpts {
  stack: string;
  json?: boolean;
  summaryMd?: string;
  verbose?: boolean;
}

interface UpOpts extends CommonOpts {
  yes?: boolean;
  refresh?: boolean;
  timeout: string;
  wait: boolean;
  acceptCluster?: boolean;
  plan?: string;
  lockWait?: string;
}

interface PreviewOpts extends CommonOpts {
  diff?: boolean;
  refresh?: boolean;
  expectNoChanges?: boolean;
  savePlan?: string;
}

interface DestroyOpts extends CommonOpts {
  yes?: boolean;
  timeout: string;
  wait: boolean;
  lockWait?: string;
}

const lockWaitMs = (flag: string | undefined): number | undefined => (flag === undefined ? undefined : parseDuration(flag, "--lock-wait"));

export function registerUp(program: Command): void {
  program
    .command("up [file]")
    .description("make the stack's cluster run exactly the processes in FILE (or re-apply the stored ones)")
    .addOption(stackOption())
    .option("-y, --yes", "apply without a prompt (required when not on a terminal)")
    .option("--refresh", "refresh state from the cluster first: repairs drift, recreates what was deleted")
    .option("--timeout <duration>", "how long to wait for the rollouts: 90s, 5m (a bare number is seconds)", "5m")
    .option("--no-wait", "return once the changes are applied, without waiting for the rollouts")
    .option("--accept-cluster", "move the stack to this cluster although its state names another (the old cluster's objects stay there)")
    .option("--plan <plan>", "apply exactly this plan, saved by hpx preview --save-plan (no FILE then)")
    .addOption(lockWaitOption())
    .addOption(summaryOption("result"))
    .addOption(verboseOption())
    .addOption(jsonOption())
    .action(async (file: string | undefined, opts: UpOpts) => {
      // A FILE and the flags are validated before anything else, so invalid ones change nothing.
      const timeoutMs = parseDuration(opts.timeout);
      const lockWait = lockWaitMs(opts.lockWait);
      if (opts.plan !== undefined && file !== undefined) throw new UsageError("give a processes FILE or --plan PLAN, not both: a plan carries its processes");
      const { readPlanFile } = await import("../operations/plan-file.ts");
      const savedPlan = opts.plan !== undefined ? { path: opts.plan, file: readPlanFile(opts.plan) } : undefined;
      const source = await readFile(file);
      const ctx = await stackOf(opts.stack);
      const desired = source ? { processes: source.processes } : (savedPlan?.file.desired ?? (await stored(ctx)));
      await (await commands()).upCommand(ctx, desired, { ...opts, timeoutMs, lockWaitMs: lockWait, savedPlan }, source);
    });

  program
    .command("preview [file]")
    .description("show what `hpx up` would change, per process")
    .addOption(stackOption())
    .option("--diff", "show the changed fields")
    .option("--refresh", "refresh state from the cluster first (drift detection)")
    .option("--expect-no-changes", "exit 3 when there are changes")
    .option("--save-plan <plan>", "save the plan for hpx up --plan, which applies exactly it")
    .addOption(summaryOption("plan"))
    .addOption(verboseOption())
    .addOption(jsonOption())
    .action(async (file: string | undefined, opts: PreviewOpts) => {
      const source = await readFile(file);
      const ctx = await stackOf(opts.stack);
      const desired = source ? { processes: source.processes } : await stored(ctx);
      await (await commands()).previewCommand(ctx, desired, opts, source);
    });

  program
    .command("destroy")
    .description("remove every process of the stack")
    .addOption(stackOption())
    .option("-y, --yes", "destroy without a prompt (required when not on a terminal)")
    .option("--timeout <duration>", "how long to wait for the objects to be gone", "5m")
    .option("--no-wait", "return once the deletions are requested")
    .addOption(lockWaitOption())
    .addOption(summaryOption("result"))
    .addOption(verboseOption())
    .addOption(jsonOption())
    .action(async (opts: DestroyOpts) => {
      const timeoutMs = parseDuration(opts.timeout);
      const lockWait = lockWaitMs(opts.lockWait);
      await (await commands()).destroyCommand(await stackOf(opts.stack), { ...opts, timeoutMs, lockWaitMs: lockWait });
    });
}

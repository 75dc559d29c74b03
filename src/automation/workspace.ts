import type * as pulumi from "@pulumi/pulumi";
import { newStackId } from "../components/stack-mark.ts";
import { StackError } from "../errors.ts";
import { hpxHome } from "../paths.ts";
import { toolchain } from "../toolchain.ts";
import { PROJECT, resolveBackend } from "./backend-url.ts";
import { engineEnv, pulumiCommand } from "./engine.ts";
import { cliError } from "./engine-errors.ts";
import { ENGINE_MARK, engineMark, markedProcesses, endProcesses, stackKey, strayEngineProcesses } from "./engine-processes.ts";
import { repairBlobAttributes } from "./file-state-repair.ts";
import { hasCheckpoint, readCheckpointView } from "./state-files.ts";
import { adoptSalt } from "./stack-state.ts";
import { pulumiSdk } from "./pulumi-sdk.ts";
import { stackPassphrase } from "./passphrase.ts";
import { upClosing } from "./run-channels.ts";

/**
 * The workspace's own program, which no run uses: every preview and update names its
 * program (engine-runs.ts), so a run that forgot to would fail here rather than apply nothing.
 */
const NO_PROGRAM: pulumi.automation.PulumiFn = async () => {
  throw new Error("hpx: an engine run without a program");
};

/**
 * Opens (creating if needed) a Pulumi stack: an hpx stack's root, or one of its shards.
 * A shard is created without the root's first update (`initialUpdate: false`): it
 * records no identity, and its first run records its secrets salt. A stack a file backend
 * holds runs with the salt its state records (adoptSalt), as a `pulumi stack init`'s would.
 */
export async function openStack(stackName: string, backend: string, log?: (line: string) => void, opts: { initialUpdate?: boolean } = {}): Promise<pulumi.automation.Stack> {
  const tools = toolchain();
  const url = resolveBackend(backend);
  repairFileBackend(url, log);
  endStrayEngines(url, stackName, log);
  const { automation } = await pulumiSdk();
  const args = { stackName, projectName: PROJECT, program: NO_PROGRAM };
  const settings = {
    pulumiCommand: await pulumiCommand(tools, log),
    envVars: {
      ...engineEnv(tools),
      // Marks the CLI and its plugins as this run's (engine-processes.ts).
      [ENGINE_MARK]: engineMark(url, stackName),
      PULUMI_CONFIG_PASSPHRASE: stackPassphrase(hpxHome()),
      // One checkpoint at the end instead of one per step: the per-step writes grow with
      // N squared (4/5 of an up at 200 processes, docs/performance.md). A run killed
      // before its end leaves the previous checkpoint, and the next run finds what the
      // killed one applied by the objects' digests (drift.ts) and applies it again.
      // PULUMI_SKIP_CHECKPOINTS=false in the environment brings the per-step writes back.
      PULUMI_SKIP_CHECKPOINTS: process.env.PULUMI_SKIP_CHECKPOINTS ?? "true",
    },
    projectSettings: { name: PROJECT, runtime: "nodejs" as const, backend: { url } },
  };
  const fileBackend = url.startsWith("file://");
  if (fileBackend && hasCheckpoint(url, stackName)) {
    const stack = await knownStack(automation, await automation.LocalWorkspace.create({ ...settings, program: NO_PROGRAM }), stackName);
    await adoptSalt(stack, readCheckpointView(url, stackName)?.secrets_providers);
    return stack;
  }
  const select = async () => {
    try {
      return await automation.LocalWorkspace.selectStack(args, settings);
    } catch (err) {
      if (err instanceof automation.StackNotFoundError) return undefined;
      throw new StackError(`cannot open stack ${stackName} at ${url}: ${cliError(err)}`);
    }
  };
  // A file backend holds a state file for each of its stacks (`pulumi stack init` writes
  // one), so one without it (see above) has no stack to select: create it straight away
  // instead of asking `pulumi stack select` to fail first (a CLI start: 0.1 s of CPU and
  // 0.25 s or more of wall time, for the root and each new shard).
  if (!fileBackend) {
    const found = await select();
    if (found) return found;
  }
  const cannotCreate = (err: unknown) => new StackError(`cannot create stack ${stackName} at ${url}: ${cliError(err)}`);
  let stack: pulumi.automation.Stack;
  try {
    stack = await automation.LocalWorkspace.createStack(args, settings);
  } catch (err) {
    // Created meanwhile by another run (its root lock is not held yet): use that one.
    const found = fileBackend && err instanceof automation.StackAlreadyExistsError ? await select() : undefined;
    if (found) return found;
    throw cannotCreate(err);
  }
  if (opts.initialUpdate === false) return stack;
  try {
    // Each run has a temporary workspace, and a new stack's secrets salt lives only there
    // until an update records it in the backend. Record it now with an update of an empty
    // program (the stack has no resources yet), so that every later run, on any machine,
    // encrypts and decrypts with the same key (a plan saved here applies elsewhere).
    // The same update records the stack's identity, before any object is marked with it.
    const stackId = newStackId();
    await upClosing(stack, async () => ({ stackId }));
    return stack;
  } catch (err) {
    throw cannotCreate(err);
  }
}

/**
 * A stack whose state file the file backend holds, opened without `pulumi stack select`:
 * that command only checks that the stack exists (every later one names it with
 * `--stack`), and it cost a CLI start (~0.3 s) for the root and for each shard an update
 * opened. A view over the workspace (its prototype), so the runs use the workspace itself.
 */
function knownStack(automation: typeof pulumi.automation, workspace: pulumi.automation.LocalWorkspace, stackName: string): Promise<pulumi.automation.Stack> {
  const selected = Object.create(workspace, { selectStack: { value: async () => {} } }) as pulumi.automation.LocalWorkspace;
  return automation.Stack.select(stackName, selected);
}

/** Removes the attributes files a killed run left unfinished in a file backend (the CLI would refuse the state). */
export function repairFileBackend(url: string, log?: (line: string) => void): void {
  if (!url.startsWith("file://")) return;
  for (const path of repairBlobAttributes(url.slice("file://".length))) log?.(`state: removed ${path}, an attributes file a killed run left unfinished`);
}

/**
 * Ends the engine processes a dead run of this stack left on this machine (an hpx killed
 * with SIGKILL: its plugins run in process groups of their own and outlive it).
 */
export function endStrayEngines(backend: string, stackName: string, log?: (line: string) => void): void {
  const ended = endProcesses(strayEngineProcesses(stackKey(resolveBackend(backend), stackName), markedProcesses()));
  // A shard's engines are named by the hpx stack they serve (shards are hpx's own).
  const shown = stackName.replace(/\.hpx-shard-\d+$/, "");
  for (const p of ended) log?.(`engine: ended pid ${p.pid} (${p.command}), left by a dead run (hpx pid ${p.hpxPid}) of stack ${shown}`);
}

import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { hpxHome } from "../paths.ts";
import { resolveBackend } from "./backend-url.ts";
import { ensureKubernetesPlugin } from "./engine.ts";
import { previewStack, upStack, type EngineRunOptions } from "./engine-runs.ts";
import { readLocks, type StackLock } from "./locks.ts";
import { stackPassphrase } from "./passphrase.ts";
import { pulumiProgram, type StackProgram } from "./program.ts";
import { forgetResources, planState, readState, recordStackId, type StackState } from "./stack-state.ts";
import { openStack } from "./workspace.ts";

type RunOptions = Omit<EngineRunOptions, "program" | "plan">;

/** Runs `work` with a fresh temporary file path, removed afterwards (Pulumi's plan files are files). */
async function withTempFile<T>(work: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "hpx-plan-"));
  try {
    return await work(join(dir, "pulumi-plan.json"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One opened stack over the Automation API (the operations' `EngineStack`). */
function engineStack(stack: pulumi.automation.Stack) {
  return {
    name: stack.name,
    readState: (): Promise<StackState> => readState(stack),
    recordStackId: (stackId: string) => recordStackId(stack, stackId),
    planState: () => planState(stack),
    preview: (program: StackProgram, opts: RunOptions) => previewStack(stack, { ...opts, program: pulumiProgram(program) }),
    previewPlan: (program: StackProgram, opts: RunOptions) =>
      withTempFile(async (plan) => {
        const plans = await previewStack(stack, { ...opts, program: pulumiProgram(program), plan });
        return { plans, enginePlan: JSON.parse(readFileSync(plan, "utf8")) as unknown };
      }),
    up: (program: StackProgram, opts: RunOptions & { enginePlan?: unknown }) => {
      const { enginePlan, ...rest } = opts;
      if (enginePlan === undefined) return upStack(stack, { ...rest, program: pulumiProgram(program) });
      return withTempFile((plan) => {
        writeFileSync(plan, JSON.stringify(enginePlan));
        return upStack(stack, { ...rest, program: pulumiProgram(program), plan });
      });
    },
    forget: (only?: ReadonlySet<string>) => forgetResources(stack, only),
    cancel: () => stack.cancel(),
  };
}

/** Pulumi's engine, as the operations use it (their `Engine`, ports.ts). */
export const pulumiEngine = {
  open: async (stack: string, backend: string, log?: (line: string) => void) => engineStack(await openStack(stack, backend, log)),
  ensurePlugins: () => ensureKubernetesPlugin(),
  digestKey: (): string => createHash("sha256").update(`hpx secrets digest\u0000${stackPassphrase(hpxHome())}`).digest("hex"),
  stateUrl: (backend: string): string => resolveBackend(backend),
  locks: async (stack: string, backend: string): Promise<StackLock[]> => {
    const url = resolveBackend(backend);
    return url.startsWith("s3://") ? (await import("./s3-locks.ts")).readS3Locks(url, stack) : readLocks(url, stack);
  },
};

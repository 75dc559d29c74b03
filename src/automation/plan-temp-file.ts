import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Runs `work` with a fresh temporary file path, removed afterwards (Pulumi's plan files are files). */
export async function withTempFile<T>(work: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "hpx-plan-"));
  try {
    return await work(join(dir, "pulumi-plan.json"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `work` with the engine's plan in a file (none: no file). */
export function withPlanFile<T>(plan: unknown, work: (path: string | undefined) => Promise<T>): Promise<T> {
  if (plan === undefined) return work(undefined);
  return withTempFile((path) => {
    writeFileSync(path, JSON.stringify(plan));
    return work(path);
  });
}

/** Runs `work` with a file the engine saves its plan to, and returns the plan with work's result. */
export function savingPlan<T>(work: (path: string) => Promise<T>): Promise<{ value: T; plan: unknown }> {
  return withTempFile(async (path) => {
    const value = await work(path);
    return { value, plan: JSON.parse(readFileSync(path, "utf8")) as unknown };
  });
}

/**
 * How long a benchmark run will take, before it starts, and which (N, tool) pairs it
 * skips: each tool's time for all its operations at N, fitted on the measured runs in
 * bench/results (N=50 and N=300 with every tool) as fixed + per-process seconds, and a
 * pair whose estimate is above `--max-seconds-per-tool` is not run (bench/run.ts records
 * it in the JSON's `skipped` list). A rough figure from one machine: the run prints it at
 * its start, and after each tool how far off it was.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TOOLS, type Row, type Tool } from "./targets.ts";

/** The runs the estimate is fitted on: a small N and a large one, every tool in each. */
export const REFERENCE_RUNS = ["peers-n50.json", "peers-n300.json"];

/** Seconds a tool takes for all its operations at n: fixed + perProcess × n. */
export interface ToolModel {
  fixed: number;
  perProcess: number;
}

/** Not measured by any command: the cluster's start, and the clean-up between tools (pods gone, namespace deleted). */
export const CLUSTER_START_SECONDS = 40;
export const BETWEEN_TOOLS_SECONDS = 10;

/**
 * Fits each tool's model on the reference runs' totals (sum over its operations). With a
 * negative fixed part (the two runs were not equally loaded: Helm with its defaults), the
 * larger run alone, proportionally: an estimate too high rather than too low.
 */
export function fitModels(runs: { rows: Row[] }[]): Partial<Record<Tool, ToolModel>> {
  const models: Partial<Record<Tool, ToolModel>> = {};
  for (const tool of TOOLS) {
    const points = runs
      .map((r) => {
        const mine = r.rows.filter((row) => row.tool === tool);
        return mine.length === 0 ? undefined : { n: mine[0]!.n, seconds: mine.reduce((a, row) => a + row.seconds, 0) };
      })
      .filter((p) => p !== undefined)
      .sort((a, b) => a.n - b.n);
    if (points.length === 0) continue;
    const hi = points[points.length - 1]!;
    const lo = points[0]!;
    const perProcess = hi.n > lo.n ? (hi.seconds - lo.seconds) / (hi.n - lo.n) : hi.seconds / hi.n;
    const fixed = lo.seconds - perProcess * lo.n;
    models[tool] = fixed >= 0 && perProcess > 0 ? { fixed, perProcess } : { fixed: 0, perProcess: hi.seconds / hi.n };
  }
  return models;
}

export function loadModels(resultsDir: string): Partial<Record<Tool, ToolModel>> {
  const runs = REFERENCE_RUNS.map((f) => join(resultsDir, f))
    .filter((f) => existsSync(f))
    .map((f) => JSON.parse(readFileSync(f, "utf8")) as { rows: Row[] });
  return fitModels(runs);
}

export const estimateSeconds = (m: ToolModel, n: number) => m.fixed + m.perProcess * n;

export interface Skipped {
  n: number;
  tool: Tool;
  /** Why the pair was not run: its estimate, and from what, or the tool's failure at a smaller N. */
  reason: string;
  /** The pair's estimate; none when the tool has no reference figure. */
  estimated_seconds?: number;
}

export interface Plan {
  /** The pairs to run, in order, each with its estimate (undefined: no reference figure). */
  runs: { n: number; tool: Tool; estimate: number | undefined }[];
  skipped: Skipped[];
  /** Estimated seconds of the whole run (with the cluster's start and the clean-ups). */
  totalSeconds: number;
}

/** Which (N, tool) pairs run, with `maxSeconds` (0: no limit) per pair. */
export function planRun(sizes: number[], tools: Tool[], models: Partial<Record<Tool, ToolModel>>, maxSeconds: number): Plan {
  const plan: Plan = { runs: [], skipped: [], totalSeconds: CLUSTER_START_SECONDS };
  for (const n of sizes) {
    for (const tool of tools) {
      const model = models[tool];
      const estimate = model && Math.round(estimateSeconds(model, n));
      if (maxSeconds > 0 && estimate !== undefined && estimate > maxSeconds) {
        plan.skipped.push({
          n,
          tool,
          estimated_seconds: estimate,
          reason: `estimated ${estimate} s for its operations at N=${n} (fitted on bench/results/${REFERENCE_RUNS.join(" and ")}), above --max-seconds-per-tool ${maxSeconds}`,
        });
        continue;
      }
      plan.runs.push({ n, tool, estimate });
      plan.totalSeconds += (estimate ?? 0) + BETWEEN_TOOLS_SECONDS;
    }
  }
  return plan;
}

/** What {@link skipAfterFailure} reads of a failure: bench/run.ts's `failed` list. */
export interface Failure {
  n: number;
  tool: Tool;
  operation: string;
}

/**
 * A tool that failed at a smaller N in this run is not run at a larger one. What stopped
 * it there fails again with more objects, after as long or longer: tuned Helm's applies
 * ran past the API server's deadline at 5,000 and again at 10,000 (runs F, Q, V and AA,
 * docs/performance.md), where the attempt took 11 minutes in run AA. The pair goes to
 * `skipped`, with the failure as its reason; `--n 10000 --tools helm-tuned` still runs
 * it alone.
 */
export function skipAfterFailure(failed: readonly Failure[], n: number, tool: Tool, estimate: number | undefined): Skipped | undefined {
  const earlier = failed.find((f) => f.tool === tool && f.n < n);
  if (!earlier) return undefined;
  return { n, tool, estimated_seconds: estimate, reason: `its ${earlier.operation} failed at N=${earlier.n} earlier in this run` };
}

export const formatDuration = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : s >= 60 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`);

/** The plan, as printed at the run's start. */
export function describePlan(plan: Plan, sizes: number[], tools: Tool[]): string[] {
  const cell = (n: number, tool: Tool) => {
    const r = plan.runs.find((p) => p.n === n && p.tool === tool);
    if (r) return r.estimate === undefined ? "?" : `${r.estimate} s`;
    return `skip (${plan.skipped.find((s) => s.n === n && s.tool === tool)?.estimated_seconds} s)`;
  };
  const lines = [`estimated seconds per tool (all its operations; fitted on bench/results/${REFERENCE_RUNS.join(", ")}):`];
  lines.push(["N".padStart(6), ...tools.map((t) => t.padStart(18))].join(""));
  for (const n of sizes) lines.push([String(n).padStart(6), ...tools.map((t) => cell(n, t).padStart(18))].join(""));
  const unknown = plan.runs.some((r) => r.estimate === undefined) ? " (without the tools that have no reference figure)" : "";
  lines.push(`estimated wall time of the run: ${formatDuration(plan.totalSeconds)}${unknown}, with the cluster's start and the clean-ups between tools`);
  return lines;
}

import { expect, test } from "vitest";
import { BETWEEN_TOOLS_SECONDS, CLUSTER_START_SECONDS, fitModels, planRun, skipAfterFailure } from "./estimate.ts";
import type { Row } from "./targets.ts";

const row = (n: number, tool: Row["tool"], operation: Row["operation"], seconds: number): Row => ({ n, operation, tool, seconds, requests: 0, peak_rss_mb: 0 });

test("a tool's model is fitted on its total over the operations at the small and the large reference run", () => {
  const small = { rows: [row(50, "hpx", "cold up", 10), row(50, "hpx", "destroy", 5), row(50, "floor", "cold up", 4)] };
  const large = { rows: [row(300, "hpx", "cold up", 50), row(300, "hpx", "destroy", 15), row(300, "floor", "cold up", 24)] };
  expect(fitModels([large, small])).toEqual({ hpx: { fixed: 5, perProcess: 0.2 }, floor: { fixed: 0, perProcess: 0.08 } });
});

test("a negative fixed part falls back to the larger run alone, proportionally", () => {
  const small = { rows: [row(50, "helm", "cold up", 10)] };
  const large = { rows: [row(300, "helm", "cold up", 300)] };
  expect(fitModels([small, large])).toEqual({ helm: { fixed: 0, perProcess: 1 } });
});

test("a pair whose estimate is above the limit is skipped with its estimate; 0 runs everything", () => {
  const models = { hpx: { fixed: 0, perProcess: 0.1 }, kubectl: { fixed: 0, perProcess: 1 } };
  const plan = planRun([1000, 5000], ["hpx", "kubectl", "floor"], models, 1800);
  expect(plan.runs).toEqual([
    { n: 1000, tool: "hpx", estimate: 100 },
    { n: 1000, tool: "kubectl", estimate: 1000 },
    { n: 1000, tool: "floor", estimate: undefined },
    { n: 5000, tool: "hpx", estimate: 500 },
    { n: 5000, tool: "floor", estimate: undefined },
  ]);
  expect(plan.skipped).toEqual([
    {
      n: 5000,
      tool: "kubectl",
      estimated_seconds: 5000,
      reason: "estimated 5000 s for its operations at N=5000 (fitted on bench/results/peers-n50.json and peers-n300.json), above --max-seconds-per-tool 1800",
    },
  ]);
  expect(plan.totalSeconds).toBe(CLUSTER_START_SECONDS + 1600 + 5 * BETWEEN_TOOLS_SECONDS);
  expect(planRun([1000, 5000], ["kubectl"], models, 0).skipped).toEqual([]);
});

test("a tool that failed at a smaller N is skipped at a larger one, naming the failure; other tools and the same N are not", () => {
  const failed = [{ n: 5000, tool: "helm-tuned" as const, operation: "cold up" }];
  expect(skipAfterFailure(failed, 10000, "helm-tuned", 2400)).toEqual({
    n: 10000,
    tool: "helm-tuned",
    estimated_seconds: 2400,
    reason: "its cold up failed at N=5000 earlier in this run",
  });
  expect(skipAfterFailure(failed, 10000, "floor", 1100)).toBeUndefined();
  expect(skipAfterFailure(failed, 5000, "helm-tuned", 1200)).toBeUndefined();
  expect(skipAfterFailure(failed, 1000, "helm-tuned", 240)).toBeUndefined();
  expect(skipAfterFailure([], 10000, "hpx", undefined)).toBeUndefined();
});

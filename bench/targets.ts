/** The targets, checked on each row of a benchmark run. */
import Table from "cli-table3";
import type { Measured } from "./measure.ts";

export interface Row {
  n: number;
  op: string;
  kubectl_s: number;
  hpx_s: number;
  /** hpx time / kubectl time. */
  ratio: number;
  kubectl_requests: number;
  hpx_requests: number;
  /** hpx with the Pulumi CLI and provider it starts. */
  hpx_peak_rss_mb: number;
  /** hpx's own process. */
  hpx_own_peak_rss_mb: number;
  /** The target this row is held to, in words; empty when none applies at this N. */
  target: string;
  met: boolean | null;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Which target applies to an operation at a size, and whether the measurement meets it. */
export function target(n: number, op: string, ratio: number, h: Measured): { target: string; met: boolean | null } {
  const checks: [string, boolean][] = [];
  if ((op === "cold up" && n === 500) || op === "destroy") checks.push(["ratio <= 1.5", ratio <= 1.5]);
  if ((op === "no-op preview" || op === "one-process change") && n === 500) checks.push(["hpx <= 5 s", h.seconds <= 5]);
  if (op === "ls") checks.push(["ratio <= 1.2, <= 3 requests", ratio <= 1.2 && h.requests <= 3]);
  if (n === 1000) checks.push(["RSS <= 500 MB", h.peakRssMb <= 500]);
  if (checks.length === 0) return { target: "", met: null };
  return { target: checks.map(([t]) => t).join("; "), met: checks.every(([, ok]) => ok) };
}

export function judge(n: number, op: string, k: Measured, h: Measured): Row {
  const ratio = h.seconds / k.seconds;
  return {
    n,
    op,
    kubectl_s: round(k.seconds, 2),
    hpx_s: round(h.seconds, 2),
    ratio: round(ratio, 2),
    kubectl_requests: k.requests,
    hpx_requests: h.requests,
    hpx_peak_rss_mb: round(h.peakRssMb, 0),
    hpx_own_peak_rss_mb: round(h.peakOwnRssMb, 0),
    ...target(n, op, ratio, h),
  };
}

export function printTable(rows: Row[], machine: string): void {
  const table = new Table({
    head: ["N", "operation", "kubectl s", "hpx s", "ratio", "kubectl req", "hpx req", "hpx tree RSS MB", "hpx own RSS MB", "target", "met"],
  });
  for (const r of rows) {
    table.push([r.n, r.op, r.kubectl_s, r.hpx_s, r.ratio, r.kubectl_requests, r.hpx_requests, r.hpx_peak_rss_mb, r.hpx_own_peak_rss_mb, r.target, r.met === null ? "" : r.met ? "yes" : "NO"]);
  }
  console.log(`${machine}\n${table.toString()}`);
}

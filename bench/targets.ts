/**
 * The benchmark's rows (one per N, operation and tool), issue 21's targets checked on
 * hpx's rows against its peers', and the human table printed at the end of a run.
 */
import { renderTable } from "../src/cli/table.ts";
import type { Measured } from "./measure.ts";

export const TOOLS = ["hpx", "kubectl", "helm", "helm-tuned", "floor"] as const;
export type Tool = (typeof TOOLS)[number];
export const OPERATIONS = ["cold up", "no-op preview", "one-process change", "ls", "destroy"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** One row of the JSON: exactly the fields issue 21 names. */
export interface Row {
  n: number;
  operation: Operation;
  tool: Tool;
  seconds: number;
  /** Requests the command made, from kube-apiserver's audit log. */
  requests: number;
  /** Peak RSS of the command's whole process tree (hpx: with every Pulumi CLI and provider it starts). */
  peak_rss_mb: number;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

export function toRow(n: number, operation: Operation, tool: Tool, m: Measured): Row {
  return { n, operation, tool, seconds: round(m.seconds, 2), requests: m.requests, peak_rss_mb: round(m.peakRssMb, 0) };
}

/**
 * Issue 21's targets for hpx's row of (n, operation), given the peers' rows; a target whose
 * peer was not measured is left out. Empty list: nothing applies.
 */
export function targets(hpx: Row, peer: (t: Tool) => Row | undefined): [string, boolean][] {
  const checks: [string, boolean][] = [];
  const ratio = (t: Tool, limit: number) => {
    const p = peer(t);
    if (p) checks.push([`<= ${limit}x ${t}`, hpx.seconds <= limit * p.seconds]);
  };
  switch (hpx.operation) {
    case "cold up":
      ratio("helm-tuned", 1.0);
      ratio("floor", 1.3);
      break;
    case "one-process change":
      checks.push(["<= 3 s", hpx.seconds <= 3]);
      ratio("helm-tuned", 1.0);
      break;
    case "no-op preview":
      checks.push(["<= 2.5 s", hpx.seconds <= 2.5]);
      break;
    case "ls":
      ratio("kubectl", 1.2);
      checks.push(["<= 3 requests", hpx.requests <= 3]);
      break;
    case "destroy":
      ratio("helm-tuned", 1.0);
      break;
  }
  checks.push(["RSS <= 1000 MB", hpx.peak_rss_mb <= 1000]);
  return checks;
}

/**
 * Two tables, each narrow enough for a terminal: seconds per tool with hpx's ratio to each
 * peer and the targets hpx missed; then requests and peak RSS per tool.
 */
export function printTable(rows: Row[], machine: string): void {
  const peers = TOOLS.filter((t) => t !== "hpx");
  const times: string[][] = [];
  const costs: string[][] = [];
  for (const n of [...new Set(rows.map((r) => r.n))]) {
    for (const op of OPERATIONS) {
      const of = (t: Tool) => rows.find((r) => r.n === n && r.operation === op && r.tool === t);
      if (!TOOLS.some(of)) continue;
      const hpx = of("hpx");
      const missed = hpx ? targets(hpx, of).filter(([, ok]) => !ok).map(([t]) => t) : [];
      times.push([
        n,
        op,
        ...TOOLS.map((t) => of(t)?.seconds ?? "-"),
        ...peers.map((p) => (hpx && of(p) ? round(hpx.seconds / of(p)!.seconds, 2) : "-")),
        hpx ? missed.join("; ") || "none" : "-",
      ].map(String));
      costs.push([n, op, ...TOOLS.map((t) => of(t)?.requests ?? "-"), ...TOOLS.map((t) => of(t)?.peak_rss_mb ?? "-")].map(String));
    }
  }
  console.log(`${machine}\nSeconds (hpx/peer: hpx's time over the peer's)\n${renderTable(["N", "operation", ...TOOLS.map((t) => `${t} s`), ...peers.map((p) => `hpx/${p}`), "targets hpx missed"], times)}\nRequests (audit log) and peak RSS of the whole process tree (MB)\n${renderTable(["N", "operation", ...TOOLS.map((t) => `${t} req`), ...TOOLS.map((t) => `${t} MB`)], costs)}`);
}

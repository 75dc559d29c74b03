/**
 * The benchmark's plot, from its JSON rows alone: one panel per operation, time (log
 * scale) against N (log scale), one line per tool, a legend. Hand-written SVG: no
 * plotting dependency for five small panels.
 *
 * Usage (also called by bench/run.ts after each run): node bench/plot.ts results.json [out.svg]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { OPERATIONS, TOOLS, type Row } from "./targets.ts";

const COLORS: Record<string, string> = { hpx: "#d62728", kubectl: "#1f77b4", helm: "#9467bd", "helm-tuned": "#2ca02c", floor: "#7f7f7f" };
const W = 260; // one panel
const H = 220;
const M = { left: 48, right: 12, top: 26, bottom: 34 };
const COLS = 3;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const log10 = Math.log10;

/** Powers of ten covering [lo, hi] (with 1-2-5 steps when the range is under two decades). */
function ticks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(log10(lo)); e <= Math.ceil(log10(hi)); e++) {
    for (const m of hi / lo < 100 ? [1, 2, 5] : [1]) {
      const v = m * 10 ** e;
      if (v >= lo / 1.0001 && v <= hi * 1.0001) out.push(v);
    }
  }
  return out;
}

const label = (v: number) => (v >= 1000 ? `${v / 1000}k` : v >= 1 ? String(v) : v.toPrecision(1));

/** Log axis bounds at the surrounding 1-2-5 steps; `pad` (a factor) keeps points off the frame. */
function bounds(values: number[], pad = 1): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const down = (v: number) => [1, 2, 5].map((m) => m * 10 ** Math.floor(log10(v))).filter((s) => s <= v).at(-1)!;
  const up = (v: number) => [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(log10(v))).find((s) => s >= v)!;
  return lo === hi ? [down(lo) / 2, up(hi) * 2] : [down(lo / pad), up(hi * pad)];
}

function panel(rows: Row[], op: string, x0: number, y0: number): string {
  const mine = rows.filter((r) => r.operation === op && r.seconds > 0);
  const parts = [`<text x="${x0 + W / 2}" y="${y0 + 16}" text-anchor="middle" font-weight="bold">${esc(op)}</text>`];
  if (mine.length === 0) return parts.join("");
  const [nLo, nHi] = bounds(mine.map((r) => r.n));
  const [sLo, sHi] = bounds(mine.map((r) => r.seconds), 1.15);
  const px = (n: number) => x0 + M.left + ((log10(n) - log10(nLo)) / (log10(nHi) - log10(nLo))) * (W - M.left - M.right);
  const py = (s: number) => y0 + H - M.bottom - ((log10(s) - log10(sLo)) / (log10(sHi) - log10(sLo))) * (H - M.top - M.bottom);
  parts.push(`<rect x="${x0 + M.left}" y="${y0 + M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#999"/>`);
  for (const s of ticks(sLo, sHi)) {
    parts.push(`<line x1="${x0 + M.left}" x2="${x0 + W - M.right}" y1="${py(s)}" y2="${py(s)}" stroke="#eee"/>`);
    parts.push(`<text x="${x0 + M.left - 4}" y="${py(s) + 4}" text-anchor="end">${label(s)}</text>`);
  }
  for (const n of [...new Set(mine.map((r) => r.n))]) {
    parts.push(`<text x="${px(n)}" y="${y0 + H - M.bottom + 14}" text-anchor="middle">${label(n)}</text>`);
  }
  parts.push(`<text x="${x0 + W / 2 + M.left / 2}" y="${y0 + H - 4}" text-anchor="middle">N (processes)</text>`);
  parts.push(`<text transform="translate(${x0 + 12},${y0 + H / 2}) rotate(-90)" text-anchor="middle">seconds</text>`);
  for (const tool of TOOLS) {
    const pts = mine.filter((r) => r.tool === tool).sort((a, b) => a.n - b.n);
    if (pts.length === 0) continue;
    const xy = pts.map((r) => `${px(r.n).toFixed(1)},${py(r.seconds).toFixed(1)}`);
    if (pts.length > 1) parts.push(`<polyline points="${xy.join(" ")}" fill="none" stroke="${COLORS[tool]}" stroke-width="2"/>`);
    for (const p of xy) parts.push(`<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="3" fill="${COLORS[tool]}"/>`);
  }
  return parts.join("\n");
}

/** The whole figure: a grid of panels (one per operation present) and a legend in the last cell. */
export function plotSvg(rows: Row[], title: string): string {
  const ops = OPERATIONS.filter((op) => rows.some((r) => r.operation === op));
  const cells = ops.length + 1;
  const width = COLS * W;
  const height = 30 + Math.ceil(cells / COLS) * H;
  const body = ops.map((op, i) => panel(rows, op, (i % COLS) * W, 30 + Math.floor(i / COLS) * H));
  const lx = (ops.length % COLS) * W + M.left;
  const ly = 30 + Math.floor(ops.length / COLS) * H + M.top + 10;
  const tools = TOOLS.filter((t) => rows.some((r) => r.tool === t));
  const legend = tools.map((t, i) => `<line x1="${lx}" x2="${lx + 24}" y1="${ly + i * 20}" y2="${ly + i * 20}" stroke="${COLORS[t]}" stroke-width="2"/><circle cx="${lx + 12}" cy="${ly + i * 20}" r="3" fill="${COLORS[t]}"/><text x="${lx + 32}" y="${ly + i * 20 + 4}">${t}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13">${esc(title)}</text>`,
    ...body,
    ...legend,
    `</svg>`,
    "",
  ].join("\n");
}

if (import.meta.main) {
  const [json, out] = process.argv.slice(2);
  if (!json) throw new Error("usage: node bench/plot.ts results.json [out.svg]");
  const data = JSON.parse(readFileSync(json, "utf8")) as { rows: Row[]; date?: string };
  writeFileSync(out ?? json.replace(/\.json$/, "") + ".svg", plotSvg(data.rows, `hpx and its peers: time against N${data.date ? ` (${data.date})` : ""}`));
}

/**
 * A kubectl-style table: upper-case headers, columns padded to their widest cell and
 * separated by two spaces, no borders, no trailing blanks.
 *
 * Written here rather than with cli-table3 (hpx's table library until then): its layout
 * looks for row and column spans cell by cell, which took about 1 s of `hpx ls` at 2,000
 * processes, half the command. Widths are string lengths: every column but the last holds
 * ASCII only (names and groups are validated as Kubernetes labels, then addresses, times and
 * node names), and the last is not padded.
 */
export function renderTable(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  return all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ").trimEnd()).join("\n");
}

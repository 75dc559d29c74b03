import Table from "cli-table3";

/** A kubectl-style table: upper-case headers, columns separated by spaces, no borders. */
export function renderTable(head: string[], rows: string[][]): string {
  const blank = { top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "", left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "  " };
  const table = new Table({ head, chars: blank, style: { head: [], border: [], "padding-left": 0, "padding-right": 0 } });
  table.push(...rows);
  return table
    .toString()
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
}

import { appendFileSync, writeFileSync } from "node:fs";
import type { ProcessPlan, RolloutState } from "../operations/types.ts";
import { fieldLine } from "./field-diff.ts";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * A Markdown summary of a plan or a result, for pull requests and job pages: one row per
 * changed process with its changed fields (and values, with `--diff`), the counts, and what did not become ready.
 */
export function summaryMarkdown(title: string, plans: readonly ProcessPlan[], notReady: readonly RolloutState[] = []): string {
  const changed = plans.filter((p) => p.change !== "same");
  const lines = [`### ${title}`, ""];
  if (changed.length === 0) {
    lines.push("No changes.");
  } else {
    lines.push("| process | change | changed fields |", "|---|---|---|");
    for (const p of changed) {
      // With values (`--diff`), each field as the terminal shows it: `~ field: old => new`, secrets hidden.
      const fields = Object.entries(p.fields).map(([object, f]) => `${object}: ${f.map((x) => fieldLine(x, p.values?.[object]?.[x])).join(", ")}`);
      lines.push(`| \`${p.process}\` | ${p.change} | ${cell(fields.join("; "))} |`);
    }
    const count = (c: ProcessPlan["change"]) => changed.filter((p) => p.change === c).length;
    lines.push("", `${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete`);
  }
  if (notReady.length > 0) {
    lines.push("", "**Not ready:**", "");
    for (const s of notReady) lines.push(`- \`${s.process}\`: ${cell(s.reason ?? "")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Writes the summary to `file` (if given) and appends it to $GITHUB_STEP_SUMMARY (if set). */
export function writeSummary(markdown: string, file: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  if (file) writeFileSync(file, markdown);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
}

/**
 * The live block of a progress view on a terminal, for files with more processes than
 * the terminal has rows. Redrawing one line per process cannot work there: the cursor
 * cannot go back up to lines that scrolled off, and every redraw would write every line
 * (a cold up of 10,000 processes reports about 50,000 times). So past `maxLines` the block
 * is one line of counts and the processes a person needs to see (failed, waiting, in
 * progress), at most `maxLines` lines in all. Counts are kept as lines change, so a redraw
 * costs the lines it shows, not the file's size.
 */

/** What a process's line says, in a word, for the counts. */
export type LineState = "failed" | "waiting" | "in progress" | "planned" | "applied" | "ready" | "gone";

/** The order of the counts, and of the lines shown: what needs attention first. */
const ORDER: readonly LineState[] = ["failed", "waiting", "in progress", "planned", "applied", "ready", "gone"];
/** The states whose processes are listed by name; the others are only counted. */
const LISTED: ReadonlySet<LineState> = new Set(["failed", "waiting", "in progress"]);

/** The state of a line as ProgressView words it ("creating Deployment web", "waiting: …", "ready"). */
export function stateOf(text: string): LineState {
  if (text.startsWith("FAILED")) return "failed";
  if (text.startsWith("waiting:") || text.startsWith("deleting:")) return "waiting";
  if (text === "ready") return "ready";
  if (text === "gone") return "gone";
  if (text.startsWith("would ")) return "planned";
  if (/^(creating|updating|replacing|deleting|cleaning up) /.test(text)) return "in progress";
  return "applied";
}

/** Every process's latest line, with the processes of each state in the order they reached it. */
export class ProgressLines {
  private readonly text = new Map<string, string>();
  private readonly byState = new Map<LineState, Set<string>>(ORDER.map((s) => [s, new Set<string>()]));

  get size(): number {
    return this.text.size;
  }

  set(process: string, line: string): void {
    const before = this.text.get(process);
    if (before !== undefined) this.byState.get(stateOf(before))!.delete(process);
    this.text.set(process, line);
    this.byState.get(stateOf(line))!.add(process);
  }

  clear(): void {
    this.text.clear();
    for (const set of this.byState.values()) set.clear();
  }

  /** Every process's line, by name: the block when it fits. */
  all(): [string, string][] {
    return [...this.text.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** "10000 processes: 12 in progress, 9988 ready": the non-zero counts, in {@link ORDER}. */
  summary(): string {
    const counts = ORDER.filter((s) => this.byState.get(s)!.size > 0).map((s) => `${this.byState.get(s)!.size} ${s}`);
    return `${this.text.size} processes: ${counts.join(", ")}`;
  }

  /** At most `max` processes that need attention, failed first, each state's by name. */
  listed(max: number): [string, string][] {
    const out: [string, string][] = [];
    for (const state of ORDER) {
      if (!LISTED.has(state) || out.length >= max) continue;
      const names: string[] = [];
      for (const name of this.byState.get(state)!) {
        if (out.length + names.length >= max) break;
        names.push(name);
      }
      for (const name of names.sort()) out.push([name, this.text.get(name)!]);
    }
    return out;
  }
}

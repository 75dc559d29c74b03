import type { automation } from "@pulumi/pulumi";
import { HYDRO_PROCESS_TOKEN as HYDRO_PROCESS_TYPE } from "../components/hydro-process-token.ts";
import { ProgressLines } from "./progress-block.ts";

const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);
const kindOf = (type: string): string => type.slice(type.lastIndexOf(":") + 1);

/** What an engine step is called while it runs and once done (an update). */
const VERB: Partial<Record<automation.OpType, [string, string]>> = {
  create: ["creating", "created"],
  update: ["updating", "updated"],
  replace: ["replacing", "replaced"],
  "create-replacement": ["replacing", "replaced"],
  delete: ["deleting", "deleted"],
  "delete-replaced": ["cleaning up", "cleaned up"],
};

/** What a preview's step is called: nothing is done, so it speaks of what would be. */
const WOULD: Partial<Record<automation.OpType, string>> = {
  create: "would create",
  update: "would update",
  replace: "would replace",
  "create-replacement": "would replace",
  delete: "would delete",
};

/** `apply`: an update or destroy, which acts; `preview`: which only says what it would do. */
export type ProgressMode = "apply" | "preview";

/** Which process an engine step belongs to, and a short label for the object. */
function locate(meta: automation.StepEventMetadata): { process: string; object: string } | undefined {
  if (meta.type === HYDRO_PROCESS_TYPE) return { process: nameOf(meta.urn), object: "" };
  const parent = meta.new?.parent ?? meta.old?.parent ?? "";
  if (!parent.includes(HYDRO_PROCESS_TYPE)) return undefined;
  return { process: nameOf(parent), object: `${kindOf(meta.type)} ${nameOf(meta.urn)}` };
}

/** One line of a process's state in the cluster: rollout or deletion, as hpx's wait sees it. */
export interface ClusterState {
  process: string;
  ready: boolean;
  reason?: string;
}

/** How often, at most, a live block larger than the terminal is redrawn. */
export const REDRAW_MS = 100;

/**
 * Progress for people, from the engine's events and hpx's wait: on a terminal one live
 * line per process, redrawn in place (creating, created, waiting with a reason, ready,
 * FAILED); on a pipe (CI) one plain line per change, and none for a process the run
 * neither changed nor waited for. `finish` adds the counts and time.
 * With more processes than `maxLines`, the live block is their counts and the processes
 * that need attention (progress-block.ts), redrawn at most every {@link REDRAW_MS}.
 */
export class ProgressView {
  private readonly status = new ProgressLines();
  private drawn = 0;
  private lastDraw = -Infinity;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private readonly started: number;
  private readonly write: (text: string) => void;
  private readonly live: boolean;
  private readonly now: () => number;
  private readonly mode: ProgressMode;
  private readonly maxLines: number;
  /** Off a terminal: the processes a line was written for in this run. */
  private readonly told = new Set<string>();

  /** `maxLines`: the most lines the live block may take (the terminal's rows, less room for the prompt). */
  constructor(write: (text: string) => void, live: boolean, now: () => number = Date.now, mode: ProgressMode = "apply", maxLines = Infinity) {
    this.write = write;
    this.live = live;
    this.now = now;
    this.mode = mode;
    this.maxLines = Math.max(2, maxLines);
    this.started = now();
  }

  private report(process: string, text: string): void {
    if (!this.live) {
      this.told.add(process);
      return this.write(`${process}: ${text}\n`);
    }
    this.status.set(process, text);
    if (this.status.size <= this.maxLines) return this.draw();
    if (this.pending) return;
    const wait = this.lastDraw + REDRAW_MS - this.now();
    if (wait <= 0) return this.draw();
    this.pending = setTimeout(() => this.draw(), wait);
    this.pending.unref?.();
  }

  private draw(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    this.lastDraw = this.now();
    const fits = this.status.size <= this.maxLines;
    const lines = fits ? this.status.all() : this.status.listed(this.maxLines - 1);
    let out = this.drawn > 0 ? `\x1b[${this.drawn}A` : "";
    if (!fits) out += `\x1b[2K  ${this.status.summary()}\n`;
    for (const [name, state] of lines) out += `\x1b[2K  ${name.padEnd(24)} ${state}\n`;
    const count = lines.length + (fits ? 0 : 1);
    // A shorter block than the last one: clear what is left of it below.
    if (count < this.drawn) out += "\x1b[J";
    this.drawn = count;
    this.write(out);
  }

  /** Draws a redraw still waiting for its turn, before anything is written below the block. */
  flush(): void {
    if (this.pending) this.draw();
  }

  /** An engine event: object steps per process, and the engine's errors and warnings. */
  onEvent = (event: automation.EngineEvent): void => {
    const pre = event.resourcePreEvent?.metadata;
    const verb = pre && (this.mode === "preview" ? WOULD[pre.op] : VERB[pre.op]?.[0]);
    if (pre && pre.op !== "same" && verb) {
      const where = locate(pre);
      if (where && where.object) this.report(where.process, `${verb} ${where.object}`);
      return;
    }
    const done = event.resOutputsEvent?.metadata;
    // A preview's "outputs" are the planned state: nothing was done to say so about.
    if (done && done.op !== "same" && VERB[done.op] && this.mode === "apply") {
      const where = locate(done);
      if (where && where.object) this.report(where.process, `${VERB[done.op]![1]} ${where.object}`);
      return;
    }
    const failed = event.resOpFailedEvent?.metadata;
    if (failed) {
      const where = locate(failed);
      if (where) this.report(where.process, `FAILED ${where.object}`.trim());
      return;
    }
    const diag = event.diagnosticEvent;
    if (diag && (diag.severity === "error" || diag.severity === "warning") && !diag.ephemeral) {
      // Below the live lines, which then start afresh.
      this.flush();
      this.drawn = 0;
      this.status.clear();
      this.write(`${diag.severity}: ${diag.message.trim()}\n`);
    }
  };

  /** hpx's wait: a process's rollout (ready, or waiting with a reason) or deletion. */
  onCluster = (s: ClusterState, phase: "rollout" | "deletion"): void => {
    if (phase === "deletion") return this.report(s.process, s.ready ? "gone" : `deleting: ${s.reason}`);
    // Off a terminal, a process that nothing was said of (unchanged, ready at the first
    // look) gets no line: a one-process change of 10,000 wrote 10,000 "ready" lines to a
    // CI log. The closing line counts it.
    if (!this.live && s.ready && !this.told.has(s.process)) return;
    this.report(s.process, s.ready ? "ready" : `waiting: ${s.reason}`);
  };

  /** The closing line: what changed, what is ready, and how long it took. */
  finish(counts: Partial<Record<"created" | "updated" | "replaced" | "deleted" | "unchanged" | "ready" | "not ready" | "not gone", number>>): void {
    const parts = Object.entries(counts)
      .filter(([, n]) => n !== undefined)
      .map(([what, n]) => `${n} ${what}`);
    this.flush();
    this.write(`done in ${this.took()}: ${parts.join(", ")}\n`);
  }

  /** A preview's closing line: its plan, with the counts, is on stdout; nothing was done. */
  finishPreview(): void {
    this.flush();
    this.write(`previewed in ${this.took()}: nothing was changed\n`);
  }

  private took(): string {
    return `${((this.now() - this.started) / 1000).toFixed(1)} s`;
  }
}

/** The engine events alone, as a callback (for callers without a wait). */
export function progressReporter(write: (text: string) => void, live: boolean): (event: automation.EngineEvent) => void {
  return new ProgressView(write, live).onEvent;
}

import type { automation } from "@pulumi/pulumi";
import { HYDRO_PROCESS_TOKEN as HYDRO_PROCESS_TYPE } from "../components/hydro-process.ts";

const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);
const kindOf = (type: string): string => type.slice(type.lastIndexOf(":") + 1);

const VERB: Partial<Record<automation.OpType, [string, string]>> = {
  create: ["creating", "created"],
  update: ["updating", "updated"],
  replace: ["replacing", "replaced"],
  "create-replacement": ["replacing", "replaced"],
  delete: ["deleting", "deleted"],
  "delete-replaced": ["cleaning up", "cleaned up"],
};

/** Which process an engine step belongs to, and a short label for the object. */
function locate(meta: automation.StepEventMetadata): { process: string; object: string } | undefined {
  if (meta.type === HYDRO_PROCESS_TYPE) return { process: nameOf(meta.urn), object: "" };
  const parent = meta.new?.parent ?? meta.old?.parent ?? "";
  if (!parent.includes(HYDRO_PROCESS_TYPE)) return undefined;
  return { process: nameOf(parent), object: `${kindOf(meta.type)} ${nameOf(meta.urn)}` };
}

/**
 * Turns the engine's event stream into progress for people: one line per object
 * step on a pipe; on a terminal, one live line per process, redrawn in place.
 */
export function progressReporter(write: (text: string) => void, live: boolean): (event: automation.EngineEvent) => void {
  const status = new Map<string, string>();
  let drawn = 0;
  const redraw = () => {
    let out = drawn > 0 ? `\x1b[${drawn}A` : "";
    for (const [process, state] of [...status.entries()].sort()) out += `\x1b[2K  ${process.padEnd(24)} ${state}\n`;
    drawn = status.size;
    write(out);
  };
  const report = (process: string, text: string) => {
    if (live) {
      status.set(process, text);
      redraw();
    } else {
      write(`${process}: ${text}\n`);
    }
  };
  return (event) => {
    const pre = event.resourcePreEvent?.metadata;
    if (pre && pre.op !== "same" && VERB[pre.op]) {
      const where = locate(pre);
      if (where && where.object) report(where.process, `${VERB[pre.op]![0]} ${where.object}`);
      return;
    }
    const done = event.resOutputsEvent?.metadata;
    if (done && done.op !== "same" && VERB[done.op]) {
      const where = locate(done);
      if (where && where.object) report(where.process, `${VERB[done.op]![1]} ${where.object}`);
      return;
    }
    const failed = event.resOpFailedEvent?.metadata;
    if (failed) {
      const where = locate(failed);
      if (where) report(where.process, `FAILED ${where.object}`.trim());
      return;
    }
    const diag = event.diagnosticEvent;
    if (diag && (diag.severity === "error" || diag.severity === "warning") && !diag.ephemeral) {
      write(`${diag.severity}: ${diag.message.trim()}\n`);
    }
  };
}

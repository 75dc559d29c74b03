import type { automation } from "@pulumi/pulumi";
import { HYDRO_PROCESS_TOKEN as HYDRO_PROCESS_TYPE } from "../components/hydro-process-token.ts";
import { APPLIED_ANNOTATION } from "../components/marked-objects.ts";
import type { FieldChange } from "./field-values.ts";

export type ProcessChange = "create" | "update" | "replace" | "delete" | "same";

/** What a preview or update does to one process. */
export interface ProcessPlan {
  process: string;
  change: ProcessChange;
  /** Per child object (e.g. `Deployment web`), the changed fields, for `--diff`. */
  fields: Record<string, string[]>;
  /** Per child object, the changed fields' old and new values, when the engine gave them (`--diff`). */
  values?: Record<string, Record<string, FieldChange>>;
}

/** Per object URN, its changed fields' values (field-values.ts), kept while the run's events came. */
export type ValuesByUrn = ReadonlyMap<string, Record<string, FieldChange>>;

const APPLIED_FIELD = `metadata.annotations["${APPLIED_ANNOTATION}"]`;

const RANK: Record<ProcessChange, number> = { same: 0, update: 1, create: 2, replace: 3, delete: 4 };

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

function shortType(type: string): string {
  // kubernetes:apps/v1:Deployment -> Deployment
  return type.slice(type.lastIndexOf(":") + 1);
}

function childChange(op: automation.OpType): ProcessChange {
  switch (op) {
    case "same":
    case "read":
    case "refresh":
      return "same";
    case "replace":
    case "create-replacement":
    case "delete-replaced":
      return "replace";
    default:
      // A child created or deleted inside an existing process (e.g. its env Secret) updates the process.
      return "update";
  }
}

/**
 * Rolls the engine's step events up to one entry per process: the component's own
 * step says create/delete; its children's steps say update/replace and which fields.
 */
export function summarisePlan(events: readonly automation.EngineEvent[], values: ValuesByUrn = new Map()): ProcessPlan[] {
  const plans = new Map<string, ProcessPlan>();
  const plan = (process: string): ProcessPlan => {
    let p = plans.get(process);
    if (!p) plans.set(process, (p = { process, change: "same", fields: {} }));
    return p;
  };
  const raise = (p: ProcessPlan, change: ProcessChange) => {
    if (RANK[change] > RANK[p.change]) p.change = change;
  };
  for (const event of events) {
    const meta = event.resourcePreEvent?.metadata;
    if (!meta) continue;
    if (meta.type === HYDRO_PROCESS_TYPE) {
      const p = plan(nameOf(meta.urn));
      if (meta.op === "create" || meta.op === "delete") raise(p, meta.op);
      continue;
    }
    const parent = meta.new?.parent ?? meta.old?.parent;
    if (!parent || !parent.includes(HYDRO_PROCESS_TYPE) || parent.endsWith(`${HYDRO_PROCESS_TYPE}::`)) continue;
    const p = plan(nameOf(parent));
    const change = childChange(meta.op);
    if (change === "same") continue;
    raise(p, change);
    const label = `${shortType(meta.type)} ${nameOf(meta.urn)}`;
    const detailed = Object.keys(meta.detailedDiff ?? {});
    if (meta.op === "create" || meta.op === "delete") p.fields[label] = [meta.op === "create" ? "(added)" : "(removed)"];
    // The object's own digest changes with any field: a consequence, not news.
    else {
      p.fields[label] = [...(detailed.length > 0 ? detailed : (meta.diffs ?? []))].filter((f) => f !== APPLIED_FIELD).sort();
      const known = values.get(meta.urn);
      if (known) (p.values ??= {})[label] = Object.fromEntries(p.fields[label].filter((f) => known[f]).map((f) => [f, known[f]!]));
    }
  }
  // A created or deleted process is shown whole: its children's steps add nothing.
  for (const p of plans.values()) {
    if (p.change === "create" || p.change === "delete") {
      p.fields = {};
      delete p.values;
    }
  }
  return [...plans.values()].sort((a, b) => a.process.localeCompare(b.process));
}

/** True when the plan changes anything. */
export function hasChanges(plans: readonly ProcessPlan[]): boolean {
  return plans.some((p) => p.change !== "same");
}

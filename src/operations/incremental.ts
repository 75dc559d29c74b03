/**
 * Incremental runs: the engine registers, diffs and checkpoints every resource of the
 * program, about 13 ms per resource even when nothing changed (docs/performance.md). hpx
 * knows from its own digests which processes a run changes, so the engine is given only
 * those (Pulumi's `target`), or is not started at all when nothing changes.
 */
import { ownedBy, type LiveObject } from "../cluster/ownership.ts";
import type { StackMark } from "../components/stack-mark.ts";
import { memoizedDigests, type DigestStore } from "../components/digest-memo.ts";
import type { MarkOptions } from "../components/marked-objects.ts";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { compareDigests, type Digests, type Drift, type LiveMark } from "./drift.ts";
import type { ProcessPlan } from "../automation/plan-summary.ts";
import { processUrn, targetUrns } from "../automation/targets.ts";

/** The digests of what hpx would apply now, per process. */
export function desiredDigests(processes: readonly ProcessSpec[], opts: MarkOptions, store?: DigestStore): Digests {
  return memoizedDigests(processes, opts, store);
}

/** How the desired state, the record (empty for a new stack) and the cluster differ. */
export function driftOf(desired: Digests, recorded: Digests, live: readonly LiveObject[], mark: StackMark): Drift {
  return compareDigests(desired, recorded, liveMarks(live, mark, recorded));
}

/** The listing as the digest comparison reads it: key, digest and whether the object is this stack's. */
export function liveMarks(live: readonly LiveObject[], mark: StackMark, recorded: Digests): LiveMark[] {
  const keys = new Set(Object.values(recorded).flatMap((o) => Object.keys(o)));
  return live.map((o) => ({ key: `${o.kind}/${o.name}`, owned: ownedBy(o, mark, keys), applied: o.applied }));
}

/** A plan that changes nothing, for a run the engine is not needed for. */
export function unchangedPlans(processes: readonly ProcessSpec[]): ProcessPlan[] {
  return processes.map((p) => ({ process: p.process_name, change: "same" as const, fields: {} })).sort((a, b) => a.process.localeCompare(b.process));
}

/**
 * What an update will do, per process, known from the digests before the engine starts
 * (`up --yes` shows it first, as Pulumi and Terraform do): new processes are created,
 * changed ones updated, removed ones deleted. The engine's result may say "replaced"
 * where an object must be made anew.
 */
export function expectedPlans(drift: Drift, processes: readonly ProcessSpec[], recorded: Digests, orphans: readonly LiveObject[]): ProcessPlan[] {
  const changed = new Set(drift.changed);
  const plans: ProcessPlan[] = processes.map((p) => ({
    process: p.process_name,
    change: !changed.has(p.process_name) ? "same" : p.process_name in recorded ? "update" : "create",
    fields: {},
  }));
  for (const process of drift.removed) plans.push({ process, change: "delete", fields: {} });
  return withOrphans(withStale(plans, drift, processes, recorded), orphans);
}

/** What a targeted engine run is given. */
export interface TargetedRun {
  /** Processes the program registers. */
  only: Set<string>;
  /** URNs the engine may touch. */
  target: string[];
  /** Components (URNs) the state must forget first: the cluster does not hold them as recorded. */
  forget: Set<string>;
}

/**
 * The targeted run a change needs: the changed processes, with the removed ones' URNs so
 * the engine deletes them. (Runs of at most 200 processes were tried: peak memory did not
 * drop, since the engine loads the whole state and Pulumi's runtime in hpx's process keeps
 * what every run registered, and each run added an engine start; docs/performance.md.)
 */
export function targetedRun(stack: string, drift: Drift, desired: Digests, recorded: Digests): TargetedRun {
  const keys = (p: string) => [...Object.keys(desired[p] ?? {}), ...Object.keys(recorded[p] ?? {})];
  const stale = new Set<string>(drift.stale);
  // Forgotten, the wanted processes with a stale object are created again: a forced
  // server-side apply, which takes over the object whatever it holds, or makes it anew.
  const forget = drift.changed.filter((p) => Object.keys(recorded[p] ?? {}).some((k) => stale.has(k)));
  return {
    only: new Set(drift.changed),
    target: targetUrns(stack, [...drift.changed, ...drift.removed], keys),
    forget: new Set(forget.map((p) => processUrn(stack, p))),
  };
}

/**
 * A preview cannot forget anything, so the engine, reading the state, sees no change in
 * a process whose objects the cluster does not hold as recorded: say it will be applied again.
 */
export function withStale(plans: ProcessPlan[], drift: Drift | undefined, processes: readonly ProcessSpec[], recorded: Digests = {}): ProcessPlan[] {
  const byName = new Map(plans.map((p) => [p.process, p]));
  for (const p of unchangedPlans(processes)) if (!byName.has(p.process)) byName.set(p.process, p);
  for (const key of drift?.stale ?? []) {
    const [kind, name] = key.split("/") as [string, string];
    const owner = Object.keys(recorded).find((p) => key in recorded[p]!);
    const plan = owner === undefined ? undefined : byName.get(owner);
    if (!plan || plan.change === "delete") continue;
    if (plan.change === "same") plan.change = "update";
    plan.fields[`${kind} ${name}`] = ["(not as the state recorded it: applied again)"];
  }
  return [...byName.values()].sort((a, b) => a.process.localeCompare(b.process));
}

/**
 * Objects of this stack that neither the state nor the file knows (left by a run stopped
 * before it recorded them) are deleted by the run: their processes show as deleted, or,
 * for a process the file keeps, as updated with the object named.
 */
export function withOrphans(plans: ProcessPlan[], orphans: readonly LiveObject[]): ProcessPlan[] {
  const byName = new Map(plans.map((p) => [p.process, p]));
  for (const o of orphans) {
    const process = o.process ?? o.name;
    let plan = byName.get(process);
    if (!plan) byName.set(process, (plan = { process, change: "delete", fields: {} }));
    if (plan.change === "delete") continue;
    if (plan.change === "same") plan.change = "update";
    plan.fields[`${o.kind} ${o.name}`] = ["(not in the state: deleted)"];
  }
  return [...byName.values()].sort((a, b) => a.process.localeCompare(b.process));
}

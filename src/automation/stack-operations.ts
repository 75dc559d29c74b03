import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterAccess } from "../cluster/cluster-access.ts";
import { kubeConfigFor } from "../cluster/kube-config.ts";
import { networkCause, type ClusterIdentity } from "../cluster/cluster-identity.ts";
import { explainKubeError } from "../cluster/kube-errors.ts";
import { deleteParent, ensureParent } from "../cluster/applyset.ts";
import { liveObjects, type LiveObject } from "../cluster/ownership.ts";
import { ProcessWatch } from "../cluster/process-watch.ts";
import type { RolloutState } from "../cluster/rollout.ts";
import { ClusterError, StackError, StackLockedError, interrupted } from "../errors.ts";
import type { SecretRef } from "../spec/process-spec.ts";
import type { DesiredState } from "./desired-state.ts";
import { forgetResources, previewStack, readOutputs, upStack, type RecordedOutputs } from "./operations.ts";
import { emptyProgram } from "./program.ts";
import { pruneUnrecorded } from "./prune.ts";
import { checkPlan, stateFingerprint, writePlanFile, type PlanFile } from "./plan-file.ts";
import { hasChanges, type ProcessPlan } from "./plan-summary.ts";
import { compareDigests } from "./drift.ts";
import { liveMarks, unchangedPlans, withOrphans, withStale, type TargetedRun } from "./incremental.ts";
import { localRecreated, narrowed, open, type Opened } from "./stack-open.ts";
import { describeLock, holderAlive, parseLockHolders, readLocks } from "./locks.ts";
import { resolveBackend } from "./backend-url.ts";
import { openStack } from "./workspace.ts";

type EngineEvent = pulumi.automation.EngineEvent;

/** Where a stack's processes go: everything resolved before any engine runs. */
export interface StackTarget {
  stack: string;
  backend: string;
  access: ClusterAccess;
  /** Values of the processes' secret-store references, read beforehand. */
  secrets: (ref: SecretRef) => string;
}

/** Options shared by preview, up and destroy. */
export interface RunOptions {
  /** Refresh the state from the cluster first (shows and repairs drift). */
  refresh?: boolean;
  /** Field-level diffs (preview). */
  diff?: boolean;
  /** Move the stack to this cluster although its state names another: its state forgets the old cluster's objects (up only). */
  acceptCluster?: boolean;
  /** Creation times to record (a saved plan's), instead of now for new processes. */
  created?: Record<string, string>;
  onEvent?: (event: EngineEvent) => void;
  /** `--verbose`: the engine's own output, and hpx's steps through `log`. */
  onOutput?: (text: string) => void;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** A saved plan to apply, with the path it was read from (for messages). */
export interface SavedPlan {
  path: string;
  file: PlanFile;
}

/** Options of up and destroy, which wait for the cluster to get there. */
export interface WaitOptions extends RunOptions {
  /** Wait for rollouts and deletions (default true). */
  wait?: boolean;
  /** How long the wait may last once the changes are applied, in ms. */
  timeoutMs: number;
  /** Hears each process whose rollout or deletion state changed. */
  onRollout?: (state: RolloutState, phase: "rollout" | "deletion") => void;
  /** Asked with the plan before anything is applied; false stops there. */
  confirm?: (plans: ProcessPlan[]) => Promise<boolean>;
  /** Apply exactly this saved plan (`up --plan`); its desired state replaces any other. */
  savedPlan?: SavedPlan;
}

/** What `up` did: the plan applied, the new outputs, and each process that did not get there in time. */
export interface UpResult {
  plans: ProcessPlan[];
  outputs: pulumi.automation.OutputMap;
  /** Processes whose rollout (or deletion) was not complete at the deadline. */
  notReady: RolloutState[];
  /** False when `confirm` said no: nothing was applied. */
  applied: boolean;
  /** With `acceptCluster` on a stack of another cluster: that cluster, whose objects the state forgot. */
  leftBehind?: ClusterIdentity;
}

/**
 * The fingerprint of the stack's state now (see plan-file.ts). Also makes this run's
 * temporary workspace use the secrets salt the state records: Pulumi encrypts a plan's
 * secrets with the workspace's salt, and a fresh workspace would otherwise make up a new
 * one, which no other run (on this machine or another) could decrypt.
 */
async function planState(stack: pulumi.automation.Stack): Promise<string> {
  const { deployment } = await stack.exportStack();
  const salt = (deployment?.secrets_providers as { type?: string; state?: { salt?: string } } | undefined)?.state?.salt;
  if (salt) {
    const settings = await stack.workspace.stackSettings(stack.name).catch(() => ({}));
    await stack.workspace.saveStackSettings(stack.name, { ...settings, encryptionSalt: salt });
  }
  return stateFingerprint(deployment);
}

/** Runs `work` with a fresh temporary file path, removed afterwards (Pulumi's plan files). */
async function withTempFile<T>(work: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "hpx-plan-"));
  try {
    return await work(join(dir, "pulumi-plan.json"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `hpx preview`: what `up` would change, per process; with `savePlan`, saved for `up --plan`. */
export async function previewProcesses(target: StackTarget, desired: DesiredState, opts: RunOptions & { savePlan?: string } = {}): Promise<ProcessPlan[]> {
  const opened = await open(target, desired, { ...opts, acceptCluster: false });
  const orphans = orphanObjects(opened);
  stopIfAsked(opts, `preview of stack ${target.stack} stopped before the engine started`);
  if (localRecreated(target, opened.recorded, opened.identity)) {
    throw new StackError(`the local simulated cluster was started afresh since stack ${target.stack}'s last up: its objects went with the old one`, undefined, [
      `nothing was changed; hpx up -s ${target.stack} applies the processes to the new cluster`,
    ]);
  }
  const { stack, created } = opened;
  if (!opts.savePlan) {
    const narrow = narrowed(opened, target, opts.refresh === true);
    if (!narrow) return withOrphans(await previewStack(stack, opts), orphans);
    if (narrow.skip) {
      opts.log?.("the cluster holds the file as the state records it: the engine is not started");
      return withOrphans(unchangedPlans(desired.processes), orphans);
    }
    return withOrphans(withStale(await targetedPreview(opened, narrow.run, opts), opened.drift, desired.processes, opened.record), orphans);
  }
  const state = await planState(stack);
  return withTempFile(async (tmp) => {
    const changes = withOrphans(await previewStack(stack, { ...opts, plan: tmp }), orphans);
    const pulumiPlan: unknown = JSON.parse(readFileSync(tmp, "utf8"));
    writePlanFile(opts.savePlan!, {
      hpx_plan: 1,
      stack: target.stack,
      state,
      created: new Date().toISOString(),
      desired,
      process_created: created,
      changes,
      pulumi_plan: pulumiPlan,
    });
    return changes;
  });
}

/** Waits for the rollouts of `ready` and the disappearance of `gone`, up to the deadline. */
async function waitForCluster(target: StackTarget, ready: string[], gone: string[], opts: WaitOptions): Promise<RolloutState[]> {
  if (opts.wait === false || (ready.length === 0 && gone.length === 0)) return [];
  const deadline = Date.now() + opts.timeoutMs;
  const watch = new ProcessWatch(kubeConfigFor(target.access), target.access.namespace);
  try {
    await watch.start();
    // The first listing failed (RBAC, network): say why instead of waiting for nothing.
    if (watch.error() !== undefined) await explainKubeError(watch.error(), target.access.eks);
    const deleted = await watch.until(() => watch.remaining(gone), deadline, { onChange: (s) => opts.onRollout?.(s, "deletion"), signal: opts.signal });
    const rolled = await watch.until(() => watch.rollouts(ready), deadline, { onChange: (s) => opts.onRollout?.(s, "rollout"), signal: opts.signal });
    return [...deleted.states, ...rolled.states].filter((s) => !s.ready);
  } finally {
    await watch.stop();
  }
}

/** Stops an operation between its steps once a stop signal came (the engine stops on its own). */
function stopIfAsked(opts: RunOptions, what: string): void {
  if (opts.signal?.aborted) throw interrupted(what, opts.signal);
}

const names = (d: DesiredState | undefined): string[] => (d?.processes ?? []).map((p) => p.process_name);

/** The listed objects that are this stack's and that neither the state nor the file knows. */
function orphanObjects(opened: Opened): LiveObject[] {
  const keys = new Set<string>(opened.drift?.orphans ?? []);
  return opened.live.filter((o) => keys.has(`${o.kind}/${o.name}`));
}
const deletedBy = (plans: ProcessPlan[]): string[] => plans.filter((p) => p.change === "delete").map((p) => p.process);

/** A lock error that says who holds the lock, since when, and whether that process still runs. */
export function explainLock(err: unknown, backend: string): never {
  if (!(err instanceof StackLockedError)) throw err;
  const named = parseLockHolders(err.detail);
  const locks = named.length > 0 ? named : readLocks(resolveBackend(backend), err.stackName);
  const gone = locks.filter((l) => holderAlive(l) === false);
  throw new StackLockedError(err.stackName, [
    ...locks.map((l) => describeLock(l, holderAlive(l))),
    gone.length > 0 && gone.length === locks.length
      ? `its holder is gone (killed?): clear it with hpx cancel -s ${err.stackName}, then run the command again`
      : `wait for it to finish; if its holder died, clear it with hpx cancel -s ${err.stackName}`,
  ]);
}

/** `hpx up`: makes the cluster run exactly `desired`, then waits until it does. */
export async function applyProcesses(target: StackTarget, desired: DesiredState, opts: WaitOptions): Promise<UpResult> {
  return applyLocked(target, desired, opts).catch((err) => explainLock(err, target.backend));
}

async function applyLocked(target: StackTarget, desired: DesiredState, opts: WaitOptions): Promise<UpResult> {
  const opened = await open(target, desired, { ...opts, record: true, created: opts.savedPlan?.file.process_created });
  const { stack, recorded, identity } = opened;
  const orphans = orphanObjects(opened);
  if (opts.savedPlan) checkPlan(opts.savedPlan.path, opts.savedPlan.file, target.stack, await planState(stack));
  const moving = opts.acceptCluster || localRecreated(target, recorded, identity);
  const narrow = narrowed(opened, target, opts.refresh === true || opts.savedPlan !== undefined || moving);
  if (opts.confirm) {
    const plans = opts.savedPlan
      ? opts.savedPlan.file.changes
      : withOrphans(
          narrow?.skip
            ? unchangedPlans(desired.processes)
            : narrow
              ? withStale(await targetedPreview(opened, narrow.run, opts), opened.drift, desired.processes, opened.record)
              : await previewStack(stack, opts),
          orphans,
        );
    if (!hasChanges(plans) || !(await opts.confirm(plans))) return { plans, outputs: {}, notReady: [], applied: false };
  }
  stopIfAsked(opts, `update of stack ${target.stack} stopped before anything was changed`);
  // The ApplySet's parent exists before any member is created (KEP-3659).
  await ensureParent(kubeConfigFor(target.access), target.access.namespace, opened.mark, resolveBackend(target.backend));
  let pruned: LiveObject[] = [];
  if (orphans.length > 0) {
    // Found before the lock was taken: deleted once the engine holds it, from a fresh look (prune.ts).
    const keep = new Set(Object.values(opened.digests).flatMap((o) => Object.keys(o)));
    opened.input.beforeApply = async () => {
      pruned = await pruneUnrecorded(stack, target.access, opened.mark, keep);
      opts.log?.(`deleted ${pruned.length} object(s) of this stack that neither the state nor the file knows: ${pruned.map((o) => `${o.kind}/${o.name}`).join(", ")}`);
    };
  }
  const leftBehind = moving && recorded.cluster && recorded.cluster.uid !== identity.uid ? recorded.cluster : undefined;
  if (leftBehind) await forgetResources(stack);
  const saved = opts.savedPlan;
  let result: { plans: ProcessPlan[]; outputs: pulumi.automation.OutputMap };
  if (saved) {
    result = await withTempFile((tmp) => {
      writeFileSync(tmp, JSON.stringify(saved.file.pulumi_plan));
      return upStack(stack, { ...opts, plan: tmp });
    });
  } else if (narrow?.skip) {
    opts.log?.("the cluster holds the file as the state records it: the engine is not started");
    result = { plans: unchangedPlans(desired.processes), outputs: recorded.all };
  } else if (narrow) {
    result = await targetedUp(target, opened, narrow.run, opts);
  } else {
    result = await upStack(stack, opts);
  }
  const plans = withOrphans(result.plans, pruned);
  const removed = deletedBy(plans);
  const notReady = await waitForCluster(target, names(desired), removed, opts);
  stopIfAsked(opts, `update of stack ${target.stack} stopped while waiting for the rollouts; the changes are applied and recorded`);
  return { plans, outputs: result.outputs, notReady, applied: true, ...(leftBehind ? { leftBehind } : {}) };
}

/**
 * An update of the processes that change only. The targets were chosen from one look at
 * the record and the cluster; another run may have changed either since (the engine's
 * lock serialises runs, not what each saw before it). So the cluster is checked
 * afterwards, and anything not as this file wants it gets a whole update.
 */
async function targetedUp(target: StackTarget, opened: Opened, run: TargetedRun, opts: WaitOptions): Promise<{ plans: ProcessPlan[]; outputs: pulumi.automation.OutputMap }> {
  const { stack } = opened;
  if (run.forget.size > 0) {
    const n = await forgetResources(stack, run.forget);
    opts.log?.(`state: forgot ${n} resource(s) of ${run.forget.size} process(es) the cluster does not hold as recorded; they are applied again`);
  }
  opts.log?.(`engine: ${run.only.size} process(es) to apply, ${run.target.length} URN(s) targeted`);
  opened.input.only = run.only;
  const { plans, outputs } = await upStack(stack, { ...opts, target: run.target });
  const kc = kubeConfigFor(target.access);
  const live = await liveObjects(kc, target.access.namespace).catch((err: unknown) => {
    // The changes are applied; only this check could not be made (e.g. the API server restarts).
    if (typeof (err as { code?: unknown }).code === "number") return explainKubeError(err, target.access.eks);
    const cause = networkCause(err) ?? (err instanceof Error ? err.message : String(err));
    throw new ClusterError(`applied, but cannot reach the cluster at ${kc.getCurrentCluster()?.server ?? "?"} to check it: ${cause}`, undefined, [
      "the state records what was applied; run hpx up again once the cluster answers",
    ]);
  });
  const after = compareDigests(opened.digests, opened.digests, liveMarks(live, opened.mark, opened.digests));
  // The processes not targeted are unchanged: listed as such, as a whole run would.
  if (after.stale.length === 0) return { plans: withStale(plans, undefined, opened.input.processes), outputs };
  stopIfAsked(opts, `update of stack ${target.stack} interrupted; the targeted changes are applied and recorded`);
  opts.log?.(`after the targeted update ${after.stale.length} object(s) differ from the file (another run?): a whole update follows`);
  opened.input.only = undefined;
  return upStack(stack, opts);
}

/** A preview of a targeted run. */
async function targetedPreview(opened: Opened, run: TargetedRun, opts: RunOptions): Promise<ProcessPlan[]> {
  opened.input.only = run.only;
  return previewStack(opened.stack, { ...opts, target: run.target });
}

/**
 * `hpx destroy`: removes every object that carries the stack's mark, recorded or not
 * (a stopped run's), then waits until they and their pods are gone. The engine deletes
 * what the state records; the rest is deleted directly. Safe because the mark is unique
 * to this stack and the engine's run held its lock.
 */
export async function destroyProcesses(target: StackTarget, opts: WaitOptions): Promise<{ plans: ProcessPlan[]; notGone: RolloutState[]; applied: boolean }> {
  return destroyLocked(target, opts).catch((err) => explainLock(err, target.backend));
}

async function destroyLocked(target: StackTarget, opts: WaitOptions): Promise<{ plans: ProcessPlan[]; notGone: RolloutState[]; applied: boolean }> {
  const { stack, recorded, mark } = await open(target, { processes: [] }, { ...opts, record: true, acceptCluster: false });
  if (opts.confirm && !(await opts.confirm([]))) return { plans: [], notGone: [], applied: false };
  stopIfAsked(opts, `destroy of stack ${target.stack} stopped before anything was changed`);
  // An update to no resource rather than the engine's destroy: the root keeps the stack's
  // identity. Members the state does not record are deleted under the engine's lock.
  let leftover: LiveObject[] = [];
  const prune = async () => {
    leftover = await pruneUnrecorded(stack, target.access, mark, new Set());
    if (leftover.length > 0) opts.log?.(`deleted ${leftover.length} object(s) of this stack its state did not record: ${leftover.map((o) => `${o.kind}/${o.name}`).join(", ")}`);
  };
  const engine = await upStack(stack, { ...opts, program: emptyProgram(mark.stackId, prune), verb: "destroy" });
  const plans = withOrphans(engine.plans, leftover);
  const gone = [...new Set([...names(recorded.desired), ...deletedBy(plans)])];
  stopIfAsked(opts, `destroy of stack ${target.stack} interrupted; the objects its state recorded are deleted`);
  const notGone = await waitForCluster(target, [], gone, opts);
  stopIfAsked(opts, `destroy of stack ${target.stack} stopped while waiting for its objects to be gone; the deletions are requested`);
  if (notGone.length === 0) await deleteParent(kubeConfigFor(target.access), target.access.namespace, mark);
  return { plans, notGone, applied: true };
}

/** `hpx cancel`: removes the stack's lock; returns the locks that were there. */
export async function cancelLock(stack: string, backend: string, log?: (line: string) => void): Promise<ReturnType<typeof readLocks>> {
  const url = resolveBackend(backend);
  const locks = url.startsWith("s3://") ? await (await import("./s3-locks.ts")).readS3Locks(url, stack) : readLocks(url, stack);
  // Opening the stack ends (and names, through `log`) the engine processes a dead run left.
  await (await openStack(stack, backend, async () => ({}), log)).cancel();
  return locks;
}

/** The stack's stored desired state; reading it runs no program and needs no cluster. */
export async function storedDesiredState(stack: string, backend: string): Promise<DesiredState | undefined> {
  return (await storedOutputs(stack, backend)).desired;
}

/** Everything the stack's last update recorded (desired state, cluster, creation times). */
export async function storedOutputs(stack: string, backend: string): Promise<RecordedOutputs> {
  return readOutputs(await openStack(stack, backend, async () => ({})));
}

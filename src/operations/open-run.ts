import type { ProgramInput } from "../automation/program.ts";
import type { RecordedOutputs } from "../automation/stack-state.ts";
import { stateDigests } from "../automation/state-record.ts";
import { checkSameCluster, type ClusterIdentity } from "../cluster/cluster-identity.ts";
import { foreignObjects, refuseForeign, type LiveObject } from "../cluster/ownership.ts";
import { processObjectRefs } from "../components/build.ts";
import { newStackId, stackMark, type StackMark } from "../components/stack-mark.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import { inSync, type Digests, type Drift } from "./drift.ts";
import { desiredDigests, driftOf, targetedRun, type TargetedRun } from "./incremental.ts";
import type { EngineStack, Ports } from "./ports.ts";
import type { OperationOptions, StackTarget } from "./types.ts";

/** A stack opened for one operation, its guards passed. */
export interface Opened {
  stack: EngineStack;
  recorded: RecordedOutputs;
  /** The stack's mark, from the identity its state records. */
  mark: StackMark;
  /** The namespace's Deployments, Services and Secrets, as listed before the run. */
  live: LiveObject[];
  identity: ClusterIdentity;
  /** The creation times this run records. */
  created: Record<string, string>;
  /** The program's input: a targeted run sets `only` before the engine starts. */
  input: ProgramInput;
  /** Digests of what this run applies, per process. */
  digests: Digests;
  /** The digests of the objects the state holds, per process. */
  record: Digests;
  /** How the file, the record and the cluster differ. */
  drift: Drift;
  /** The state's stamp from before the namespace was listed (Engine.stateStamp), when the backend gives one. */
  stamp?: string;
}

/**
 * hpx's guarantees before any engine run, in this order, each failing before anything
 * changes: the cluster answers (in seconds, not the engine's minutes), it is the one the
 * state records, and no object the run would apply belongs to someone else.
 * With `record` (up, destroy), a stack an older hpx made gets its identity recorded
 * first; a preview of such a stack uses one for this run only (its objects show as
 * updated: up marks them anew).
 */
export async function openRun(
  ports: Ports,
  target: StackTarget,
  desired: DesiredState,
  opts: OperationOptions & { record?: boolean; acceptCluster?: boolean; created?: Record<string, string> },
): Promise<Opened> {
  const { engine, cluster, clock } = ports;
  const identity = await cluster.identity();
  opts.log?.(`cluster ${identity.server}: kube-system UID ${identity.uid}`);
  // Stamped before the listing: a run that wrote the state after this may have changed
  // objects the listing saw as they were (targeted.ts).
  const stamp = engine.stateStamp?.(target.stack, target.backend);
  // The namespace's listing (10,000 objects at 5,000 processes) does not depend on the
  // state: the API server prepares it while the state is read. Its failure is reported
  // where it is awaited, after the state's own.
  const listing = cluster.liveObjects();
  listing.catch(() => undefined);
  await engine.ensurePlugins();
  const stack = await engine.open(target.stack, target.backend, opts.log);
  const state = await stack.readState();
  const recorded = state.outputs;
  let stackId = recorded.stackId;
  if (stackId === undefined) {
    stackId = newStackId();
    if (opts.record) {
      await stack.recordStackId(stackId);
      opts.log?.(`stack ${target.stack}: recorded its identity ${stackId} (the state of an older hpx had none); its objects are marked anew`);
    }
  }
  const mark = stackMark(target.stack, stackId, target.access.namespace);
  // Fixed before the engine runs: a saved plan records these, and up --plan must match it.
  const now = new Date(clock.now()).toISOString();
  const created: Record<string, string> = {};
  for (const p of desired.processes) created[p.process_name] = opts.created?.[p.process_name] ?? recorded.created[p.process_name] ?? now;
  opts.log?.(`stack ${target.stack}: state records ${recorded.desired?.processes.length ?? 0} process(es), cluster ${recorded.cluster?.uid ?? "(none yet)"}`);
  if (!opts.acceptCluster && !localRecreated(target, recorded, identity)) checkSameCluster(target.stack, recorded.cluster, identity);
  const input: ProgramInput = { processes: desired.processes, access: target.access, secrets: target.secrets, cluster: identity, digestKey: engine.digestKey(), created, mark };
  const digests = desiredDigests(desired.processes, { namespace: target.access.namespace, secrets: target.secrets, mark, digestKey: input.digestKey }, engine.digestStore?.(target.stack, target.backend));
  const record = stateDigests(target.stack, state.resources);
  const wanted = desired.processes.flatMap(processObjectRefs);
  const live = await listing;
  const foreign = foreignObjects(wanted, live, mark, new Set(Object.values(record).flatMap((o) => Object.keys(o))));
  if (foreign.length > 0) {
    const owners = await cluster.ownersOf(foreign.flatMap((o) => (o.partOf ? [o.partOf] : [])));
    refuseForeign(foreign, target.access.namespace, target.stack, owners);
  }
  opts.log?.(`ownership: ${wanted.length} object(s) to apply, ${live.length} in namespace ${target.access.namespace}, none of another owner (ApplySet ${mark.applySetId})`);
  const drift = driftOf(digests, record, live, mark);
  opts.log?.(`drift: ${drift.changed.length} process(es) to apply, ${drift.removed.length} to remove, ${drift.stale.length} object(s) not as recorded, ${drift.orphans.length} unknown`);
  return { stack, recorded, mark, live, identity, created, input, digests, record, drift, ...(stamp !== undefined ? { stamp } : {}) };
}

/**
 * The engine run an operation needs, when hpx may narrow it: none when the cluster holds
 * the file as recorded, else one targeted at the processes that change.
 * Undefined means one whole run: `--refresh` (which must read everything), a saved plan
 * (which Pulumi checks resource by resource), or objects to prune (which needs the
 * engine's lock, prune.ts, and a targeted run with nothing to target is none).
 */
export function narrowed(opened: Opened, stack: string, whole: boolean): { skip: true } | { skip: false; run: TargetedRun } | undefined {
  const { drift, record } = opened;
  if (whole) return undefined;
  if (inSync(drift)) return drift.orphans.length > 0 ? undefined : { skip: true };
  return { skip: false, run: targetedRun(stack, drift, opened.digests, record) };
}

/**
 * The local simulated cluster was deleted and started again since the stack's last
 * update (there is one per HPX_HOME): its objects went with the old one, so `up` moves
 * the stack to the new one by itself, as `--accept-cluster` would.
 */
export function localRecreated(target: StackTarget, recorded: RecordedOutputs, identity: ClusterIdentity): boolean {
  return target.access.simulated && recorded.cluster !== undefined && recorded.cluster.uid !== identity.uid;
}

/** The listed objects that are this stack's and that neither the state nor the file knows. */
export function orphanObjects(opened: Opened): LiveObject[] {
  const keys = new Set<string>(opened.drift.orphans);
  return opened.live.filter((o) => keys.has(`${o.kind}/${o.name}`));
}

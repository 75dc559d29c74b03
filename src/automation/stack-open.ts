import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { checkSameCluster, clusterIdentity, type ClusterIdentity } from "../cluster/cluster-identity.ts";
import { kubeConfigFor } from "../cluster/kube-config.ts";
import { explainKubeError } from "../cluster/kube-errors.ts";
import { ownersOf } from "../cluster/applyset.ts";
import { foreignObjects, liveObjects, refuseForeign, type LiveObject } from "../cluster/ownership.ts";
import { processObjectRefs } from "../components/build.ts";
import { newStackId, stackMark, type StackMark } from "../components/stack-mark.ts";
import { hpxHome } from "../toolchain.ts";
import type { DesiredState } from "./desired-state.ts";
import { inSync, type Digests, type Drift } from "./drift.ts";
import { ensureKubernetesPlugin } from "./engine.ts";
import { desiredDigests, driftOf, targetedRun, type TargetedRun } from "./incremental.ts";
import { readState, recordStackId, type RecordedOutputs } from "./operations.ts";
import { stateDigests } from "./state-record.ts";
import { stackPassphrase } from "./passphrase.ts";
import { processProgram, type ProgramInput } from "./program.ts";
import type { RunOptions, StackTarget } from "./stack-operations.ts";
import { openStack } from "./workspace.ts";

export interface Opened {
  stack: pulumi.automation.Stack;
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
  /** How the file, the record and the cluster differ; undefined without a record. */
  drift: Drift | undefined;
}

/**
 * hpx's guarantees before any engine run, in this order, each failing before anything
 * changes: the cluster answers (in seconds, not the engine's minutes), it is the one the
 * state records, and no object the run would apply belongs to someone else.
 * With `record` (up, destroy), a stack an older hpx made gets its identity recorded
 * first; a preview of such a stack uses one for this run only (its objects show as
 * updated: up marks them anew).
 */
export async function open(target: StackTarget, desired: DesiredState, opts: RunOptions & { record?: boolean }): Promise<Opened> {
  const kc = kubeConfigFor(target.access);
  const identity = await clusterIdentity(kc, target.access.eks);
  opts.log?.(`cluster ${identity.server}: kube-system UID ${identity.uid}`);
  const created: Record<string, string> = {};
  await ensureKubernetesPlugin();
  // Filled in below, once the state has told the stack's identity; the program runs later.
  const input = {
    processes: desired.processes,
    access: target.access,
    secrets: target.secrets,
    cluster: identity,
    digestKey: createHash("sha256").update(`hpx secrets digest\u0000${stackPassphrase(hpxHome())}`).digest("hex"),
    created,
  } as ProgramInput;
  const program = processProgram(input);
  const stack = await openStack(target.stack, target.backend, program, opts.log);
  const state = await readState(stack);
  const recorded = state.outputs;
  let stackId = recorded.stackId;
  if (stackId === undefined) {
    stackId = newStackId();
    if (opts.record) {
      await recordStackId(stack, stackId);
      opts.log?.(`stack ${target.stack}: recorded its identity ${stackId} (the state of an older hpx had none); its objects are marked anew`);
    }
  }
  const mark = stackMark(target.stack, stackId, target.access.namespace);
  input.mark = mark;
  // Fixed before the engine runs: a saved plan records these, and up --plan must match it.
  const now = new Date().toISOString();
  for (const p of desired.processes) created[p.process_name] = opts.created?.[p.process_name] ?? recorded.created[p.process_name] ?? now;
  opts.log?.(`stack ${target.stack}: state records ${recorded.desired?.processes.length ?? 0} process(es), cluster ${recorded.cluster?.uid ?? "(none yet)"}`);
  if (!opts.acceptCluster && !localRecreated(target, recorded, identity)) checkSameCluster(target.stack, recorded.cluster, identity);
  const digests = desiredDigests(desired.processes, { namespace: target.access.namespace, secrets: target.secrets, mark, digestKey: input.digestKey });
  const record = stateDigests(target.stack, state.resources);
  const wanted = desired.processes.flatMap(processObjectRefs);
  const live = await liveObjects(kc, target.access.namespace).catch((err) => explainKubeError(err, target.access.eks));
  const foreign = foreignObjects(wanted, live, mark, new Set(Object.values(record).flatMap((o) => Object.keys(o))));
  if (foreign.length > 0) {
    const owners = await ownersOf(kc, target.access.namespace, foreign.flatMap((o) => (o.partOf ? [o.partOf] : []))).catch((err) => explainKubeError(err, target.access.eks));
    refuseForeign(foreign, target.access.namespace, target.stack, owners);
  }
  opts.log?.(`ownership: ${wanted.length} object(s) to apply, ${live.length} in namespace ${target.access.namespace}, none of another owner (ApplySet ${mark.applySetId})`);
  const drift = driftOf(digests, record, live, mark);
  if (drift) {
    opts.log?.(`drift: ${drift.changed.length} process(es) to apply, ${drift.removed.length} to remove, ${drift.stale.length} object(s) not as recorded, ${drift.orphans.length} unknown`);
  }
  return { stack, recorded, mark, live, identity, created, input, digests, record, drift };
}

/**
 * The engine run an operation needs, when hpx may narrow it: none when the cluster holds
 * the file as recorded, else one targeted at the processes that change.
 * Undefined means one whole run: `--refresh` (which must read everything), or a saved plan
 * (which Pulumi checks resource by resource).
 */
export function narrowed(opened: Opened, target: StackTarget, whole: boolean): { skip: true } | { skip: false; run: TargetedRun } | undefined {
  const { drift, record } = opened;
  if (whole || drift === undefined) return undefined;
  // Objects to prune need the engine's lock (prune.ts): a whole run, since a targeted one with nothing to target is none.
  if (inSync(drift)) return drift.orphans.length > 0 ? undefined : { skip: true };
  return { skip: false, run: targetedRun(target.stack, drift, opened.digests, record) };
}

/**
 * The local simulated cluster was deleted and started again since the stack's last
 * update (there is one per HPX_HOME): its objects went with the old one, so `up` moves
 * the stack to the new one by itself, as `--accept-cluster` would.
 */
export function localRecreated(target: StackTarget, recorded: RecordedOutputs, identity: ClusterIdentity): boolean {
  return target.access.simulated && recorded.cluster !== undefined && recorded.cluster.uid !== identity.uid;
}

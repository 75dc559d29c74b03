/** The operations' inputs and results, shared by every operation (and by nothing they import). */
import type { ProcessPlan } from "../automation/plan-summary.ts";
import type { ClusterAccess } from "../cluster/cluster-access.ts";
import type { ClusterIdentity } from "../cluster/cluster-identity.ts";
import type { RolloutState } from "../cluster/rollout.ts";
import type { SecretRef } from "../spec/process-spec.ts";
import type { PlanFile } from "./plan-file.ts";
import type { EngineEvent, OutputMap } from "./ports.ts";

export type { ProcessPlan, RolloutState };
export { hasChanges } from "../automation/plan-summary.ts";

/** Where a stack's processes go: everything resolved before any engine runs. */
export interface StackTarget {
  stack: string;
  backend: string;
  access: ClusterAccess;
  /** Values of the processes' secret-store references, read beforehand. */
  secrets: (ref: SecretRef) => string;
}

/** How an operation waits for a lock another run holds. */
export interface LockWait {
  /** How long to keep trying, in ms; 0 fails at once. */
  waitMs: number;
  /** Told once, when the first attempt finds the stack locked. */
  onWait?: (message: string) => void;
  /** Between attempts, in ms (default 2 s). */
  pauseMs?: number;
}

/** Options of every engine operation (preview, up, destroy). */
export interface OperationOptions {
  /** Refresh the state from the cluster first (shows and repairs drift). */
  refresh?: boolean;
  /** Field-level diffs (preview). */
  diff?: boolean;
  onEvent?: (event: EngineEvent) => void;
  /** `--verbose`: the engine's own output. */
  onOutput?: (text: string) => void;
  /** hpx's steps (`--verbose`). */
  log?: (line: string) => void;
  /** Aborted by a stop signal: the operation stops between its steps, the engine after the steps under way. */
  signal?: AbortSignal;
  /** Wait for a lock another run holds; unset: fail at once. */
  lockWait?: LockWait;
}

/** A saved plan to apply, with the path it was read from (for messages). */
export interface SavedPlan {
  path: string;
  file: PlanFile;
}

/** Options of up and destroy, which wait for the cluster to get there. */
export interface WaitOptions extends OperationOptions {
  /** Wait for rollouts and deletions (default true). */
  wait?: boolean;
  /** How long the wait may last once the changes are applied, in ms. */
  timeoutMs: number;
  /** Hears each process whose rollout or deletion state changed. */
  onRollout?: (state: RolloutState, phase: "rollout" | "deletion") => void;
  /** Asked with the plan before anything is applied; false stops there. */
  confirm?: (plans: ProcessPlan[]) => Promise<boolean>;
  /** Without `confirm`: told the plan before anything is applied (`up --yes` prints it first). */
  onPlan?: (plans: ProcessPlan[]) => void;
}

/** Options of `up`. */
export interface UpOptions extends WaitOptions {
  /** Move the stack to this cluster although its state names another: its state forgets the old cluster's objects. */
  acceptCluster?: boolean;
  /** Apply exactly this saved plan (`up --plan`); its desired state replaces any other. */
  savedPlan?: SavedPlan;
}

/** Options of `preview`. */
export interface PreviewOptions extends OperationOptions {
  /** Save the plan to this path for `up --plan`. */
  savePlan?: string;
}

/** What `up` did: the plan applied, the new outputs, and each process that did not get there in time. */
export interface UpResult {
  plans: ProcessPlan[];
  outputs: OutputMap;
  /** Processes whose rollout (or deletion) was not complete at the deadline. */
  notReady: RolloutState[];
  /** False when `confirm` said no: nothing was applied. */
  applied: boolean;
  /** With `acceptCluster` on a stack of another cluster: that cluster, whose objects the state forgot. */
  leftBehind?: ClusterIdentity;
}

/** What `destroy` did. */
export interface DestroyResult {
  plans: ProcessPlan[];
  /** Processes whose objects or pods were still there at the deadline. */
  notGone: RolloutState[];
  applied: boolean;
}

/**
 * What the operations need from the world, as interfaces: the engine (Pulumi's
 * Automation API, automation/pulumi-engine.ts), the cluster (cluster/kube-cluster.ts) and
 * the clock. The operations take them as arguments, so their guards are unit-tested with
 * fakes (operations/fakes.test-support.ts) and run for real through real-ports.ts.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { EngineRunOptions as AutomationRunOptions } from "../automation/engine-runs.ts";
import type { ProcessPlan } from "../automation/plan-summary.ts";
import type { StackProgram } from "../automation/program.ts";
import type { StackState } from "../automation/stack-state.ts";
import type { StackLock } from "../automation/locks.ts";
import type { ClusterIdentity } from "../cluster/cluster-identity.ts";
import type { ListOptions } from "../cluster/list-processes.ts";
import type { LiveObject, OwnerInfo } from "../cluster/ownership.ts";
import type { ProcessInfo } from "../cluster/process-info.ts";
import type { RolloutState } from "../cluster/rollout.ts";
import type { DigestStore } from "../components/digest-memo.ts";
import type { StackMark } from "../components/stack-mark.ts";

export type EngineEvent = pulumi.automation.EngineEvent;
export type OutputMap = pulumi.automation.OutputMap;

export type { StackProgram };

/** One engine run's options (the program is given apart, the engine's plan file is the adapter's). */
export type EngineRunOptions = Omit<AutomationRunOptions, "program" | "plan">;

/** One stack of the engine, opened. */
export interface EngineStack {
  readonly name: string;
  /** hpx's record and the engine's resources, in one read. */
  readState(): Promise<StackState>;
  /** Records the stack's identity in a state that has none (an older hpx's). */
  recordStackId(stackId: string): Promise<void>;
  /** The fingerprint a saved plan is checked against (also adopts the state's secrets salt). */
  planState(): Promise<string>;
  preview(program: StackProgram, opts: EngineRunOptions): Promise<ProcessPlan[]>;
  /** A preview that also returns the engine's own plan, which `up` can be held to. */
  previewPlan(program: StackProgram, opts: EngineRunOptions): Promise<{ plans: ProcessPlan[]; enginePlan: unknown }>;
  /**
   * An update; with `enginePlan`, exactly that plan or nothing. With `since` (a state
   * stamp, Engine.stateStamp), `untouched` says whether the state still had that stamp once
   * the update held the stack's lock, before it applied anything (undefined: not known).
   */
  up(program: StackProgram, opts: EngineRunOptions & { enginePlan?: unknown; since?: string }): Promise<{ plans: ProcessPlan[]; outputs: OutputMap; untouched?: boolean }>;
  /** Drops resources from the state (all but the root, or these components and their children); returns how many. */
  forget(only?: ReadonlySet<string>): Promise<number>;
  /** Asks the backend to cancel an update in progress (removes its lock). */
  cancel(): Promise<void>;
}

export interface Engine {
  /** Opens (creating) a stack; first ends the engine processes a dead run of it left on this machine. */
  open(stack: string, backend: string, log?: (line: string) => void): Promise<EngineStack>;
  /** Makes sure the engine's plugins are installed before a run needs them. */
  ensurePlugins(): Promise<void>;
  /** The key of the pods' secrets digest (derived from the stack passphrase). */
  digestKey(): string;
  /** Where the stack's digests are remembered between commands (none: digested every time). */
  digestStore?(stack: string, backend: string): DigestStore;
  /** The backend's URL as the state names it (no query, no credentials). */
  stateUrl(backend: string): string;
  /** What changes whenever any run writes the stack's state, if the backend can say so cheaply (state-stamp.ts). */
  stateStamp?(stack: string, backend: string): string | undefined;
  /** The locks the backend holds for the stack. */
  locks(stack: string, backend: string): Promise<StackLock[]>;
}

/** The stack's cluster, as the operations use it. */
export interface Cluster {
  /** The server's URL, for messages. */
  readonly server: string;
  /** Who the cluster is (kube-system's UID); fails in seconds when it does not answer. */
  identity(): Promise<ClusterIdentity>;
  /** The namespace's Deployments, Services and Secrets, with their marks. */
  liveObjects(): Promise<LiveObject[]>;
  /** Who owns these ApplySets (their parents' annotations). */
  ownersOf(applySetIds: readonly string[]): Promise<Map<string, OwnerInfo>>;
  /** Creates the stack's ApplySet parent (idempotent). */
  ensureParent(mark: StackMark, stateUrl: string): Promise<void>;
  deleteParent(mark: StackMark): Promise<void>;
  /**
   * Deletes objects; a Deployment goes after its pods (foreground), or at once with its
   * pods left to the garbage collector (`background`: a destroy, which waits for them).
   */
  deleteObjects(objects: readonly LiveObject[], opts?: { background?: boolean }): Promise<void>;
  /**
   * Waits until the processes `gone` are gone, then until `ready` are rolled out, up to
   * `deadline` (a clock time, ms); returns the states of those not there.
   */
  waitFor(
    ready: readonly string[],
    gone: readonly string[],
    deadline: number,
    opts: {
      onRollout?: (state: RolloutState, phase: "rollout" | "deletion") => void;
      signal?: AbortSignal;
      /** Processes whose objects the run did not change: their Deployments' status may be read without generations (rollout-table.ts). */
      unchanged?: ReadonlySet<string>;
    },
  ): Promise<RolloutState[]>;
  /** The processes and their addresses (three list requests). */
  processes(opts: Omit<ListOptions, "namespace">): Promise<ProcessInfo[]>;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason once it is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The collaborators every stack operation takes. */
export interface Ports {
  engine: Engine;
  cluster: Cluster;
  clock: Clock;
}

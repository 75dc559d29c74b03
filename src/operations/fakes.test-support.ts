/**
 * In-memory engine, cluster and clock for the operations' unit tests. They hold what
 * the real ones would (a state's record and resources, the namespace's objects) and
 * record every call that would change something, so a test can say "nothing changed".
 */
import type { ProcessPlan } from "../automation/plan-summary.ts";
import type { StackLock } from "../automation/locks.ts";
import type { RecordedOutputs, StackState } from "../automation/stack-state.ts";
import type { StateResource } from "../automation/state-record.ts";
import { KIND_TOKEN, processUrn } from "../automation/targets.ts";
import type { ClusterAccess } from "../cluster/cluster-access.ts";
import type { ClusterIdentity } from "../cluster/cluster-identity.ts";
import type { LiveObject, OwnerInfo } from "../cluster/ownership.ts";
import type { RolloutState } from "../cluster/rollout.ts";
import { APPLIED_ANNOTATION, type Digests } from "../components/marked-objects.ts";
import { stackMark, type StackMark } from "../components/stack-mark.ts";
import { parseProcessText } from "../spec/load-process-file.ts";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { desiredDigests } from "./incremental.ts";
import type { Cluster, Clock, Engine, EngineRunOptions, EngineStack, OutputMap, Ports, StackProgram } from "./ports.ts";
import type { StackTarget } from "./types.ts";

export const NAMESPACE = "default";
export const STACK_ID = "0123456789abcdef0123456789abcdef";
export const DIGEST_KEY = "k";
export const CLUSTER: ClusterIdentity = { uid: "uid-1", server: "https://127.0.0.1:6443" } as ClusterIdentity;

/** A process spec, as the spec loader makes it. */
export function spec(name: string, image = "nginx:1.27", group?: string): ProcessSpec {
  const text = JSON.stringify({ process_name: name, ...(group ? { group } : {}), container: { image_uri: image, ports: [{ container_port: 80 }] } });
  return parseProcessText(text, `${name}.json`)[0]!;
}

export function target(overrides: Partial<ClusterAccess> = {}): StackTarget {
  const access = { kubeconfig: "", kubeconfigPath: "", context: undefined, namespace: NAMESPACE, clusterIdentifier: "c", simulated: false, ...overrides };
  return { stack: "dev", backend: "file:///state", access, secrets: () => "s3cret" };
}

export const mark = (): StackMark => stackMark("dev", STACK_ID, NAMESPACE);

/** The digests `processes` get when applied to the fake stack. */
export function digestsOf(processes: readonly ProcessSpec[]): Digests {
  return desiredDigests(processes, { namespace: NAMESPACE, secrets: () => "s3cret", mark: mark(), digestKey: DIGEST_KEY });
}

/** A state's resources recording `digests` as applied, as the engine would write them. */
export function resourcesOf(digests: Digests): StateResource[] {
  return Object.entries(digests).flatMap(([process, objects]) => [
    { urn: processUrn("dev", process), type: "hpx:index:HydroProcess" },
    ...Object.entries(objects).map(([key, applied]) => {
      const [kind, name] = key.split("/") as [string, string];
      return { urn: `urn:pulumi:dev::hpx::x$${KIND_TOKEN[kind]}::${name}`, type: KIND_TOKEN[kind]!, parent: processUrn("dev", process), inputs: { metadata: { annotations: { [APPLIED_ANNOTATION]: applied } } } };
    }),
  ]);
}

/** The namespace's objects for `digests`, members of `applySetId` (the fake stack's by default). */
export function liveOf(digests: Digests, applySetId = mark().applySetId): LiveObject[] {
  return Object.entries(digests).flatMap(([process, objects]) =>
    Object.entries(objects).map(([key, applied]) => {
      const [kind, name] = key.split("/") as [LiveObject["kind"], string];
      return { kind, name, uid: `uid-${name}`, partOf: applySetId, stack: "dev", applied, process };
    }),
  );
}

/** What one engine run was asked. */
export interface EngineCall {
  verb: "preview" | "previewPlan" | "up";
  program: StackProgram["kind"];
  only: string[] | undefined;
  target: string[] | undefined;
  refresh: boolean | undefined;
}

export class FakeStack implements EngineStack {
  readonly name = "dev";
  outputs: RecordedOutputs = { stackId: STACK_ID, desired: undefined, cluster: undefined, created: {}, all: {} };
  resources: StateResource[] = [];
  readonly calls: EngineCall[] = [];
  forgotten: (ReadonlySet<string> | "all")[] = [];
  /** Thrown by this many `up` calls first (another run's lock, say). */
  failUps: Error[] = [];
  /** The plan each run reports. */
  plans: ProcessPlan[] = [];
  fingerprint = "sha256:state";
  /** What an update does to the cluster (tests set it: by default, nothing). */
  applies: (program: StackProgram) => void = () => {};
  /** Whether an update given a state stamp finds the state so stamped once it holds the lock. */
  untouched: boolean | undefined;
  /** The stamp each update was given. */
  readonly sinces: (string | undefined)[] = [];

  async readState(): Promise<StackState> {
    return { outputs: this.outputs, resources: this.resources };
  }
  async recordStackId(stackId: string): Promise<void> {
    this.outputs = { ...this.outputs, stackId };
  }
  async planState(): Promise<string> {
    return this.fingerprint;
  }
  private record(verb: EngineCall["verb"], program: StackProgram, opts: EngineRunOptions): void {
    const only = program.kind === "processes" && program.input.only ? [...program.input.only].sort() : undefined;
    this.calls.push({ verb, program: program.kind, only, target: opts.target, refresh: opts.refresh });
  }
  async preview(program: StackProgram, opts: EngineRunOptions): Promise<ProcessPlan[]> {
    this.record("preview", program, opts);
    return this.plans;
  }
  async previewPlan(program: StackProgram, opts: EngineRunOptions): Promise<{ plans: ProcessPlan[]; enginePlan: unknown }> {
    this.record("previewPlan", program, opts);
    return { plans: this.plans, enginePlan: { engine: "plan" } };
  }
  async up(program: StackProgram, opts: EngineRunOptions & { enginePlan?: unknown; since?: string }): Promise<{ plans: ProcessPlan[]; outputs: OutputMap; untouched?: boolean }> {
    const failure = this.failUps.shift();
    if (failure) throw failure;
    this.record("up", program, opts);
    this.sinces.push(opts.since);
    if (program.kind === "empty") await program.beforeApply?.();
    else await program.input.beforeApply?.();
    // A sharded stack's destroy: the objects are deleted directly, the engine deletes nothing.
    if (this.sharded && program.kind === "empty" && program.deleteAll) {
      await program.deleteAll();
      return { plans: [], outputs: {} };
    }
    this.applies(program);
    return { plans: this.plans, outputs: {}, ...(opts.since !== undefined && this.untouched !== undefined ? { untouched: this.untouched } : {}) };
  }
  /** Behaves as a stack kept in shards (sharded-stack.ts): a destroy's `deleteAll` replaces the engine's deletions. */
  sharded = false;
  async forget(only?: ReadonlySet<string>): Promise<number> {
    this.forgotten.push(only ?? "all");
    return 0;
  }
  async cancel(): Promise<void> {}
}

export class FakeEngine implements Engine {
  readonly stack = new FakeStack();
  locksHeld: StackLock[] = [];
  async open(): Promise<EngineStack> {
    return this.stack;
  }
  async ensurePlugins(): Promise<void> {}
  digestKey(): string {
    return DIGEST_KEY;
  }
  stateUrl(backend: string): string {
    return backend;
  }
  /** The state's stamp (none by default: a backend that cannot say). */
  stamp: string | undefined;
  stateStamp(): string | undefined {
    return this.stamp;
  }
  async locks(): Promise<StackLock[]> {
    return this.locksHeld;
  }
}

export class FakeCluster implements Cluster {
  readonly server = CLUSTER.server;
  identityNow: ClusterIdentity = CLUSTER;
  live: LiveObject[] = [];
  owners = new Map<string, OwnerInfo>();
  /** Every call that changes the cluster, in order. */
  readonly changes: string[] = [];
  notReady: RolloutState[] = [];
  waits: { ready: readonly string[]; gone: readonly string[]; deadline: number }[] = [];
  /** Per wait, the processes it was told the run did not change. */
  unchanged: string[][] = [];

  async identity(): Promise<ClusterIdentity> {
    return this.identityNow;
  }
  /** How many times the namespace was listed. */
  listings = 0;
  async liveObjects(): Promise<LiveObject[]> {
    this.listings++;
    return this.live;
  }
  async ownersOf(): Promise<Map<string, OwnerInfo>> {
    return this.owners;
  }
  async ensureParent(m: StackMark): Promise<void> {
    this.changes.push(`ensureParent ${m.applySetId}`);
  }
  async deleteParent(m: StackMark): Promise<void> {
    this.changes.push(`deleteParent ${m.applySetId}`);
  }
  async deleteObjects(objects: readonly LiveObject[]): Promise<void> {
    if (objects.length > 0) this.changes.push(`delete ${objects.map((o) => `${o.kind}/${o.name}`).join(",")}`);
  }
  async waitFor(ready: readonly string[], gone: readonly string[], deadline: number, opts: { unchanged?: ReadonlySet<string> } = {}): Promise<RolloutState[]> {
    this.waits.push({ ready, gone, deadline });
    this.unchanged.push([...(opts.unchanged ?? [])].sort());
    return this.notReady;
  }
  async processes(): Promise<never[]> {
    return [];
  }
}

/** A clock that only moves when something sleeps; a sleep honours its signal. */
export class FakeClock implements Clock {
  time = Date.parse("2026-11-30T12:00:00Z");
  sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += ms;
  }
}

export function fakePorts(): Ports & { engine: FakeEngine; cluster: FakeCluster; clock: FakeClock } {
  return { engine: new FakeEngine(), cluster: new FakeCluster(), clock: new FakeClock() };
}

/** A stack whose state records `processes` applied, and whose cluster holds them so. */
export function inSyncPorts(processes: readonly ProcessSpec[]): ReturnType<typeof fakePorts> {
  const ports = fakePorts();
  const digests = digestsOf(processes);
  ports.engine.stack.outputs = { ...ports.engine.stack.outputs, desired: { processes: [...processes] }, cluster: CLUSTER };
  ports.engine.stack.resources = resourcesOf(digests);
  ports.cluster.live = liveOf(digests);
  return ports;
}

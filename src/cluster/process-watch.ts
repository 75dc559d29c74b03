import { makeInformer, type Informer, type KubeConfig, type KubernetesObject, type ObjectCache } from "@kubernetes/client-node";
import { clientNodeGet } from "./kube-list.ts";
import { indexByProcess, type ProcessIndex } from "./process-index.ts";
import { listDeployments, listPods, remainingStates, rolloutStates, watchSelector, type ProcessListing } from "./process-listing.ts";
import type { RolloutState } from "./rollout.ts";
import { keepDeploymentFields, keepPodFields, type WatchedDeployment, type WatchedPod } from "./watched-fields.ts";

type Watched<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/**
 * A wait looks again at most this often: a cold up of thousands of processes brings
 * thousands of watch events, and each look covers every process waited for.
 */
const LOOK_EVERY_MS = 100;

/** Processes that have not reached what a wait asked for when it gave up. */
export interface WaitOutcome {
  done: boolean;
  states: RolloutState[];
}

/**
 * hpx's Deployments and pods in one namespace, kept current by two watches (one list and
 * one watch each, whatever the number of processes). hpx observes readiness and
 * deletion through it instead of the provider's per-object awaits: this needs only
 * read access to Deployments and pods, and gives one deadline and one reason per process.
 */
export class ProcessWatch {
  private readonly deployments: Watched<WatchedDeployment>;
  private readonly pods: Watched<WatchedPod>;
  private listeners = new Set<() => void>();
  private stopped = false;
  private lastError: unknown;
  /** The objects by process, built again on the first look after a change. */
  private index: ProcessIndex | undefined;
  private look: NodeJS.Timeout | undefined;

  /**
   * `processes`: the ones the wait is for, when known (see process-listing.ts's
   * SELECT_UP_TO). `first`: their listing just made, which the watches start from instead
   * of listing again (a restarted watch lists afresh).
   */
  constructor(kc: KubeConfig, namespace: string, processes?: readonly string[], first?: ProcessListing) {
    const labelSelector = watchSelector(processes);
    const ns = encodeURIComponent(namespace);
    const firstOnce = <T>(list: T | undefined) => () => {
      const given = list;
      list = undefined;
      return given;
    };
    const firstDeployments = firstOnce(first?.deployments);
    const firstPods = firstOnce(first?.pods);
    // Listed as plain JSON (kube-list.ts), as the watch's events arrive, and cut to what a
    // wait reads (watched-fields.ts): the lists when they arrive, each watched object in
    // the cache as its event comes (the listeners get the object the cache holds).
    const get = clientNodeGet(kc);
    this.deployments = makeInformer(kc, `/apis/apps/v1/namespaces/${ns}/deployments`, async () => firstDeployments() ?? listDeployments(get, namespace, processes), labelSelector);
    this.pods = makeInformer(kc, `/api/v1/namespaces/${ns}/pods`, async () => firstPods() ?? listPods(get, namespace, processes), labelSelector);
    for (const verb of ["add", "update"] as const) {
      this.deployments.on(verb, (d) => keepDeploymentFields(d));
      this.pods.on(verb, (p) => keepPodFields(p));
    }
    for (const informer of [this.deployments, this.pods] as Watched<KubernetesObject>[]) {
      for (const verb of ["add", "update", "delete"] as const) informer.on(verb, () => this.changed());
      informer.on("connect", () => this.changed());
      // A dropped watch is restarted (list again, then watch): the API server may restart.
      informer.on("error", (err) => {
        this.lastError = err;
        if (!this.stopped) setTimeout(() => void informer.start().catch(() => {}), 1000);
      });
    }
  }

  async start(): Promise<void> {
    await Promise.all([this.deployments.start(), this.pods.start()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.look);
    await Promise.all([this.deployments.stop(), this.pods.stop()]);
  }

  /** A change: the listeners look once for all the changes of the next LOOK_EVERY_MS. */
  private changed(): void {
    this.index = undefined;
    if (this.look !== undefined || this.listeners.size === 0) return;
    this.look = setTimeout(() => {
      this.look = undefined;
      for (const listener of this.listeners) listener();
    }, LOOK_EVERY_MS);
  }

  private indexed(): ProcessIndex {
    return (this.index ??= indexByProcess(this.deployments.list(), this.pods.list()));
  }

  /** The rollout state of each process now. */
  rollouts(processes: readonly string[]): RolloutState[] {
    return rolloutStates(this.indexed(), processes);
  }

  /** The processes that still have a Deployment or a pod. */
  remaining(processes: readonly string[]): RolloutState[] {
    return remainingStates(this.indexed(), processes);
  }

  /**
   * Resolves as soon as `states()` reports every process ready, or at the deadline (or on
   * abort) with where each stands. `onChange` hears each process whose state changed.
   */
  until(states: () => RolloutState[], deadline: number, opts: { onChange?: (s: RolloutState) => void; signal?: AbortSignal } = {}): Promise<WaitOutcome> {
    const seen = new Map<string, string>();
    return new Promise((resolve) => {
      const finish = (done: boolean) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        opts.signal?.removeEventListener("abort", abort);
        resolve({ done, states: states() });
      };
      const check = () => {
        const now = states();
        for (const s of now) {
          const key = s.ready ? "ready" : (s.reason ?? "");
          if (seen.get(s.process) !== key) {
            seen.set(s.process, key);
            opts.onChange?.(s);
          }
        }
        if (now.every((s) => s.ready)) finish(true);
      };
      const abort = () => finish(false);
      const timer = setTimeout(() => finish(false), Math.max(0, deadline - Date.now()));
      opts.signal?.addEventListener("abort", abort);
      this.listeners.add(check);
      check();
    });
  }

  /** The last watch error, to explain a wait that saw nothing. */
  error(): unknown {
    return this.lastError;
  }
}

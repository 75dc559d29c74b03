import { recordedStackId } from "../automation/recorded-identity.ts";
import { kubeCluster } from "../cluster/kube-cluster.ts";
import { newStackId, stackMark } from "../components/stack-mark.ts";
import { EMPTY_STATE } from "../spec/desired-state.ts";
import type { BatchedDeps } from "./batched-stack.ts";
import { applyEdit } from "./edit-stack.ts";
import { listStack } from "./list.ts";
import { engine, realPorts, systemClock } from "./real-ports.ts";
import { secretStore, type StackContext } from "./stack-context.ts";
import { clusterAccess, locatedSecrets, stackTarget } from "./stack-target.ts";
import { storedOutputs } from "./stored.ts";

/**
 * The real collaborators of `hpx serve`'s batched stack: its state through Pulumi's
 * engine, `up` for each batch (no wait for pods, as Hydroplane answers), the stack's
 * secret store and cluster. Runs wait `lockWaitMs` for another run's lock.
 */
export function batchedDeps(ctx: StackContext, opts: { lockWaitMs: number; signal: AbortSignal; log: (line: string) => void }): BatchedDeps {
  const stack = { name: ctx.name, backend: ctx.settings.backend };
  let store: ReturnType<typeof secretStore> | undefined;
  let access: ReturnType<typeof clusterAccess> | undefined;
  const editDeps = {
    engine,
    target: async (desired: Parameters<typeof stackTarget>[1]) => {
      const target = await stackTarget(ctx, desired, { interactive: false });
      return { target, ports: realPorts(target.access) };
    },
  };
  return {
    clock: systemClock,
    log: opts.log,
    signal: opts.signal,
    stored: async () => (await storedOutputs(engine, stack.name, stack.backend)).desired ?? EMPTY_STATE,
    apply: async (edit) => {
      const done = await applyEdit(editDeps, stack, edit, { wait: false, timeoutMs: 0, signal: opts.signal, lockWait: { waitMs: opts.lockWaitMs, onWait: opts.log } });
      return done?.desired;
    },
    checkSecrets: async (source) => {
      await locatedSecrets(source.processes, await (store ??= secretStore(ctx, false)), source);
    },
    live: async () => {
      const a = await (access ??= clusterAccess(ctx, { startLocal: false }));
      // A stack with no identity yet owns nothing: every same-named object is another's.
      const id = (await recordedStackId(stack.name, stack.backend)) ?? newStackId();
      return { objects: await kubeCluster(a).liveObjects(), mark: stackMark(stack.name, id, a.namespace) };
    },
    list: async (group) => (await listStack(ctx, { group, hydroplane: true })).processes,
  };
}

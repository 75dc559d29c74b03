import { stackMembers } from "../automation/recorded-identity.ts";
import { explainKubeError } from "../cluster/kube-errors.ts";
import { logTargets, notStarted, streamPodLog, type PodLogOptions } from "../cluster/pod-logs.ts";
import { ClusterError, HpxError, NoLogsYetError, UnknownProcessError, UsageError } from "../errors.ts";
import type { StackContext } from "./stack-context.ts";
import { clusterAccess } from "./stack-target.ts";

export type { PodLogOptions };

/** Whose log: one process by name, or every process of a group. */
export type LogsWhich = { name: string; group?: undefined } | { group: string; name?: undefined };

/** Where the lines go, and how a run of `hpx logs` is stopped. */
export interface LogsSink {
  /** One line a process printed, without its newline. */
  onLine: (process: string, line: string) => void;
  /** A process of a group that has no log yet, and why (the others' logs are still shown). */
  onSkipped?: (process: string, why: string) => void;
  /** Ends a `follow` (Ctrl-C); without follow the call ends when the logs are read. */
  signal?: AbortSignal;
  interactive?: boolean;
}

/**
 * `hpx logs`: what a process (or each process of a group) prints, through the pods/log API
 * of the pod it runs in. The container is named after the process (components/build-workload.ts).
 * Names the stack does not have are usage errors (exit 2), as `hpx stop`'s; a process with
 * no started pod yet is a NoLogsYetError (exit 1) saying why; never starts the local cluster.
 */
export async function processLogs(ctx: StackContext, which: LogsWhich, opts: PodLogOptions, sink: LogsSink): Promise<void> {
  const access = await clusterAccess(ctx, { startLocal: false, interactive: sink.interactive });
  const members = await stackMembers(ctx.name, ctx.settings.backend, access.namespace);
  const kc = (await import("../cluster/kube-config.ts")).kubeConfigFor(access);
  const targets = await logTargets(kc, access.namespace, members, which).catch((err: unknown) => explainKubeError(err, access.eks));
  if (targets.length === 0) {
    if (which.name !== undefined) throw new UnknownProcessError(ctx.name, which.name);
    throw new UsageError(`stack ${ctx.name} has no process in group ${which.group}`);
  }
  const checked = targets.map((target) => ({
    target,
    why: target.pod ? notStarted(target.pod, target.process, opts.previous ?? false) : "it has no pod yet",
  }));
  const ready = checked.filter((c) => c.why === undefined).map((c) => ({ target: c.target, pod: c.target.pod!.metadata!.name! }));
  const waiting = checked.filter((c) => c.why !== undefined);
  if (ready.length === 0) {
    throw new NoLogsYetError(waiting.map((c) => `process ${c.target.process} has no log yet: ${c.why}`).join("; "), [`hpx ls -s ${ctx.name} shows its status`]);
  }
  for (const c of waiting) sink.onSkipped?.(c.target.process, c.why!);
  // One failing stream ends the others: a group's `-f` must not go on half-shown.
  const stop = new AbortController();
  const onAbort = () => stop.abort(sink.signal?.reason);
  sink.signal?.addEventListener("abort", onAbort, { once: true });
  if (sink.signal?.aborted) onAbort();
  const failed = async (err: unknown): Promise<never> => {
    stop.abort();
    const explained = await explainKubeError(err, access.eks).catch((e: unknown) => e);
    throw access.simulated && explained instanceof HpxError ? withLocalHint(explained) : explained;
  };
  try {
    await Promise.all(
      ready.map(({ target, pod }) =>
        streamPodLog(kc, { namespace: access.namespace, pod, container: target.process }, opts, (line) => sink.onLine(target.process, line), stop.signal).catch(failed),
      ),
    );
  } finally {
    sink.signal?.removeEventListener("abort", onAbort);
  }
}

/** `GET /process/{name}/logs` of hpx serve: one process's lines, read to the end (never followed). */
export async function processLogLines(ctx: StackContext, name: string, opts: Omit<PodLogOptions, "follow">): Promise<string[]> {
  const lines: string[] = [];
  await processLogs(ctx, { name }, { ...opts, follow: false }, { onLine: (_p, line) => lines.push(line) });
  return lines;
}

/** A local cluster started by an hpx before `hpx logs` existed has nodes the API server cannot ask for logs. */
function withLocalHint(err: HpxError): HpxError {
  return new ClusterError(err.message, undefined, [...err.hints, "a local cluster started before hpx logs existed serves no logs: restart it (hpx local down, then hpx local up)"]);
}

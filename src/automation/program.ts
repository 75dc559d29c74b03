import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAccess } from "../cluster/cluster-access.ts";
import type { ClusterIdentity } from "../cluster/cluster-identity.ts";
import { HydroProcess, processRecord } from "../components/hydro-process.ts";
import type { StackMark } from "../components/stack-mark.ts";
import type { ProcessSpec, SecretRef } from "../spec/process-spec.ts";
import type { DesiredState } from "../spec/desired-state.ts";

export interface ProgramInput {
  processes: ProcessSpec[];
  access: ClusterAccess;
  /** Values of the secret refs, read before the engine started. */
  secrets: (ref: SecretRef) => string;
  /** The stack's mark: every object carries it (stack-mark.ts); its identity is recorded in the outputs. */
  mark: StackMark;
  /** The cluster the objects go to, recorded so that a later run elsewhere is refused. */
  cluster: ClusterIdentity;
  /** Key of the pods' secrets digest (derived from the stack's passphrase). */
  digestKey?: string;
  /** When each process was first applied (new ones: when this run was planned); filled in before the program runs. */
  created?: Record<string, string>;
  /**
   * Register only these processes (an update targeted at them, see targets.ts); the
   * outputs still describe every process. Set before the program runs; unset: all.
   */
  only?: Set<string>;
  /**
   * Work the program does first, in an update (not a preview): the engine holds the
   * stack's lock then, which pruning needs (prune.ts).
   */
  beforeApply?: () => Promise<void>;
}

/** What an engine run registers: the stack's processes, or no resource at all (destroy). */
export type StackProgram =
  | { kind: "processes"; input: ProgramInput }
  | {
      kind: "empty";
      /** The stack's identity, which the root keeps ({@link emptyProgram}). */
      stackId: string;
      /** Work done first, in an update, under the engine's lock (pruning). */
      beforeApply?: () => Promise<void>;
      /**
       * Deletes every object of the stack directly, after `beforeApply`, under the lock. A
       * sharded stack then empties its shards' states instead of running their engines,
       * which would delete the same objects one step at a time (about 0.1 s each).
       */
      deleteAll?: () => Promise<void>;
    };

/** The Pulumi program of a {@link StackProgram}. */
export function pulumiProgram(program: StackProgram): pulumi.automation.PulumiFn {
  return program.kind === "empty" ? emptyProgram(program.stackId, program.beforeApply) : processProgram(program.input);
}

/**
 * Stack outputs: the stack's identity, the desired state (so `hpx up` without a file can
 * re-apply it), the cluster the stack belongs to, and per-process facts.
 */
export interface StackOutputs {
  stackId: string;
  desired: DesiredState;
  cluster: ClusterIdentity;
  processes: Record<string, unknown>;
  created: Record<string, string>;
}

/**
 * The program of `hpx destroy`: no resource, so the engine deletes every one; the root's
 * output keeps the stack's identity, which must outlive its objects (a destroy stopped
 * half-way leaves objects that only this identity claims).
 */
export function emptyProgram(stackId: string, beforeApply?: () => Promise<void>): pulumi.automation.PulumiFn {
  return async () => {
    if (beforeApply && !pulumi.runtime.isDryRun()) await beforeApply();
    return { stackId };
  };
}

/** The inline Pulumi program: one provider for the stack's cluster, one HydroProcess per process. */
export function processProgram(input: ProgramInput): pulumi.automation.PulumiFn {
  return async () => {
    const { access } = input;
    if (input.beforeApply && !pulumi.runtime.isDryRun()) await input.beforeApply();
    const provider = new k8s.Provider("cluster", {
      // A secret: for the local cluster it holds a client key.
      kubeconfig: pulumi.secret(access.kubeconfig),
      context: access.context,
      namespace: access.namespace,
      clusterIdentifier: access.clusterIdentifier,
      // A Secret whose value changed is updated in place, not deleted and recreated (its
      // name is fixed, so a replacement would leave the pods' Secret missing meanwhile).
      enableSecretMutable: true,
    });
    const processes: Record<string, ReturnType<typeof processRecord>> = {};
    for (const spec of input.processes) {
      const args = { spec, namespace: access.namespace, secrets: input.secrets, mark: input.mark, digestKey: input.digestKey };
      if (!input.only || input.only.has(spec.process_name)) new HydroProcess(spec.process_name, args, { provider });
      processes[spec.process_name] = processRecord(spec);
    }
    const created = Object.fromEntries(input.processes.map((p) => [p.process_name, input.created?.[p.process_name] ?? ""]));
    return { stackId: input.mark.stackId, desired: { processes: input.processes }, cluster: input.cluster, processes, created } satisfies Record<keyof StackOutputs, unknown>;
  };
}

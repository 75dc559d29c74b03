import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAccess } from "../cluster/cluster-access.ts";
import type { ClusterIdentity } from "../cluster/cluster-identity.ts";
import { HydroProcess, processRecord } from "../components/hydro-process.ts";
import type { ProcessSpec, SecretRef } from "../spec/process-spec.ts";
import type { DesiredState } from "./desired-state.ts";

export interface ProgramInput {
  processes: ProcessSpec[];
  access: ClusterAccess;
  /** Values of the secret refs, read before the engine started. */
  secrets: (ref: SecretRef) => string;
  /** The hpx stack's name: every object carries it as its owner's mark. */
  stack: string;
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
}

/**
 * Stack outputs: the desired state (so `hpx up` without a file can re-apply it), the
 * cluster the stack belongs to, and per-process facts.
 */
export interface StackOutputs {
  desired: DesiredState;
  cluster: ClusterIdentity;
  processes: Record<string, unknown>;
  created: Record<string, string>;
}

/** The inline Pulumi program: one provider for the stack's cluster, one HydroProcess per process. */
export function processProgram(input: ProgramInput): pulumi.automation.PulumiFn {
  return async () => {
    const { access } = input;
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
      const args = { spec, namespace: access.namespace, secrets: input.secrets, stack: input.stack, digestKey: input.digestKey };
      if (!input.only || input.only.has(spec.process_name)) new HydroProcess(spec.process_name, args, { provider });
      processes[spec.process_name] = processRecord(spec);
    }
    const created = Object.fromEntries(input.processes.map((p) => [p.process_name, input.created?.[p.process_name] ?? ""]));
    return { desired: { processes: input.processes }, cluster: input.cluster, processes, created } satisfies Record<keyof StackOutputs, unknown>;
  };
}

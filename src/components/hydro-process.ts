import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ProcessSpec } from "../spec/process-spec.ts";
import type { SecretValues } from "./build.ts";
import { HYDRO_PROCESS_TOKEN } from "./hydro-process-token.ts";
import { markedProcess } from "./marked-objects.ts";
import type { StackMark } from "./stack-mark.ts";

/** Inputs of a {@link HydroProcess}. */
export interface HydroProcessArgs {
  /** The process, as parsed (defaults applied). */
  spec: ProcessSpec;
  /** Namespace of every object. */
  namespace: string;
  /** Values of the spec's secret-store references, resolved before the program ran. */
  secrets: SecretValues;
  /** The stack's mark: every object becomes a member of its ApplySet (stack-mark.ts). */
  mark: StackMark;
  /** Key of the pod template's secrets digest, so a changed secret value rolls the pods. */
  digestKey?: string;
}

/** What a process's outputs record: how the cluster exposed it. */
export interface HydroProcessInfo {
  processName: string;
  group: string | null;
  hasPublicIp: boolean;
  serviceName: string;
  serviceType: string;
  /** The allocated ClusterIP, or `None` for a headless Service. */
  clusterIP: string;
  ports: { containerPort: number; protocol: string; port: number; nodePort: number | null }[];
}

/** What the state records of a process: what its spec decides, known before anything is applied. */
export function processRecord(spec: ProcessSpec): { processName: string; group: string | null; hasPublicIp: boolean; serviceName: string } {
  return { processName: spec.process_name, group: spec.group ?? null, hasPublicIp: spec.has_public_ip, serviceName: spec.process_name };
}

/** One process: its Deployment, Service and, when needed, Secrets. The builders do the mapping. */
export class HydroProcess extends pulumi.ComponentResource {
  /** The process's outputs, in one value (each is also registered under its own name). */
  readonly info: pulumi.Output<HydroProcessInfo>;

  /** `opts.provider` selects the cluster; children inherit it. */
  constructor(name: string, args: HydroProcessArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(HYDRO_PROCESS_TOKEN, name, {}, opts);
    const { spec, namespace, secrets, mark, digestKey } = args;
    const objects = markedProcess(spec, { namespace, secrets, digestKey, mark });

    const secretResources = objects.secrets.map(
      ({ object: s }) =>
        new k8s.core.v1.Secret(
          s.metadata!.name!,
          { ...s, stringData: pulumi.secret(s.stringData ?? {}) } as k8s.core.v1.SecretArgs,
          { parent: this, additionalSecretOutputs: ["data", "stringData"] },
        ),
    );
    // The pod reads the Secrets when it starts: create them first.
    new k8s.apps.v1.Deployment(name, objects.deployment.object as k8s.apps.v1.DeploymentArgs, { parent: this, dependsOn: secretResources });
    const service = new k8s.core.v1.Service(name, objects.service.object as k8s.core.v1.ServiceArgs, { parent: this });

    this.info = pulumi
      .all([service.metadata.name, service.spec.type, service.spec.clusterIP, service.spec.ports])
      .apply(([serviceName, serviceType, clusterIP, ports]) => ({
        processName: spec.process_name,
        group: spec.group ?? null,
        hasPublicIp: spec.has_public_ip,
        serviceName,
        serviceType,
        clusterIP,
        ports: (ports ?? []).map((p) => ({
          containerPort: Number(p.targetPort ?? p.port),
          protocol: p.protocol ?? "TCP",
          port: p.port,
          nodePort: p.nodePort ?? null,
        })),
      }));
    // Only what the spec decides is recorded: a saved plan checks recorded outputs, and a
    // server-side dry run cannot know the ClusterIP and NodePorts the API server will pick
    // (`hpx ls` reads those live).
    this.registerOutputs(processRecord(spec));
  }
}

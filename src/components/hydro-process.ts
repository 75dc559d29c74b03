import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ProcessSpec } from "../spec/process-spec.ts";
import { buildEnvSecret, buildRegistrySecret, type SecretValues } from "./build-secrets.ts";
import { buildService } from "./build-service.ts";
import { buildDeployment } from "./build-workload.ts";

export interface HydroProcessArgs {
  spec: ProcessSpec;
  namespace: string;
  secrets: SecretValues;
  /** Sets `pulumi.com/skipAwait` so the engine does not wait for pods to be ready. */
  skipAwait?: boolean;
}

/** What a process's stack output records. */
export interface HydroProcessInfo {
  processName: string;
  group: string | null;
  hasPublicIp: boolean;
  serviceType: string;
  clusterIP: string;
  ports: { containerPort: number; protocol: string; port: number; nodePort: number | null }[];
}

/** Pulumi's type token for the component; the plan summary groups child steps by it. */
export const HYDRO_PROCESS_TOKEN = "hpx:index:HydroProcess";

/** One process: a Deployment, a Service and, when needed, Secrets. The builders do the mapping. */
export class HydroProcess extends pulumi.ComponentResource {
  readonly info: pulumi.Output<HydroProcessInfo>;

  constructor(name: string, args: HydroProcessArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(HYDRO_PROCESS_TOKEN, name, {}, opts);
    const { spec, namespace, secrets } = args;
    const child = { parent: this };
    const await_ = args.skipAwait ? { "pulumi.com/skipAwait": "true" } : {};
    const annotate = <T extends { metadata?: { annotations?: Record<string, string> } }>(obj: T): T =>
      args.skipAwait ? { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata?.annotations, ...await_ } } } : obj;

    for (const secret of [buildEnvSecret(spec, namespace, secrets), buildRegistrySecret(spec, namespace, secrets)]) {
      if (!secret) continue;
      new k8s.core.v1.Secret(
        secret.metadata!.name!,
        { ...secret, stringData: pulumi.secret(secret.stringData ?? {}) } as k8s.core.v1.SecretArgs,
        child,
      );
    }
    new k8s.apps.v1.Deployment(name, annotate(buildDeployment(spec, namespace)) as k8s.apps.v1.DeploymentArgs, child);
    const service = new k8s.core.v1.Service(name, annotate(buildService(spec, namespace)) as k8s.core.v1.ServiceArgs, child);

    this.info = pulumi.all([service.spec.type, service.spec.clusterIP, service.spec.ports]).apply(([type, clusterIP, ports]) => ({
      processName: spec.process_name,
      group: spec.group ?? null,
      hasPublicIp: spec.has_public_ip,
      serviceType: type,
      clusterIP,
      ports: (ports ?? []).map((p) => ({
        containerPort: Number(p.targetPort ?? p.port),
        protocol: p.protocol ?? "TCP",
        port: p.port,
        nodePort: p.nodePort ?? null,
      })),
    }));
    this.registerOutputs({ info: this.info });
  }
}

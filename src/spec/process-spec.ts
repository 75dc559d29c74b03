import { z } from "zod";

/**
 * Hydroplane's process spec, field for field (its JSON files load as they are), plus
 * what Kubernetes requires of names. Strict: an unknown key is an error.
 */

/** DNS-1123 label: also a valid Service name (starts with a letter). */
export const DNS1123_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Kubernetes label value (the group becomes the `hydroplane/group-id` label). */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Environment variable name as Kubernetes accepts it (C_IDENTIFIER-like, dots and dashes allowed). */
export const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/**
 * Kubernetes port name (IANA service name): at most 15 characters, lowercase letters,
 * digits and '-', at least one letter, no '-' at either end and no '--'.
 */
export const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Decimal number as a string, e.g. "0.25". */
const DECIMAL = /^\d+(\.\d+)?$/;

/** A value held in the secret store, by name; `key` picks one key of a JSON secret. */
export const SecretRef = z.strictObject({
  /** Name of the secret in the stack's secret store. */
  secret_name: z.string().min(1),
  /** Key inside a JSON-object secret; omitted: the whole secret value. */
  key: z.string().min(1).optional(),
});
export type SecretRef = z.infer<typeof SecretRef>;

/** A literal string, or a reference to the secret store. */
export const StringOrSecret = z.union([z.string(), SecretRef]);
export type StringOrSecret = z.infer<typeof StringOrSecret>;

export const PortSpec = z.strictObject({
  /** Port the container listens on; also the Service's port. */
  container_port: z.number().int().min(1).max(65535),
  /**
   * Hydroplane's host port: defaults to `container_port`. On Kubernetes it is not used, as
   * in Hydroplane's own Kubernetes runtime: the Service port is the container port, and a
   * public process is reached on the NodePort the API server allocates.
   */
  host_port: z.number().int().min(1).max(65535).optional(),
  /** Transport protocol; Hydroplane's default is tcp. */
  protocol: z.enum(["tcp", "udp"]).default("tcp"),
  /** Names the container port and the Service port; a Kubernetes port name, unique within the process. */
  name: z
    .string()
    .regex(PORT_NAME, "must be a Kubernetes port name: at most 15 lowercase letters, digits and '-', with a letter, no '-' at either end, no '--'")
    .optional(),
});
export type PortSpec = z.infer<typeof PortSpec>;

export const EnvVar = z.strictObject({
  /** Variable name. */
  name: z.string().regex(ENV_NAME, "must be a valid environment variable name"),
  /** Literal value, or a secret-store reference (delivered through a Kubernetes Secret). */
  value: StringOrSecret,
});
export type EnvVar = z.infer<typeof EnvVar>;

const cpuVcpu = z
  .union([z.number(), z.string().regex(DECIMAL, "must be a decimal number, e.g. \"0.25\"")])
  .transform((v) => (typeof v === "number" ? v : Number(v)))
  .pipe(z.number().min(0.001, "must be at least 0.001 vCPU"));

/** A resource request or limit; as in Hydroplane, either field may be given alone. */
export const ResourceSpec = z.strictObject({
  /** vCPUs, as a decimal string ("0.25") or a number; at least 0.001. */
  cpu_vcpu: cpuVcpu.optional(),
  /** Memory in MiB, a whole number. */
  memory_mib: z.number().int().min(0, "must be at least 0").optional(),
});
export type ResourceSpec = z.infer<typeof ResourceSpec>;

export const ContainerSpec = z.strictObject({
  /** Image to run, e.g. `nginxdemos/hello` or a full registry path. */
  image_uri: z.string().min(1),
  /** Overrides the image's entrypoint. */
  command: z.array(z.string()).optional(),
  /** Ports the process exposes through its Service. */
  ports: z.array(PortSpec).default([]),
  /** Environment variables. */
  env: z.array(EnvVar).default([]),
  /** Resources the scheduler reserves. */
  resource_request: ResourceSpec.optional(),
  /** Resources the container may not exceed; each at least its request. */
  resource_limit: ResourceSpec.optional(),
  /** Node labels the pod must run on. */
  node_selector: z.record(z.string(), z.string()).optional(),
  /** Private-registry user name (for an image pull secret): a literal or a secret reference. */
  username: StringOrSecret.optional(),
  /** Private-registry password: a secret reference only, as in Hydroplane (never written in the spec). */
  password: SecretRef.optional(),
});
export type ContainerSpec = z.infer<typeof ContainerSpec>;

export const ProcessSpec = z.strictObject({
  /** Unique name; a DNS-1123 label of at most 63 characters. */
  process_name: z
    .string()
    .max(63, "must be at most 63 characters")
    .regex(DNS1123_LABEL, "must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter"),
  /** Optional group, for `hpx ls -g` and `hpx stop -g`; a valid label value. */
  group: z
    .string()
    .max(63, "must be at most 63 characters")
    .regex(LABEL_VALUE, "must be a valid label value: letters, digits, '-', '_', '.'")
    .nullish(),
  /** Public: NodePort Service reachable on its node's external IP; private: ClusterIP. */
  has_public_ip: z.boolean().default(false),
  /** What runs. */
  container: ContainerSpec,
});
export type ProcessSpec = z.infer<typeof ProcessSpec>;
/** The spec as written, before defaults. */
export type ProcessSpecInput = z.input<typeof ProcessSpec>;

/** The desired-state file: `{processes: [...]}`. */
export const ProcessFile = z.strictObject({
  /** The processes the stack should run; anything not listed is removed by `hpx up`. */
  processes: z.array(ProcessSpec),
});
export type ProcessFile = z.infer<typeof ProcessFile>;

import { readFileSync } from "node:fs";
import { z } from "zod";
import { SpecError } from "../errors.ts";
import { SecretRef } from "./process-spec.ts";
import { parseYamlSource } from "./yaml-source.ts";
import { locatedIssues, sortIssues, type KeysAt } from "./zod-issues.ts";

/** Where secret refs are read from (Hydroplane's `secret_store`). */
export const SecretStoreSettings = z.strictObject({
  /** `local`: hpx's encrypted store; `env`: HPX_SECRET_<NAME> variables; `none`: no secrets. */
  secret_store_type: z.enum(["local", "none", "env"]),
  /** Directory of the local store (default ~/.hydro_secrets). */
  store_location: z.string().min(1).optional(),
});

const namespace = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label").max(63).default("default");

export const AssumeRole = z.strictObject({
  /** Role to assume, e.g. arn:aws:iam::123456789012:role/EKSAdmin. */
  role_arn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "must be an IAM role ARN: arn:aws:iam::ACCOUNT:role/NAME"),
  /** External ID the role's trust policy requires, from the secret store. */
  external_id: SecretRef.optional(),
  /** Session name in CloudTrail (default hpx-<user>). */
  session_name: z.string().min(2).max(64).optional(),
  /** Lifetime of the assumed credentials; they are refreshed before they expire. */
  session_duration_seconds: z.number().int().min(900).max(43200).optional(),
});

export const EksCredentials = z.strictObject({
  /** An access key held in the secret store; omitted: the AWS SDK default chain. */
  access_key: z
    .strictObject({ access_key_id: SecretRef, secret_access_key: SecretRef })
    .optional(),
  assume_role: AssumeRole.optional(),
});

export const RuntimeSettings = z.discriminatedUnion("runtime_type", [
  /** The local simulated cluster (kwok): hpx's default. */
  z.strictObject({ runtime_type: z.literal("local"), namespace }),
  /** Any cluster through a kubeconfig file. */
  z.strictObject({
    runtime_type: z.literal("kubeconfig"),
    /** Path of the kubeconfig file (~ allowed). */
    kubeconfig: z.string().min(1),
    /** Context to use (default: the file's current context). */
    context: z.string().min(1).optional(),
    namespace,
  }),
  /** Amazon EKS, authenticated with AWS credentials (Hydroplane's `eks` runtime). */
  z.strictObject({
    runtime_type: z.literal("eks"),
    cluster_name: z.string().min(1),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as us-west-2"),
    namespace,
    credentials: EksCredentials.optional(),
  }),
]);

export const StackSettings = z.strictObject({
  secret_store: SecretStoreSettings.default({ secret_store_type: "none" }),
  /** Pulumi state: file://PATH (default file://~/.hpx/state) or s3://BUCKET/PREFIX?region=... */
  backend: z.string().min(1).default("file://~/.hpx/state"),
  runtime: RuntimeSettings.default({ runtime_type: "local", namespace: "default" }),
  /** `hpx cull` stops processes older than this. */
  /** Hydroplane's process culling: `hpx serve` stops processes older than max_age_minutes. */
  process_culling: z
    .strictObject({
      /** Processes older than this (since hpx first applied them) are stopped. */
      max_age_minutes: z.number().int().positive(),
      /** How often `hpx serve` culls (default 1, as Hydroplane). */
      culling_interval_minutes: z.number().int().positive().optional(),
    })
    .optional(),
});
export type StackSettings = z.infer<typeof StackSettings>;

const keysAt: KeysAt = (path): ReturnType<KeysAt> => {
  const last = path[path.length - 1];
  const top = Object.keys(StackSettings.shape);
  if (path.length === 0) return { allowed: top, nested: { runtime: ["runtime_type", "cluster_name", "region", "namespace", "credentials", "kubeconfig", "context"] } };
  if (last === "runtime") return { allowed: ["runtime_type", "cluster_name", "region", "namespace", "credentials", "kubeconfig", "context"], nested: {} };
  if (last === "secret_store") return { allowed: Object.keys(SecretStoreSettings.shape), nested: {} };
  if (last === "credentials") return { allowed: Object.keys(EksCredentials.shape), nested: { assume_role: Object.keys(AssumeRole.shape) } };
  if (last === "assume_role") return { allowed: Object.keys(AssumeRole.shape), nested: {} };
  return undefined;
};

export function parseStackSettings(text: string, file: string): StackSettings {
  const source = parseYamlSource(text, file);
  if (source.syntaxIssues.length > 0) throw new SpecError(source.syntaxIssues);
  const parsed = StackSettings.safeParse(source.data ?? {}, { reportInput: true });
  if (!parsed.success) throw new SpecError(sortIssues(locatedIssues(parsed.error, source, source.data, (p) => p, keysAt)));
  return parsed.data;
}

export function loadStackSettings(file: string): StackSettings {
  return parseStackSettings(readFileSync(file, "utf8"), file);
}

/** The built-in `local` stack: local simulated cluster, no secrets, state under ~/.hpx. */
export function defaultLocalStackSettings(): StackSettings {
  return StackSettings.parse({});
}

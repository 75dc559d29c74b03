import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { userInfo } from "node:os";

/** Static access key, or undefined for the AWS SDK's default chain (env, profile/SSO, IRSA). */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AssumeRoleOptions {
  roleArn: string;
  externalId?: string;
  /** Default `hpx-<user>`. */
  sessionName?: string;
  /** 900..43200; default 900. */
  durationSeconds?: number;
}

/** `hpx-<user>` limited to STS's session-name alphabet and length. */
export function defaultSessionName(user = userInfo().username): string {
  return `hpx-${user}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
}

/**
 * The credentials hpx signs with. With a role, the SDK's own assume-role provider
 * (regional STS endpoint) refreshes the temporary credentials before they expire, so a
 * long run never signs with stale ones.
 */
export function awsCredentials(opts: { region: string; accessKey?: AccessKey; assumeRole?: AssumeRoleOptions }): AwsCredentialIdentityProvider {
  const base: AwsCredentialIdentityProvider = opts.accessKey
    ? async () => ({ accessKeyId: opts.accessKey!.accessKeyId, secretAccessKey: opts.accessKey!.secretAccessKey })
    : fromNodeProviderChain({ clientConfig: { region: opts.region } });
  const role = opts.assumeRole;
  if (!role) return base;
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: role.roleArn,
      RoleSessionName: role.sessionName ?? defaultSessionName(),
      DurationSeconds: role.durationSeconds ?? 900,
      ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}),
    },
    clientConfig: { region: opts.region },
  });
}

import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { printJson } from "./output.ts";

interface TokenFlags {
  cluster: string;
  region: string;
  roleArn?: string;
  sessionName?: string;
  durationSeconds?: string;
}

/**
 * `hpx token`: an ExecCredential for kubectl and for the Kubernetes provider's exec
 * user, so no token is ever stored. Base credentials come from the AWS SDK default
 * chain; the external ID, being a secret, only from HPX_ASSUME_ROLE_EXTERNAL_ID.
 */
export function registerToken(program: Command): void {
  program
    .command("token")
    .description("print an EKS ExecCredential (usable from kubectl: exec command `hpx token`)")
    .requiredOption("--cluster <name>", "EKS cluster name")
    .requiredOption("--region <region>", "AWS region")
    .option("--role-arn <arn>", "assume this role first")
    .option("--session-name <name>", "assume-role session name")
    .option("--duration-seconds <n>", "assume-role session duration (900..43200)")
    .action(async (opts: TokenFlags) => {
      const duration = opts.durationSeconds === undefined ? undefined : Number(opts.durationSeconds);
      if (duration !== undefined && !(Number.isInteger(duration) && duration >= 900 && duration <= 43200)) {
        throw new UsageError(`--duration-seconds must be an integer from 900 to 43200, got ${opts.durationSeconds}`);
      }
      const { awsCredentials } = await import("../aws/credentials.ts");
      const { eksToken, execCredential, tokenLifetimeMs } = await import("../aws/eks-token.ts");
      const lifetimeMs = tokenLifetimeMs();
      const credentials = awsCredentials({
        region: opts.region,
        ...(opts.roleArn
          ? {
              assumeRole: {
                roleArn: opts.roleArn,
                sessionName: opts.sessionName,
                durationSeconds: duration,
                externalId: process.env.HPX_ASSUME_ROLE_EXTERNAL_ID,
              },
            }
          : {}),
      });
      const { toAuthError } = await import("../aws/aws-errors.ts");
      const token = await eksToken({ cluster: opts.cluster, region: opts.region, credentials: await credentials().catch(toAuthError), lifetimeMs });
      printJson(execCredential(token));
    });
}

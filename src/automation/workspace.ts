import { mkdirSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { StackError, UsageError } from "../errors.ts";
import { expandHome } from "../paths.ts";
import { hpxHome, toolchain } from "../toolchain.ts";
import { engineEnv, pulumiCommand } from "./engine.ts";
import { stackPassphrase } from "./passphrase.ts";

/** Pulumi project name of every hpx stack. */
export const PROJECT = "hpx";

/** Turns `file://~/.hpx/state` into an absolute URL and creates the directory. */
export function resolveBackend(url: string): string {
  if (url.startsWith("file://")) {
    const dir = expandHome(url.slice("file://".length));
    if (!dir.startsWith("/")) throw new UsageError(`backend ${url}: a file:// backend needs an absolute path or ~/`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return `file://${dir}`;
  }
  if (url.startsWith("s3://")) return url;
  throw new UsageError(`backend ${url}: expected file://PATH or s3://BUCKET[/PREFIX]?region=...`);
}

/** Opens (creating if needed) the Pulumi stack named after the hpx stack, with an inline program. */
export async function openStack(stackName: string, backend: string, program: pulumi.automation.PulumiFn): Promise<pulumi.automation.Stack> {
  const tools = toolchain();
  const url = resolveBackend(backend);
  try {
    return await pulumi.automation.LocalWorkspace.createOrSelectStack(
      { stackName, projectName: PROJECT, program },
      {
        pulumiCommand: await pulumiCommand(tools),
        envVars: { ...engineEnv(tools), PULUMI_CONFIG_PASSPHRASE: stackPassphrase(hpxHome()) },
        projectSettings: { name: PROJECT, runtime: "nodejs", backend: { url } },
      },
    );
  } catch (err) {
    throw new StackError(`cannot open stack ${stackName} at ${url}: ${firstLine(err)}`);
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const stderr = /stderr: ([^\n]+)/.exec(text)?.[1];
  return (stderr ?? text.split("\n")[0] ?? "").trim();
}

import { mkdirSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { StackError, UsageError } from "../errors.ts";
import { expandHome } from "../paths.ts";
import { hpxHome, toolchain } from "../toolchain.ts";
import { engineEnv, pulumiCommand } from "./engine.ts";
import { repairBlobAttributes } from "./file-state-repair.ts";
import { stackPassphrase } from "./passphrase.ts";

/** Pulumi project name of every hpx stack. */
export const PROJECT = "hpx";

/** Turns `file://~/.hpx/state` into an absolute URL and creates the directory. */
export function resolveBackend(url: string): string {
  if (url.startsWith("file://")) {
    // `~/.hpx` is hpx's home: HPX_HOME moves it, and the state with it.
    const path = url.slice("file://".length);
    const dir = path === "~/.hpx" || path.startsWith("~/.hpx/") ? hpxHome() + path.slice("~/.hpx".length) : expandHome(path);
    if (!dir.startsWith("/")) throw new UsageError(`backend ${url}: a file:// backend needs an absolute path or ~/`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return `file://${dir}`;
  }
  if (url.startsWith("s3://")) return url;
  throw new UsageError(`backend ${url}: expected file://PATH or s3://BUCKET[/PREFIX]?region=...`);
}

/** Opens (creating if needed) the Pulumi stack named after the hpx stack, with an inline program. */
export async function openStack(
  stackName: string,
  backend: string,
  program: pulumi.automation.PulumiFn,
  log?: (line: string) => void,
): Promise<pulumi.automation.Stack> {
  const tools = toolchain();
  const url = resolveBackend(backend);
  if (url.startsWith("file://")) {
    for (const path of repairBlobAttributes(url.slice("file://".length))) log?.(`state: removed ${path}, an attributes file a killed run left unfinished`);
  }
  const args = { stackName, projectName: PROJECT, program };
  const opts = {
    pulumiCommand: await pulumiCommand(tools),
    envVars: {
      ...engineEnv(tools),
      PULUMI_CONFIG_PASSPHRASE: stackPassphrase(hpxHome()),
      // One checkpoint at the end instead of one per step: the per-step writes grow with
      // N squared (4/5 of an up at 200 processes, docs/performance.md). A run killed
      // before its end leaves the previous checkpoint, and the next run finds what the
      // killed one applied by the objects' digests (drift.ts) and applies it again.
      // PULUMI_SKIP_CHECKPOINTS=false in the environment brings the per-step writes back.
      PULUMI_SKIP_CHECKPOINTS: process.env.PULUMI_SKIP_CHECKPOINTS ?? "true",
    },
    projectSettings: { name: PROJECT, runtime: "nodejs" as const, backend: { url } },
  };
  try {
    return await pulumi.automation.LocalWorkspace.selectStack(args, opts);
  } catch (err) {
    if (!(err instanceof pulumi.automation.StackNotFoundError)) throw new StackError(`cannot open stack ${stackName} at ${url}: ${firstLine(err)}`);
  }
  try {
    const stack = await pulumi.automation.LocalWorkspace.createStack(args, opts);
    // Each run has a temporary workspace, and a new stack's secrets salt lives only there
    // until an update records it in the backend. Record it now with an update of an empty
    // program (the stack has no resources yet), so that every later run, on any machine,
    // encrypts and decrypts with the same key (a plan saved here applies elsewhere).
    await stack.up({ program: async () => ({}) });
    return stack;
  } catch (err) {
    throw new StackError(`cannot create stack ${stackName} at ${url}: ${firstLine(err)}`);
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const stderr = /stderr: ([^\n]+)/.exec(text)?.[1];
  return (stderr ?? text.split("\n")[0] ?? "").trim();
}

import { spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../../src/toolchain.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/hpx as a user would, with the harness's environment. */
export function hpx(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliResult> {
  return runBinary(join(repoRoot, "bin", "hpx"), args, env, cwd);
}

/** Runs a command (another hpx build, say) the same way. */
export function runBinary(bin: string, args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

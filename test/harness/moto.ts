import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { requireTool, toolchain } from "../../src/toolchain.ts";
import { freePort, waitFor } from "./ports.ts";

export interface MotoServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts moto in server mode on a free loopback port; AWS for every test of the run. */
export async function startMoto(): Promise<MotoServer> {
  const python = requireTool(toolchain().motoPython, "moto");
  const port = await freePort();
  const child: ChildProcess = spawn(python, [join(import.meta.dirname, "moto_eks_mapped.py"), "-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: false,
  });
  let stderr = "";
  const spawnFailed = new Promise<never>((_, reject) => child.once("error", reject));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([spawnFailed, waitFor("moto_server", async () => (await fetch(`${url}/moto-api/`)).ok, 30_000)]);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  return {
    url,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

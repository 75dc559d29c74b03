import type { TestContext } from "node:test";
import { ensureKubernetesPlugin } from "../../src/automation/engine.ts";
import { ToolchainError } from "../../src/errors.ts";

/**
 * For tests that need the engine to create Kubernetes objects. Skips only when the
 * registry itself refused the plugin (the toolchain left a `.unavailable` note with
 * the proxy's answer, shown as the skip reason); a plugin merely not built fails.
 */
export async function pluginOrSkip(t: TestContext): Promise<boolean> {
  try {
    await ensureKubernetesPlugin();
    return true;
  } catch (err) {
    const refused = err instanceof ToolchainError && err.hints.some((h) => h.startsWith("the toolchain could not get it"));
    if (!refused) throw err;
    t.skip(`BLOCKED: ${err.message}; ${err.hints[0]}`);
    return false;
  }
}

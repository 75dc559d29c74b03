import type { AsyncLocalStorage } from "node:async_hooks";
import type * as pulumi from "@pulumi/pulumi";
import { withoutReadBack } from "./without-read-back.ts";

/** A gRPC client as Pulumi's runtime keeps it: only `close` is used here. */
interface Closable {
  close(): void;
}

/** The part of Pulumi's per-run store (runtime/state.ts, LocalStore.settings) read here. */
interface RunSettings {
  monitor?: Closable;
  engine?: Closable;
}

/**
 * Pulumi's runtime keeps each inline program run's store (LocalStore) in this global
 * AsyncLocalStorage, shared by every copy of @pulumi/pulumi in the process.
 */
function runStore(): { settings?: RunSettings } | undefined {
  const storage = (globalThis as { asyncLocalStorage?: AsyncLocalStorage<{ settings?: RunSettings }> }).asyncLocalStorage;
  return storage?.getStore();
}

/**
 * An inline program whose run's gRPC clients can be closed once the run is over.
 *
 * Pulumi's runtime (3.270 to 3.276, the newest when this was written) opens an inline
 * program's two clients, to the engine and to the resource monitor, in the run's own store,
 * but its disconnect closes only the process-wide clients a program run by the language
 * host uses. The clients' channels keep timers (idle, backoff, DNS re-resolution), and a
 * timer keeps the async context it was made in: the run's store, with its Stack resource
 * and every resource and Output the run registered. A heap snapshot of hpx's process
 * during a cold up of 2,000 processes held all 32,893 Outputs of the shard runs before it
 * (docs/performance.md, "Memory"); `hpx serve` kept every request's too.
 * `close` is safe to call more than once, and before or without a run.
 */
export function closableProgram(program: pulumi.automation.PulumiFn): { program: pulumi.automation.PulumiFn; close: () => void } {
  let settings: RunSettings | undefined;
  return {
    program: () => {
      settings = runStore()?.settings;
      return program();
    },
    close: () => {
      for (const client of [settings?.monitor, settings?.engine]) {
        try {
          client?.close();
        } catch {
          // Already closed: nothing is held.
        }
      }
      settings = undefined;
    },
  };
}

/**
 * An update of a small inline program (a stack's identity, a new stack's secrets salt), its
 * clients closed afterwards as {@link closableProgram} says: `hpx serve` makes these for
 * every new stack and shard, and would otherwise keep each one's run.
 */
export async function upClosing(stack: pulumi.automation.Stack, program: pulumi.automation.PulumiFn): Promise<void> {
  const run = closableProgram(program);
  try {
    await withoutReadBack(stack).up({ program: run.program });
  } finally {
    run.close();
  }
}

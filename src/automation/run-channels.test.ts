import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { afterEach, test } from "vitest";
import type * as pulumi from "@pulumi/pulumi";
import { closableProgram, upClosing } from "./run-channels.ts";

// Pulumi's runtime keeps a run's store in globalThis.asyncLocalStorage (runtime/state.ts);
// these tests stand in for it with a store holding two clients that count their closes.
type Store = { settings: { monitor?: { close(): void }; engine?: { close(): void } } };
const global = globalThis as { asyncLocalStorage?: AsyncLocalStorage<Store> };
const saved = global.asyncLocalStorage;
afterEach(() => {
  global.asyncLocalStorage = saved;
});

function client(closed: string[], name: string, fails = false) {
  return {
    close: () => {
      closed.push(name);
      if (fails) throw new Error(`${name} already closed`);
    },
  };
}

test("the run's monitor and engine clients are closed once the run is over, not before", async () => {
  global.asyncLocalStorage = new AsyncLocalStorage<Store>();
  const closed: string[] = [];
  const store: Store = { settings: {} };
  const run = closableProgram(async () => {
    // The runtime makes its clients lazily, during the program.
    store.settings.monitor = client(closed, "monitor");
    store.settings.engine = client(closed, "engine");
    return { ok: 1 };
  });
  assert.deepEqual(await global.asyncLocalStorage.run(store, run.program), { ok: 1 });
  assert.deepEqual(closed, []);
  run.close();
  assert.deepEqual(closed, ["monitor", "engine"]);
  run.close();
  assert.deepEqual(closed, ["monitor", "engine"], "a second close closes nothing again");
});

test("a client that throws on close does not keep the other open; no run, or no store, closes nothing", async () => {
  global.asyncLocalStorage = new AsyncLocalStorage<Store>();
  const closed: string[] = [];
  const run = closableProgram(async () => ({}));
  await global.asyncLocalStorage.run({ settings: { monitor: client(closed, "monitor", true), engine: client(closed, "engine") } }, run.program);
  run.close();
  assert.deepEqual(closed, ["monitor", "engine"]);

  const never = closableProgram(async () => ({}));
  never.close();
  global.asyncLocalStorage = undefined;
  const outside = closableProgram(async () => ({ outside: true }));
  assert.deepEqual(await outside.program(), { outside: true });
  outside.close();
  assert.deepEqual(closed, ["monitor", "engine"]);
});

test("a small update's clients are closed after it, also when it fails", async () => {
  const storage = (global.asyncLocalStorage = new AsyncLocalStorage<Store>());
  const closed: string[] = [];
  // A stand-in stack whose update runs the program in a run's store, as the Automation API does.
  const stack = (fails: boolean) =>
    ({
      up: async ({ program }: { program: () => Promise<unknown> }) => {
        await storage.run({ settings: { monitor: client(closed, "monitor"), engine: client(closed, "engine") } }, program);
        if (fails) throw new Error("the update failed");
        return {};
      },
    }) as unknown as pulumi.automation.Stack;
  await upClosing(stack(false), async () => ({ stackId: "s" }));
  assert.deepEqual(closed, ["monitor", "engine"]);
  await assert.rejects(upClosing(stack(true), async () => ({})), /^Error: the update failed$/);
  assert.deepEqual(closed, ["monitor", "engine", "monitor", "engine"]);
});

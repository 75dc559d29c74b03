import { defineConfig } from "vitest/config";

/**
 * Files that change what every other file sees: they run alone, after the rest.
 * api-server-restart stops the API server for seconds; no-external-ip adds a node that
 * other files' processes could be scheduled on.
 */
const alone = ["test/api-server-restart.test.ts", "test/no-external-ip.test.ts"];

/**
 * Integration files at once (HPX_TEST_WORKERS overrides it). Each has its own namespace,
 * stack and directory. One at a time, the 2 CPUs were 68 % busy (the engine's start,
 * rollouts, timers); two at a time the suite took 1,005 s instead of 1,957 s. Three were
 * no faster here: each file took 1.5 times as long.
 */
const workers = Number(process.env.HPX_TEST_WORKERS ?? 2);

// One run for the whole suite: unit tests beside the code, integration tests under
// test/, one local cluster and moto for all of them (global setup). Engine tests take
// minutes, not 5 s.
export default defineConfig({
  test: {
    globalSetup: ["test/harness/global-setup.ts"],
    pool: "forks",
    testTimeout: 15 * 60_000,
    hookTimeout: 10 * 60_000,
    teardownTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: "shared", include: ["src/**/*.test.ts", "bench/**/*.test.ts", "test/**/*.test.ts"], exclude: alone, maxWorkers: workers, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: "alone", include: alone, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});

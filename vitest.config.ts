import { defineConfig } from "vitest/config";

// One run for the whole suite: unit tests beside the code, integration tests under
// test/, one local cluster and moto for all of them (global setup). Integration tests
// share that cluster, so files run one at a time; engine tests take minutes, not 5 s.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/harness/global-setup.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 10 * 60_000,
    teardownTimeout: 120_000,
  },
});

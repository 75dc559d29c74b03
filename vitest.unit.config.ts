import { defineConfig } from "vitest/config";

// Unit tests only (beside the code), without the local cluster: `npm run test:unit`, seconds.
export default defineConfig({ test: { include: ["src/**/*.test.ts", "bench/**/*.test.ts"], pool: "forks" } });

import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The integration files that take longest, longest first (seconds in a fresh clone's CI
 * run on 2026-12-02, two files at a time: shards 198, stop-signals 146, ci-pipeline 119,
 * scaling 95, crash-recovery 88, npm-package 83, stack-identity 83, eks-runtime 72,
 * engine-behaviours 63, serve 60; the others 50 or less).
 */
const SLOW = [
  "test/shards.test.ts",
  "test/stop-signals.test.ts",
  "test/ci-pipeline.test.ts",
  "test/scaling.test.ts",
  "test/crash-recovery.test.ts",
  "test/npm-package.test.ts",
  "test/stack-identity.test.ts",
  "test/eks-runtime.test.ts",
  "test/engine-behaviours.test.ts",
  "test/serve.test.ts",
];

/**
 * Vitest's order, with the slowest files first. Without the durations of an earlier run
 * (a fresh clone, as in CI) vitest starts the largest files first, and the 95 s scaling
 * test, a short file, started 23rd: the run ended with one worker on it and the other idle.
 * Files of other projects keep vitest's order (the `alone` project still runs last).
 */
export class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const project = new Map<string, number>();
    for (const f of sorted) if (!project.has(f.project.name)) project.set(f.project.name, project.size);
    const rank = (f: TestSpecification) => {
      const i = SLOW.indexOf(relative(f.project.config.root, f.moduleId));
      return i < 0 ? SLOW.length : i;
    };
    // Array sort is stable: files of one rank keep vitest's order.
    return sorted.sort((a, b) => project.get(a.project.name)! - project.get(b.project.name)! || rank(a) - rank(b));
  }
}

import { describe, expect, it } from "vitest";
import { withoutStackTraces } from "./without-stack-traces.ts";

describe("withoutStackTraces", () => {
  it("records no stack frames during a run and restores the limit after it", async () => {
    const before = Error.stackTraceLimit;
    const inside = await withoutStackTraces(async () => new Error("x").stack, {});
    expect(inside).toBe("Error: x");
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error("y").stack).toContain("\n    at ");
  });

  it("restores the limit only when the last of overlapping runs ends, and after a failure", async () => {
    const before = Error.stackTraceLimit;
    let releaseFirst!: () => void;
    const first = withoutStackTraces(() => new Promise<void>((resolve) => (releaseFirst = resolve)), {});
    await expect(withoutStackTraces(async () => Promise.reject(new Error("failed")), {})).rejects.toThrow("failed");
    expect(Error.stackTraceLimit).toBe(0);
    releaseFirst();
    await first;
    expect(Error.stackTraceLimit).toBe(before);
  });

  it("keeps stack traces with HPX_DEBUG", async () => {
    const inside = await withoutStackTraces(async () => new Error("x").stack, { HPX_DEBUG: "1" });
    expect(inside).toContain("\n    at ");
  });
});

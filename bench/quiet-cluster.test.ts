import { spawnSync } from "node:child_process";
import { expect, test } from "vitest";
import { cpuSeconds, describeQuietWait, isQuiet, waitUntilQuiet, type QuietIo, type QuietRule } from "./quiet-cluster.ts";

const rule: QuietRule = { cores: 0.25, seconds: 3, maxSeconds: 10 };

test("quiet takes that many quiet seconds in a row, the latest ones", () => {
  expect(isQuiet([0.1, 0.1], rule)).toBe(false);
  expect(isQuiet([1.9, 0.1, 0.2, 0.24], rule)).toBe(true);
  expect(isQuiet([0.1, 0.1, 0.1, 0.3], rule)).toBe(false);
  expect(isQuiet([0.1, 0.25, 0.1, 0.1], rule)).toBe(false);
});

/** A clock that one sleep moves by its milliseconds, and processes whose CPU follows a script per second. */
function scripted(perSecondByPid: Record<number, number[]>): QuietIo & { slept: number } {
  let ms = 0;
  const io = {
    slept: 0,
    now: () => ms,
    sleep: async (d: number) => {
      ms += d;
      io.slept++;
    },
    read: (pid: number) => {
      const script = perSecondByPid[pid];
      if (!script) return undefined;
      const s = Math.floor(ms / 1000);
      return script.slice(0, s).reduce((a, c) => a + c, 0);
    },
  };
  return io;
}

test("waits through the busy seconds, summing every process, until three quiet ones", async () => {
  // Each alone is under 0.25 in seconds 3-4, together they are not; from second 5 both are quiet.
  const io = scripted({ 10: [1, 1, 0.2, 0.2, 0.05, 0.05, 0.05, 0.05], 11: [0.9, 0.5, 0.1, 0.1, 0, 0, 0, 0] });
  expect(await waitUntilQuiet([10, 11], rule, io)).toEqual({ seconds: 7, quiet: true });
  expect(io.slept).toBe(7);
});

test("the log says how long the wait took and whether the cluster went quiet", () => {
  expect(describeQuietWait({ seconds: 3.04, quiet: true })).toBe("the cluster quiet after 3 s");
  expect(describeQuietWait({ seconds: 900.2, quiet: false })).toBe("the cluster still busy after 900 s");
});

test("a process that ended counts as idle", async () => {
  expect(await waitUntilQuiet([10, 99], rule, scripted({ 10: [0, 0, 0] }))).toEqual({ seconds: 3, quiet: true });
});

test("a process that ends while another is busy does not hide the other's CPU", async () => {
  // 12 had used 5 s of CPU and ends in second 3, the one second in which 11 is busy.
  const io = scripted({ 11: [0, 0, 0.5, 0, 0, 0, 0] });
  const read = io.read;
  io.read = (pid) => (pid === 12 ? (io.now() < 3000 ? 5 : undefined) : read(pid));
  expect(await waitUntilQuiet([11, 12], rule, io)).toEqual({ seconds: 6, quiet: true });
});

test("gives up after the longest wait and says the cluster was not quiet", async () => {
  expect(await waitUntilQuiet([10], rule, scripted({ 10: Array(20).fill(0.5) }))).toEqual({ seconds: 10, quiet: false });
});

test("reads a real process's CPU from /proc, and nothing for one that has ended", () => {
  const self = cpuSeconds(process.pid);
  expect(self).toBeGreaterThan(0);
  const ended = spawnSync("true").pid!;
  expect(cpuSeconds(ended)).toBeUndefined();
});

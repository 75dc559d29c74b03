import { expect, test } from "vitest";
import { medianOf, medianRun, type Measured } from "./measure.ts";

const run = (seconds: number, requests: number, peakRssMb: number): Measured => ({ seconds, requests, peakRssMb, peakOwnRssMb: peakRssMb / 2 });

test("the median run of an odd count is the middle one by time, with its own requests and memory", () => {
  expect(medianRun([run(0.35, 3, 150), run(0.28, 4, 140), run(0.31, 3, 160), run(0.9, 5, 145), run(0.3, 3, 155)])).toEqual(run(0.31, 3, 160));
});

test("the median run of an even count is the lower of the two middle ones", () => {
  expect(medianRun([run(0.4, 3, 1), run(0.2, 3, 2), run(0.5, 3, 3), run(0.3, 3, 4)])).toEqual(run(0.3, 3, 4));
});

test("the median of no runs is an error, not a row of zeros", () => {
  expect(() => medianRun([])).toThrow("medianRun: no runs to take the median of");
});

test("medianOf runs the measurement one after the other, as many times as asked, and keeps every run's seconds in order", async () => {
  const times = [0.33, 0.29, 0.41];
  let inFlight = 0;
  let calls = 0;
  const once = async () => {
    inFlight++;
    expect(inFlight).toBe(1);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return run(times[calls++]!, 3, 100);
  };
  expect(await medianOf(3, once)).toEqual({ ...run(0.33, 3, 100), samples: [0.33, 0.29, 0.41] });
  expect(calls).toBe(3);
});

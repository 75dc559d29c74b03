import { expect, test } from "vitest";
import { InterruptedError, StackError, StackLockedError, ToolchainError } from "../errors.ts";
import { shardFailure, type ShardResults, type ShardRun } from "./shard-runs.ts";

const run = (k: number, processes: string[]): ShardRun => ({ k, name: `s.hpx-shard-${k}`, open: async () => ({}) as never, program: async () => ({}), target: undefined, processes });
const results = (failed: ShardResults["failed"], ran: number): ShardResults => ({ plans: [], enginePlans: {}, failed, ran });

test("a shard's failure names the shard, its Pulumi stack and its processes; the others are counted as finished", () => {
  const names = ["a", "b", "c", "d", "e", "f", "g"];
  const err = shardFailure("s", "update", results([{ run: run(2, names), error: new StackError("update of stack s.hpx-shard-2 failed: boom") }], 4), 4);
  expect(err).toBeInstanceOf(StackError);
  expect(err.message).toBe("update of stack s failed in 1 of the 4 shard(s) it ran; the other 3 finished (the stack has 4)");
  expect((err as StackError).hints).toEqual(["shard 2 (Pulumi stack s.hpx-shard-2; processes a, b, c, d, e and 2 more): boom"]);
});

test("the provider's list of errors becomes one line per shard", () => {
  const error = new StackError('update of stack s.hpx-shard-1 failed: 2 errors occurred:\n\t* "ns/a" is forbidden: denied\n\t* "ns/b" is forbidden: denied\n\n');
  const err = shardFailure("s", "update", results([{ run: run(1, ["a", "b"]), error }], 2), 8);
  expect(err.message).toBe("update of stack s failed in 1 of the 2 shard(s) it ran; the other 1 finished (the stack has 8)");
  expect((err as StackError).hints).toEqual(['shard 1 (Pulumi stack s.hpx-shard-1; processes a, b): "ns/a" is forbidden: denied; "ns/b" is forbidden: denied']);
});

test("what every shard needs (a Pulumi CLI) is passed on as it is, with its advice", () => {
  const missing = new ToolchainError("no Pulumi CLI hpx can run", undefined, ["install one"]);
  expect(shardFailure("s", "preview", results([{ run: run(0, ["web"]), error: missing }], 1), 1)).toBe(missing);
});

test("a stop is reported as the stop, and a shard's lock as the hpx stack's", () => {
  const stop = new InterruptedError("stopped", "SIGTERM");
  expect(shardFailure("s", "update", results([{ run: run(0, []), error: new Error("x") }, { run: run(1, []), error: stop }], 2), 2)).toBe(stop);
  const locked = shardFailure("s", "update", results([{ run: run(1, []), error: new StackLockedError("s.hpx-shard-1", [], "held by me") }], 2), 2);
  expect(locked).toBeInstanceOf(StackLockedError);
  expect((locked as StackLockedError).stackName).toBe("s");
  expect((locked as StackLockedError).detail).toBe("held by me");
});

import type { RecordedOutputs } from "../automation/stack-state.ts";
import { UsageError } from "../errors.ts";
import type { DesiredState } from "../spec/desired-state.ts";
import type { Engine } from "./ports.ts";

export type { RecordedOutputs };

/** Everything the stack's last update recorded (desired state, cluster, creation times); reading it runs no program and needs no cluster. */
export async function storedOutputs(engine: Engine, stack: string, backend: string): Promise<RecordedOutputs> {
  return (await (await engine.open(stack, backend)).readState()).outputs;
}

/** The stack's stored desired state, for `up` and `preview` without a FILE; none yet is a usage error. */
export async function storedDesired(engine: Engine, stack: string, backend: string): Promise<DesiredState> {
  const desired = (await storedOutputs(engine, stack, backend)).desired;
  if (!desired) throw new UsageError(`stack ${stack} has no desired state yet: give a processes file, e.g. hpx up processes.yml`);
  return desired;
}

import { endProcessesAndWait, ownEngineProcesses } from "../automation/engine-processes.ts";
import { STOP_SIGNALS, StopRequest, type StopSignal } from "../errors.ts";

/** A run's cancellation: the signal it hands to the operations, and the end of the handlers. */
export interface StopHandle {
  signal: AbortSignal;
  /** Removes the handlers and ends any engine process of this run still alive, waiting until it is gone. */
  done: (log?: (line: string) => void) => Promise<void>;
}

/** What a front door says and does on a stop signal. */
export interface StopWords {
  /** The line for the first signal. */
  first: (name: StopSignal) => string;
  /** The line for the second, once the engine's processes (`killed` of them) are gone. */
  again: (name: StopSignal, killed: number) => string;
  /** Also done on the first signal (serve stops taking requests). */
  onFirst?: (name: StopSignal) => void;
}

/** `hpx up`, `preview`, `destroy`…: a person or a CI job stopping one command. */
export const commandWords = (stack: string): StopWords => ({
  first: (name) => `\nhpx: ${name} received: stopping after the steps under way; the state will be written and the lock released (${name} again to stop at once)`,
  again: (name, killed) =>
    `hpx: ${name} again: stopped at once${killed > 0 ? `, the engine killed mid-run (${killed} process(es))` : ""}; ` +
    `if the next run finds the stack locked, clear it with hpx cancel -s ${stack}, then run the command again`,
});

/**
 * SIGINT (Ctrl-C), SIGTERM (a cancelled CI job, Kubernetes) and SIGHUP (a closed
 * terminal) all stop a run the same way: the AbortSignal the operations were given is
 * aborted, the engine finishes the steps under way, writes the state and releases the
 * lock, and hpx exits with 128 + the signal's number. A second signal stops at once: this
 * process's engine processes are killed, and the lock may stay.
 */
export function stopOnSignals(words: StopWords, write: (text: string) => void = (t) => process.stderr.write(t)): StopHandle {
  const controller = new AbortController();
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((name) => {
    const handler = () => {
      if (controller.signal.aborted) {
        void endProcessesAndWait(ownEngineProcesses()).then((killed) => {
          write(`${words.again(name, killed.length)}\n`);
          process.exit(STOP_SIGNALS[name]);
        });
        return;
      }
      write(`${words.first(name)}\n`);
      controller.abort(new StopRequest(name));
      words.onFirst?.(name);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    done: async (log) => {
      // The engine ends its plugins when it exits; whatever outlived it is this run's and is ended.
      for (const p of await endProcessesAndWait(ownEngineProcesses())) log?.(`engine: ended pid ${p.pid} (${p.command}), still running after the engine exited`);
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}

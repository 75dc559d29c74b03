/**
 * Runs tasks one at a time, in the order they were queued: the server's changes to a
 * stack never interleave (each reads the desired state the previous one wrote).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // The next task waits for this one whether it succeeded or failed.
    this.tail = result.catch(() => undefined);
    return result;
  }
}

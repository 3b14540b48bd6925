/**
 * Runs tasks with the same key one after another, tasks with different keys side by side. Commands
 * on one signal queue up in this process instead of racing each other to the store; races with
 * other processes are still settled by the store's revision check.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    try {
      await previous;
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a task running or waiting; for tests and health. */
  get size(): number {
    return this.tails.size;
  }
}

// A fixed set of resources (context sequences) handed out first come, first served. A waiter whose
// signal aborts leaves the queue at once, without taking a resource.

export class AbortedWhileQueued extends Error {
  override readonly name = "AbortedWhileQueued";
}

interface Waiter<T> {
  resolve: (item: T) => void;
  reject: (err: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class Pool<T> {
  private readonly free: T[];
  private readonly waiters: Waiter<T>[] = [];

  constructor(items: readonly T[]) {
    this.free = [...items];
  }

  get available(): number {
    return this.free.length;
  }

  get queued(): number {
    return this.waiters.length;
  }

  acquire(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(new AbortedWhileQueued("aborted before a sequence was free"));
    const item = this.free.pop();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(new AbortedWhileQueued("aborted while waiting for a free sequence"));
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter === undefined) {
      this.free.push(item);
      return;
    }
    waiter.signal?.removeEventListener("abort", waiter.onAbort);
    waiter.resolve(item);
  }
}

import { Worker } from 'node:worker_threads';
import type { WorkerScript } from './worker-script.js';

/**
 * A worker thread started when first needed, and again after one ends; none once closed. Work
 * given to it fails when its thread ends first. An idle thread does not keep the process alive.
 */
export class OnDemandWorker {
  private worker: Worker | undefined;
  private closed = false;
  /** The rejections of the work in progress: a thread that ends fails it all. */
  private readonly waiting = new Set<(error: Error) => void>();

  constructor(
    /** What the thread is called in errors ("the JSON worker"). */
    private readonly name: string,
    private readonly script: WorkerScript,
    private readonly options: Omit<ConstructorParameters<typeof Worker>[1] & object, 'eval'> = {},
    /** The error work in progress fails with, from why its thread ended. */
    private readonly failure: (error: Error) => Error = (error) => error,
  ) {}

  /** `work` on the thread (started if none runs); fails when the thread ends first, or once closed. */
  async run<T>(work: (thread: Worker) => Promise<T>): Promise<T> {
    const thread = this.thread();
    let reject: (error: Error) => void = () => {};
    const ended = new Promise<never>((_, r) => {
      reject = r;
    });
    this.waiting.add(reject);
    thread.ref(); // a process awaiting the work lives until it is done
    try {
      return await Promise.race([work(thread), ended]);
    } finally {
      this.waiting.delete(reject);
      if (this.waiting.size === 0) thread.unref();
    }
  }

  /** Ends the thread, if one runs; no other starts afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker !== undefined) return this.worker;
    if (this.closed) throw new Error(`${this.name} is closed: the service is closing`);
    const worker = new Worker(this.script.script, { ...this.options, eval: this.script.eval });
    worker.unref();
    const end = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const reject of this.waiting) reject(this.failure(error));
    };
    worker.on('error', end);
    worker.on('exit', (code) => end(new Error(`${this.name} exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

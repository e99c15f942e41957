import { Worker } from 'node:worker_threads';

/**
 * Copies the WAL into the SQLite file from a worker thread, so the request thread never does.
 *
 * In WAL mode a commit that takes the WAL past `wal_autocheckpoint` pages also checkpoints: it
 * copies every page of the WAL into the database file and syncs it, inside that request. perf of
 * link creation put that at 6-12% of the use case, in stalls of tens of milliseconds (the tail of
 * the latency). This worker opens its own connection and runs a PASSIVE checkpoint every
 * `intervalMs`: PASSIVE never waits for and never blocks readers or writers, it copies what no
 * reader still needs. The connections' own `wal_autocheckpoint` stays as a backstop (see
 * `sqlite-connection.ts`). Durability is unchanged: a commit is durable once in the WAL.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopping = false;

  constructor(file: string, options: { readonly intervalMs?: number | undefined } = {}) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        // Resolved here: an eval'd worker would resolve from the working directory.
        sqlite: require.resolve('better-sqlite3'),
        file,
        intervalMs: options.intervalMs ?? 250,
      },
      // A tiny heap: it only holds one connection.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    // It never keeps the process alive, and a failure costs only the checkpoints (the backstop).
    this.worker.unref();
    this.worker.on('error', () => undefined);
    this.exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** Stops the worker (after a last checkpoint) and waits for it to exit. */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      // Referenced again while it stops: an unreferenced worker's exit does not keep the process
      // alive, so where nothing else does (a script that closes the app) this wait never ended and
      // the process left with code 0 in the middle of close().
      this.worker.ref();
      this.worker.postMessage('stop');
    }
    return this.exited;
  }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (another checkpointer) or closed: the next tick tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

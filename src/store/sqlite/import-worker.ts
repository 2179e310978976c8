/**
 * The thread that writes large pod imports (see ImportWriter) and checkpoints the write-ahead log
 * (see WalCheckpoints), on a connection of its own to the store's database file: SQLite writes
 * here while the service's event loop goes on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  type CheckpointMessage,
  type ImportAnswer,
  type ImportJobMessage,
  ImportWrites,
} from './import-write.js';
import { openSqliteConnection } from './sqlite-connection.js';

const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };
const writes = new ImportWrites(openSqliteConnection(path, busyTimeoutMs));

parentPort?.on('message', (message: ImportJobMessage | CheckpointMessage) => {
  if ('checkpoint' in message) {
    message.checkpoint.postMessage(answer(() => writes.checkpoint()));
    message.checkpoint.close();
    return;
  }
  const { job, port } = message;
  const rows: (readonly unknown[])[] = [];
  port.on('message', (part: readonly (readonly unknown[])[] | 'end') => {
    if (part !== 'end') {
      for (const row of part) rows.push(row);
      return;
    }
    port.postMessage(answer(() => writes.write(job, rows)));
    port.close();
  });
});

function answer(write: () => ReturnType<ImportWrites['write']> | true): ImportAnswer {
  try {
    return { kind: 'written', result: write() };
  } catch (error) {
    const { message, code } = error as { message: string; code?: unknown };
    return { kind: 'failed', message, ...(typeof code === 'string' ? { code } : {}) };
  }
}

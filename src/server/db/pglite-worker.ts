import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ROOT } from '../paths.ts';
import type { Bundles } from './pglite-host.js';

/** What Brújula uses of a PGlite session: the dialect's queries, migration scripts and closing. */
export interface PGliteSession {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

type Reply = { id: number; result?: unknown; error?: { message: string } & Record<string, unknown> };

/**
 * PGlite in a worker thread (see pglite-host.js). Requests are answered in order; `ready` settles
 * when the database has opened. Errors keep PostgreSQL's fields (code, detail, constraint…).
 */
export class PGliteWorker implements PGliteSession {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; stack?: string }>();
  private next = 1;
  private failure: Error | null = null;

  constructor(dataDir: string, bundles: Bundles) {
    this.worker = new Worker(path.join(ROOT, 'src/server/db/pglite-host.js'), { workerData: { brujulaPGlite: { dataDir, bundles } } });
    this.ready = new Promise((resolve, reject) => this.pending.set(0, { resolve: () => resolve(), reject }));
    this.ready.catch(() => {}); // reported to whoever awaits it
    this.worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error)
        p.reject(Object.assign(new Error(m.error.message), m.error, p.stack ? { stack: `Error: ${m.error.message}\n${p.stack}` } : {}));
      else p.resolve(m.result);
    });
    const fail = (e: Error) => {
      this.failure = new Error(`La base de datos embebida se detuvo: ${e.message}`);
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`código ${code}`)));
  }

  private call<T>(op: 'query' | 'exec' | 'close', sql?: string, params?: unknown[]): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    // Where the caller asked, so a failed query's stack points at the application, not the thread.
    const stack = new Error().stack?.split('\n').slice(3).join('\n');
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, stack });
      this.worker.postMessage({ id, op, sql, params });
    });
  }

  query<R>(sql: string, params?: unknown[]) {
    return this.call<{ rows: R[]; affectedRows?: number }>('query', sql, params);
  }
  exec(sql: string) {
    return this.call<void>('exec', sql);
  }
  async close() {
    if (!this.failure) await this.call('close').catch(() => {});
    await this.worker.terminate();
  }
}

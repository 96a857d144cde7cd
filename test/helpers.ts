import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase, type Database } from '../src/server/db/connection.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { build } from '../src/server/app.ts';
import { loadDemo } from '../demo/load.ts';

export const SHARED_DATA = path.resolve(import.meta.dirname, '../../shared/data');
export const hasSharedData = fs.existsSync(path.join(SHARED_DATA, 'inegi-32'));
export const inegi = (f: string) => path.join(SHARED_DATA, 'inegi-32', f);

/** The databases every suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const TARGETS: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh, migrated, empty database of the given kind (a new PGlite folder or a new PostgreSQL database). */
export async function freshDatabase(kind: 'pglite' | 'postgres'): Promise<Database & { url: string | null; dataDir: string }> {
  if (kind === 'pglite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brj-test-'));
    fs.rmSync(dataDir, { recursive: true });
    const database = await openDatabase({ databaseUrl: null, dataDir });
    await migrate(database);
    const close = database.close;
    return Object.assign(database, {
      url: null,
      dataDir,
      close: async () => {
        await close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    });
  }
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  const name = `brj_test_${crypto.randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  await migrate(database);
  const close = database.close;
  return Object.assign(database, {
    url: url.toString(),
    dataDir: '',
    close: async () => {
      await close();
      const a = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await a.connect();
      // pg's pool.end() resolves before its sockets have closed; terminating them mid-close makes the
      // client emit an error with no listener left. Wait (up to 5 s) for them to go before forcing.
      for (let i = 0; i < 100; i++) {
        const r = await a.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (r.rows[0].n === 0) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  });
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/** The real app on a fresh database with the demo data loaded (users for every role). */
export async function testApp(kind: 'pglite' | 'postgres', opts: { demo?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const database = await freshDatabase(kind);
  if (opts.demo !== false) await loadDemo(database.db);
  // Event-loop shedding is tested on its own (test/overload.test.ts): elsewhere a slow CI machine
  // would turn it into random 503s.
  const config = loadConfig({
    BRUJULA_DATA_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    BRUJULA_LOGIN_RATE_LIMIT: '1000',
    BRUJULA_BASEMAP_AUTO: 'false',
    BRUJULA_MAX_EVENT_LOOP_DELAY_MS: '0',
    ...opts.env,
  });
  const app = await build({ config, database, logger: false });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** A TCP port free right now on 127.0.0.1, for a server whose BRUJULA_PUBLIC_URL must name it beforehand. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net
      .createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
  });
}

/** A browser-like client for app.inject: keeps cookies and sends the CSRF header. */
export class Client {
  cookies = new Map<string, string>();
  csrf: string | null = null;
  constructor(private readonly app: FastifyInstance) {}

  async request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    opts: { csrf?: boolean; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && opts.csrf !== false) {
      if (!this.csrf) await this.fetchCsrf();
      headers['x-csrf-token'] = this.csrf!;
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const res = await this.app.inject({ method, url, headers, ...(body !== undefined && { payload: body as object }) });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number }[]) {
      if (c.value === '' || c.maxAge === 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  async fetchCsrf() {
    const res = await this.request('GET', '/api/v1/auth/csrf');
    this.csrf = res.json().token;
  }
  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown, opts?: { csrf?: boolean }) => this.request('POST', url, body ?? {}, opts);
  patch = (url: string, body?: unknown) => this.request('PATCH', url, body ?? {});
  delete = (url: string) => this.request('DELETE', url);

  async login(email: string, password = 'Brujula-Demo-2026') {
    const res = await this.post('/api/v1/auth/login', { email, password });
    if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
    return this;
  }
}

/** Creates a verified user with the given grants directly in the database; returns its id. */
export async function createUser(
  database: Database,
  email: string,
  grants: [string | null, 'admin' | 'planner' | 'council' | 'citizen'][],
  password = 'Brujula-Demo-2026',
) {
  const { hashPassword } = await import('../src/server/modules/accounts/service.ts');
  const { withActor } = await import('../src/server/db/connection.ts');
  const passwordHash = await hashPassword(password);
  return withActor(database.db, { userId: null, via: 'test' }, async (trx) => {
    const u = await trx
      .insertInto('users')
      .values({ email, name: email, password_hash: passwordHash, email_verified_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [m, role] of grants) await trx.insertInto('role_grants').values({ user_id: u.id, municipality_id: m, role }).execute();
    return u.id;
  });
}

export async function countRows(database: Database, ...tables: string[]) {
  const { sql } = await import('kysely');
  const out: Record<string, number> = {};
  for (const t of tables)
    out[t] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(database.db)).rows[0].n;
  return out;
}

/** A multipart/form-data body with one file and optional text fields, for app.inject. */
export function multipart(file: { name: string; bytes: Buffer | string; type?: string }, fields: Record<string, string> = {}) {
  const boundary = `----brj${crypto.randomBytes(8).toString('hex')}`;
  const head = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  const payload = Buffer.concat([
    Buffer.from(
      `${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    Buffer.isBuffer(file.bytes) ? file.bytes : Buffer.from(file.bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

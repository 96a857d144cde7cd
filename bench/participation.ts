/**
 * Participatory budget voting burst (issue 6), on PostgreSQL: 200 verified residents, each with a
 * real session and CSRF token, keep submitting (and changing) their knapsack ballot through
 * `PUT /budgets/:id/ballots/:territoryId` for BENCH_SECONDS. Reported: ballots/s sustained and the
 * route's p50/p99. Reference in the same run: the same writes as bare SQL over a pool of the same
 * size (voter row + ballot upsert in one transaction), from 200 concurrent loops; and the cheapest
 * authenticated route (`GET /auth/me`, one session query) under the same 200 clients, which is the
 * ceiling of HTTP + session handling with the load generator in the same process on this machine.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/connection.ts';
import { build } from '../src/server/app.ts';
import { hashToken } from '../src/server/plugins/auth.ts';
import { voterKey } from '../src/server/modules/participation/budgets.ts';
import { loadDemo } from '../demo/load.ts';
import { BENCH_ENV, pct } from './stats.ts';

const MID = '32056';
const VOTERS = Number(process.env.BENCH_VOTERS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/** Runs `worker(i)` in VOTERS concurrent loops for SECONDS; returns per-call latencies and failures. */
async function burst(worker: (i: number, n: number) => Promise<boolean>) {
  const ms: number[] = [];
  let failed = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: VOTERS }, async (_, i) => {
      for (let n = 0; performance.now() < end; n++) {
        const t = performance.now();
        const ok = await worker(i, n);
        ms.push(performance.now() - t);
        if (!ok) failed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { ballotsPerSec: Math.round((ms.length - failed) / seconds), requests: ms.length, failed, p50ms: pct(ms, 50), p99ms: pct(ms, 99) };
}

export async function votingBench(database: Database & { url?: string }, log: (m: string) => void) {
  await loadDemo(database.db);
  const proc = await database.db
    .selectFrom('pb_processes')
    .select(['id', 'ballot_salt'])
    .where('municipality_id', '=', MID)
    .where('fase', '=', 'votacion')
    .executeTakeFirstOrThrow();
  const territory = await database.db
    .selectFrom('pb_territories')
    .select(['id', 'monto'])
    .where('process_id', '=', proc.id)
    .where('unit_id', 'is', null)
    .executeTakeFirstOrThrow();
  const projects = await database.db
    .selectFrom('pb_projects')
    .select(['id', 'costo'])
    .where('territory_id', '=', territory.id)
    .where('viable', '=', true)
    .orderBy('id')
    .execute();
  // Ballots that fit the amount: every single project, and pairs that fit.
  const choices: number[][] = projects.map((p) => [p.id]);
  for (const a of projects)
    for (const b of projects) if (a.id < b.id && Number(a.costo) + Number(b.costo) <= Number(territory.monto)) choices.push([a.id, b.id]);

  log(`Votación: ${VOTERS} residentes verificados con sesión…`);
  const tokens: string[] = [];
  const userIds = await database.db.transaction().execute(async (trx) => {
    await sql`select set_config('brujula.restoring', 'on', true)`.execute(trx);
    const users = await trx
      .insertInto('users')
      .values(
        Array.from({ length: VOTERS }, (_, i) => ({
          email: `votante${i}@bench.mx`,
          name: `Votante ${i}`,
          password_hash: 'x',
          email_verified_at: new Date(),
          home_municipality_id: MID,
        })),
      )
      .returning('id')
      .execute();
    await trx
      .insertInto('role_grants')
      .values(users.map((u) => ({ user_id: u.id, municipality_id: MID, role: 'citizen' as const })))
      .execute();
    await trx
      .insertInto('resident_verifications')
      .values(
        users.map((u) => ({
          municipality_id: MID,
          user_id: u.id,
          metodo: 'presencial' as const,
          curp_hash: crypto.randomBytes(16).toString('hex'),
        })),
      )
      .execute();
    for (const u of users) {
      const token = crypto.randomBytes(32).toString('base64url');
      tokens.push(token);
      await trx
        .insertInto('sessions')
        .values({ id: hashToken(token), user_id: u.id, expires_at: new Date(Date.now() + 3600_000) })
        .execute();
    }
    return users.map((u) => u.id);
  });

  const config = loadConfig({ ...BENCH_ENV, BRUJULA_PUBLIC_WRITE_RATE_LIMIT: '10000' });
  const app = await build({ config, database, logger: false });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  // Each voter's cookies and CSRF token, as a browser would hold them.
  const clients = await Promise.all(
    tokens.map(async (token) => {
      const r = await fetch(`${base}/api/v1/auth/csrf`, { headers: { cookie: `brj_sid=${token}` } });
      const csrfCookie = r.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      return { cookie: `brj_sid=${token}; ${csrfCookie}`, csrf: ((await r.json()) as { token: string }).token };
    }),
  );
  const url = `${base}/api/v1/municipalities/${MID}/budgets/${proc.id}/ballots/${territory.id}`;
  const before = (
    await database.db
      .selectFrom('pb_ballots')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('territory_id', '=', territory.id)
      .executeTakeFirstOrThrow()
  ).n;
  log(`Votación: ${VOTERS} votantes × ${SECONDS} s por la API…`);
  const route = await burst(async (i, n) => {
    const r = await fetch(url, {
      method: 'PUT',
      headers: { cookie: clients[i].cookie, 'x-csrf-token': clients[i].csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ proyectos: choices[(i + n) % choices.length] }),
    });
    await r.arrayBuffer();
    return r.status === 200;
  });
  // Second reference: the cheapest authenticated route (session lookup only), same voters, same client.
  const me = await burst(async (i) => {
    const r = await fetch(`${base}/api/v1/auth/me`, { headers: { cookie: clients[i].cookie } });
    await r.arrayBuffer();
    return r.status === 200;
  });
  await app.close();
  // One voter row and one ballot per bench voter, however many times each re-submitted.
  const stored = await sql<{
    n: number;
    v: number;
  }>`select (select count(*)::int from pb_ballots where process_id = ${proc.id} and territory_id = ${territory.id}) - ${before} as n,
                                                            (select count(*)::int from pb_voters where process_id = ${proc.id} and user_id = any(${userIds}::bigint[])) as v`.execute(
    database.db,
  );

  log(`Votación: referencia SQL directa (${config.dbPoolSize} conexiones)…`);
  const pool = new pg.Pool({ connectionString: database.url, max: config.dbPoolSize });
  const raw = await burst(async (i, n) => {
    const c = await pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('brujula.actor_id', $1, true)`, [String(userIds[i])]);
      await c.query(
        'insert into pb_voters (municipality_id, process_id, territory_id, user_id) values ($1, $2, $3, $4) on conflict do nothing',
        [MID, proc.id, territory.id, userIds[i]],
      );
      const p = choices[(i + n) % choices.length];
      await c.query(
        'insert into pb_ballots (voter_key, municipality_id, process_id, territory_id, proyectos) values ($1, $2, $3, $4, $5) on conflict (voter_key) do update set proyectos = excluded.proyectos',
        [voterKey(proc.ballot_salt!, userIds[i], territory.id), MID, proc.id, territory.id, p],
      );
      await c.query('commit');
      return true;
    } catch {
      await c.query('rollback');
      return false;
    } finally {
      c.release();
    }
  });
  await pool.end();
  return {
    description: `${VOTERS} verified residents each re-submitting a knapsack ballot for ${SECONDS} s (PUT /budgets/:id/ballots/:territoryId, session + CSRF), PostgreSQL pool ${config.dbPoolSize}`,
    route: { ...route, ballotsStored: stored.rows[0].n, votersStored: stored.rows[0].v },
    rawSql: raw,
    ratioVsRawSql: Math.round((route.ballotsPerSec / raw.ballotsPerSec) * 100) / 100,
    sessionOnlyRoute: { endpoint: 'GET /api/v1/auth/me', requestsPerSec: me.ballotsPerSec, p50ms: me.p50ms, p99ms: me.p99ms },
    ratioVsSessionOnlyRoute: Math.round((route.ballotsPerSec / me.ballotsPerSec) * 100) / 100,
  };
}

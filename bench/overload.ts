/**
 * Overload: 500 keep-alive connections for 60 s on a mix of public routes against `brujula serve` in
 * its own process (PGlite and PostgreSQL), with load shedding on (the defaults) and, as the
 * reference in the same run, off (BRUJULA_MAX_INFLIGHT=100000, no event-loop check: requests wait
 * in the queue as before). Rounds alternate shed/queue three times; figures are medians of 3.
 * Clients honour Retry-After (wait, then go on), as the web app's API client does.
 * Recorded: answered requests/s, share of 503, p50/p99 of the answered (2xx) requests, errors other
 * than 503, /health p99 sampled every 100 ms on its own connection during the run, and the server's
 * RSS before, after and at its peak.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pct } from './stats.ts';

const ROUTES = [
  '/api/v1/municipalities',
  '/api/v1/municipalities/32056/indicators?limit=20',
  '/api/v1/municipalities/32056/indicators/OT-01',
  '/api/v1/municipalities/32056/plans',
  '/api/v1/municipalities/32056/actions?limit=20',
  '/api/v1/municipalities/32056/proposals?limit=20',
  '/api/v1/municipalities/32056/units?level=ageb&limit=50',
  '/ogc/collections?f=json',
];

type Mode = 'shed' | 'queue';
const MODE_ENV: Record<Mode, Record<string, string>> = {
  // BENCH_OVERLOAD_SHED_ENV (JSON) tries other limits than the defaults.
  shed: JSON.parse(process.env.BENCH_OVERLOAD_SHED_ENV ?? '{}'),
  queue: { BRUJULA_MAX_INFLIGHT: '100000', BRUJULA_MAX_EVENT_LOOP_DELAY_MS: '0' },
};

const rssKb = (pid: number, field: 'VmRSS' | 'VmHWM') => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : null;
};

async function serve(
  env: Record<string, string>,
  log: (m: string) => void,
): Promise<{ child: ChildProcess; base: string; stop: () => Promise<void> }> {
  const port = 5100 + Math.floor(Math.random() * 800);
  const child = spawn(process.execPath, ['bin/brujula.js', 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      BRUJULA_DEMO: 'true',
      BRUJULA_DEMO_BACKGROUND: 'false',
      BRUJULA_BASEMAP_AUTO: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`brujula serve terminó: ${out}`);
    if (Date.now() - t0 > 600_000) throw new Error(`brujula serve no arrancó en 10 min: ${out}`);
    if (out.includes('Brújula lista en')) {
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch {
        /* not yet */
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`    servidor listo (${Date.now() - t0} ms)`);
  return {
    child,
    base,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    },
  };
}

function get(agent: http.Agent, url: string, timeoutMs: number): Promise<{ status: number; retryAfterS: number }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfterS: Number(res.headers['retry-after'] ?? 0) }));
      res.on('error', () => resolve({ status: -1, retryAfterS: 0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: -1, retryAfterS: 0 }));
  });
}

async function load(base: string, connections: number, seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const answered: number[] = [];
  const shed: number[] = [];
  let errors = 0;
  let other = 0;
  const end = Date.now() + seconds * 1000;
  let i = 0;
  const worker = async () => {
    while (Date.now() < end) {
      const url = `${base}${ROUTES[i++ % ROUTES.length]}`;
      const t = performance.now();
      const { status, retryAfterS } = await get(agent, url, 30_000);
      const ms = performance.now() - t;
      if (status >= 200 && status < 300) answered.push(ms);
      else if (status === 503) {
        shed.push(ms);
        // A client that honours Retry-After, as the web app does; one that retried at once would
        // only turn the server's spare CPU into more 503s.
        await new Promise((r) => setTimeout(r, Math.min(retryAfterS, 10) * 1000));
      } else if (status === -1) errors++;
      else other++;
    }
  };
  // The health probe runs in a process of its own: in this one, the load's own event-loop lag would count.
  const probe = new Promise<number[]>((resolve, reject) => {
    const code = `const http = require('node:http'); const agent = new http.Agent({ keepAlive: true, maxSockets: 1 }); const out = [];
      const end = Date.now() + ${seconds * 1000};
      (async () => { while (Date.now() < end) { const t = performance.now();
        const ok = await new Promise((r) => { const q = http.get('${base}/health', { agent, timeout: 10000 }, (res) => { res.resume(); res.on('end', () => r(res.statusCode === 200)); }); q.on('timeout', () => q.destroy()); q.on('error', () => r(false)); });
        out.push(ok ? performance.now() - t : 10000); await new Promise((r) => setTimeout(r, 100)); }
        process.stdout.write(JSON.stringify(out)); agent.destroy(); })();`;
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout!.on('data', (d) => (text += d));
    child.once('exit', () => {
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(e);
      }
    });
  });
  const [health] = await Promise.all([probe, ...Array.from({ length: connections }, worker)]);
  agent.destroy();
  const total = answered.length + shed.length + errors + other;
  return {
    requests: total,
    answeredPerSec: Math.round(answered.length / seconds),
    share503: +(shed.length / Math.max(1, total)).toFixed(3),
    answeredP50ms: answered.length ? pct(answered, 50) : null,
    answeredP99ms: answered.length ? pct(answered, 99) : null,
    shedP99ms: shed.length ? pct(shed, 99) : null,
    answeredOver10s: answered.filter((x) => x > 10_000).length,
    errorsOtherThan503: errors + other,
    healthP99ms: pct(health, 99),
    healthSamples: health.length,
  };
}

/**
 * /health while PGlite does the demo's heaviest background job: the generation of 200,000 emergency
 * calls (made to run again by deleting them), probed every 100 ms from its own process until done.
 */
export async function healthDuringBackgroundJob(log: (m: string) => void) {
  log('/health durante la generación de llamadas de demostración (PGlite)…');
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brj-bg-')), 'datos');
  try {
    await (await serve({ BRUJULA_DATA_DIR: dir, DATABASE_URL: '' }, log)).stop();
    const { openDatabase } = await import('../src/server/db/connection.ts');
    const db = await openDatabase({ databaseUrl: null, dataDir: dir });
    await db.db.deleteFrom('emergency_call_imports').where('is_demo', '=', true).execute();
    await db.close();
    const port = 5100 + Math.floor(Math.random() * 800);
    const child = spawn(process.execPath, ['bin/brujula.js', 'serve'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        BRUJULA_DATA_DIR: dir,
        DATABASE_URL: '',
        BRUJULA_DEMO: 'true',
        BRUJULA_DEMO_BACKGROUND: 'true',
        BRUJULA_BASEMAP_AUTO: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const during: number[] = [];
    let generating = false;
    const t0 = Date.now();
    while (!out.includes('Llamadas de emergencia de demostración generadas') && Date.now() - t0 < 600_000) {
      if (child.exitCode !== null) throw new Error(out);
      if (out.includes('Brújula lista en')) {
        const t = performance.now();
        const { status } = await get(agent, `http://127.0.0.1:${port}/health`, 10_000);
        const ms = performance.now() - t;
        // The generation starts 5 s after the server is ready; count from its first chunk on.
        generating ||= Date.now() - t0 > 6000;
        if (generating) during.push(status === 200 ? ms : 10_000);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const ms = /generadas \((\d+) ms\)/.exec(out)?.[1];
    agent.destroy();
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    return {
      description: '/health every 100 ms while brujula serve (PGlite) generates the 200,000 demo calls in the background',
      generationMs: ms ? Number(ms) : null,
      samples: during.length,
      healthP50ms: pct(during, 50),
      healthP99ms: pct(during, 99),
      healthMaxMs: Math.round(Math.max(...during)),
      goal: { healthP99ms: 200 },
    };
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}

export async function overloadBench(opts: { log: (m: string) => void; pgUrl: string | null; seconds: number; connections: number }) {
  const { log } = opts;
  const out: Record<string, unknown> = {
    description: `${opts.connections} keep-alive connections × ${opts.seconds} s on ${ROUTES.length} public routes in turn, against brujula serve in its own process; shedding on (defaults: BRUJULA_MAX_INFLIGHT=48 on PGlite, 8 × BRUJULA_DB_POOL = 80 on PostgreSQL; BRUJULA_MAX_EVENT_LOOP_DELAY_MS=1000) vs off (the reference: unbounded queue); 3 alternating rounds, medians`,
    routes: ROUTES,
    loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)),
  };
  const kinds: ('pglite' | 'postgres')[] = opts.pgUrl ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    log(`Sobrecarga en ${kind}…`);
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    if (kind === 'pglite') {
      const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brj-overload-')), 'datos');
      env = { BRUJULA_DATA_DIR: dir, DATABASE_URL: '' };
      cleanup = async () => fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    } else {
      const pg = (await import('pg')).default;
      const admin = new pg.Client({ connectionString: opts.pgUrl! });
      await admin.connect();
      const name = `brj_overload_${Date.now()}`;
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(opts.pgUrl!);
      u.pathname = `/${name}`;
      env = { DATABASE_URL: u.toString(), BRUJULA_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'brj-overload-pg-')) };
      cleanup = async () => {
        const a = new pg.Client({ connectionString: opts.pgUrl! });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      };
    }
    try {
      // The first start loads the demo (copies the prepared folder on PGlite).
      await (await serve(env, log)).stop();
      type Run = Awaited<ReturnType<typeof load>> & { rssBeforeMb: number | null; rssAfterMb: number | null; rssPeakMb: number | null };
      const runs: Record<Mode, Run[]> = { shed: [], queue: [] };
      for (let r = 0; r < 3; r++) {
        for (const mode of (r % 2 === 0 ? ['shed', 'queue'] : ['queue', 'shed']) as Mode[]) {
          const s = await serve({ ...env, ...MODE_ENV[mode] }, log);
          // A short warm-up, so both modes start with compiled schemas and warm caches.
          for (const route of ROUTES) await fetch(`${s.base}${route}`).then((x) => x.arrayBuffer());
          const rssBeforeMb = rssKb(s.child.pid!, 'VmRSS');
          const res = await load(s.base, opts.connections, opts.seconds);
          const rssAfterMb = rssKb(s.child.pid!, 'VmRSS');
          const rssPeakMb = rssKb(s.child.pid!, 'VmHWM');
          await s.stop();
          runs[mode].push({ ...res, rssBeforeMb, rssAfterMb, rssPeakMb });
          log(
            `    ${mode}: ${res.answeredPerSec} resp/s, 503 ${(res.share503 * 100).toFixed(1)} %, p99 respondidas ${res.answeredP99ms} ms, /health p99 ${res.healthP99ms} ms, errores ${res.errorsOtherThan503}`,
          );
        }
      }
      const median = (xs: (number | null)[]) => {
        const s = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
        return s.length ? s[Math.floor(s.length / 2)] : null;
      };
      const summary = (mode: Mode) =>
        Object.fromEntries(
          Object.keys(runs[mode][0]).map((k) => [k, median(runs[mode].map((x) => (x as unknown as Record<string, number | null>)[k]))]),
        );
      const shedM = summary('shed');
      const queueM = summary('queue');
      out[kind] = {
        shedding: shedM,
        referenceQueueing: queueM,
        ratios: {
          answeredP99VsReference:
            shedM.answeredP99ms && queueM.answeredP99ms ? +(shedM.answeredP99ms / queueM.answeredP99ms).toFixed(2) : null,
          answeredPerSecVsReference:
            shedM.answeredPerSec && queueM.answeredPerSec ? +(shedM.answeredPerSec / queueM.answeredPerSec).toFixed(2) : null,
        },
        goals: { errorsOtherThan503: 0, healthP99ms: 200 },
        runs,
      };
    } finally {
      await cleanup();
    }
  }
  return out;
}

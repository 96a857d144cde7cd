import type { FastifyBaseLogger } from 'fastify';
import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { basemapFile, buildBasemap } from './basemap.ts';
import { lastChangeAt } from '../audit/api.ts';

/**
 * Rebuilds the installation's own basemap in the background when its territory changes (an import
 * lands, a municipality is activated), so a new installation has streets and place names without
 * running `brujula basemap`. One build at a time per data folder; a change during a build queues one
 * more. The state is this process's: with several app processes, the one that took the change builds.
 */
export interface BasemapJob {
  estado: 'construyendo' | 'listo' | 'error';
  zoom: number | null;
  teselas: number;
  inicio: string;
  fin: string | null;
  error: string | null;
}

const jobs = new Map<string, { job: BasemapJob; again: boolean }>();

/** For the setup wizard: whether a basemap is served, and the rebuild in progress or the last one. */
export function basemapState(dataDir: string) {
  const job = jobs.get(dataDir)?.job;
  return {
    listo: fs.existsSync(basemapFile(dataDir)),
    estado: job?.estado ?? null,
    zoom: job?.zoom ?? null,
    teselas: job?.teselas ?? 0,
    error: job?.error ?? null,
  };
}

export function scheduleBasemap(db: Kysely<DB>, dataDir: string, log: FastifyBaseLogger) {
  const current = jobs.get(dataDir);
  if (current?.job.estado === 'construyendo') {
    current.again = true;
    return;
  }
  const entry = {
    job: { estado: 'construyendo', zoom: null, teselas: 0, inicio: new Date().toISOString(), fin: null, error: null } as BasemapJob,
    again: false,
  };
  jobs.set(dataDir, entry);
  void (async () => {
    try {
      // Nothing to draw until a municipality is active (right after the first territory import).
      const active = await db.selectFrom('shared_municipalities').select('id').where('active', '=', true).limit(1).executeTakeFirst();
      if (!active) {
        jobs.delete(dataDir);
        return;
      }
      const r = await buildBasemap(db, { dataDir, onProgress: (n, z) => Object.assign(entry.job, { teselas: n, zoom: z }) });
      Object.assign(entry.job, { estado: 'listo', teselas: r.tiles, fin: new Date().toISOString() });
      log.info({ teselas: r.tiles }, 'Mapa base reconstruido');
    } catch (e) {
      Object.assign(entry.job, { estado: 'error', error: (e as Error).message, fin: new Date().toISOString() });
      log.warn({ err: e }, 'No se pudo reconstruir el mapa base');
    }
    if (entry.again) scheduleBasemap(db, dataDir, log);
  })();
}

/**
 * On start: rebuild when the territory changed since the basemap was written (a CLI import or
 * activation, which does not build it) or when there is none yet.
 */
export async function basemapStale(db: Kysely<DB>, dataDir: string): Promise<boolean> {
  const file = basemapFile(dataDir);
  const r = await sql<{ t: Date | null }>`select max(updated_at) as t from shared_units`.execute(db);
  // An activation changes municipalities only: the audit log knows when.
  const times = [r.rows[0]?.t, await lastChangeAt(db, 'municipalities')].filter((t) => t != null).map((t) => new Date(t).getTime());
  if (!times.length) return false;
  const changed = Math.max(...times);
  return !fs.existsSync(file) || fs.statSync(file).mtime < new Date(changed);
}

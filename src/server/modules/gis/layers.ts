import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { LAYER_THEMES } from '../../../shared/catalogs.ts';
import { readSource, type ReadOptions, type SourceFeature } from '../../geo/readers.ts';
import { hasRole, type SessionUser } from '../../plugins/auth.ts';
import { recordEvent } from '../audit/api.ts';
import { buildOverviews, clearOverviews, OVERVIEW_MIN_FEATURES } from './overviews.ts';
import { createPartitionTable, dropLayerPartitions, partitionName, swapInPartition } from './partitions.ts';
import type { Estilo } from './schemas.ts';
import { normaliseStyle, refreshStyle } from './styles.ts';

type Db = Kysely<DB>;

export const TEMAS = LAYER_THEMES;

export interface LayerMeta {
  titulo: string;
  descripcion?: string;
  tema?: string;
  fuente?: string;
  fecha?: string | null;
  licencia?: string;
  contacto?: string;
  frecuencia?: string;
  publico?: boolean;
  descargable?: boolean;
  atributos?: { name: string; type?: string; description?: string }[];
}

/** Staff of the municipality see its private layers; everyone sees public ones. */
export const canSeePrivate = (user: SessionUser | null, municipalityId: string) =>
  hasRole(user, ['planner', 'enlace', 'council'], municipalityId);

const slugOf = (municipalityId: string, titulo: string) =>
  `${municipalityId}-${
    titulo
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'capa'
  }`;

export async function createLayer(db: Db, actor: Actor, municipalityId: string, m: LayerMeta & { isDemo?: boolean }) {
  return withActor(db, actor, async (trx) => {
    let slug = slugOf(municipalityId, m.titulo);
    for (let i = 2; await trx.selectFrom('gis_layers').select('id').where('slug', '=', slug).executeTakeFirst(); i++)
      slug = `${slugOf(municipalityId, m.titulo)}-${i}`;
    return trx
      .insertInto('gis_layers')
      .values({
        municipality_id: municipalityId,
        slug,
        titulo: m.titulo.trim(),
        descripcion: m.descripcion ?? '',
        tema: m.tema ?? 'general',
        fuente: m.fuente ?? '',
        fecha: m.fecha ?? null,
        licencia: m.licencia ?? 'CC-BY-4.0',
        contacto: m.contacto ?? '',
        frecuencia: m.frecuencia ?? 'irregular',
        publico: m.publico ?? false,
        descargable: m.descargable ?? true,
        atributos: JSON.stringify([]),
        estilo: JSON.stringify({}),
        is_demo: m.isDemo ?? false,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function getLayer(db: Db, idOrSlug: number | string, user: SessionUser | null) {
  const q = db.selectFrom('gis_layers').selectAll();
  const l = await (typeof idOrSlug === 'number' ? q.where('id', '=', idOrSlug) : q.where('slug', '=', idOrSlug)).executeTakeFirst();
  if (!l || (!l.publico && !canSeePrivate(user, l.municipality_id)))
    throw new AppError('BRJ_ERR_NOT_FOUND', 'La capa no existe o no es pública.');
  return l;
}

export async function updateLayer(db: Db, actor: Actor, municipalityId: string, id: number, m: Partial<LayerMeta> & { estilo?: Estilo }) {
  return withActor(db, actor, async (trx) => {
    const l = await trx
      .selectFrom('gis_layers')
      .select(['id', 'atributos'])
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!l) throw new AppError('BRJ_ERR_NOT_FOUND', 'La capa no existe.');
    let atributos: { name: string; type: string; description: string }[] | undefined;
    let retyped = false;
    if (m.atributos) {
      const byName = new Map(m.atributos.map((a) => [a.name, a]));
      atributos = [];
      for (const a of l.atributos) {
        const wanted = byName.get(a.name);
        const type = wanted?.type ?? a.type;
        if (type !== a.type) {
          await retype(trx, id, a.name, type);
          retyped = true;
        }
        atributos.push({ ...a, type, description: wanted?.description ?? a.description });
      }
    }
    const estilo = m.estilo && (await normaliseStyle(trx, { id, atributos: atributos ?? l.atributos }, m.estilo));
    return trx
      .updateTable('gis_layers')
      .set({
        ...(m.titulo && { titulo: m.titulo.trim() }),
        ...(m.descripcion !== undefined && { descripcion: m.descripcion }),
        ...(m.tema && { tema: m.tema }),
        ...(m.fuente !== undefined && { fuente: m.fuente }),
        ...(m.fecha !== undefined && { fecha: m.fecha }),
        ...(m.licencia !== undefined && { licencia: m.licencia }),
        ...(m.contacto !== undefined && { contacto: m.contacto }),
        ...(m.frecuencia && { frecuencia: m.frecuencia }),
        ...(m.publico !== undefined && { publico: m.publico }),
        ...(m.descargable !== undefined && { descargable: m.descargable }),
        ...(atributos && { atributos: JSON.stringify(atributos) }),
        ...(estilo && { estilo: JSON.stringify(estilo) }),
        // New types change the tiles and downloads, and low zooms carry the styled attribute:
        // a new version invalidates their caches.
        ...((retyped || estilo) && { version: sql<number>`version + 1` }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

const TYPE_CHECK: Record<string, { re: string | null; cast: string; label: string }> = {
  text: { re: null, cast: 'to_jsonb(v)', label: 'texto' },
  integer: { re: '^-?[0-9]{1,15}$', cast: 'to_jsonb(v::bigint)', label: 'números enteros' },
  number: { re: '^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$', cast: 'to_jsonb(v::numeric)', label: 'números' },
  boolean: { re: '^(true|false)$', cast: 'to_jsonb(v::boolean)', label: 'verdadero/falso (true/false)' },
  date: { re: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', cast: 'to_jsonb(v)', label: 'fechas AAAA-MM-DD' },
};

/** Changes an attribute's type, converting every value; refuses (changing nothing) if one does not fit. */
async function retype(trx: Parameters<Parameters<typeof withActor>[2]>[0], layerId: number, name: string, type: string) {
  const t = TYPE_CHECK[type];
  if (!t) throw new AppError('BRJ_ERR_VALIDATION', `Tipo de atributo desconocido: «${type}». Use text, integer, number, boolean o date.`);
  if (t.re) {
    const bad = await sql<{ n: number; ejemplo: string | null }>`
      select count(*)::int as n, min(properties->>${name}) as ejemplo from gis_features
       where layer_id = ${layerId} and properties->>${name} is not null and properties->>${name} !~ ${t.re}`.execute(trx);
    if (bad.rows[0].n > 0) {
      throw new AppError(
        'BRJ_ERR_VALIDATION',
        `No se cambió el tipo de «${name}»: ${bad.rows[0].n} valor(es) no son ${t.label} (p. ej. «${bad.rows[0].ejemplo}»).`,
      );
    }
  }
  await sql`update gis_features set properties = jsonb_set(properties, array[${name}::text], (select ${sql.raw(t.cast)} from (select properties->>${name} as v) x))
             where layer_id = ${layerId} and properties->>${name} is not null`.execute(trx);
}

export async function deleteLayer(db: Db, actor: Actor, municipalityId: string, id: number) {
  await withActor(db, actor, async (trx) => {
    const l = await trx
      .selectFrom('gis_layers')
      .select('id')
      .where('id', '=', id)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!l) throw new AppError('BRJ_ERR_NOT_FOUND', 'La capa no existe.');
    // Dropping the layer's partition is instant; cascading the delete row by row is not.
    await dropLayerPartitions(trx, id);
    await trx.deleteFrom('gis_layers').where('id', '=', id).execute();
  });
}

export function listLayers(db: Db, municipalityId: string | null, user: SessionUser | null, f: { q?: string; tema?: string } = {}) {
  let q = db
    .selectFrom('gis_layers')
    .select([
      'id',
      'municipality_id',
      'slug',
      'titulo',
      'descripcion',
      'tema',
      'fuente',
      'fecha',
      'licencia',
      'frecuencia',
      'publico',
      'descargable',
      'geometry_type',
      'feature_count',
      'bbox',
      'version',
      'is_demo',
      'updated_at',
    ])
    .orderBy('tema')
    .orderBy('titulo');
  if (municipalityId) q = q.where('municipality_id', '=', municipalityId);
  if (f.tema) q = q.where('tema', '=', f.tema);
  if (f.q)
    q = q.where(
      sql<boolean>`unaccent_simple(titulo || ' ' || descripcion || ' ' || fuente) like ${`%${f.q
        .toLowerCase()
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')}%`}`,
    );
  // Private layers only for the staff of their municipality.
  const visible = (mid: string) => canSeePrivate(user, mid);
  return q.execute().then((rows) => rows.filter((r) => r.publico || visible(r.municipality_id)));
}

// ---------- uploads ----------

export interface UploadReport {
  dryRun: boolean;
  committed: boolean;
  format: string;
  layer: string | null;
  layers: string[];
  features: number;
  valid: number;
  repaired: { n: number; reason: string }[];
  rejected: { n: number; reason: string }[];
  attributes: { name: string; type: string }[];
  geometryType: string | null;
  warnings: string[];
  /** Low-zoom overview: none (small layer), built, or pending (built after the answer for large layers). */
  overviews?: 'none' | 'built' | 'pending';
}

/** Layers with at least this many features get their overview after the upload answers. */
export const OVERVIEW_IN_UPLOAD = 200_000;
const pending = new Map<number, Promise<void>>();

/** Resolves when the overview a large upload left pending is ready (for tests and the benchmark). */
export const overviewsReady = (layerId: number) => pending.get(layerId) ?? Promise.resolve();

/**
 * Builds a large layer's overview in its own transaction once the upload has answered; a new layer
 * version then makes the tile caches pick the overview up.
 */
async function rebuildLater(db: Db, actor: Actor, layerId: number, pointsOnly: boolean) {
  // Let the upload's answer go out first (PGlite shares this thread).
  await new Promise((r) => setImmediate(r));
  try {
    await withActor(db, { ...actor, via: actor.via ?? 'overview' }, async (trx) => {
      // The row lock orders this after any newer upload; its data is what gets the overview.
      const l = await trx.selectFrom('gis_layers').select('feature_count').where('id', '=', layerId).forUpdate().executeTakeFirst();
      if (!l) return;
      await buildOverviews(trx, layerId, l.feature_count, pointsOnly);
      await trx.updateTable('gis_layers').set({ version: sql<number>`version + 1` }).where('id', '=', layerId).execute();
    });
  } catch (e) {
    console.error(`No se pudo construir la vista general de la capa ${layerId}: ${(e as Error).message}`);
  } finally {
    pending.delete(layerId);
  }
}

// What statistical tables (INEGI's among them) write for "no data" or "confidential".
const NULL_MARKERS = new Set(['-', '*', 'N/D', 'ND', 'NA', 'N/A', 'S/D', 'null']);
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const INTEGER = /^-?(0|[1-9]\d*)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Attribute types from the values. Only a file's text formats (CSV, KML) are converted; text that
 * looks numeric stays text when a value has a leading zero (INEGI's "001") or the column is a key.
 */
// Keys are text even when every value is digits (CVEGEO 320560001, postal codes, folios).
const KEY_NAME = /^(cve|clave|cvegeo|codigo|cod_|folio|cp$|codigo_postal|id_|rfc|curp)/i;

export function inferTypes(features: SourceFeature[], fields: string[], fromText: boolean) {
  return fields.map((name) => {
    if (fromText && KEY_NAME.test(name)) return { name, type: 'text' };
    const values = features
      .map((f) => f.properties[name])
      .filter((v) => v !== null && v !== undefined && v !== '' && !(fromText && NULL_MARKERS.has(String(v))));
    let type = 'text';
    if (values.length && values.every((v) => typeof v === 'boolean' || (fromText && (v === 'true' || v === 'false')))) type = 'boolean';
    else if (
      values.length &&
      values.every(
        (v) => (typeof v === 'number' && Number.isInteger(v)) || (fromText && typeof v === 'string' && INTEGER.test(v) && v.length < 16),
      )
    )
      type = 'integer';
    else if (values.length && values.every((v) => typeof v === 'number' || (fromText && typeof v === 'string' && NUMBER.test(v))))
      type = 'number';
    else if (values.length && values.every((v) => typeof v === 'string' && DATE.test(v))) type = 'date';
    return { name, type };
  });
}

function convert(v: unknown, type: string): unknown {
  if (v === '' || v === undefined) return null;
  if (typeof v !== 'string') return v;
  if (type !== 'text' && NULL_MARKERS.has(v)) return null;
  if (type === 'integer' || type === 'number') return Number(v);
  if (type === 'boolean') return v === 'true';
  return v;
}

const BATCH = 20_000;

/** Bulk load into a table with COPY (PostgreSQL); lines in COPY's text format. */
export type CopyInto = (table: string, columns: string[], lines: Iterable<string>) => Promise<void>;

// COPY text format: backslash, tab and line breaks escaped; \N is null.
const copyText = (v: string) => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

function pointsBox(features: SourceFeature[]): number[] {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    const [x, y] = f.xy!;
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  }
  return b;
}

/** The features as COPY lines, 10,000 per chunk. */
function* copyLines(
  features: SourceFeature[],
  attributes: { name: string; type: string }[],
  layerId: number,
  municipalityId: string,
  srid: number,
) {
  let chunk: string[] = [];
  // The properties' JSON written directly (no object per feature): a million rows' worth of time.
  const keys = attributes.map((a) => `${JSON.stringify(a.name)}:`);
  const mid = copyText(municipalityId);
  // The point as hex EWKB (little-endian, type Point with SRID), which PostGIS reads faster than text.
  const wkb = Buffer.alloc(25);
  wkb.writeUInt8(1, 0);
  wkb.writeUInt32LE(0x20000001, 1);
  wkb.writeUInt32LE(srid, 5);
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    let props = '{';
    for (let j = 0; j < attributes.length; j++) {
      const v = convert(f.properties[attributes[j].name], attributes[j].type);
      props += `${j ? ',' : ''}${keys[j]}${v === undefined ? 'null' : JSON.stringify(v)}`;
    }
    props += '}';
    wkb.writeDoubleLE(f.xy![0], 9);
    wkb.writeDoubleLE(f.xy![1], 17);
    chunk.push(`${layerId}\t${mid}\t${i + 1}\t${copyText(props)}\t${wkb.toString('hex')}\n`);
    if (chunk.length === 10_000) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length) yield chunk.join('');
}

/**
 * Loads a file into a layer, replacing its data (the layer keeps its id, metadata and style).
 * Every feature is parsed, checked and repaired by PostGIS in a staging table; any rejected feature
 * cancels the whole upload (unless `skipInvalid`), so a bad file never leaves a partial layer.
 */
export async function uploadLayerData(
  db: Db,
  actor: Actor,
  layerId: number,
  file: { name: string; bytes: Buffer },
  opts: ReadOptions & {
    dryRun?: boolean;
    skipInvalid?: boolean;
    onProgress?: (done: number, total: number) => void;
    timings?: Record<string, number>;
    overviewsAfterFrom?: number;
    copyInto?: CopyInto;
  } = {},
): Promise<UploadReport> {
  let last = performance.now();
  // Optional phase timings (milliseconds) for the benchmark.
  const mark = (phase: string) => {
    if (!opts.timings) return;
    const now = performance.now();
    opts.timings[phase] = Math.round(now - last);
    last = now;
  };
  const source = await readSource(file.name, file.bytes, { ...opts, strict: true });
  mark('read');
  const fromText = source.format === 'csv' || source.format === 'kml';
  const attributes = inferTypes(source.features, source.fields, fromText);
  mark('infer');
  const report: UploadReport = {
    dryRun: !!opts.dryRun,
    committed: false,
    format: source.format,
    layer: source.layer,
    layers: source.layers,
    features: source.features.length,
    valid: 0,
    repaired: [],
    rejected: [],
    attributes,
    geometryType: null,
    warnings: source.warnings,
  };
  if (source.features.length === 0) throw new AppError('BRJ_ERR_IMPORT_INVALID', 'El archivo no contiene elementos.', report);
  class Rollback extends Error {}
  let later = null as { pointsOnly: boolean } | null;
  const part = partitionName(layerId, `${Date.now().toString(36)}${crypto.randomInt(1e6).toString(36)}`);
  // Points given as numbers need no geometry checks: on PostgreSQL they go straight into the new
  // partition with COPY, before the transaction (which then indexes and swaps it in, or drops it).
  const direct =
    !opts.dryRun && !!opts.copyInto && source.srid === 4326 && source.features.length > 0 && source.features.every((f) => f.xy);
  try {
    if (direct) {
      const mid = (await db.selectFrom('gis_layers').select('municipality_id').where('id', '=', layerId).executeTakeFirstOrThrow())
        .municipality_id;
      await createPartitionTable(db, layerId, part);
      await opts.copyInto!(
        part,
        ['layer_id', 'municipality_id', 'fid', 'properties', 'geom'],
        copyLines(source.features, attributes, layerId, mid, source.srid),
      );
      report.valid = source.features.length;
      mark('staging');
    }
    await withActor(db, actor, async (trx) => {
      const layer = await trx
        .selectFrom('gis_layers')
        .select(['id', 'municipality_id', 'version', 'atributos', 'estilo'])
        .where('id', '=', layerId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (!direct) {
        // No primary key: n is unique by construction, and a bulk load into an indexed table costs more.
        await sql`create temp table gis_stage (n integer, properties jsonb, gj text, wkb bytea, wkt text, x float8, y float8, geom geometry, parse_error text, invalid_reason text) on commit drop`.execute(
          trx,
        );
        for (let i = 0; i < source.features.length; i += BATCH) {
          const chunk = source.features.slice(i, i + BATCH).map((f, j) => ({
            n: i + j + 1,
            properties: Object.fromEntries(attributes.map((a) => [a.name, convert(f.properties[a.name], a.type)])),
            gj: f.geojson,
            wkb: f.wkb ? Buffer.from(f.wkb).toString('hex') : null,
            wkt: f.wkt ?? null,
            x: f.xy?.[0] ?? null,
            y: f.xy?.[1] ?? null,
          }));
          // One JSON document per batch: far fewer round trips and parameters than a VALUES list, on both
          // databases. Points given as numbers get their geometry here (no parser, no later update).
          await sql`insert into gis_stage (n, properties, gj, wkb, wkt, x, y, geom)
                    select r.n, r.properties, r.gj, decode(r.wkb, 'hex'), r.wkt, r.x, r.y,
                           case when r.x is not null then ST_SetSRID(ST_MakePoint(r.x, r.y), ${source.srid}::int) end
                      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as r(n integer, properties jsonb, gj text, wkb text, wkt text, x float8, y float8)`.execute(
            trx,
          );
          opts.onProgress?.(Math.min(i + BATCH, source.features.length), source.features.length);
        }
        mark('staging');
        // Points given as numbers skip the parser (whose error trap costs a subtransaction per row).
        await sql`update gis_stage s set (geom, parse_error) = (select p.geom, p.error from gis_parse_geom(s.gj, s.wkb, s.wkt, ${source.srid}::int) p) where s.x is null`.execute(
          trx,
        );
        await sql`update gis_stage set invalid_reason = ST_IsValidReason(geom) where x is null and geom is not null and not ST_IsValid(geom)`.execute(
          trx,
        );
        await sql`update gis_stage set geom = case when ST_Dimension(geom) = 2 then ST_CollectionExtract(ST_MakeValid(geom), 3) else ST_MakeValid(geom) end where invalid_reason is not null`.execute(
          trx,
        );
        await sql`update gis_stage set geom = ST_Transform(geom, 4326) where geom is not null and ST_SRID(geom) <> 4326`.execute(trx);
        mark('geometry');
        const problems = await sql<{ n: number; parse_error: string | null; invalid_reason: string | null; empty: boolean | null }>`
          select n, parse_error, invalid_reason, ST_IsEmpty(geom) as empty from gis_stage
           where geom is null or invalid_reason is not null or ST_IsEmpty(geom) order by n`.execute(trx);
        const rejected = new Set<number>();
        for (const p of problems.rows) {
          if (p.parse_error || p.empty === null) {
            report.rejected.push({ n: p.n, reason: p.parse_error ? `Geometría ilegible: ${p.parse_error}` : 'Sin geometría.' });
            rejected.add(p.n);
          } else if (p.empty) {
            report.rejected.push({ n: p.n, reason: `Geometría inválida sin reparación posible (${p.invalid_reason ?? 'vacía'}).` });
            rejected.add(p.n);
          } else report.repaired.push({ n: p.n, reason: `Reparada con ST_MakeValid: ${p.invalid_reason}` });
        }
        report.valid = source.features.length - rejected.size;
        if ((rejected.size && !opts.skipInvalid) || report.valid === 0 || opts.dryRun) throw new Rollback();
        if (rejected.size) await sql`delete from gis_stage where n = any(${[...rejected]}::int[])`.execute(trx);

        mark('validation');
        // Feature ids follow the file's order, into a fresh table without indexes.
        await createPartitionTable(trx, layerId, part);
        await sql`insert into ${sql.table(part)} (layer_id, municipality_id, fid, properties, geom, extent)
                  select ${layerId}::bigint, ${layer.municipality_id}, row_number() over (order by n), properties, geom,
                         greatest(ST_XMax(geom) - ST_XMin(geom), ST_YMax(geom) - ST_YMin(geom))
                    from gis_stage order by n`.execute(trx);
      }
      await swapInPartition(trx, layerId, part);
      mark('insert');
      // Points loaded directly: their type and extent are known without reading them back.
      const stats = direct
        ? { rows: [{ types: ['POINT'], max_extent: 0, bbox: pointsBox(source.features) }] }
        : await sql<{ types: string[]; bbox: number[] | null; max_extent: number | null }>`
        select (select array_agg(distinct GeometryType(geom)) from gis_features where layer_id = ${layerId}) as types,
               (select max(extent) from gis_features where layer_id = ${layerId}) as max_extent,
               (select array[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] from (select ST_Extent(geom) as e from gis_features where layer_id = ${layerId}) x) as bbox`.execute(
            trx,
          );
      const raw = stats.rows[0]?.types ?? [];
      const base = [...new Set(raw.map((t) => t.replace(/^MULTI/, '')))];
      report.geometryType = base.length !== 1 ? 'GEOMETRY' : raw.some((t) => t.startsWith('MULTI')) ? `MULTI${base[0]}` : base[0];
      mark('stats');
      const pointsOnly = base.length === 1 && base[0] === 'POINT';
      // Large layers get their overview after the upload answers (tiles read the features meanwhile).
      if (report.valid < (opts.overviewsAfterFrom ?? OVERVIEW_IN_UPLOAD)) {
        await buildOverviews(trx, layerId, report.valid, pointsOnly);
        report.overviews = report.valid >= OVERVIEW_MIN_FEATURES ? 'built' : 'none';
      } else {
        await clearOverviews(trx, layerId);
        report.overviews = 'pending';
        later = { pointsOnly };
      }
      mark('overviews');
      await trx
        .updateTable('gis_layers')
        .set({
          // Descriptions written for attributes of the same name survive a re-upload.
          atributos: JSON.stringify(
            attributes.map((a) => ({ ...a, description: layer.atributos.find((o) => o.name === a.name)?.description ?? '' })),
          ),
          geometry_type: report.geometryType,
          feature_count: report.valid,
          bbox: stats.rows[0]?.bbox ?? null,
          max_extent: stats.rows[0]?.max_extent ?? null,
          version: layer.version + 1,
          origen: `${file.name} (${source.format})`,
          updated_at: new Date(),
        })
        .where('id', '=', layerId)
        .execute();
      const estilo = await refreshStyle(trx, { id: layerId, atributos: attributes, estilo: layer.estilo as Record<string, unknown> });
      if (estilo)
        await trx
          .updateTable('gis_layers')
          .set({ estilo: JSON.stringify(estilo) })
          .where('id', '=', layerId)
          .execute();
      await recordEvent(trx, actor, {
        entity: 'gis_layer_upload',
        entityId: String(layerId),
        municipalityId: layer.municipality_id,
        data: {
          archivo: file.name,
          bytes: file.bytes.length,
          sha256: crypto.createHash('sha256').update(file.bytes).digest('hex'),
          formato: source.format,
          elementos: report.valid,
          reparados: report.repaired.length,
          rechazados: report.rejected.length,
        },
      });
      report.committed = true;
    });
  } catch (e) {
    // The new partition was dropped with the rolled-back transaction, unless COPY made it outside.
    if (direct) await sql`drop table if exists ${sql.table(part)}`.execute(db).catch(() => undefined);
    if (!(e instanceof Rollback)) throw e;
  }
  if (later) pending.set(layerId, rebuildLater(db, actor, layerId, later.pointsOnly));
  if (!report.committed && !opts.dryRun) {
    const why =
      report.valid === 0 ? 'ningún elemento tiene geometría válida' : `${report.rejected.length} elemento(s) con geometría no válida`;
    throw new AppError('BRJ_ERR_IMPORT_INVALID', `La capa no se cargó: ${why}. No se guardó ningún elemento.`, report);
  }
  return report;
}

import { sql, type Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB, TerritorialLevel } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { recordEvent } from '../audit/api.ts';
import type { ParsedSource } from '../../geo/readers.ts';

import { IMPORT_LEVELS as LEVELS } from './levels.ts';

/** Length of an INEGI CVEGEO per level; colonias and polígonos use the installation's own keys. */
const INEGI_KEY_LENGTH: Partial<Record<TerritorialLevel, number>> = { municipio: 5, localidad: 9, ageb: 13, manzana: 16 };
const PARENT: Partial<Record<TerritorialLevel, { level: TerritorialLevel; length: number }>> = {
  localidad: { level: 'municipio', length: 5 },
  ageb: { level: 'localidad', length: 9 },
  manzana: { level: 'ageb', length: 13 },
};

export interface ImportOptions {
  level: TerritorialLevel;
  keyField: string;
  nameField: string;
  populationField?: string;
  /** Municipality for every feature when the keys are not INEGI keys (colonias, polígonos). */
  municipalityId?: string;
  layer?: string;
  dryRun?: boolean;
  /** 'fail' (default): one rejected feature fails the whole import. 'skip': import the rest. */
  onInvalid?: 'fail' | 'skip';
  /**
   * A feature without a name (INEGI has real localities with estatus 0 and no nom_loc): rejected
   * unless chosen here, for all of them ('skip' | 'key': use the key as the name) or per key.
   */
  missingName?: 'skip' | 'key' | Record<string, 'skip' | 'key'>;
  fileName: string;
  onProgress?: (phase: 'leyendo' | 'validando' | 'guardando', done: number, total: number) => void;
  /** Called with the municipalities touched, before anything is kept; throws to refuse. */
  authorize?: (municipalityIds: string[], createsMunicipalities: boolean) => void;
}

export interface FeatureProblem {
  n: number;
  key: string | null;
  reason: string;
}

export interface ImportReport {
  importId: number | null;
  dryRun: boolean;
  committed: boolean;
  format: ParsedSource['format'];
  layer: string | null;
  layers: string[];
  fields: string[];
  sourceSrid: number;
  level: TerritorialLevel;
  features: number;
  valid: number;
  inserted: number;
  updated: number;
  repaired: FeatureProblem[];
  rejected: FeatureProblem[];
  /** Features without a name and what was done with each: rejected until a choice is made, skipped, or named by their key. */
  unnamed: (FeatureProblem & { choice: 'reject' | 'skip' | 'key' })[];
  municipalities: string[];
  population: number | null;
  warnings: string[];
}

class DryRunRollback extends Error {}

interface Staged {
  n: number;
  key: string;
  name: string;
  municipalityId: string;
  population: number | null;
  attributes: Record<string, unknown>;
  geojson: string | null;
  wkb: Uint8Array | null;
}

const BATCH = 250;

// INEGI marks confidential or absent counts with '*' or '-': no value, not an error.
const NO_DATA = new Set(['', '*', '-', 'N/D', 'ND', 'NA', 'N/A']);

function parsePopulation(v: unknown): number | null | 'invalid' {
  if (v === null || v === undefined || NO_DATA.has(String(v).trim().toUpperCase())) return null;
  const n = typeof v === 'number' ? v : Number(String(v).replace(/[,\s]/g, ''));
  return Number.isInteger(n) && n >= 0 ? n : 'invalid';
}

/**
 * Imports a territory file all-or-nothing: reads it, validates each feature (key, name,
 * geometry — repaired with ST_MakeValid or rejected with its reason), reprojects to EPSG:4326 and
 * upserts by (municipality, level, CVEGEO) in one transaction. A dry run reports and keeps nothing.
 */
export async function importTerritory(db: Kysely<DB>, actor: Actor, bytes: Buffer, opts: ImportOptions): Promise<ImportReport> {
  if (!LEVELS.includes(opts.level)) throw new AppError('BRJ_ERR_VALIDATION', `Nivel territorial desconocido: ${opts.level}`);
  opts.onProgress?.('leyendo', 0, 1);
  // The format readers (sql.js, proj4, shapefile) load on the first import, not at every start.
  const { readSource } = await import('../../geo/readers.ts');
  // Strict: a Shapefile without .prj is refused instead of being taken as EPSG:4326.
  const source = await readSource(opts.fileName, bytes, { layer: opts.layer, strict: true });
  opts.onProgress?.('leyendo', 1, 1);
  const total = source.features.length;
  if (total === 0) throw new AppError('BRJ_ERR_IMPORT_INVALID', 'El archivo no contiene elementos.');
  for (const [label, field] of [
    ['clave', opts.keyField],
    ['nombre', opts.nameField],
    ['población', opts.populationField],
  ] as const) {
    if (field && !source.fields.includes(field)) {
      throw new AppError(
        'BRJ_ERR_IMPORT_INVALID',
        `El campo de ${label} "${field}" no existe en el archivo. Campos disponibles: ${source.fields.join(', ')}`,
        { fields: source.fields },
      );
    }
  }

  const report: ImportReport = {
    importId: null,
    dryRun: !!opts.dryRun,
    committed: false,
    format: source.format,
    layer: source.layer,
    layers: source.layers,
    fields: source.fields,
    sourceSrid: source.srid,
    level: opts.level,
    features: total,
    valid: 0,
    inserted: 0,
    updated: 0,
    repaired: [],
    rejected: [],
    unnamed: [],
    municipalities: [],
    population: null,
    warnings: source.warnings,
  };

  // Attribute checks, in JS: key, name, municipality, duplicates, population.
  const keyLength = INEGI_KEY_LENGTH[opts.level];
  const seen = new Set<string>();
  const staged: Staged[] = [];
  source.features.forEach((f, i) => {
    const n = i + 1;
    const rawKey = f.properties[opts.keyField];
    const key = rawKey === null || rawKey === undefined ? '' : String(rawKey).trim();
    const reject = (reason: string) => report.rejected.push({ n, key: key || null, reason });
    if (!key) return reject(`Sin clave en el campo "${opts.keyField}".`);
    if (key.length > 40) return reject('La clave excede 40 caracteres.');
    let name = String(f.properties[opts.nameField] ?? '').trim();
    if (!name) {
      const choice = typeof opts.missingName === 'object' ? (opts.missingName[key] ?? 'reject') : (opts.missingName ?? 'reject');
      report.unnamed.push({ n, key, reason: `Sin nombre en el campo "${opts.nameField}".`, choice });
      if (choice === 'skip') return;
      if (choice === 'reject') return reject(`Sin nombre en el campo "${opts.nameField}": elija omitirlo o usar la clave como nombre.`);
      name = key;
    }
    let municipalityId: string;
    const inegiShaped = keyLength !== undefined && key.length === keyLength && /^\d{5}/.test(key);
    if (opts.level === 'municipio') {
      if (!/^\d{5}$/.test(key)) return reject('La clave de un municipio debe tener 5 dígitos (CVE_ENT + CVE_MUN).');
      municipalityId = key;
    } else if (inegiShaped) {
      municipalityId = key.slice(0, 5);
      if (opts.municipalityId && opts.municipalityId !== municipalityId) {
        return reject(`La clave pertenece al municipio ${municipalityId}, no a ${opts.municipalityId}.`);
      }
    } else if (opts.municipalityId) {
      if (keyLength !== undefined) return reject(`Una clave INEGI de ${opts.level} tiene ${keyLength} caracteres.`);
      municipalityId = opts.municipalityId;
    } else {
      return reject(
        keyLength !== undefined
          ? `Una clave INEGI de ${opts.level} tiene ${keyLength} caracteres y empieza con la clave del municipio.`
          : 'Indique el municipio al que pertenecen las colonias o polígonos.',
      );
    }
    const dedupe = `${municipalityId}|${key}`;
    if (seen.has(dedupe)) return reject('Clave repetida en el archivo.');
    seen.add(dedupe);
    let population: number | null = null;
    if (opts.populationField) {
      const p = parsePopulation(f.properties[opts.populationField]);
      if (p === 'invalid') return reject(`Población no válida: "${String(f.properties[opts.populationField])}".`);
      population = p;
    }
    if (!f.geojson && !f.wkb) return reject('Sin geometría.');
    staged.push({ n, key, name, municipalityId, population, attributes: f.properties, geojson: f.geojson, wkb: f.wkb });
  });

  try {
    await withActor(db, actor, async (trx) => {
      await sql`create temp table territory_stage (
        n integer primary key, cvegeo text, name text, municipality_id text, population integer,
        attributes jsonb, gj text, wkb bytea, geom geometry, parse_error text, invalid_reason text
      ) on commit drop`.execute(trx);
      for (let i = 0; i < staged.length; i += BATCH) {
        const chunk = staged.slice(i, i + BATCH);
        await trx
          .insertInto('territory_stage' as never)
          .values(
            chunk.map((s) => ({
              n: s.n,
              cvegeo: s.key,
              name: s.name,
              municipality_id: s.municipalityId,
              population: s.population,
              attributes: JSON.stringify(s.attributes),
              gj: s.geojson,
              wkb: s.wkb ? Buffer.from(s.wkb) : null,
            })) as never,
          )
          .execute();
        opts.onProgress?.('validando', Math.min(i + BATCH, staged.length), staged.length);
      }

      // Geometry checks, in PostGIS: parse, validity (repair), reprojection, emptiness.
      await sql`update territory_stage s set (geom, parse_error) =
                  (select p.geom, p.error from territory_parse_geom(s.gj, s.wkb, ${source.srid}::int) p)`.execute(trx);
      await sql`update territory_stage set invalid_reason = ST_IsValidReason(geom) where geom is not null and not ST_IsValid(geom)`.execute(
        trx,
      );
      await sql`update territory_stage
                   set geom = case when ST_Dimension(geom) = 2 then ST_CollectionExtract(ST_MakeValid(geom), 3) else ST_MakeValid(geom) end
                 where invalid_reason is not null`.execute(trx);
      await sql`update territory_stage set geom = ST_Transform(geom, 4326) where geom is not null and ST_SRID(geom) <> 4326`.execute(trx);
      const problems = await sql<{
        n: number;
        cvegeo: string;
        parse_error: string | null;
        invalid_reason: string | null;
        empty: boolean | null;
      }>`
        select n, cvegeo, parse_error, invalid_reason, ST_IsEmpty(geom) as empty
          from territory_stage where geom is null or invalid_reason is not null or ST_IsEmpty(geom) order by n`.execute(trx);
      const rejectedN = new Set<number>();
      for (const p of problems.rows) {
        if (p.parse_error || p.empty === null) {
          report.rejected.push({ n: p.n, key: p.cvegeo, reason: `Geometría ilegible: ${p.parse_error ?? 'vacía'}` });
          rejectedN.add(p.n);
        } else if (p.empty) {
          report.rejected.push({
            n: p.n,
            key: p.cvegeo,
            reason: `Geometría inválida sin reparación posible (${p.invalid_reason ?? 'vacía'}).`,
          });
          rejectedN.add(p.n);
        } else {
          report.repaired.push({ n: p.n, key: p.cvegeo, reason: `Reparada con ST_MakeValid: ${p.invalid_reason}` });
        }
      }

      // Municipalities: INEGI municipio imports create catalogue rows; other levels need them to exist.
      const mids = [...new Set(staged.filter((s) => !rejectedN.has(s.n)).map((s) => s.municipalityId))].sort();
      if (opts.level === 'municipio') {
        const states = new Set((await trx.selectFrom('states').select('cve_ent').execute()).map((s) => s.cve_ent));
        for (const s of staged) {
          if (!rejectedN.has(s.n) && !states.has(s.key.slice(0, 2))) {
            report.rejected.push({ n: s.n, key: s.key, reason: `La entidad ${s.key.slice(0, 2)} no existe en el catálogo INEGI.` });
            rejectedN.add(s.n);
          }
        }
      } else {
        const known = new Set(
          mids.length ? (await trx.selectFrom('municipalities').select('id').where('id', 'in', mids).execute()).map((m) => m.id) : [],
        );
        for (const s of staged) {
          if (!rejectedN.has(s.n) && !known.has(s.municipalityId)) {
            report.rejected.push({
              n: s.n,
              key: s.key,
              reason: `El municipio ${s.municipalityId} no está registrado; importe primero los municipios.`,
            });
            rejectedN.add(s.n);
          }
        }
      }
      report.rejected.sort((a, b) => a.n - b.n);
      if (rejectedN.size) await sql`delete from territory_stage where n = any(${[...rejectedN]}::int[])`.execute(trx);
      report.municipalities = [...new Set(staged.filter((s) => !rejectedN.has(s.n)).map((s) => s.municipalityId))].sort();
      report.valid = staged.length - rejectedN.size;
      if (opts.populationField) {
        report.population = staged.filter((s) => !rejectedN.has(s.n)).reduce((acc, s) => acc + (s.population ?? 0), 0);
      }
      opts.authorize?.(report.municipalities, opts.level === 'municipio');

      if (report.rejected.length && opts.onInvalid !== 'skip') throw new DryRunRollback();
      if (report.valid === 0) throw new DryRunRollback();

      opts.onProgress?.('guardando', 0, report.valid);
      const imp = await trx
        .insertInto('territory_imports')
        .values({
          municipality_id: report.municipalities.length === 1 ? report.municipalities[0] : null,
          level: opts.level,
          file_name: opts.fileName.slice(0, 255),
          format: source.format,
          source_srid: source.srid,
          features: total,
          inserted: 0,
          updated: 0,
          repaired: report.repaired.length,
          rejected: report.rejected.length,
          report: JSON.stringify({
            rejected: report.rejected.slice(0, 1000),
            repaired: report.repaired.slice(0, 1000),
            warnings: report.warnings,
          }),
          created_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      report.importId = imp.id;

      if (opts.level === 'municipio') {
        await sql`insert into municipalities (id, cve_ent, name)
                  select cvegeo, left(cvegeo, 2), name from territory_stage
                  on conflict (id) do update set name = excluded.name
                  where municipalities.name is distinct from excluded.name`.execute(trx);
      }
      // The parent is set in the same statement, so a new unit is one audit row, not an insert plus an update.
      const parent = PARENT[opts.level];
      const upsert = await sql<{ inserted: boolean }>`
        insert into territorial_units (municipality_id, level, cvegeo, name, parent_id, population, area_m2, attributes, geom, import_id, updated_at)
        select s.municipality_id, ${opts.level}, s.cvegeo, s.name,
               case when ${opts.level} <> 'municipio' then coalesce(
                 (select p.id from territorial_units p where p.municipality_id = s.municipality_id
                     and p.level = ${parent?.level ?? ''} and p.cvegeo = left(s.cvegeo, ${parent?.length ?? 0})),
                 (select p.id from territorial_units p where p.municipality_id = s.municipality_id and p.level = 'municipio')) end,
               s.population, ST_Area(s.geom::geography), s.attributes, s.geom, ${imp.id}::bigint, now()
          from territory_stage s order by s.n
        on conflict (municipality_id, level, cvegeo) do update
          set name = excluded.name, parent_id = excluded.parent_id, population = excluded.population, area_m2 = excluded.area_m2,
              attributes = excluded.attributes, geom = excluded.geom, import_id = excluded.import_id, updated_at = now()
        returning (xmax = 0) as inserted`.execute(trx);
      report.inserted = upsert.rows.filter((r) => r.inserted).length;
      report.updated = upsert.rows.length - report.inserted;
      await linkParents(trx, report.municipalities);
      await trx
        .updateTable('territory_imports')
        .set({ inserted: report.inserted, updated: report.updated })
        .where('id', '=', imp.id)
        .execute();
      await recordEvent(trx, actor, {
        entity: 'territory_import',
        entityId: String(imp.id),
        municipalityId: report.municipalities.length === 1 ? report.municipalities[0] : null,
        data: {
          level: opts.level,
          file: opts.fileName,
          inserted: report.inserted,
          updated: report.updated,
          repaired: report.repaired.length,
        },
        isPublic: true,
      });
      opts.onProgress?.('guardando', report.valid, report.valid);
      if (opts.dryRun) throw new DryRunRollback();
    });
    report.committed = true;
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
    report.importId = null;
    if (!opts.dryRun && report.rejected.length) {
      throw new AppError(
        'BRJ_ERR_IMPORT_INVALID',
        `No se importó nada: ${report.rejected.length} de ${total} elementos tienen errores. Corríjalos o importe omitiendo los inválidos.`,
        report,
      );
    }
    if (!opts.dryRun) throw new AppError('BRJ_ERR_IMPORT_INVALID', 'Ningún elemento válido para importar.', report);
  }
  return report;
}

/** Links each unit to its parent: by INEGI key prefix where it applies, otherwise to its municipio. */
async function linkParents(trx: Kysely<DB>, municipalityIds: string[]) {
  if (municipalityIds.length === 0) return;
  for (const [level, p] of Object.entries(PARENT)) {
    await sql`update territorial_units t set parent_id = p.id
                from territorial_units p
               where t.level = ${level} and t.municipality_id = any(${municipalityIds}::text[])
                 and p.municipality_id = t.municipality_id and p.level = ${p!.level}
                 and p.cvegeo = left(t.cvegeo, ${p!.length}) and t.parent_id is distinct from p.id`.execute(trx);
  }
  await sql`update territorial_units t set parent_id = p.id
              from territorial_units p
             where t.level <> 'municipio' and t.parent_id is null and t.municipality_id = any(${municipalityIds}::text[])
               and p.municipality_id = t.municipality_id and p.level = 'municipio'`.execute(trx);
}

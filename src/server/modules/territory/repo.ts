import { sql, type Kysely } from 'kysely';
import type { DB, TerritorialLevel } from '../../db/types.ts';

export const listStates = (db: Kysely<DB>) =>
  db
    .selectFrom('states as s')
    .select(['s.cve_ent', 's.name', 's.abbreviation'])
    .select((eb) =>
      eb
        .selectFrom('municipalities as m')
        .whereRef('m.cve_ent', '=', 's.cve_ent')
        .where('m.active', '=', true)
        .select(eb.fn.countAll<number>().as('n'))
        .as('active_municipalities'),
    )
    .orderBy('s.cve_ent')
    .execute();

export function listMunicipalities(db: Kysely<DB>, f: { cveEnt?: string; active?: boolean; q?: string }) {
  let q = db
    .selectFrom('municipalities as m')
    // NN000 is INEGI's code for a state total: its own unit is the 'estado' one.
    .leftJoin('territorial_units as u', (j) =>
      j.onRef('u.municipality_id', '=', 'm.id').on(sql<boolean>`u.level = case when m.id like '__000' then 'estado' else 'municipio' end`),
    )
    .select(['m.id', 'm.cve_ent', 'm.name', 'm.active', 'm.is_demo', 'u.population', 'u.area_m2', 'u.area_planar_m2']);
  if (f.cveEnt) q = q.where('m.cve_ent', '=', f.cveEnt);
  if (f.active !== undefined) q = q.where('m.active', '=', f.active);
  if (f.q) q = q.where(sql<boolean>`unaccent_simple(m.name) like unaccent_simple(${`%${f.q}%`})`);
  return q.orderBy('m.id').execute();
}

export const getMunicipality = (db: Kysely<DB>, id: string) =>
  db
    .selectFrom('municipalities as m')
    // NN000 is INEGI's code for a state total: its own unit is the 'estado' one.
    .leftJoin('territorial_units as u', (j) =>
      j.onRef('u.municipality_id', '=', 'm.id').on(sql<boolean>`u.level = case when m.id like '__000' then 'estado' else 'municipio' end`),
    )
    .select(['m.id', 'm.cve_ent', 'm.name', 'm.active', 'm.is_demo', 'u.population', 'u.area_m2', 'u.area_planar_m2', 'u.id as unit_id'])
    .select(
      sql<number[] | null>`(select array[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)]
                              from (select ST_Extent(t.geom) as e from territorial_units t where t.municipality_id = m.id) x
                             where e is not null)`.as('bbox'),
    )
    .where('m.id', '=', id)
    .executeTakeFirst();

export const levelCounts = (db: Kysely<DB>, municipalityId: string) =>
  db
    .selectFrom('territorial_units')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .where('municipality_id', '=', municipalityId)
    .groupBy('level')
    .execute();

export function unitsQuery(db: Kysely<DB>, municipalityId: string, f: { level?: TerritorialLevel; q?: string; parentId?: number }) {
  let q = db.selectFrom('territorial_units as u').where('u.municipality_id', '=', municipalityId);
  if (f.level) q = q.where('u.level', '=', f.level);
  if (f.parentId) q = q.where('u.parent_id', '=', f.parentId);
  if (f.q) {
    const like = `%${f.q}%`;
    q = q.where((eb) => eb.or([eb('u.cvegeo', 'like', like), sql<boolean>`unaccent_simple(u.name) like unaccent_simple(${like})`]));
  }
  return q;
}

export const UNIT_COLUMNS = [
  'u.id',
  'u.municipality_id',
  'u.level',
  'u.cvegeo',
  'u.name',
  'u.parent_id',
  'u.population',
  'u.area_m2',
  'u.area_planar_m2',
  'u.updated_at',
] as const;

/** A GeoJSON FeatureCollection built by PostGIS, simplified by `tolerance` degrees when given. */
export async function unitsGeoJson(db: Kysely<DB>, municipalityId: string, level: TerritorialLevel, tolerance: number) {
  const r = await sql<{ fc: string }>`
    select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
      'type', 'Feature', 'id', u.id,
      'properties', json_build_object('id', u.id, 'cvegeo', u.cvegeo, 'name', u.name, 'level', u.level, 'population', u.population, 'area_m2', round(u.area_m2::numeric)),
      'geometry', ST_AsGeoJSON(case when ${tolerance}::float8 > 0 then ST_SimplifyPreserveTopology(u.geom, ${tolerance}::float8) else u.geom end, 6)::json
    ) order by u.cvegeo), '[]'::json))::text as fc
    from territorial_units u where u.municipality_id = ${municipalityId} and u.level = ${level}`.execute(db);
  return r.rows[0].fc;
}

export const getUnit = (db: Kysely<DB>, id: number) =>
  db
    .selectFrom('territorial_units as u')
    .select([...UNIT_COLUMNS, 'u.attributes', sql<string>`ST_AsGeoJSON(u.geom, 6)`.as('geometry')])
    .where('u.id', '=', id)
    .executeTakeFirst();

export const listImports = (db: Kysely<DB>, municipalityId: string | null, limit: number) => {
  let q = db
    .selectFrom('territory_imports')
    .select([
      'id',
      'municipality_id',
      'level',
      'file_name',
      'format',
      'source_srid',
      'features',
      'inserted',
      'updated',
      'repaired',
      'rejected',
      'created_by',
      'created_at',
    ]);
  if (municipalityId) q = q.where('municipality_id', '=', municipalityId);
  return q.orderBy('id', 'desc').limit(limit).execute();
};

/** Place-name search for maps: localities, colonias and AGEB by name or key, with their extent. */
export async function places(db: Kysely<DB>, municipalityId: string, text: string, limit = 10) {
  const starts = `${text}%`;
  return (
    unitsQuery(db, municipalityId, { q: text })
      .where('u.level', 'in', ['localidad', 'colonia', 'ageb', 'poligono'])
      .where('u.geom', 'is not', null)
      .select(['u.id', 'u.level', 'u.name', 'u.cvegeo'])
      .select(sql<number[]>`array[ST_XMin(u.geom), ST_YMin(u.geom), ST_XMax(u.geom), ST_YMax(u.geom)]`.as('bbox'))
      // Names that start with the text first, then localities before colonias before AGEB.
      .orderBy(sql`unaccent_simple(u.name) like unaccent_simple(${starts})`, 'desc')
      .orderBy(sql`array_position(array['localidad','colonia','poligono','ageb'], u.level)`)
      .orderBy('u.name')
      .limit(limit)
      .execute()
  );
}

/**
 * DATOS DE DEMOSTRACIÓN. The zona metropolitana Zacatecas–Guadalupe and three neighbours. The
 * boundaries of the municipalities, the state and the localities (names, urban and rural polygons,
 * Censo 2020 population) are a simplified copy of INEGI's Marco Geoestadístico
 * (demo/data/territorio-inegi.geojson, made by scripts/demo-territory.ts, with its attribution).
 * AGEB-like units and colonias are generated (Voronoi cells of seeded points inside the real urban
 * localities); departments, users and every other number are invented.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { withActor } from '../src/server/db/connection.ts';
import { ROOT } from '../src/server/paths.ts';
import type { DB, Role } from '../src/server/db/types.ts';
import { hashPassword } from '../src/server/modules/accounts/service.ts';
import { loadMunicipalIndicators, loadStateIndicators } from './indicators.ts';
import { loadPlansAndPoa } from './plans.ts';
import { loadGisLayers } from './gis.ts';
import { loadParticipation } from './participation.ts';
import { loadEvaluation } from './evaluation.ts';

export const DEMO_PASSWORD = 'Brujula-Demo-2026';

interface DemoMunicipality {
  id: string;
  name: string;
  /** The main square of the cabecera, where the first colonia (the centre) is seeded. */
  center: [number, number];
  population: number;
  agebs: number;
  colonias: string[];
}

/** INEGI's boundaries, simplified (see scripts/demo-territory.ts). */
const TERRITORY = path.join(ROOT, 'demo/data/territorio-inegi.geojson');
type TerritoryFeature = {
  properties: { nivel: 'estado' | 'municipio' | 'localidad'; cvegeo: string; nombre: string; pob: number; ambito?: string };
  geometry: unknown;
};
const SOURCE = 'INEGI, Marco Geoestadístico 2020 y Censo 2020 (copia simplificada)';

const MUNICIPALITIES: DemoMunicipality[] = [
  {
    id: '32056',
    name: 'Zacatecas',
    center: [-102.5832, 22.7709],
    population: 149_607,
    agebs: 34,
    colonias: [
      'Centro Histórico',
      'Las Huertas',
      'Lomas de la Soledad',
      'Sierra de Álica',
      'Felipe Ángeles',
      'Bancomer',
      'Alma Obrera',
      'Francisco E. García',
      'Las Palmas',
      'Lomas del Patrocinio',
      'Úrsulo A. García',
      'Toma de Zacatecas',
    ],
  },
  {
    id: '32017',
    name: 'Guadalupe',
    center: [-102.5178, 22.7475],
    population: 211_740,
    agebs: 40,
    colonias: [
      'Centro',
      'Villas de Guadalupe',
      'Lomas de Galicia',
      'Tierra y Libertad',
      'Ojo de Agua',
      'Las Fuentes',
      'Conquistadores',
      'Dependencias Federales',
      'Zona Industrial',
      'Barrio de San Ramón',
      'Lomas de Bracho',
      'La Fe',
    ],
  },
  {
    id: '32032',
    name: 'Morelos',
    center: [-102.6106, 22.8636],
    population: 13_207,
    agebs: 4,
    colonias: ['Centro', 'La Joya', 'Emiliano Zapata', 'Del Valle'],
  },
  {
    id: '32050',
    name: 'Vetagrande',
    center: [-102.5575, 22.8322],
    population: 10_276,
    agebs: 2,
    colonias: ['Centro', 'Minera', 'El Calvario', 'San Pedro'],
  },
  {
    id: '32057',
    name: 'Trancoso',
    center: [-102.365, 22.7372],
    population: 20_455,
    agebs: 6,
    colonias: ['Centro', 'Las Arboledas', 'San Isidro', 'La Ladrillera'],
  },
];

const DEPARTMENTS = [
  ['Instituto Municipal de Planeación', 'IMPLAN'],
  ['Secretaría de Obras Públicas', 'SOP'],
  ['Desarrollo Social', 'DS'],
  ['Desarrollo Urbano y Ecología', 'DUE'],
  ['Seguridad Pública', 'SSP'],
  ['Tesorería Municipal', 'TES'],
  ['Protección Civil', 'PC'],
] as const;

export const DEMO_USERS: { email: string; name: string; grants: [string | null, Role, string?][] }[] = [
  { email: 'admin@demo.brujula.mx', name: 'Administración Estatal (demo)', grants: [[null, 'admin']] },
  { email: 'admin.zacatecas@demo.brujula.mx', name: 'Administración Zacatecas (demo)', grants: [['32056', 'admin']] },
  { email: 'planeacion@demo.brujula.mx', name: 'Laura Méndez — IMPLAN Zacatecas (demo)', grants: [['32056', 'planner']] },
  { email: 'planeacion.guadalupe@demo.brujula.mx', name: 'Jorge Ruiz — IMPLAN Guadalupe (demo)', grants: [['32017', 'planner']] },
  { email: 'enlace.obras@demo.brujula.mx', name: 'Enlace Obras Públicas Zacatecas (demo)', grants: [['32056', 'enlace', 'SOP']] },
  { email: 'consejo@demo.brujula.mx', name: 'Consejo Ciudadano Zacatecas (demo)', grants: [['32056', 'council']] },
  { email: 'ciudadana@demo.brujula.mx', name: 'María Ciudadana (demo)', grants: [['32056', 'citizen']] },
];

/** Deterministic PRNG so every demo installation is identical. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pt = (p: [number, number]) => `${p[0].toFixed(6)} ${p[1].toFixed(6)}`;
const multipoint = (pts: [number, number][]) => `SRID=4326;MULTIPOINT(${pts.map((p) => `(${pt(p)})`).join(',')})`;

/** True when the database already holds demo data (or any municipality), so loading is skipped. */
export async function hasData(db: Kysely<DB>): Promise<boolean> {
  const r = await db
    .selectFrom('municipalities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n) > 0;
}

/** The demo's accounts and their roles, as the CLI lists them. */
export function demoAccounts(): { email: string; roles: string }[] {
  return DEMO_USERS.map((u) => ({
    email: u.email,
    roles: u.grants.map(([m, r, d]) => `${r}${d ? ` ${d}` : ''} @ ${m ?? 'todo el estado'}`).join(', '),
  }));
}

export async function loadDemo(db: Kysely<DB>): Promise<{ users: { email: string; roles: string }[] }> {
  const rand = mulberry32(32056);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await withActor(db, { userId: null, via: 'demo' }, async (trx) => {
    const territory: TerritoryFeature[] = JSON.parse(fs.readFileSync(TERRITORY, 'utf8')).features;
    const unit = (mid: string, f: TerritoryFeature, level: string) =>
      sql`insert into territorial_units (municipality_id, level, cvegeo, name, population, area_m2, attributes, geom)
          select ${mid}, ${level}, ${f.properties.cvegeo}, ${f.properties.nombre}, ${f.properties.pob}, ST_Area(g::geography),
                 ${JSON.stringify({ ...(f.properties.ambito && { ambito: f.properties.ambito }), fuente: SOURCE })}, g
            from (select ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(f.geometry)}), 4326)) as g) x`.execute(trx);
    for (const m of MUNICIPALITIES) {
      await trx.insertInto('municipalities').values({ id: m.id, cve_ent: '32', name: m.name, active: true, is_demo: true }).execute();
      const own = territory.filter((f) => f.properties.cvegeo.startsWith(m.id));
      for (const f of own.filter((x) => x.properties.nivel === 'municipio')) await unit(m.id, f, 'municipio');
      for (const f of own.filter((x) => x.properties.nivel === 'localidad')) await unit(m.id, f, 'localidad');

      // AGEB-like cells: Voronoi of seeded points inside the real cabecera, clipped to it; the
      // cabecera's Censo population is shared among them.
      const cab = `${m.id}0001`;
      const cabPop = own.find((f) => f.properties.cvegeo === cab)!.properties.pob;
      const weights = Array.from({ length: m.agebs }, () => 0.3 + rand());
      const wsum = weights.reduce((a, b) => a + b, 0);
      const agebPops = weights.map((w) => Math.round((cabPop * w) / wsum));
      const cabGeom = sql`(select geom from territorial_units where municipality_id = ${m.id} and level = 'localidad' and cvegeo = ${cab})`;
      // ST_GeneratePoints may return fewer points than asked for in an irregular polygon: ask for more, keep n.
      const points = (n: number, seed: number) =>
        sql`(select ST_Collect(geom) from (select d.geom from ${cabGeom} c, ST_Dump(ST_GeneratePoints(c.geom, ${2 * n}, ${seed})) d order by d.path[1] limit ${n}) p)`;
      await sql`insert into territorial_units (municipality_id, level, cvegeo, name, population, area_m2, attributes, geom)
        select ${m.id}, 'ageb', ${cab} || lpad(((ord * 7) % 1000)::text, 3, '0') || chr(48 + (ord % 10)::int),
               'AGEB ' || lpad(((ord * 7) % 1000)::text, 3, '0') || '-' || (ord % 10)::int,
               (${agebPops}::int[])[ord], ST_Area(g::geography), '{"fuente":"Datos de demostración (generados dentro de la localidad urbana del INEGI)"}', g
          from (select ST_Multi(ST_CollectionExtract(ST_Intersection(d.geom, c.geom), 3)) as g, row_number() over (order by ST_X(ST_Centroid(d.geom)), ST_Y(ST_Centroid(d.geom)))::int as ord
                  from ST_Dump(ST_VoronoiPolygons(${points(m.agebs, Number(m.id))})) d, ${cabGeom} c
                 where ST_Intersects(d.geom, c.geom)) x
         where not ST_IsEmpty(g) and ord <= ${m.agebs}`.execute(trx);

      // Colonias: coarser Voronoi cells over the same cabecera, the first one on its main square.
      const seeds = await sql<{ x: number; y: number }>`
        select ST_X(p) as x, ST_Y(p) as y from (
          select ST_ClosestPoint(c.geom, ST_SetSRID(ST_MakePoint(${m.center[0]}, ${m.center[1]}), 4326)) as p, 0 as i from ${cabGeom} c
          union all
          select d.geom, d.path[1] from ${cabGeom} c, ST_Dump(ST_GeneratePoints(c.geom, ${2 * m.colonias.length}, ${Number(m.id) + 1})) d) s
        order by i limit ${m.colonias.length}`.execute(trx);
      const cpts = seeds.rows.map((r) => [r.x, r.y] as [number, number]);
      for (const [i, name] of m.colonias.entries()) {
        await sql`insert into territorial_units (municipality_id, level, cvegeo, name, population, area_m2, attributes, geom)
          select ${m.id}, 'colonia', ${`${m.id}-COL-${String(i + 1).padStart(3, '0')}`}, ${name}, null, ST_Area(g::geography), '{"fuente":"Datos de demostración (generados dentro de la localidad urbana del INEGI)"}', g
            from (select ST_Multi(ST_CollectionExtract(ST_Intersection(d.geom, c.geom), 3)) as g
                    from ST_Dump(ST_VoronoiPolygons(ST_GeomFromEWKT(${multipoint(cpts)}))) d, ${cabGeom} c
                   where ST_Contains(d.geom, ST_SetSRID(ST_MakePoint(${cpts[i][0]}, ${cpts[i][1]}), 4326))) x
           where not ST_IsEmpty(g)`.execute(trx);
      }

      for (const [name, acronym] of DEPARTMENTS) {
        await trx.insertInto('departments').values({ municipality_id: m.id, name, acronym }).execute();
      }
    }
    // The state planning office's own tenant: NN000, INEGI's code for a state total.
    await trx
      .insertInto('municipalities')
      .values({ id: '32000', cve_ent: '32', name: 'Gobierno del Estado de Zacatecas', active: true, is_demo: true })
      .execute();
    await unit('32000', territory.find((f) => f.properties.nivel === 'estado')!, 'estado');
    const state = await trx
      .selectFrom('territorial_units')
      .select('id')
      .where('municipality_id', '=', '32000')
      .where('level', '=', 'estado')
      .execute();
    for (const [name, acronym] of [
      ['Coordinación Estatal de Planeación', 'COEPLA'],
      ['Secretaría de la Función Pública', 'SFP'],
      ['Secretaría de Finanzas', 'SEFIN'],
    ]) {
      await trx.insertInto('departments').values({ municipality_id: '32000', name, acronym }).execute();
    }
    await loadStateIndicators(trx, '32000', state[0].id);
    const deps = await trx.selectFrom('departments').select(['id', 'municipality_id', 'acronym']).execute();
    await loadMunicipalIndicators(
      trx,
      MUNICIPALITIES.map((m) => ({ id: m.id, population: m.population })),
      rand,
      (mid, acronym) => deps.find((d) => d.municipality_id === mid && d.acronym === acronym)?.id ?? null,
    );

    // Parents by INEGI key prefix, colonias to their municipio.
    await sql`update territorial_units t set parent_id = p.id from territorial_units p
               where p.municipality_id = t.municipality_id and (
                 (t.level = 'ageb' and p.level = 'localidad' and p.cvegeo = left(t.cvegeo, 9)) or
                 (t.level in ('localidad', 'colonia') and p.level = 'municipio'))`.execute(trx);

    for (const u of DEMO_USERS) {
      const user = await trx
        .insertInto('users')
        .values({
          email: u.email,
          name: u.name,
          password_hash: passwordHash,
          email_verified_at: new Date(),
          home_municipality_id: '32056',
          is_demo: true,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [mun, role, dep] of u.grants) {
        const department = dep
          ? await trx
              .selectFrom('departments')
              .select('id')
              .where('municipality_id', '=', mun!)
              .where('acronym', '=', dep)
              .executeTakeFirstOrThrow()
          : null;
        await trx
          .insertInto('role_grants')
          .values({ user_id: user.id, municipality_id: mun, role, department_id: department?.id ?? null })
          .execute();
      }
    }
    const uid = async (email: string) =>
      (await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    await loadPlansAndPoa(trx, {
      planner: await uid('planeacion@demo.brujula.mx'),
      council: await uid('consejo@demo.brujula.mx'),
      admin: await uid('admin.zacatecas@demo.brujula.mx'),
      enlace: await uid('enlace.obras@demo.brujula.mx'),
      state: await uid('admin@demo.brujula.mx'),
    });
    await loadGisLayers(trx);
    await loadParticipation(trx, {
      rand,
      passwordHash,
      planner: await uid('planeacion@demo.brujula.mx'),
      citizen: await uid('ciudadana@demo.brujula.mx'),
    });
    await loadEvaluation(trx, { rand, planner: await uid('planeacion@demo.brujula.mx'), council: await uid('consejo@demo.brujula.mx') });
    await trx.updateTable('installation').set({ institution_name: 'IMPLAN Zacatecas (demostración)', cve_ent: '32' }).execute();
  });
  return {
    users: demoAccounts(),
  };
}

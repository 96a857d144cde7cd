/**
 * DATOS DE DEMOSTRACIÓN — generated, not official. The zona metropolitana Zacatecas–Guadalupe and
 * three neighbours, with plausible localities, ~100 AGEB-like polygons, colonias, departments and
 * one demo user per role. Geometry is generated with PostGIS (Voronoi cells around seeded points)
 * near the real places, so maps look right. Municipal populations are INEGI's Censo 2020 counts;
 * names of small places, boundaries and every other number are invented.
 */
import { sql, type Kysely } from 'kysely';
import { withActor } from '../src/server/db/connection.ts';
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
  center: [number, number];
  population: number;
  /** Radius of the urban area in degrees. */
  urban: number;
  agebs: number;
  localities: string[];
  colonias: string[];
}

const MUNICIPALITIES: DemoMunicipality[] = [
  {
    id: '32056', name: 'Zacatecas', center: [-102.5832, 22.7709], population: 149_607, urban: 0.035, agebs: 34,
    localities: ['El Orito', 'La Escondida', 'Picones', 'Benito Juárez', 'El Maguey', 'Las Chilitas', 'Machines', 'San Antonio de los Negros'],
    colonias: ['Centro Histórico', 'Las Huertas', 'Lomas de la Soledad', 'Sierra de Álica', 'Felipe Ángeles', 'Bancomer', 'Alma Obrera', 'Francisco E. García', 'Las Palmas', 'Lomas del Patrocinio', 'Úrsulo A. García', 'Toma de Zacatecas'],
  },
  {
    id: '32017', name: 'Guadalupe', center: [-102.5178, 22.7475], population: 211_740, urban: 0.04, agebs: 40,
    localities: ['Tacoaleche', 'La Zacatecana', 'Zóquite', 'San Jerónimo', 'Santa Mónica', 'Martínez Domínguez', 'Cieneguitas', 'Ojo de Agua de la Palma', 'El Bordo'],
    colonias: ['Centro', 'Villas de Guadalupe', 'Lomas de Galicia', 'Tierra y Libertad', 'Ojo de Agua', 'Las Fuentes', 'Conquistadores', 'Dependencias Federales', 'Zona Industrial', 'Barrio de San Ramón', 'Lomas de Bracho', 'La Fe'],
  },
  {
    id: '32032', name: 'Morelos', center: [-102.6106, 22.8636], population: 13_207, urban: 0.012, agebs: 8,
    localities: ['Hacienda Nueva', 'Las Pilas', 'Noria de Gringos', 'El Pedregal'],
    colonias: ['Centro', 'La Joya', 'Emiliano Zapata', 'Del Valle'],
  },
  {
    id: '32050', name: 'Vetagrande', center: [-102.5575, 22.8322], population: 10_276, urban: 0.01, agebs: 8,
    localities: ['Sauceda de la Borda', 'Guadalupito', 'Llano de los Herrera', 'El Lampotal'],
    colonias: ['Centro', 'Minera', 'El Calvario', 'San Pedro'],
  },
  {
    id: '32057', name: 'Trancoso', center: [-102.365, 22.7372], population: 20_455, urban: 0.014, agebs: 10,
    localities: ['San José de la Era', 'La Soledad', 'Guadalupe Victoria', 'El Tepetate'],
    colonias: ['Centro', 'Las Arboledas', 'San Isidro', 'La Ladrillera'],
  },
];

/** Cabeceras of neighbouring municipalities that are not loaded: they only shape the Voronoi cells. */
const NEIGHBOUR_SEEDS: [number, number][] = [
  [-102.99, 22.65], [-102.87, 23.17], [-102.66, 22.9], [-102.54, 22.98], [-102.35, 23.05], [-102.26, 22.57],
  [-102.46, 22.49], [-102.88, 22.35], [-102.36, 22.46], [-102.11, 22.66], [-102.72, 22.62], [-102.2, 22.85],
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
  const r = await db.selectFrom('municipalities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n) > 0;
}

/** The demo's accounts and their roles, as the CLI lists them. */
export function demoAccounts(): { email: string; roles: string }[] {
  return DEMO_USERS.map((u) => ({ email: u.email, roles: u.grants.map(([m, r, d]) => `${r}${d ? ` ${d}` : ''} @ ${m ?? 'todo el estado'}`).join(', ') }));
}

export async function loadDemo(db: Kysely<DB>): Promise<{ users: { email: string; roles: string }[] }> {
  const rand = mulberry32(32056);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await withActor(db, { userId: null, via: 'demo' }, async (trx) => {
    const seeds = [...MUNICIPALITIES.map((m) => m.center), ...NEIGHBOUR_SEEDS];
    // Municipal boundaries: Voronoi cells of the cabeceras, bounded by the neighbours' cells,
    // with boundary vertices added so the outlines are not perfectly straight.
    await sql`create temp table demo_mun on commit drop as
      select ST_Segmentize((ST_Dump(ST_VoronoiPolygons(ST_GeomFromEWKT(${multipoint(seeds)})))).geom, 0.01) as cell`.execute(trx);
    for (const m of MUNICIPALITIES) {
      await trx.insertInto('municipalities').values({ id: m.id, cve_ent: '32', name: m.name, active: true, is_demo: true }).execute();
      await sql`insert into territorial_units (municipality_id, level, cvegeo, name, population, area_m2, attributes, geom)
        select ${m.id}, 'municipio', ${m.id}, ${m.name}, ${m.population}, ST_Area(g::geography), '{"fuente":"Datos de demostración"}', g
          from (select ST_Multi(cell) as g
                  from demo_mun where ST_Contains(cell, ST_SetSRID(ST_MakePoint(${m.center[0]}, ${m.center[1]}), 4326))) x`.execute(trx);

      // Urban locality (cabecera) plus rural localities scattered in the municipality.
      const cab = `${m.id}0001`;
      const urbanPop = Math.round(m.population * 0.82);
      // The urban area is a blob: the union of discs around points scattered near the centre.
      const blob: [number, number, number][] = [[m.center[0], m.center[1], m.urban * 0.75]];
      for (let i = 0; i < 7; i++) {
        const a = rand() * Math.PI * 2;
        const r = m.urban * (0.35 + rand() * 0.45);
        blob.push([m.center[0] + Math.cos(a) * r, m.center[1] + Math.sin(a) * r * 0.8, m.urban * (0.3 + rand() * 0.35)]);
      }
      await sql`insert into territorial_units (municipality_id, level, cvegeo, name, population, area_m2, attributes, geom)
        select ${m.id}, 'localidad', ${cab}, ${m.name}, ${urbanPop}, ST_Area(g::geography), '{"ambito":"URBANO","fuente":"Datos de demostración"}', g
          from (select ST_Multi(ST_CollectionExtract(ST_Intersection(
                         ST_Buffer(ST_Union(ST_Buffer(ST_SetSRID(ST_MakePoint(b.x, b.y), 4326), b.r, 8)), 0.002, 4),
                         (select geom from territorial_units where municipality_id = ${m.id} and level = 'municipio')), 3)) as g
                  from unnest(${blob.map((b) => b[0])}::float8[], ${blob.map((b) => b[1])}::float8[], ${blob.map((b) => b[2])}::float8[]) as b(x, y, r)) x`.execute(trx);
      // Rural localities: seeded random points inside the municipality, away from the city.
      let rest = m.population - urbanPop;
      const pops = m.localities.map((_, i) => {
        const pop = i === m.localities.length - 1 ? rest : Math.round(rest * (0.15 + rand() * 0.2));
        rest -= pop;
        return pop;
      });
      const radii = m.localities.map(() => 0.003 + rand() * 0.004);
      const keys = m.localities.map((_, i) => `${m.id}${String(10 + i * 7).padStart(4, '0')}`);
      await sql`insert into territorial_units (municipality_id, level, cvegeo, name, population, area_m2, attributes, geom)
        select ${m.id}, 'localidad', (${keys}::text[])[p.i], (${m.localities}::text[])[p.i], (${pops}::int[])[p.i],
               ST_Area(g::geography), '{"ambito":"RURAL","fuente":"Datos de demostración"}', g
          from (select d.path[1] as i, ST_Multi(ST_Buffer(d.geom, (${radii}::float8[])[d.path[1]], 6)) as g
                  from ST_Dump(ST_GeneratePoints(
                         (select ST_Difference(ST_Buffer(mun.geom, -0.01), ST_Buffer(urb.geom, 0.012))
                            from territorial_units mun, territorial_units urb
                           where mun.municipality_id = ${m.id} and mun.level = 'municipio'
                             and urb.municipality_id = ${m.id} and urb.level = 'localidad' and urb.cvegeo = ${cab}),
                         ${m.localities.length}, ${Number(m.id)})) d) p`.execute(trx);

      // AGEB-like cells: Voronoi of points clustered towards the centre, clipped to the cabecera.
      const pts: [number, number][] = [];
      for (let i = 0; i < m.agebs; i++) {
        const r = m.urban * Math.sqrt(rand()) * 0.95;
        const a = rand() * Math.PI * 2;
        pts.push([m.center[0] + Math.cos(a) * r, m.center[1] + Math.sin(a) * r]);
      }
      const weights = pts.map(() => 0.3 + rand());
      const wsum = weights.reduce((a, b) => a + b, 0);
      const agebPops = weights.map((w) => Math.round((urbanPop * w) / wsum));
      await sql`insert into territorial_units (municipality_id, level, cvegeo, name, population, area_m2, attributes, geom)
        select ${m.id}, 'ageb', ${cab} || lpad(((ord * 7) % 1000)::text, 3, '0') || chr(48 + (ord % 10)::int),
               'AGEB ' || lpad(((ord * 7) % 1000)::text, 3, '0') || '-' || (ord % 10)::int,
               (${agebPops}::int[])[ord], ST_Area(g::geography), '{"fuente":"Datos de demostración"}', g
          from (select ST_Multi(ST_CollectionExtract(ST_Intersection(d.geom, c.geom), 3)) as g, row_number() over (order by ST_X(ST_Centroid(d.geom)), ST_Y(ST_Centroid(d.geom)))::int as ord
                  from ST_Dump(ST_VoronoiPolygons(ST_GeomFromEWKT(${multipoint(pts)}))) d,
                       (select geom from territorial_units where municipality_id = ${m.id} and level = 'localidad' and cvegeo = ${cab}) c
                 where ST_Intersects(d.geom, c.geom)) x
         where not ST_IsEmpty(g)`.execute(trx);

      // Colonias: coarser Voronoi cells over the same urban area, with the installation's own keys.
      const cpts: [number, number][] = m.colonias.map((_, i) => {
        const r = m.urban * (i === 0 ? 0.05 : Math.sqrt(rand()) * 0.9);
        const a = rand() * Math.PI * 2;
        return [m.center[0] + Math.cos(a) * r, m.center[1] + Math.sin(a) * r];
      });
      for (const [i, name] of m.colonias.entries()) {
        await sql`insert into territorial_units (municipality_id, level, cvegeo, name, population, area_m2, attributes, geom)
          select ${m.id}, 'colonia', ${`${m.id}-COL-${String(i + 1).padStart(3, '0')}`}, ${name}, null, ST_Area(g::geography), '{"fuente":"Datos de demostración"}', g
            from (select ST_Multi(ST_CollectionExtract(ST_Intersection(d.geom, c.geom), 3)) as g
                    from ST_Dump(ST_VoronoiPolygons(ST_GeomFromEWKT(${multipoint(cpts)}))) d,
                         (select geom from territorial_units where municipality_id = ${m.id} and level = 'localidad' and cvegeo = ${cab}) c
                   where ST_Contains(d.geom, ST_SetSRID(ST_MakePoint(${cpts[i][0]}, ${cpts[i][1]}), 4326))) x
           where not ST_IsEmpty(g)`.execute(trx);
      }

      for (const [name, acronym] of DEPARTMENTS) {
        await trx.insertInto('departments').values({ municipality_id: m.id, name, acronym }).execute();
      }
    }
    // The state planning office's own tenant: NN000, INEGI's code for a state total.
    await trx.insertInto('municipalities').values({ id: '32000', cve_ent: '32', name: 'Gobierno del Estado de Zacatecas', active: true, is_demo: true }).execute();
    const state = await sql<{ id: number }>`insert into territorial_units (municipality_id, level, cvegeo, name, population, area_m2, attributes, geom)
        select '32000', 'estado', '32', 'Zacatecas', 1622138, ST_Area(g::geography), '{"fuente":"Población: INEGI, Censo 2020; límite: datos de demostración"}', g
          from (select ST_Multi(ST_Union(cell)) as g from demo_mun) x
        returning id`.execute(trx);
    for (const [name, acronym] of [['Coordinación Estatal de Planeación', 'COEPLA'], ['Secretaría de la Función Pública', 'SFP'], ['Secretaría de Finanzas', 'SEFIN']]) {
      await trx.insertInto('departments').values({ municipality_id: '32000', name, acronym }).execute();
    }
    await loadStateIndicators(trx, '32000', state.rows[0].id);
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
        .values({ email: u.email, name: u.name, password_hash: passwordHash, email_verified_at: new Date(), home_municipality_id: '32056', is_demo: true })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [mun, role, dep] of u.grants) {
        const department = dep
          ? await trx.selectFrom('departments').select('id').where('municipality_id', '=', mun!).where('acronym', '=', dep).executeTakeFirstOrThrow()
          : null;
        await trx.insertInto('role_grants').values({ user_id: user.id, municipality_id: mun, role, department_id: department?.id ?? null }).execute();
      }
    }
    const uid = async (email: string) => (await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    await loadPlansAndPoa(trx, {
      planner: await uid('planeacion@demo.brujula.mx'),
      council: await uid('consejo@demo.brujula.mx'),
      admin: await uid('admin.zacatecas@demo.brujula.mx'),
      enlace: await uid('enlace.obras@demo.brujula.mx'),
      state: await uid('admin@demo.brujula.mx'),
    });
    await loadGisLayers(trx);
    await loadParticipation(trx, { rand, passwordHash, planner: await uid('planeacion@demo.brujula.mx'), citizen: await uid('ciudadana@demo.brujula.mx') });
    await loadEvaluation(trx, { rand, planner: await uid('planeacion@demo.brujula.mx'), council: await uid('consejo@demo.brujula.mx') });
    await trx.updateTable('installation').set({ institution_name: 'IMPLAN Zacatecas (demostración)', cve_ent: '32' }).execute();
  });
  return {
    users: demoAccounts(),
  };
}

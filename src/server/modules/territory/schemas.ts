import { Type } from 'typebox';
import { BBox, Nullable } from '../../schemas.ts';
import { LEVELS as ALL_LEVELS } from './levels.ts';

/** What the territory routes answer (and the web app's types of them). */

export const Level = Type.Union(
  ALL_LEVELS.map((l) => Type.Literal(l)),
  { description: 'estado, municipio, localidad, ageb, manzana, colonia o poligono' },
);

const Areas = {
  areaKm2: Nullable(Type.Number({ description: 'Superficie geodésica (sobre el elipsoide WGS 84), en km²' })),
  areaKm2Planar: Nullable(
    Type.Number({
      description:
        'Superficie plana en EPSG:6372 (cónica conforme de Lambert), la que publican las tablas de INEGI; ~1 % menor en Zacatecas',
    }),
  ),
};

export const MunicipalityOut = Type.Object({
  id: Type.String(),
  cveEnt: Type.String(),
  name: Type.String(),
  active: Type.Boolean(),
  isDemo: Type.Boolean(),
  population: Nullable(Type.Integer()),
  ...Areas,
});

export const States = Type.Array(
  Type.Object({ cveEnt: Type.String(), name: Type.String(), abbreviation: Type.String(), activeMunicipalities: Type.Integer() }),
);
export const MunicipalityDetail = Type.Object({
  ...MunicipalityOut.properties,
  unitId: Nullable(Type.Integer()),
  bbox: Nullable(BBox),
  levels: Type.Record(Type.String(), Type.Integer()),
});

export const UnitOut = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.String(),
  level: Type.String(),
  cvegeo: Type.String(),
  name: Type.String(),
  parentId: Nullable(Type.Integer()),
  population: Nullable(Type.Integer()),
  ...Areas,
  updatedAt: Type.String({ format: 'date-time' }),
});

export const Problem = Type.Object({ n: Type.Integer(), key: Nullable(Type.String()), reason: Type.String() });
export const ImportReportOut = Type.Object({
  importId: Nullable(Type.Integer()),
  dryRun: Type.Boolean(),
  committed: Type.Boolean(),
  format: Type.String(),
  layer: Nullable(Type.String()),
  layers: Type.Array(Type.String()),
  fields: Type.Array(Type.String()),
  sourceSrid: Type.Integer(),
  level: Type.String(),
  features: Type.Integer(),
  valid: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  repaired: Type.Array(Problem),
  rejected: Type.Array(Problem),
  unnamed: Type.Array(
    Type.Object({ ...Problem.properties, choice: Type.Union([Type.Literal('reject'), Type.Literal('skip'), Type.Literal('key')]) }),
    {
      description: 'Elementos sin nombre: rechazados hasta elegir (missingName) omitirlos o usar la clave como nombre',
    },
  ),
  municipalities: Type.Array(Type.String()),
  population: Nullable(Type.Integer()),
  warnings: Type.Array(Type.String()),
});

const km2 = (m2: number | null) => (m2 === null ? null : Math.round(m2 / 1e4) / 100);

export const municipalityOut = (m: {
  id: string;
  cve_ent: string;
  name: string;
  active: boolean;
  is_demo: boolean;
  population: number | null;
  area_m2: number | null;
  area_planar_m2: number | null;
}) => ({
  id: m.id,
  cveEnt: m.cve_ent,
  name: m.name,
  active: m.active,
  isDemo: m.is_demo,
  population: m.population,
  areaKm2: km2(m.area_m2),
  areaKm2Planar: km2(m.area_planar_m2),
});

export const unitOut = (u: {
  id: number;
  municipality_id: string;
  level: string;
  cvegeo: string;
  name: string;
  parent_id: number | null;
  population: number | null;
  area_m2: number | null;
  area_planar_m2: number | null;
  updated_at: Date | string;
}) => ({
  id: u.id,
  municipalityId: u.municipality_id,
  level: u.level,
  cvegeo: u.cvegeo,
  name: u.name,
  parentId: u.parent_id,
  population: u.population,
  areaKm2: km2(u.area_m2),
  areaKm2Planar: km2(u.area_planar_m2),
  updatedAt: new Date(u.updated_at).toISOString(),
});

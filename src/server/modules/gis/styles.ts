import { sql, type Kysely, type Transaction } from 'kysely';
import * as ss from 'simple-statistics';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import type { Estilo } from './schemas.ts';

// Natural breaks on more values than this run on evenly spaced quantiles of the data (same shape, bounded cost).
const SAMPLE = 5000;

type Db = Kysely<DB> | Transaction<DB>;

/** Numeric values summary of an attribute and its class breaks (the upper bounds of all classes but the last). */
export async function classify(
  db: Db,
  layerId: number,
  campo: string,
  metodo: Exclude<Estilo['metodo'], 'manual' | undefined>,
  clases: number,
) {
  if (clases < 2 || clases > 9) throw new AppError('BRJ_ERR_VALIDATION', 'El número de clases va de 2 a 9.');
  const num = sql`(properties->>${campo})::float8`;
  const has = sql`layer_id = ${layerId} and jsonb_typeof(properties->${campo}) = 'number'`;
  const s = await sql<{
    n: number;
    min: number | null;
    max: number | null;
  }>`select count(*)::int as n, min(${num}) as min, max(${num}) as max from gis_features where ${has}`.execute(db);
  const { n, min, max } = s.rows[0];
  if (!n || min === null || max === null)
    throw new AppError('BRJ_ERR_VALIDATION', `El atributo «${campo}» no tiene valores numéricos para clasificar.`);
  let cortes: number[] = [];
  if (metodo === 'igual') {
    cortes = ss.equalIntervalBreaks([min, max], clases).slice(1, -1);
  } else if (metodo === 'cuantiles') {
    const fr = Array.from({ length: clases - 1 }, (_, i) => (i + 1) / clases);
    const r = await sql<{
      q: number[];
    }>`select percentile_cont(${fr}::float8[]) within group (order by ${num}) as q from gis_features where ${has}`.execute(db);
    cortes = r.rows[0].q;
  } else {
    const values =
      n <= SAMPLE
        ? (await sql<{ v: number }>`select ${num} as v from gis_features where ${has}`.execute(db)).rows.map((r) => r.v)
        : (
            await sql<{
              q: number[];
            }>`select percentile_disc(${Array.from({ length: SAMPLE }, (_, i) => i / (SAMPLE - 1))}::float8[]) within group (order by ${num}) as q from gis_features where ${has}`.execute(
              db,
            )
          ).rows[0].q;
    const groups = ss.ckmeans(values, Math.min(clases, new Set(values).size));
    // A break sits between two groups: the start of the next one (values >= break fall in the next class).
    cortes = groups.slice(1).map((g) => g[0]);
  }
  cortes = [...new Set(cortes.map((c) => round(c)))].filter((c) => c > min && c <= max).sort((a, b) => a - b);
  return { campo, metodo, clases: cortes.length + 1, n, min, max, cortes };
}

const round = (v: number) => Number(v.toPrecision(6));

/** Distinct values of an attribute with their counts (most frequent first), for categorized styles and filters. */
export async function attributeValues(db: Db, layerId: number, campo: string, limit = 50) {
  const r = await sql<{ valor: unknown; n: number }>`
    select properties->${campo} as valor, count(*)::int as n from gis_features where layer_id = ${layerId}
     group by 1 order by 2 desc, 1 limit ${limit + 1}`.execute(db);
  return { campo, valores: r.rows.slice(0, limit), mas: r.rows.length > limit };
}

const HEX = /^#[0-9a-fA-F]{6}$/;

/** Checks a style against the layer's attributes and fills in the class breaks from the data. */
export async function normaliseStyle(
  db: Db,
  layer: { id: number; atributos: { name: string; type: string }[] },
  e: Estilo,
): Promise<Estilo> {
  const bad = (m: string) => new AppError('BRJ_ERR_VALIDATION', m);
  for (const c of [e.color, ...(e.colores ?? []), ...(e.categorias ?? []).map((x) => x.color)])
    if (c !== undefined && !HEX.test(c)) throw bad(`Color no válido: «${c}». Use #RRGGBB.`);
  if (e.opacidad !== undefined && !(e.opacidad >= 0 && e.opacidad <= 1)) throw bad('La opacidad va de 0 a 1.');
  if (e.tipo === 'unico') return { tipo: 'unico', color: e.color ?? '#0b5d4b', opacidad: e.opacidad };
  const attr = layer.atributos.find((a) => a.name === e.campo);
  if (!attr) throw bad(`La capa no tiene el atributo «${e.campo ?? ''}».`);
  if (e.tipo === 'categorias') {
    if (!e.categorias?.length) throw bad('Indique al menos una categoría con su color.');
    return {
      tipo: 'categorias',
      campo: attr.name,
      color: e.color ?? '#9e9e9e',
      opacidad: e.opacidad,
      categorias: e.categorias.slice(0, 50),
    };
  }
  if (attr.type !== 'integer' && attr.type !== 'number')
    throw bad(`«${attr.name}» es de tipo ${attr.type}; el estilo graduado necesita un atributo numérico.`);
  const metodo = e.metodo ?? 'cuantiles';
  let cortes: number[];
  if (metodo === 'manual') {
    cortes = [...(e.cortes ?? [])].sort((a, b) => a - b);
    if (!cortes.length) throw bad('Con cortes manuales indique al menos un corte.');
  } else cortes = (await classify(db, layer.id, attr.name, metodo, e.clases ?? 5)).cortes;
  const colores = e.colores ?? [];
  if (colores.length < 2) throw bad('Indique la rampa de colores (al menos dos).');
  // Fewer classes than asked (few distinct values): spread the ramp's colours over them.
  const k = cortes.length + 1;
  const spread = k === 1 ? [colores[0]] : Array.from({ length: k }, (_, i) => colores[Math.round((i * (colores.length - 1)) / (k - 1))]);
  return { tipo: 'graduado', campo: attr.name, metodo, clases: k, cortes, colores: spread, opacidad: e.opacidad };
}

/** After new data: class breaks follow the data; a style on an attribute that is gone becomes one colour. */
export async function refreshStyle(
  db: Db,
  layer: { id: number; atributos: { name: string; type: string }[]; estilo: Record<string, unknown> },
): Promise<Estilo | null> {
  const e = layer.estilo as unknown as Estilo;
  if (!e?.tipo || e.tipo === 'unico') return null;
  try {
    return await normaliseStyle(db, layer, e);
  } catch (err) {
    if (err instanceof AppError) return { tipo: 'unico', color: e.color ?? '#0b5d4b', opacidad: e.opacidad };
    throw err;
  }
}

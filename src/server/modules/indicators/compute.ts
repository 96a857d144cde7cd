import { sql, type Kysely } from 'kysely';
import type { DB, TerritorialLevel } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { parseFormula, toSql, variablesOf } from './formula.ts';

export interface ComputedValue {
  unitId: number;
  cvegeo: string;
  unitName: string;
  periodo: string;
  desagregacion: string;
  valor: number | null;
  motivo: string | null;
}

interface Options {
  /** Level of the units to compute for. */
  level: TerritorialLevel;
  /**
   * Compute `level` from observations stored at this finer level: counts are summed up to each
   * unit of `level` (by INEGI key prefix, or the whole municipality for 'municipio') and the
   * formula is applied to the sums — ratios are recomputed from their parts, never averaged.
   */
  rollupFrom?: TerritorialLevel;
  periodo?: string;
  desagregacion?: string;
  unitId?: number;
}

/**
 * Evaluates an indicator's formula in one SQL statement for every unit of a level, every period and
 * every disaggregation that has data.
 */
export async function computeIndicator(db: Kysely<DB>, municipalityId: string, formula: string, opts: Options): Promise<ComputedValue[]> {
  const tree = parseFormula(formula);
  const names = [...variablesOf(tree)];
  const vars = await db
    .selectFrom('indicator_variables')
    .select(['id', 'clave', 'agregacion'])
    .where('municipality_id', '=', municipalityId)
    .where('clave', 'in', names.length ? names : [''])
    .execute();
  const byName = new Map(vars.map((v) => [v.clave, v]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length) throw new AppError('BRJ_ERR_VALIDATION', `La fórmula usa variables que no existen: ${unknown.join(', ')}.`);
  if (opts.rollupFrom) {
    const notAdditive = vars.filter((v) => v.agregacion !== 'suma').map((v) => v.clave);
    if (notAdditive.length) {
      throw new AppError('BRJ_ERR_VALIDATION', `No se puede agregar a ${opts.level}: ${notAdditive.join(', ')} no son conteos sumables.`);
    }
  }
  // Columns v0, v1… are our own names; variable ids and every value travel as parameters.
  const alias = new Map(names.map((n, i) => [n, `v${i}`]));
  const { value, reason } = toSql(tree, (name) => sql.ref(`p.${alias.get(name)}`));
  const pivots = names.map((n) => sql`max(b.valor) filter (where b.variable_id = ${byName.get(n)!.id}) as ${sql.ref(alias.get(n)!)}`);
  const ids = vars.map((v) => v.id);

  // The units of the level, fetched once: the big query then needs no join to them, and its
  // rows are put in CVEGEO order by unit in JS (they come grouped by unit already).
  const units = await db
    .selectFrom('shared_units')
    .select(['id', 'cvegeo', 'name'])
    .where('municipality_id', '=', municipalityId)
    .where('level', '=', opts.level)
    .$if(!!opts.unitId, (q) => q.where('id', '=', opts.unitId!))
    .orderBy('cvegeo')
    .execute();
  if (units.length === 0) return [];
  const unitIds = units.map((u) => u.id);

  const base = opts.rollupFrom
    ? sql`select t.id as unit_id, o.variable_id, o.periodo, o.desagregacion, sum(o.valor) as valor
            from indicator_observations o
            join shared_units u on u.id = o.unit_id and u.level = ${opts.rollupFrom}
            join shared_units t on t.id = any(${unitIds}::bigint[]) and t.municipality_id = u.municipality_id
                 and (${opts.level} = 'municipio' or left(u.cvegeo, length(t.cvegeo)) = t.cvegeo)
           where o.municipality_id = ${municipalityId} and o.variable_id = any(${ids}::bigint[])
           group by t.id, o.variable_id, o.periodo, o.desagregacion`
    : sql`select o.unit_id, o.variable_id, o.periodo, o.desagregacion, o.valor
            from indicator_observations o
           where o.municipality_id = ${municipalityId} and o.variable_id = any(${ids}::bigint[])
             and o.unit_id = any(${unitIds}::bigint[])`;

  const filters = [
    opts.periodo ? sql`and b.periodo = ${opts.periodo}` : sql``,
    opts.desagregacion ? sql`and b.desagregacion = ${opts.desagregacion}` : sql``,
  ];
  const rows = await sql<{
    unit_id: number | string;
    periodo: string;
    desagregacion: string;
    valor: string | number | null;
    motivo: string | null;
  }>`
    with b as (${base}),
    p as (
      select b.unit_id, b.periodo, b.desagregacion, ${sql.join(pivots)}
        from b where true ${sql.join(filters, sql` `)}
       group by b.unit_id, b.periodo, b.desagregacion
    )
    select p.unit_id, p.periodo, p.desagregacion, ${value} as valor, ${reason} as motivo
      from p
     order by p.unit_id, p.periodo, p.desagregacion`.execute(db);
  const byUnit = new Map<number, typeof rows.rows>();
  for (const r of rows.rows) {
    const id = Number(r.unit_id);
    let list = byUnit.get(id);
    if (!list) byUnit.set(id, (list = []));
    list.push(r);
  }
  const out: ComputedValue[] = [];
  for (const u of units) {
    for (const r of byUnit.get(u.id) ?? []) {
      out.push({
        unitId: u.id,
        cvegeo: u.cvegeo,
        unitName: u.name,
        periodo: r.periodo,
        desagregacion: r.desagregacion,
        valor: r.valor === null ? null : Number(r.valor),
        motivo: r.motivo,
      });
    }
  }
  return out;
}

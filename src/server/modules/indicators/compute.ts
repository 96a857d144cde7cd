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
export async function computeIndicator(
  db: Kysely<DB>,
  municipalityId: string,
  formula: string,
  opts: Options,
): Promise<ComputedValue[]> {
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

  const base = opts.rollupFrom
    ? sql`select t.id as unit_id, o.variable_id, o.periodo, o.desagregacion, sum(o.valor) as valor
            from indicator_observations o
            join territorial_units u on u.id = o.unit_id and u.level = ${opts.rollupFrom}
            join territorial_units t on t.municipality_id = u.municipality_id and t.level = ${opts.level}
                 and (${opts.level} = 'municipio' or left(u.cvegeo, length(t.cvegeo)) = t.cvegeo)
           where o.municipality_id = ${municipalityId} and o.variable_id = any(${ids}::bigint[])
           group by t.id, o.variable_id, o.periodo, o.desagregacion`
    : sql`select o.unit_id, o.variable_id, o.periodo, o.desagregacion, o.valor
            from indicator_observations o
            join territorial_units u on u.id = o.unit_id and u.level = ${opts.level}
           where o.municipality_id = ${municipalityId} and o.variable_id = any(${ids}::bigint[])`;

  const filters = [
    opts.periodo ? sql`and b.periodo = ${opts.periodo}` : sql``,
    opts.desagregacion ? sql`and b.desagregacion = ${opts.desagregacion}` : sql``,
    opts.unitId ? sql`and b.unit_id = ${opts.unitId}` : sql``,
  ];
  const rows = await sql<{ unit_id: number; cvegeo: string; name: string; periodo: string; desagregacion: string; valor: string | number | null; motivo: string | null }>`
    with b as (${base}),
    p as (
      select b.unit_id, b.periodo, b.desagregacion, ${sql.join(pivots)}
        from b where true ${sql.join(filters, sql` `)}
       group by b.unit_id, b.periodo, b.desagregacion
    )
    select p.unit_id, u.cvegeo, u.name, p.periodo, p.desagregacion, ${value} as valor, ${reason} as motivo
      from p join territorial_units u on u.id = p.unit_id
     order by u.cvegeo, p.periodo, p.desagregacion`.execute(db);
  return rows.rows.map((r) => ({
    unitId: Number(r.unit_id),
    cvegeo: r.cvegeo,
    unitName: r.name,
    periodo: r.periodo,
    desagregacion: r.desagregacion,
    valor: r.valor === null ? null : Number(r.valor),
    motivo: r.motivo,
  }));
}

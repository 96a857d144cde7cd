import type { Insertable, Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB, TerritorialLevel } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { hasRole, type SessionUser } from '../../plugins/auth.ts';
import { computeIndicator } from './compute.ts';
import { FormulaError, parseFormula, variablesOf } from './formula.ts';
import type { CreateIndicatorBody } from './schemas.ts';
import { avance, metaFor, semaforo } from './semaforo.ts';

/** Who sees drafts: the municipality's staff and its Consejo Ciudadano. */
export const canSeeDrafts = (user: SessionUser | null, municipalityId: string) =>
  hasRole(user, ['planner', 'council', 'enlace'], municipalityId);

const toRow = (b: Partial<CreateIndicatorBody>) => ({
  ...(b.nombre !== undefined && { nombre: b.nombre }),
  ...(b.tema !== undefined && { theme_code: b.tema }),
  ...(b.odsMeta !== undefined && { ods_meta: b.odsMeta }),
  ...(b.definicion !== undefined && { definicion: b.definicion }),
  ...(b.metodoCalculo !== undefined && { metodo_calculo: b.metodoCalculo }),
  ...(b.formula !== undefined && { formula: b.formula.trim() }),
  ...(b.unidadMedida !== undefined && { unidad_medida: b.unidadMedida }),
  ...(b.tipo !== undefined && { tipo: b.tipo }),
  ...(b.dimension !== undefined && { dimension: b.dimension }),
  ...(b.frecuencia !== undefined && { frecuencia: b.frecuencia }),
  ...(b.sentido !== undefined && { sentido: b.sentido }),
  ...(b.lineaBaseValor !== undefined && { linea_base_valor: b.lineaBaseValor }),
  ...(b.lineaBaseAnio !== undefined && { linea_base_anio: b.lineaBaseAnio }),
  ...(b.semaforoVerde !== undefined && { semaforo_verde: b.semaforoVerde }),
  ...(b.semaforoAmarillo !== undefined && { semaforo_amarillo: b.semaforoAmarillo }),
  ...(b.departmentId !== undefined && { department_id: b.departmentId }),
  ...(b.cobertura !== undefined && { cobertura: b.cobertura }),
  ...(b.desagregaciones !== undefined && { desagregaciones: b.desagregaciones }),
  ...(b.nivelMir !== undefined && { nivel_mir: b.nivelMir }),
  ...(b.decimales !== undefined && { decimales: b.decimales }),
  ...(b.notas !== undefined && { notas: b.notas }),
  ...(b.estado !== undefined && { estado: b.estado }),
});

/** Checks what the schema cannot: theme, department, thresholds, and a formula over existing variables. */
async function validate(
  db: Kysely<DB>,
  municipalityId: string,
  b: Partial<CreateIndicatorBody>,
  current?: { semaforo_verde: number; semaforo_amarillo: number },
) {
  if (b.tema !== undefined && !(await db.selectFrom('indicator_themes').select('code').where('code', '=', b.tema).executeTakeFirst())) {
    throw new AppError('BRJ_ERR_VALIDATION', `El tema "${b.tema}" no existe.`);
  }
  if (b.departmentId != null) {
    const dep = await db
      .selectFrom('shared_departments')
      .select('id')
      .where('id', '=', b.departmentId)
      .where('municipality_id', '=', municipalityId)
      .executeTakeFirst();
    if (!dep) throw new AppError('BRJ_ERR_VALIDATION', 'La unidad responsable no pertenece a este municipio.');
  }
  const verde = b.semaforoVerde ?? current?.semaforo_verde ?? 5;
  const amarillo = b.semaforoAmarillo ?? current?.semaforo_amarillo ?? 15;
  if (amarillo < verde) throw new AppError('BRJ_ERR_VALIDATION', 'El umbral amarillo debe ser mayor o igual que el verde.');
  if (b.formula !== undefined) {
    let names: string[];
    try {
      names = [...variablesOf(parseFormula(b.formula))];
    } catch (e) {
      if (e instanceof FormulaError) throw new AppError('BRJ_ERR_VALIDATION', `Fórmula no válida: ${e.message}`);
      throw e;
    }
    if (names.length === 0) throw new AppError('BRJ_ERR_VALIDATION', 'La fórmula debe usar al menos una variable.');
    const found = await db
      .selectFrom('indicator_variables')
      .select('clave')
      .where('municipality_id', '=', municipalityId)
      .where('clave', 'in', names)
      .execute();
    const missing = names.filter((n) => !found.some((f) => f.clave === n));
    if (missing.length)
      throw new AppError('BRJ_ERR_VALIDATION', `La fórmula usa variables que no existen: ${missing.join(', ')}. Créelas primero.`);
  }
}

export async function createIndicator(db: Kysely<DB>, actor: Actor, municipalityId: string, b: CreateIndicatorBody) {
  await validate(db, municipalityId, b);
  const exists = await db
    .selectFrom('indicators')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('clave', '=', b.clave)
    .executeTakeFirst();
  if (exists) throw new AppError('BRJ_ERR_CONFLICT', `Ya existe un indicador con la clave ${b.clave}.`);
  return withActor(db, actor, (trx) =>
    trx
      .insertInto('indicators')
      .values({ municipality_id: municipalityId, clave: b.clave, ...toRow(b) } as never)
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
}

export async function updateIndicator(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  clave: string,
  b: Partial<CreateIndicatorBody>,
) {
  const current = await db
    .selectFrom('indicators')
    .select(['id', 'semaforo_verde', 'semaforo_amarillo'])
    .where('municipality_id', '=', municipalityId)
    .where('clave', '=', clave)
    .executeTakeFirst();
  if (!current) throw new AppError('BRJ_ERR_NOT_FOUND', 'El indicador no existe.');
  await validate(db, municipalityId, b, {
    semaforo_verde: Number(current.semaforo_verde),
    semaforo_amarillo: Number(current.semaforo_amarillo),
  });
  await withActor(db, actor, (trx) =>
    trx
      .updateTable('indicators')
      .set({ ...toRow(b), updated_at: new Date() })
      .where('id', '=', current.id)
      .execute(),
  );
}

export async function getIndicator(db: Kysely<DB>, municipalityId: string, clave: string, user: SessionUser | null) {
  const ind = await db
    .selectFrom('indicators as i')
    .innerJoin('indicator_themes as t', 't.code', 'i.theme_code')
    .leftJoin('shared_departments as d', 'd.id', 'i.department_id')
    .selectAll('i')
    .select(['t.name as theme_name', 'd.name as department_name'])
    .where('i.municipality_id', '=', municipalityId)
    .where('i.clave', '=', clave)
    .executeTakeFirst();
  // A draft is invisible (404, not 403) to whoever may not see drafts, so its existence does not leak.
  if (!ind || (ind.estado !== 'publicado' && !canSeeDrafts(user, municipalityId))) {
    throw new AppError('BRJ_ERR_NOT_FOUND', 'El indicador no existe o no está publicado.');
  }
  return ind;
}

export async function values(
  db: Kysely<DB>,
  ind: {
    municipality_id: string;
    id: number;
    formula: string;
    sentido: 'ascendente' | 'descendente';
    semaforo_verde: number;
    semaforo_amarillo: number;
    linea_base_valor: number | null;
  },
  q: { level: TerritorialLevel; rollupFrom?: TerritorialLevel; periodo?: string; desagregacion?: string; unitId?: number },
) {
  const [rows, metas] = await Promise.all([
    computeIndicator(db, ind.municipality_id, ind.formula, q),
    db.selectFrom('indicator_targets').select(['anio', 'trimestre', 'valor']).where('indicator_id', '=', ind.id).execute(),
  ]);
  const verde = Number(ind.semaforo_verde);
  const amarillo = Number(ind.semaforo_amarillo);
  const base = ind.linea_base_valor === null ? null : Number(ind.linea_base_valor);
  const m = metas.map((x) => ({ anio: x.anio, trimestre: x.trimestre, valor: Number(x.valor) }));
  return rows.map((r) => {
    const meta = metaFor(r.periodo, m);
    return {
      unitId: r.unitId,
      cvegeo: r.cvegeo,
      unidad: r.unitName,
      periodo: r.periodo,
      desagregacion: r.desagregacion,
      valor: r.valor,
      motivo: r.motivo,
      meta,
      semaforo: semaforo(r.valor, meta, ind.sentido, verde, amarillo),
      avance: avance(r.valor, meta, ind.sentido, base),
    };
  });
}

/** Replaces an indicator's metas or comparison series in one transaction (each change audited). */
export async function replaceRows<T extends 'indicator_targets' | 'indicator_benchmarks'>(
  db: Kysely<DB>,
  actor: Actor,
  table: T,
  indicatorId: number,
  rows: Insertable<DB[T]>[],
) {
  await withActor(db, actor, async (trx) => {
    await trx
      .deleteFrom(table as 'indicator_targets')
      .where('indicator_id', '=', indicatorId)
      .execute();
    if (rows.length)
      await trx
        .insertInto(table)
        .values(rows as never)
        .execute();
  });
}

/** An indicator a plan meta or a MIR row may point to: the municipality's own or its state's (tenant NN000). */
export async function assertIndicatorUsable(
  db: Kysely<DB> | import('kysely').Transaction<DB>,
  municipalityId: string,
  indicatorId: number | null | undefined,
) {
  if (indicatorId == null) return;
  const i = await db.selectFrom('indicators').select('municipality_id').where('id', '=', indicatorId).executeTakeFirst();
  if (!i || (i.municipality_id !== municipalityId && i.municipality_id !== `${municipalityId.slice(0, 2)}000`)) {
    throw new AppError('BRJ_ERR_VALIDATION', 'El indicador no existe en el Sistema Municipal de Indicadores de este municipio.');
  }
}

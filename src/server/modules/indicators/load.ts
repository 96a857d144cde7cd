import { sql, type Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { readTable } from '../../tabular.ts';

export { readTable };

/** Columns of the long format; a template per indicator uses the same ones. */
export const LONG_COLUMNS = ['clave', 'cvegeo', 'periodo', 'desagregacion', 'valor'] as const;

export interface RowProblem {
  fila: number;
  columna: string | null;
  problema: string;
}

export interface LoadReport {
  dryRun: boolean;
  committed: boolean;
  loadId: number | null;
  filas: number;
  validas: number;
  insertadas: number;
  actualizadas: number;
  errores: RowProblem[];
  variables: string[];
}

const PERIODO = /^[0-9]{4}(-S[12]|-T[1-4]|-(0[1-9]|1[0-2]))?$/;
const DESAGREGACION = /^(total|[a-z_]+:[a-z0-9_-]+)$/;

/** Numbers as people type them in Mexico: "1,234.5", "1234.5", " 12 ". */
export function parseNumber(s: string): number | null {
  const t = s.trim().replace(/\s/g, '');
  if (!/^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(t)) return null;
  return Number(t.replace(/,/g, ''));
}

/**
 * Loads observations in the long format (clave, cvegeo, periodo, desagregacion, valor), all or
 * nothing. `allowedVariable` says whether the caller may load a variable (enlaces: only those of
 * their department). A dry run validates and reports without keeping anything.
 */
type LoadOptions = {
  dryRun?: boolean;
  allowedVariable: (v: { clave: string; department_id: number | null }) => boolean;
  onProgress?: (done: number, total: number) => void;
};

export async function loadObservations(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  fileName: string,
  bytes: Buffer,
  opts: LoadOptions,
): Promise<LoadReport> {
  return loadRows(db, actor, municipalityId, fileName, await readTable(fileName, bytes), opts);
}

/** The same load from rows already parsed (the JSON push API); `source` names the load. */
export async function loadRows(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  source: string,
  rows: Record<string, string>[],
  opts: LoadOptions,
): Promise<LoadReport> {
  const fileName = source;
  const report: LoadReport = {
    dryRun: !!opts.dryRun,
    committed: false,
    loadId: null,
    filas: rows.length,
    validas: 0,
    insertadas: 0,
    actualizadas: 0,
    errores: [],
    variables: [],
  };
  if (rows.length === 0) throw new AppError('BRJ_ERR_IMPORT_INVALID', 'El archivo no tiene filas de datos.');
  const missingCols = ['clave', 'cvegeo', 'periodo', 'valor'].filter((c) => !(c in rows[0]));
  if (missingCols.length) {
    throw new AppError(
      'BRJ_ERR_IMPORT_INVALID',
      `Faltan columnas: ${missingCols.join(', ')}. Use las columnas ${LONG_COLUMNS.join(', ')}.`,
    );
  }
  const variables = new Map(
    (
      await db
        .selectFrom('indicator_variables')
        .select(['id', 'clave', 'department_id'])
        .where('municipality_id', '=', municipalityId)
        .execute()
    ).map((v) => [v.clave, v]),
  );
  const units = new Map(
    (await db.selectFrom('shared_units').select(['id', 'cvegeo']).where('municipality_id', '=', municipalityId).execute()).map((u) => [
      u.cvegeo,
      u.id,
    ]),
  );
  const seen = new Set<string>();
  const good: { variable_id: number; unit_id: number; periodo: string; desagregacion: string; valor: number }[] = [];
  const used = new Set<string>();
  rows.forEach((r, i) => {
    const fila = i + 2; // the header is row 1
    const bad = (columna: string | null, problema: string) => report.errores.push({ fila, columna, problema });
    const clave = (r.clave ?? '').trim();
    const v = variables.get(clave);
    if (!v) return bad('clave', clave ? `La variable "${clave}" no existe en este municipio.` : 'Falta la clave de la variable.');
    if (!opts.allowedVariable(v)) return bad('clave', `No tiene permiso para cargar "${clave}": pertenece a otra dependencia.`);
    const cvegeo = (r.cvegeo ?? '').trim();
    const unit = units.get(cvegeo);
    if (!unit)
      return bad(
        'cvegeo',
        cvegeo ? `La unidad territorial "${cvegeo}" no existe en el municipio ${municipalityId}.` : 'Falta la clave geográfica.',
      );
    const periodo = (r.periodo ?? '').trim();
    if (!PERIODO.test(periodo)) return bad('periodo', `Periodo no válido: "${periodo}". Use 2024, 2024-S1, 2024-T3 o 2024-07.`);
    const desagregacion = (r.desagregacion ?? '').trim().toLowerCase() || 'total';
    if (!DESAGREGACION.test(desagregacion))
      return bad('desagregacion', `Desagregación no válida: "${desagregacion}". Use total o dimensión:valor, p. ej. sexo:mujer.`);
    const valor = parseNumber(r.valor ?? '');
    if (valor === null) return bad('valor', `Valor no numérico: "${r.valor ?? ''}".`);
    const key = `${v.id}|${unit}|${periodo}|${desagregacion}`;
    if (seen.has(key)) return bad(null, 'Fila repetida: la misma variable, unidad, periodo y desagregación ya aparece antes.');
    seen.add(key);
    used.add(clave);
    good.push({ variable_id: v.id, unit_id: unit, periodo, desagregacion, valor });
  });
  report.validas = good.length;
  report.variables = [...used].sort();
  if (report.errores.length) {
    if (opts.dryRun) return report;
    throw new AppError('BRJ_ERR_IMPORT_INVALID', `No se cargó nada: ${report.errores.length} filas con errores.`, report);
  }
  class Rollback extends Error {}
  try {
    await withActor(db, actor, async (trx) => {
      const load = await trx
        .insertInto('indicator_loads')
        .values({ municipality_id: municipalityId, file_name: fileName.slice(0, 255), rows: good.length, created_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      report.loadId = load.id;
      const BATCH = 1000;
      for (let i = 0; i < good.length; i += BATCH) {
        const chunk = good.slice(i, i + BATCH);
        const r = await sql<{ inserted: boolean }>`
          insert into indicator_observations (municipality_id, variable_id, unit_id, periodo, desagregacion, valor, load_id, updated_by, updated_at)
          select ${municipalityId}, x.variable_id, x.unit_id, x.periodo, x.desagregacion, x.valor, ${load.id}::bigint, ${actor.userId}::bigint, now()
            from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
                 as x(variable_id bigint, unit_id bigint, periodo text, desagregacion text, valor numeric)
          on conflict (municipality_id, variable_id, unit_id, periodo, desagregacion) do update
            set valor = excluded.valor, load_id = excluded.load_id, updated_by = excluded.updated_by, updated_at = now()
          returning (xmax = 0) as inserted`.execute(trx);
        const ins = r.rows.filter((x) => x.inserted).length;
        report.insertadas += ins;
        report.actualizadas += r.rows.length - ins;
        opts.onProgress?.(Math.min(i + BATCH, good.length), good.length);
      }
      if (opts.dryRun) throw new Rollback();
    });
    report.committed = true;
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    report.loadId = null;
  }
  return report;
}

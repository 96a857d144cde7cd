import type { Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import type { SessionUser } from '../../plugins/auth.ts';
import { readTable } from '../../tabular.ts';
import { getPlan, insertOutline } from './service.ts';

export interface OutlineProblem {
  fila: number;
  problema: string;
}

export interface OutlineReport {
  dryRun: boolean;
  committed: boolean;
  filas: number;
  porNivel: { nivel: string; elementos: number }[];
  errores: OutlineProblem[];
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();

/**
 * Reads an outline (columns nivel, codigo, texto and optional descripcion) in reading order: each
 * row's parent is the nearest row above it one level up. The level is a number (1 = outermost) or
 * the level's name in the plan ("Eje", "Estrategia", "Línea de acción"…).
 */
export function parseOutline(rows: Record<string, string>[], niveles: string[]) {
  const errores: OutlineProblem[] = [];
  const out: { nivel: number; codigo: string; titulo: string; descripcion: string; parent: number | null }[] = [];
  const header = rows.length ? Object.keys(rows[0]) : [];
  const col = (...names: string[]) => header.find((h) => names.includes(fold(h)));
  const cNivel = col('nivel', 'level');
  const cCodigo = col('codigo', 'clave', 'code');
  const cTexto = col('texto', 'titulo', 'text', 'enunciado');
  const cDesc = col('descripcion', 'description');
  const missing = [!cNivel && 'nivel', !cCodigo && 'codigo', !cTexto && 'texto'].filter(Boolean);
  if (missing.length)
    return {
      rows: out,
      errores: [
        {
          fila: 1,
          problema: `Faltan las columnas: ${missing.join(', ')}. Use el encabezado nivel, codigo, texto (y opcionalmente descripcion).`,
        },
      ],
    };
  const lastAt: number[] = [];
  const codes = new Map<string, number>();
  rows.forEach((r, i) => {
    const fila = i + 2;
    const rawNivel = (r[cNivel!] ?? '').trim();
    const codigo = (r[cCodigo!] ?? '').trim();
    const titulo = (r[cTexto!] ?? '').replace(/\s+/g, ' ').trim();
    if (!rawNivel && !codigo && !titulo) return;
    let nivel = /^\d+$/.test(rawNivel) ? Number(rawNivel) - 1 : niveles.findIndex((n) => fold(n) === fold(rawNivel));
    if (nivel < 0 || nivel >= niveles.length) {
      errores.push({ fila, problema: `Nivel «${rawNivel}» no reconocido: use 1 a ${niveles.length} o ${niveles.join(', ')}.` });
      nivel = -1;
    }
    if (!codigo) errores.push({ fila, problema: 'Falta el código.' });
    else if (codigo.length > 40) errores.push({ fila, problema: 'El código tiene más de 40 caracteres.' });
    else if (codes.has(codigo)) errores.push({ fila, problema: `El código «${codigo}» ya aparece en la fila ${codes.get(codigo)}.` });
    else codes.set(codigo, fila);
    if (!titulo) errores.push({ fila, problema: 'Falta el texto del elemento.' });
    else if (titulo.length > 2000) errores.push({ fila, problema: 'El texto tiene más de 2,000 caracteres.' });
    if (nivel < 0) return;
    let parent: number | null = null;
    if (nivel > 0) {
      if (lastAt[nivel - 1] === undefined) {
        errores.push({
          fila,
          problema: `Un elemento de nivel «${niveles[nivel]}» necesita antes un «${niveles[nivel - 1]}» del que dependa.`,
        });
        return;
      }
      parent = lastAt[nivel - 1];
    }
    out.push({ nivel, codigo, titulo, descripcion: (cDesc ? r[cDesc] : '')?.trim() ?? '', parent });
    lastAt[nivel] = out.length - 1;
    lastAt.length = nivel + 1;
  });
  if (!out.length && !errores.length) errores.push({ fila: 1, problema: 'El archivo no tiene filas con elementos.' });
  return { rows: out, errores };
}

/** Loads an outline into an empty plan in borrador, all or nothing. */
export async function importOutline(
  db: Kysely<DB>,
  actor: Actor,
  municipalityId: string,
  planId: number,
  fileName: string,
  bytes: Buffer,
  user: SessionUser,
  dryRun: boolean,
): Promise<OutlineReport> {
  const plan = await getPlan(db, municipalityId, planId, user);
  if (plan.estado !== 'borrador') throw new AppError('BRJ_ERR_CONFLICT', 'Solo se carga un esquema en un plan en borrador.');
  const existing = await db.selectFrom('plan_elements').select('id').where('plan_id', '=', planId).limit(1).executeTakeFirst();
  if (existing)
    throw new AppError(
      'BRJ_ERR_CONFLICT',
      'El plan ya tiene elementos: la carga de un esquema es para un plan vacío. Cree un plan nuevo o elimine sus elementos.',
    );
  const { rows, errores } = parseOutline(await readTable(fileName, bytes), plan.niveles);
  const report: OutlineReport = {
    dryRun,
    committed: false,
    filas: rows.length,
    porNivel: plan.niveles.map((n, i) => ({ nivel: n, elementos: rows.filter((r) => r.nivel === i).length })),
    errores,
  };
  if (errores.length)
    throw new AppError('BRJ_ERR_IMPORT_INVALID', `El esquema tiene ${errores.length} error(es). No se guardó ningún elemento.`, report);
  if (dryRun) return report;
  await withActor(db, actor, (trx) => insertOutline(trx, municipalityId, planId, rows));
  return { ...report, committed: true };
}

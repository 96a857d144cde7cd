import { sql, type Kysely } from 'kysely';
import { withActor, type Actor } from '../../db/connection.ts';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { finishPdf, newPdf, pdfSafe } from '../../pdf.ts';
import { institutionBrand } from '../setup/api.ts';
import type { SessionUser } from '../../plugins/auth.ts';
import { averagesFor } from './ratings.ts';
import { latestPhotos, publishedEvidence } from '../programs/api.ts';
import { planScorecard, type Luz } from './scorecards.ts';

type Db = Kysely<DB>;
type Scorecard = Awaited<ReturnType<typeof planScorecard>>;
const PHOTOS_IN_PDF = 12;

interface Obra {
  id: number;
  clave: string;
  nombre: string;
  avance_fisico: number;
  vigente: number;
  ejercido: number;
  foto_id: number | null;
  calificacion: number | null;
  calificaciones: number;
}

export interface ReportSnapshot {
  municipio: string;
  plan: Scorecard['plan'];
  periodo: string;
  tipo: 'trimestral' | 'anual';
  titulo: string;
  generado: string;
  regla: string;
  total: Scorecard['total'];
  metasPorSemaforo: Scorecard['metasPorSemaforo'];
  ejes: (Scorecard['elementos'][number] & { elementos: Scorecard['elementos']; listaMetas: Scorecard['metas'] })[];
  obras: Obra[];
}

/** Works of the plan's POA year with their latest published photo and citizens' rating. */
async function works(db: Db, planId: number, anio: number): Promise<Obra[]> {
  const rows = await sql<{
    id: number;
    clave: string;
    nombre: string;
    avance_fisico: number;
    vigente: number;
    ejercido: number;
  }>`
    select a.id, a.clave, a.nombre, a.avance_fisico,
           (select coalesce(sum(coalesce(b.modificado, b.aprobado)), 0) from shared_action_budgets b where b.action_id = a.id) as vigente,
           (select coalesce(sum(b.ejercido), 0) from shared_action_budgets b where b.action_id = a.id) as ejercido
      from shared_poa_actions a join shared_poa_programs g on g.id = a.program_id
     where a.tipo = 'obra' and a.publicado and g.anio = ${anio}
       and exists (select 1 from shared_action_alignments x join shared_plan_elements e on e.id = x.element_id where x.action_id = a.id and e.plan_id = ${planId})
     order by a.clave`.execute(db);
  const ids = rows.rows.map((r) => r.id);
  const [ratings, photos] = await Promise.all([averagesFor(db, ids), latestPhotos(db, ids)]);
  return rows.rows.map((r) => ({
    ...r,
    foto_id: photos.get(Number(r.id)) ?? null,
    avance_fisico: Number(r.avance_fisico),
    vigente: Number(r.vigente),
    ejercido: Number(r.ejercido),
    calificacion: ratings.get(r.id)?.promedio ?? null,
    calificaciones: ratings.get(r.id)?.n ?? 0,
  }));
}

export async function buildSnapshot(
  db: Db,
  municipalityId: string,
  planId: number,
  periodo: string,
  user: SessionUser | null,
): Promise<ReportSnapshot> {
  const s = await planScorecard(db, municipalityId, planId, periodo, user);
  const m = await db.selectFrom('shared_municipalities').select('name').where('id', '=', municipalityId).executeTakeFirstOrThrow();
  const tipo = periodo.includes('-T') ? 'trimestral' : 'anual';
  const children = new Map<number | null, number[]>();
  for (const e of s.elementos) children.set(e.parent_id, [...(children.get(e.parent_id) ?? []), e.id]);
  const subtree = (id: number): number[] => [id, ...(children.get(id) ?? []).flatMap(subtree)];
  const ejes = s.elementos
    .filter((e) => e.parent_id === null)
    .map((e) => {
      const ids = new Set(subtree(e.id));
      return {
        ...e,
        elementos: s.elementos.filter((x) => ids.has(x.id) && x.id !== e.id),
        listaMetas: s.metas.filter((x) => ids.has(x.element_id)),
      };
    });
  return {
    municipio: m.name,
    plan: s.plan,
    periodo,
    tipo,
    titulo: `Informe de avance ${tipo === 'anual' ? 'anual' : 'trimestral'} ${periodo}: ${s.plan.titulo}`,
    generado: new Date().toISOString(),
    regla: s.regla,
    total: s.total,
    metasPorSemaforo: s.metasPorSemaforo,
    ejes,
    obras: await works(db, planId, Number(periodo.slice(0, 4))),
  };
}

/** Publishes a report: the snapshot and its PDF are stored and never recomputed. */
export async function publish(
  db: Db,
  actor: Actor,
  municipalityId: string,
  planId: number,
  periodo: string,
  user: SessionUser | null,
  opts: { isDemo?: boolean } = {},
) {
  const exists = await db
    .selectFrom('evaluation_reports')
    .select('id')
    .where('plan_id', '=', planId)
    .where('periodo', '=', periodo)
    .executeTakeFirst();
  if (exists)
    throw new AppError('BRJ_ERR_CONFLICT', `El informe ${periodo} de este plan ya está publicado; un informe publicado no se modifica.`);
  const snap = await buildSnapshot(db, municipalityId, planId, periodo, user);
  const pdf = await reportPdf(db, snap);
  return withActor(db, actor, (trx) =>
    trx
      .insertInto('evaluation_reports')
      .values({
        municipality_id: municipalityId,
        plan_id: planId,
        tipo: snap.tipo,
        periodo,
        titulo: snap.titulo,
        snapshot: JSON.stringify(snap),
        pdf,
        publicado_por: actor.userId,
        is_demo: opts.isDemo ?? false,
      })
      .returning(['id', 'titulo', 'periodo'])
      .executeTakeFirstOrThrow(),
  );
}

export async function list(db: Db, municipalityId: string, planId?: number) {
  let q = db
    .selectFrom('evaluation_reports as r')
    .innerJoin('shared_plans as p', 'p.id', 'r.plan_id')
    .select(['r.id', 'r.plan_id', 'p.titulo as plan', 'r.tipo', 'r.periodo', 'r.titulo', 'r.publicado_at', 'r.is_demo'])
    .select(sql<number | null>`(r.snapshot -> 'total' ->> 'calificacion')::float8`.as('calificacion'))
    .select(sql<Luz | null>`r.snapshot -> 'total' ->> 'semaforo'`.as('semaforo'))
    .where('r.municipality_id', '=', municipalityId)
    .orderBy('r.periodo', 'desc')
    .orderBy('r.id', 'desc');
  if (planId) q = q.where('r.plan_id', '=', planId);
  return q.execute();
}

export async function get(db: Db, municipalityId: string, id: number) {
  const r = await db
    .selectFrom('evaluation_reports')
    .select(['id', 'plan_id', 'periodo', 'tipo', 'titulo', 'snapshot', 'publicado_at', 'is_demo'])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!r) throw new AppError('BRJ_ERR_NOT_FOUND', 'El informe no existe.');
  return r;
}

export async function pdfOf(db: Db, municipalityId: string, id: number) {
  const r = await db
    .selectFrom('evaluation_reports')
    .select(['periodo', 'pdf'])
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!r?.pdf) throw new AppError('BRJ_ERR_NOT_FOUND', 'El informe no existe.');
  return { periodo: r.periodo, pdf: r.pdf };
}

const LUZ: Record<Luz, string> = { verde: '#1a9850', amarillo: '#f0b400', rojo: '#d73027' };
const LUZ_NOMBRE: Record<Luz, string> = { verde: 'verde', amarillo: 'amarillo', rojo: 'rojo' };
const num = (n: number | null, d = 1) =>
  n === null ? '—' : new Intl.NumberFormat('es-MX', { maximumFractionDigits: d, minimumFractionDigits: d }).format(n);
const money = (n: number) => new Intl.NumberFormat('es-MX', { style: 'currency', currency: 'MXN', maximumFractionDigits: 0 }).format(n);

/**
 * The report as a PDF made with pdfkit (no browser at run time): cover, summary with the semáforo
 * counts, one section per eje with a bar chart drawn as vectors and its table, works with photos,
 * and the metas as an annex. Text stays extractable; every page is numbered.
 */
export async function reportPdf(db: Db, s: ReportSnapshot): Promise<Buffer> {
  const { doc, done, width } = await newPdf(s.titulo, `Municipio de ${s.municipio}`, await institutionBrand(db));
  const t = pdfSafe;
  const h2 = (text: string) => doc.font('Helvetica-Bold').fontSize(14).fillColor('#000').text(t(text), 72);
  // Cover
  doc
    .moveDown(6)
    .font('Helvetica')
    .fontSize(12)
    .fillColor('#555')
    .text(t(`H. Ayuntamiento de ${s.municipio} — Sistema de Evaluación`), { align: 'center' });
  doc.moveDown(1).font('Helvetica-Bold').fontSize(20).fillColor('#000').text(t(s.titulo), { align: 'center' });
  doc
    .moveDown(1)
    .font('Helvetica')
    .fontSize(11)
    .text(
      t(
        `Periodo ${s.periodo} · generado el ${new Intl.DateTimeFormat('es-MX', { dateStyle: 'long', timeZone: 'America/Mexico_City' }).format(new Date(s.generado))}`,
      ),
      { align: 'center' },
    );
  // Summary
  doc.addPage();
  h2('Resumen');
  doc
    .moveDown(0.5)
    .font('Helvetica')
    .fontSize(11)
    .text(
      t(
        `Calificación del plan: ${num(s.total.calificacion)} de 100 (semáforo ${s.total.semaforo ? LUZ_NOMBRE[s.total.semaforo] : 'sin datos'}).`,
      ),
    );
  doc.text(
    t(
      `Metas: ${num(s.total.metas)} % · Avance físico: ${num(s.total.fisico)} % · Avance financiero: ${num(s.total.financiero)} % (${money(s.total.ejercido)} de ${money(s.total.vigente)}).`,
    ),
  );
  const c = s.metasPorSemaforo;
  doc
    .moveDown(0.5)
    .font('Helvetica-Bold')
    .text(t(`Metas en verde: ${c.verde} · Metas en amarillo: ${c.amarillo} · Metas en rojo: ${c.rojo} · Sin datos: ${c.sinDatos}`));
  // Bar of the counts.
  const total = c.verde + c.amarillo + c.rojo + c.sinDatos || 1;
  let x = 72;
  const y = doc.y + 8;
  for (const [k, color] of [
    ['verde', LUZ.verde],
    ['amarillo', LUZ.amarillo],
    ['rojo', LUZ.rojo],
    ['sinDatos', '#bbbbbb'],
  ] as const) {
    const w = (c[k] / total) * width;
    if (w > 0) doc.rect(x, y, w, 14).fill(color);
    x += w;
  }
  doc.fillColor('#000').moveDown(2);
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor('#444')
    .text(t(`Regla de agregación: ${s.regla}`), 72, y + 24, { width })
    .fillColor('#000');
  // One section per eje: chart and table.
  for (const eje of s.ejes) {
    doc.addPage();
    h2(`${eje.codigo} ${eje.titulo}`);
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(
        t(
          `Calificación ${num(eje.calificacion)} (${eje.semaforo ? LUZ_NOMBRE[eje.semaforo] : 'sin datos'}) · metas ${num(eje.metas)} % · físico ${num(eje.fisico)} % · financiero ${num(eje.financiero)} %`,
        ),
      );
    doc.moveDown(0.5);
    const rows = eje.elementos.filter((e) => e.nivel === eje.nivel + 1).slice(0, 20);
    for (const e of rows) {
      const top = doc.y;
      if (top > doc.page.height - 110) doc.addPage();
      const yy = doc.y;
      doc
        .font('Helvetica')
        .fontSize(8)
        .fillColor('#000')
        .text(t(`${e.codigo} ${e.titulo}`.slice(0, 70)), 72, yy, { width: 200, lineBreak: false, ellipsis: true });
      const w = ((e.calificacion ?? 0) / 100) * (width - 260);
      doc.rect(280, yy, width - 260, 9).fill('#eeeeee');
      if (w > 0) doc.rect(280, yy, w, 9).fill(e.semaforo ? LUZ[e.semaforo] : '#bbbbbb');
      doc.fillColor('#000').text(num(e.calificacion), 72 + width - 30, yy, { width: 30, align: 'right', lineBreak: false });
      doc.y = yy + 14;
    }
    if (eje.listaMetas.length) {
      doc.moveDown(0.5).font('Helvetica-Bold').fontSize(10).text(t('Metas'), 72);
      for (const m of eje.listaMetas)
        doc
          .font('Helvetica')
          .fontSize(8)
          .text(
            t(
              `• ${m.descripcion}${m.indicador ? ` (${m.indicador})` : ''}: valor ${num(m.valor, 2)}, meta ${num(m.meta, 2)}, avance ${num(m.avance)} %`,
            ),
            72,
            undefined,
            { width },
          );
    }
  }
  // Works with photos.
  if (s.obras.length) {
    doc.addPage();
    h2('Obras públicas');
    for (const o of s.obras) {
      if (doc.y > doc.page.height - 100) doc.addPage();
      doc
        .font('Helvetica')
        .fontSize(9)
        .text(
          t(
            `${o.clave} ${o.nombre} — avance físico ${num(o.avance_fisico)} %, ejercido ${money(o.ejercido)} de ${money(o.vigente)}${o.calificacion !== null ? `, calificación ciudadana ${num(o.calificacion)} de 5 (${o.calificaciones})` : ''}`,
          ),
          72,
          undefined,
          { width },
        );
    }
    const photos = s.obras.filter((o) => o.foto_id).slice(0, PHOTOS_IN_PDF);
    if (photos.length) {
      const files = await publishedEvidence(
        db,
        photos.map((o) => o.foto_id!),
      );
      doc.addPage();
      h2('Fotografías de las obras');
      let col = 0;
      let rowY = doc.y + 6;
      for (const o of photos) {
        const f = files.find((x) => x.id === o.foto_id);
        if (!f) continue;
        if (rowY > doc.page.height - 240) {
          doc.addPage();
          rowY = 72;
        }
        const px = 72 + col * (width / 2);
        try {
          doc.image(f.contenido, px, rowY, { fit: [width / 2 - 10, 150] });
        } catch {
          /* an image pdfkit cannot read is left out, not the whole report */
        }
        doc
          .font('Helvetica')
          .fontSize(8)
          .text(t(`${o.clave} — ${num(o.avance_fisico)} %`), px, rowY + 154, { width: width / 2 - 10 });
        col = (col + 1) % 2;
        if (col === 0) rowY += 180;
      }
    }
  }
  // Annex: every meta.
  doc.addPage();
  h2('Anexo: metas del plan');
  for (const eje of s.ejes)
    for (const m of eje.listaMetas)
      doc
        .font('Helvetica')
        .fontSize(8)
        .text(t(`${eje.codigo} · ${m.descripcion}: ${num(m.avance)} %`), 72, undefined, { width });
  finishPdf(doc, s.titulo);
  return done;
}

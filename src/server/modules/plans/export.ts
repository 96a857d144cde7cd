import type { planTree } from './service.ts';
import { ESTADOS, PLAN_TIPOS } from './service.ts';
import type { Plans } from '../../db/types.ts';
import type { Selectable } from 'kysely';
import { finishPdf, newPdf, pdfSafe } from '../../pdf.ts';

type Tree = Awaited<ReturnType<typeof planTree>>;
type Plan = Selectable<Plans>;
interface Ctx {
  municipio: string;
  departamentos: Map<number, string>;
}

const fechaMx = (d: string | Date | null) =>
  d
    ? new Intl.DateTimeFormat('es-MX', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        typeof d === 'string' ? new Date(`${d}T00:00:00Z`) : d,
      )
    : '';
const numMx = (n: number) => new Intl.NumberFormat('es-MX', { maximumFractionDigits: 2 }).format(n);
const metaText = (m: Tree[number]['metas'][number]) =>
  `${m.descripcion}${m.indicator_clave ? ` [indicador ${m.indicator_clave}]` : ''}${m.valores.length ? ` — ${m.valores.map((v) => `${v.anio}: ${numMx(v.valor)}`).join('; ')}` : ''}`;

/** The plan as a workbook: the outline sheet can be loaded back as is (nivel, codigo, texto). */
export async function planXlsx(plan: Plan, tree: Tree, ctx: Ctx): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Brújula';
  const ws = wb.addWorksheet('Esquema');
  ws.addRow(['nivel', 'codigo', 'texto', 'descripcion', 'tipo de elemento', 'responsables', 'metas', 'alineacion', 'ods']);
  ws.getRow(1).font = { bold: true };
  for (const e of tree) {
    ws.addRow([
      e.nivel + 1,
      e.codigo,
      e.titulo,
      e.descripcion,
      plan.niveles[e.nivel],
      e.responsables.map((d) => ctx.departamentos.get(d) ?? d).join('; '),
      e.metas.map(metaText).join('\n'),
      e.alineadoA.map((a) => `${a.plan_titulo} ${a.codigo}`).join('; '),
      e.ods.join(', '),
    ]);
  }
  ws.columns.forEach((c, i) => (c.width = [7, 12, 70, 40, 16, 30, 50, 40, 12][i]));
  const info = wb.addWorksheet('Plan');
  for (const [k, v] of [
    ['Municipio', ctx.municipio],
    ['Plan', plan.titulo],
    ['Tipo', PLAN_TIPOS[plan.tipo]],
    ['Periodo', [plan.periodo_inicio, plan.periodo_fin].filter(Boolean).join('–')],
    ['Estado', ESTADOS[plan.estado]],
    ['Acuerdo de cabildo', plan.cabildo_acuerdo ?? ''],
    ['Fecha de aprobación', fechaMx(plan.cabildo_fecha)],
    ['Niveles', plan.niveles.join(' > ')],
    ['Generado', new Date().toISOString()],
  ])
    info.addRow([k, v]);
  info.getColumn(1).width = 22;
  info.getColumn(2).width = 80;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A document fit for a cabildo session: cover, the tree with metas and alignments, page numbers. */
export async function planPdf(plan: Plan, tree: Tree, ctx: Ctx): Promise<Buffer> {
  const { doc, done } = await newPdf(plan.titulo, `Municipio de ${ctx.municipio}`);
  const t = (s: string) => pdfSafe(s);

  doc
    .moveDown(6)
    .font('Helvetica')
    .fontSize(12)
    .fillColor('#555')
    .text(t(`H. Ayuntamiento de ${ctx.municipio}`), { align: 'center' });
  doc.moveDown(1).font('Helvetica-Bold').fontSize(22).fillColor('#000').text(t(plan.titulo), { align: 'center' });
  doc
    .moveDown(0.5)
    .font('Helvetica')
    .fontSize(13)
    .text(t(PLAN_TIPOS[plan.tipo] + (plan.periodo_inicio ? ` ${plan.periodo_inicio}–${plan.periodo_fin ?? ''}` : '')), { align: 'center' });
  doc
    .moveDown(2)
    .fontSize(11)
    .text(t(`Estado: ${ESTADOS[plan.estado]}`), { align: 'center' });
  if (plan.cabildo_acuerdo)
    doc.text(t(`Aprobado por el cabildo, acuerdo ${plan.cabildo_acuerdo}, ${fechaMx(plan.cabildo_fecha)}`), { align: 'center' });
  if (plan.is_demo) doc.moveDown(1).fillColor('#a00').text('DATOS DE DEMOSTRACIÓN', { align: 'center' }).fillColor('#000');
  if (plan.descripcion) doc.moveDown(3).fontSize(10).text(t(plan.descripcion), { align: 'justify' });
  doc
    .moveDown(2)
    .fontSize(9)
    .fillColor('#555')
    .text(t(`Estructura: ${plan.niveles.join(' > ')} · ${tree.length} elementos · Documento generado el ${fechaMx(new Date())}`), {
      align: 'center',
    })
    .fillColor('#000');

  doc.addPage();
  const width = doc.page.width - 144;
  for (const e of tree) {
    const indent = Math.min(e.nivel, 4) * 14;
    const size = e.nivel === 0 ? 14 : e.nivel === 1 ? 12 : 10;
    if (e.nivel === 0 && doc.y > 100) doc.addPage();
    doc.moveDown(e.nivel === 0 ? 0.2 : 0.4);
    doc
      .font(e.nivel <= 1 ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(size)
      .text(t(`${e.codigo}  ${e.titulo}`), 72 + indent, undefined, { width: width - indent });
    const detail = (label: string, value: string) =>
      value &&
      doc
        .font('Helvetica')
        .fontSize(9)
        .fillColor('#333')
        .text(t(`${label}: ${value}`), 72 + indent + 10, undefined, { width: width - indent - 10 })
        .fillColor('#000');
    if (e.descripcion)
      doc
        .font('Helvetica')
        .fontSize(9)
        .text(t(e.descripcion), 72 + indent + 10, undefined, { width: width - indent - 10 });
    detail('Responsables', e.responsables.map((d) => ctx.departamentos.get(d) ?? String(d)).join(', '));
    for (const m of e.metas) detail('Meta', metaText(m));
    detail('Alineación', e.alineadoA.map((a) => `${a.plan_titulo} ${a.codigo}`).join('; '));
    detail('ODS', e.ods.join(', '));
  }
  finishPdf(doc, plan.titulo);
  return done;
}

/** The consultation for the Consejo Ciudadano: a summary per element and every comment with its answer. */
export async function consultationXlsx(
  plan: Plan,
  summary: {
    codigo: string;
    titulo: string;
    comentarios: number;
    visibles: number;
    ocultos: number;
    respondidos: number;
    participantes: number;
  }[],
  comments: {
    codigo: string;
    texto: string | null;
    autor: string;
    created_at: Date;
    respuesta: string | null;
    oculto: boolean;
    motivo_oculto: string | null;
  }[],
): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Brújula';
  const s = wb.addWorksheet('Resumen por elemento');
  s.addRow(['codigo', 'elemento', 'comentarios', 'visibles', 'ocultos', 'respondidos', 'participantes']);
  s.getRow(1).font = { bold: true };
  for (const r of summary) s.addRow([r.codigo, r.titulo, r.comentarios, r.visibles, r.ocultos, r.respondidos, r.participantes]);
  s.columns.forEach((c, i) => (c.width = i === 1 ? 70 : 14));
  const c = wb.addWorksheet('Comentarios');
  c.addRow(['codigo', 'fecha', 'autor', 'comentario', 'respuesta', 'oculto', 'motivo']);
  c.getRow(1).font = { bold: true };
  for (const r of comments)
    c.addRow([r.codigo, r.created_at, r.autor, r.texto ?? '', r.respuesta ?? '', r.oculto ? 'sí' : 'no', r.motivo_oculto ?? '']);
  c.columns.forEach((col, i) => (col.width = [10, 20, 24, 70, 60, 8, 40][i]));
  const info = wb.addWorksheet('Plan');
  info.addRow(['Plan', plan.titulo]);
  info.addRow(['Estado', ESTADOS[plan.estado]]);
  info.addRow(['Generado', new Date().toISOString()]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
